import { LATE_PAYMENT_WATCH_MS } from '../domain/invoice/payments';
import { servedCodes, servedCurrency } from '../domain/chains';
import { CRYPTO_CURRENCIES, type CryptoCurrency, FIAT_MINOR_UNITS, type FiatCode, findCrypto, USD_PEGGED } from '../domain/currencies';
import type { DonationMark } from '../domain/donation';
import { invoiceUuid } from '../domain/ids';
import { type Invoice, payPath, type Selection } from '../domain/invoice/invoice';
import { type Decimal, formatDecimal, fromUnits, multiply, type Ratio, ratio, toScale } from '../domain/money';
import { notificationUrlProblem } from '../domain/network';
import { sweepEstimateOf } from '../domain/chain-families';
import { type FeePolicy, quoteCrypto } from '../domain/pricing';
import { invoiceLifetimeMs, type Project } from '../domain/project';
import { err, ok, type Result } from '../domain/result';
import type { Instant } from '../domain/time';
import type { Deps } from '../ports';
import type { AppError } from './errors';
import { quoteNetworkFee } from './network-fees';
import { usdRateFrom } from './usd-rates';

/** Re-exported: callers have long found it here. */
export { usdRateFrom };

export type CreateInvoiceCommand = {
  project: Project;
  amount: Decimal;
  fiat: FiatCode;
  orderId: string | null;
  email: string | null;
  /** Native `add_fields.description`: plain text for the payment page. */
  description: string | null;
  lifetimeMs: number | null;
  availableCurrencies: string[] | null;
  cryptocurrency: string | null;
  /** Native `add_fields.notification_url`. */
  notificationUrl: string | null;
  /**
   * Set by a donation page (shared/app/donations.ts): stored on the invoice, and the store records
   * the invoice under the page in the same write, so the page's totals find it. Absent elsewhere.
   */
  donation?: DonationMark | null;
  locale: string;
  /** From the Idempotency-Key header: the key's hash and the request body's hash. */
  idempotency: { key: string; keyHash: string; requestHash: string } | null;
  now: Instant;
};

/**
 * An invoice the gateway itself starts (a donation, a POS sale, a widget button, the local demo):
 * no e-mail, no Idempotency-Key, no per-invoice notification URL, the project's language; the
 * caller names what differs.
 */
export const ownInvoiceCommand = (c: Pick<CreateInvoiceCommand, 'project' | 'amount' | 'fiat' | 'orderId' | 'now'> & Partial<CreateInvoiceCommand>): CreateInvoiceCommand => ({
  email: null,
  description: null,
  lifetimeMs: null,
  availableCurrencies: null,
  cryptocurrency: null,
  notificationUrl: null,
  locale: c.project.settings.locale,
  idempotency: null,
  ...c,
});

const ID_COLLISION_RETRIES_MAX = 3;
/** The currencies the payer may choose: the request's list narrowed to what the project enables. */
function resolveAvailable(deps: Deps, project: Project, requested: string[] | null): Result<CryptoCurrency[], AppError> {
  const served = new Set(servedCodes(deps.chains));
  const enabled = new Set(project.settings.enabledCurrencies.filter((c) => served.has(c)));
  const wanted = requested ? new Set(requested.map((c) => c.toUpperCase())) : enabled;
  const available = CRYPTO_CURRENCIES.filter((c) => enabled.has(c.code) && wanted.has(c.code));
  return available.length > 0 ? ok(available) : err({ kind: 'invoice.no_available_currency', requested: requested ?? [] });
}

async function replayIdempotent(deps: Deps, cmd: CreateInvoiceCommand, existing: { requestHash: string; invoiceId: Invoice['id'] }) {
  if (!cmd.idempotency || existing.requestHash !== cmd.idempotency.requestHash) {
    return err({ kind: 'idempotency.key_reused' as const, key: cmd.idempotency?.key ?? '' });
  }
  const invoice = await deps.invoices.get(existing.invoiceId);
  if (!invoice) throw new Error(`invariant: idempotency record points at missing ${invoiceUuid(existing.invoiceId)}`);
  return ok(invoice);
}

/**
 * Creates an invoice priced in fiat. With `cryptocurrency` the deposit address and the crypto
 * amount are fixed now (H2H); otherwise the payer chooses on the payment page.
 */
/**
 * Refuses a currency whose chain is served but whose family has no deposit key in this
 * deployment (Tron served without TRON_XPUB): the payer gets an answer in the envelope, the
 * operator an error line, and no address counter moves.
 */
export async function depositKeyProblem(deps: Pick<Deps, 'addresses' | 'log'>, currency: CryptoCurrency): Promise<AppError | null> {
  if (await deps.addresses.canAllocate(currency.chain)) return null;
  deps.log.error('addresses.no_deposit_key', { chain: currency.chain, currency: currency.code });
  return { kind: 'chain.no_deposit_key', code: currency.code, chain: currency.chain };
}

/** The crypto amount for a price, locked at `usdPerUnit` for the rate-lock window. */
export function lockSelection(
  deps: Pick<Deps, 'settings' | 'chains'>,
  input: {
    priceUsd: Ratio;
    usdPerUnit: Ratio;
    currency: CryptoCurrency;
    fees: FeePolicy;
    /** The network fee in the currency's base units (quoteNetworkFee: the estimated sweep cost, or the flat fee). */
    transferFee: bigint;
    slot: { address: string; index: number };
    expiresAt: Instant;
    now: Instant;
  },
): Selection {
  const currency = servedCurrency(deps.chains, input.currency.code) ?? input.currency;
  return {
    code: input.currency.code,
    address: input.slot.address,
    derivationIndex: input.slot.index,
    ...quoteCrypto(input.priceUsd, input.usdPerUnit, currency, input.fees, input.transferFee),
    sweepEstimate: sweepEstimateOf(input.currency),
    usdPerUnit: input.usdPerUnit,
    lockedAt: input.now,
    lockedUntil: Math.min(input.expiresAt, input.now + deps.settings.rateLockMs),
  };
}

export async function createInvoice(deps: Deps, cmd: CreateInvoiceCommand): Promise<Result<Invoice, AppError>> {
  const { project, now } = cmd;
  if (cmd.idempotency) {
    const existing = await deps.idempotency.find(project.shopId, cmd.idempotency.keyHash, now);
    if (existing) return replayIdempotent(deps, cmd, existing);
  }

  const available = resolveAvailable(deps, project, cmd.availableCurrencies);
  if (!available.ok) return available;
  const urlRefused = cmd.notificationUrl ? notificationUrlProblem(cmd.notificationUrl, deps.settings.postbacks.network) : null;
  if (urlRefused && cmd.notificationUrl) return err({ kind: 'invoice.notification_url_refused', url: cmd.notificationUrl, reason: urlRefused });
  let chosen: CryptoCurrency | null = null;
  if (cmd.cryptocurrency) {
    const known = findCrypto(cmd.cryptocurrency);
    if (!known) return err({ kind: 'invoice.currency_unknown', code: cmd.cryptocurrency });
    if (!available.value.includes(known)) {
      return err({ kind: 'invoice.currency_not_enabled', code: known.code, enabled: available.value.map((c) => c.code) });
    }
    const noKey = await depositKeyProblem(deps, known);
    if (noKey) return err(noKey);
    chosen = known;
  }

  const minor = toScale(cmd.amount, FIAT_MINOR_UNITS[cmd.fiat], 'half_up');
  if (minor <= 0n) return err({ kind: 'invoice.amount_too_small', minimum: formatDecimal(fromUnits(1n, FIAT_MINOR_UNITS[cmd.fiat])) });

  // A USD price paid in a stablecoin needs no feed at all. RUB only feeds the informational
  // `total_rub`, so it is asked for only when the feed is consulted anyway.
  const needed = [cmd.fiat, ...(chosen && !USD_PEGGED.has(chosen.priceSymbol) ? [chosen.priceSymbol] : [])].filter((s) => s !== 'USD');
  const rates = needed.length > 0 ? await deps.rates.usdRates([...needed, 'RUB']) : new Map();
  const rateOf = (symbol: string) => usdRateFrom(rates, symbol);
  const usdPerFiat = rateOf(cmd.fiat);
  if (!usdPerFiat.ok) return usdPerFiat;
  const usdPerRub = rateOf('RUB');

  const expiresAt = now + (cmd.lifetimeMs ?? invoiceLifetimeMs(project.settings));
  let selection: Selection | null = null;
  let addressClaim: { chain: CryptoCurrency['chain']; address: string; at: Instant } | undefined;
  if (chosen) {
    const usdPerUnit = rateOf(chosen.priceSymbol);
    if (!usdPerUnit.ok) return usdPerUnit;
    const priceUsd = multiply(ratio(minor, 10n ** BigInt(FIAT_MINOR_UNITS[cmd.fiat])), usdPerFiat.value);
    const fee = await quoteNetworkFee(deps, chosen, usdPerUnit.value, now);
    const slot = await deps.addresses.allocate(chosen.chain);
    // Before the address is shown: the chain's watcher then reads whole blocks (native value is in no log).
    if (chosen.contract === null) await deps.nativeWatch.extend(chosen.chain, expiresAt + LATE_PAYMENT_WATCH_MS);
    selection = lockSelection(deps, { priceUsd, usdPerUnit: usdPerUnit.value, currency: chosen, fees: project.settings, transferFee: fee.units, slot, expiresAt, now });
    addressClaim = { chain: chosen.chain, address: slot.address, at: deps.clock.now() };
  }

  for (let attempt = 0; attempt < ID_COLLISION_RETRIES_MAX; attempt += 1) {
    const invoice: Invoice = {
      id: deps.ids.invoiceId(),
      shopId: project.shopId,
      status: 'created',
      createdAt: now,
      expiresAt,
      finishedAt: null,
      orderId: cmd.orderId,
      email: cmd.email,
      description: cmd.description,
      notificationUrl: cmd.notificationUrl,
      donation: cmd.donation ?? null,
      locale: cmd.locale,
      price: { currency: cmd.fiat, minor },
      usdPerFiat: usdPerFiat.value,
      rubPerUsd: usdPerRub.ok ? ratio(usdPerRub.value.den, usdPerRub.value.num) : null,
      availableCurrencies: available.value.map((c) => c.code),
      sideCommission: project.settings.sideCommission,
      sideCommissionCc: project.settings.sideCommissionCc,
      serviceFeePercent: formatDecimal(project.settings.serviceFeePercent),
      testMode: project.settings.testMode,
      selection,
      previousOffers: [],
      amountPaid: 0n,
      received: 0n,
      payments: [],
      facts: {},
      version: 1,
    };
    const idempotency = cmd.idempotency
      ? { shopId: project.shopId, keyHash: cmd.idempotency.keyHash, requestHash: cmd.idempotency.requestHash, invoiceId: invoice.id, expiresAt: now + deps.settings.idempotencyTtlMs }
      : undefined;
    const outcome = await deps.invoices.create(invoice, { idempotency, addressClaim });
    if (outcome.kind === 'created') {
      deps.log.info('invoice.created', {
        invoiceId: invoiceUuid(invoice.id),
        shopId: project.shopId,
        amount: formatDecimal(fromUnits(minor, FIAT_MINOR_UNITS[cmd.fiat])),
        fiat: cmd.fiat,
        currency: selection?.code ?? null,
        link: `${deps.settings.publicBaseUrl}${payPath(invoice)}`,
      });
      return ok(invoice);
    }
    if (outcome.kind === 'idempotency_taken') {
      if (!outcome.existing) throw new Error('invariant: idempotency record vanished during create');
      return replayIdempotent(deps, cmd, outcome.existing);
    }
    deps.log.warn('invoice.id_collision', { invoiceId: invoice.id, attempt });
  }
  throw new Error(`could not allocate a free invoice id after ${ID_COLLISION_RETRIES_MAX} attempts`);
}
