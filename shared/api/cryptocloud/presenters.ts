/**
 * Domain → CryptoCloud v2 JSON (reference §1.2–1.7, §1.11, §8). The only place where bigint
 * becomes a float and instants become `YYYY-MM-DD HH:MM:SS.ffffff`. Strings that strict clients
 * parse are `""` when empty, never null.
 */
import type { WalletBalance } from '../../app/balances';
import type { Statistics } from '../../app/invoices';
import { type ChainDeployment, describeFinality } from '../../domain/chains';
import { CHAINS, type ChainId, type CryptoCurrency, FIAT_MINOR_UNITS, findCrypto } from '../../domain/currencies';
import { type InvoiceId, invoiceUuid } from '../../domain/ids';
import { currencyEnabled } from '../../domain/go-live';
import { type Invoice, payPath, returnUrl } from '../../domain/invoice/invoice';
import { depthAt, type Payment, type StraySummary } from '../../domain/invoice/payments';
import { INVOICE_STATUSES, WIRE_PROGRESS } from '../../domain/invoice/status';
import { formatDecimal, formatRatio, fromUnits, multiply, type Ratio, ratio } from '../../domain/money';
import { priceUsdOf, unitsToUsd } from '../../domain/pricing';
import type { StaticWallet } from '../../domain/static-wallet';
import type { Project } from '../../domain/project';
import { formatCryptoCloudTime } from '../../domain/time';

/** The edge: exact decimal text → JSON number. */
const float = (text: string): number => Number(text);
const crypto = (units: bigint, c: CryptoCurrency) => float(formatDecimal(fromUnits(units, c.decimals)));
/** Base units of `code` as the float CryptoCloud clients read (0 for an unknown code). */
export const presentCryptoAmount = (units: bigint, code: string): number => {
  const c = findCrypto(code);
  return c ? crypto(units, c) : 0;
};
const usd = (r: Ratio) => float(formatRatio(r, 2));
const ZERO: Ratio = ratio(0n, 1n);

export type PresentContext = {
  publicBaseUrl: string;
  /** The last head each chain's watcher saw, for the `confirmations` of pending payments. */
  heads?: ReadonlyMap<ChainId, number>;
  /** Transfers kept apart from an invoice for review (wrong tokens, coins never offered). */
  strays?: ReadonlyMap<InvoiceId, StraySummary>;
};

const icon = (ctx: PresentContext, name: string) => `${ctx.publicBaseUrl}/assets/icons/${name.toLowerCase()}.svg`;

function networkObject(ctx: PresentContext, c: CryptoCurrency) {
  const chain = CHAINS[c.chain];
  return { code: chain.network.code, id: chain.network.id, icon: icon(ctx, `network-${chain.id}`), fullname: chain.network.fullname };
}

/** What both currency shapes share. */
const currencyFacts = (ctx: PresentContext, c: CryptoCurrency, emailRequired: boolean) => ({
  id: c.cryptocloudId,
  name: c.name,
  is_email_required: emailRequired,
  stablecoin: c.stablecoin,
  icon_base: icon(ctx, c.ticker),
  icon_network: icon(ctx, c.code),
  icon_qr: icon(ctx, `${c.ticker}-qr`),
  order: c.order,
});

/** InvoiceCurrency: `code` is the short ticker, `fullcode` the API code. */
export const presentInvoiceCurrency = (ctx: PresentContext, c: CryptoCurrency, emailRequired = false) => ({
  ...currencyFacts(ctx, c, emailRequired),
  code: c.ticker,
  fullcode: c.code,
  network: networkObject(ctx, c),
});

/**
 * WalletCurrency (balance, static wallets): `code` is the full code; network is `obj_network`.
 * `enable`: this deployment serves the currency (its chain and token are configured) and the
 * project takes it (shared/domain/go-live.ts currencyEnabled).
 */
export const presentWalletCurrency = (ctx: PresentContext, c: CryptoCurrency, enable: boolean) => ({
  ...currencyFacts(ctx, c, false),
  code: c.code,
  short_code: c.ticker,
  obj_network: networkObject(ctx, c),
  enable,
});

/** `/v2/invoice/static/create`'s answer (reference §1.8); `enable` from the deployment's chains and the project. */
export const presentStaticWallet = (ctx: PresentContext, wallet: StaticWallet, served: { chains: readonly ChainDeployment[]; project: Project }) => {
  const currency = findCrypto(wallet.code);
  if (!currency) throw new Error(`invariant: static wallet ${wallet.id} has unknown currency ${wallet.code}`);
  return { currency: presentWalletCurrency(ctx, currency, currencyEnabled(served.chains, served.project, wallet.code)), address: wallet.address, uuid: wallet.id };
};

const presentProject = (project: Project, invoice: Invoice) => ({
  id: project.number,
  name: project.settings.name,
  fail: returnUrl(project.settings.failUrl, invoice),
  success: returnUrl(project.settings.successUrl, invoice),
  logo: null,
});

/** The invoice's own amounts in one place, so create, info and list agree. */
function amounts(invoice: Invoice) {
  const priceUsd = priceUsdOf(invoice);
  const s = invoice.selection;
  const c = s ? findCrypto(s.code) : undefined;
  const inCrypto = (units: bigint) => (s && c ? crypto(units, c) : 0);
  const inUsd = (units: bigint) => (s && c ? usd(unitsToUsd(units, s.usdPerUnit, c)) : 0);
  return { priceUsd, s, c, inCrypto, inUsd };
}

export function presentCreatedInvoice(ctx: PresentContext, invoice: Invoice, project: Project) {
  const { priceUsd, s, c, inCrypto, inUsd } = amounts(invoice);
  const shown = c ?? findCrypto(invoice.availableCurrencies[0] ?? '');
  const link = `${ctx.publicBaseUrl}${payPath(invoice)}`;
  return {
    uuid: invoiceUuid(invoice.id),
    created: formatCryptoCloudTime(invoice.createdAt),
    address: s?.address ?? '',
    expiry_date: formatCryptoCloudTime(invoice.expiresAt),
    // Native: until when the crypto amount holds; a volatile coin paid later is valued at the market rate.
    locked_until: s ? formatCryptoCloudTime(s.lockedUntil) : null,
    side_commission: invoice.sideCommission,
    side_commission_cc: invoice.sideCommissionCc,
    // What the payer must send (client-side fees included): H2H integrations show this field.
    // Before a crypto is chosen CryptoCloud carries the USD value here.
    amount: s ? inCrypto(s.amountToPay) : usd(priceUsd),
    amount_usd: usd(priceUsd),
    amount_in_fiat: float(formatDecimal(fromUnits(invoice.price.minor, FIAT_MINOR_UNITS[invoice.price.currency]))),
    fee: s ? inCrypto(s.transferFee) : 0,
    fee_usd: s ? inUsd(s.transferFee) : 0,
    service_fee: s ? inCrypto(s.serviceFee) : 0,
    service_fee_usd: s ? inUsd(s.serviceFee) : 0,
    type_payments: 'crypto',
    fiat_currency: invoice.price.currency,
    status: invoice.status,
    // The project asks the payer for an e-mail on the payment page (setting `email_required`).
    is_email_required: project.settings.emailRequired,
    link,
    // Native: what the payer pays for (`add_fields.description`); "" when none, as order_id.
    description: invoice.description ?? '',
    invoice_id: null,
    currency: shown ? presentInvoiceCurrency(ctx, shown, project.settings.emailRequired) : null,
    project: presentProject(project, invoice),
    test_mode: invoice.testMode,
  };
}

/** InvoiceFull: everything create has, plus the info/list fields. */
export function presentInvoice(ctx: PresentContext, invoice: Invoice, project: Project) {
  const base = presentCreatedInvoice(ctx, invoice, project);
  const { priceUsd, s, inCrypto, inUsd } = amounts(invoice);
  const toPay = s ? s.amountToPay : 0n;
  const surcharge = toPay > invoice.amountPaid ? toPay - invoice.amountPaid : 0n;
  const progress = WIRE_PROGRESS[invoice.status];
  return {
    ...base,
    date_finished: invoice.finishedAt === null ? null : formatCryptoCloudTime(invoice.finishedAt),
    order_id: invoice.orderId ?? '',
    amount_in_crypto: s ? inCrypto(s.baseAmount) : null,
    amount_to_pay: s ? inCrypto(toPay) : usd(priceUsd),
    amount_to_pay_usd: s ? inUsd(toPay) : usd(priceUsd),
    amount_paid: inCrypto(invoice.amountPaid),
    amount_paid_usd: inUsd(invoice.amountPaid),
    received: inCrypto(invoice.received),
    received_usd: inUsd(invoice.received),
    to_surcharge: s ? inCrypto(surcharge) : usd(priceUsd),
    to_surcharge_usd: s ? inUsd(surcharge) : usd(priceUsd),
    total_rub: invoice.rubPerUsd ? usd(multiply(priceUsd, invoice.rubPerUsd)) : 0,
    invoice_status: progress.invoiceStatus,
    step: progress.step,
    type: 'up',
    user_email: invoice.email ?? '',
    phone: '',
    pay_url: base.link,
    aml_enabled: false,
    aml_side: 'merchant',
    aml_cost: 0,
    aml_cost_usd: 0,
    aml_checks: [],
    currency_list: invoice.availableCurrencies.flatMap((code) => {
      const c = findCrypto(code);
      if (!c) return [];
      const { network, icon_network: _n, id: _i, ...rest } = presentInvoiceCurrency(ctx, c, project.settings.emailRequired);
      return [{ ...rest, network: [network] }];
    }),
    tx_list: invoice.payments.map((p) => presentPayment(ctx, invoice, p)),
    stray_transfers: presentStrays(ctx.strays?.get(invoice.id)),
    // Native, on donations only (so postbacks carry it in invoice_info): the page and the donor's words.
    ...(invoice.donation ? { donation: { slug: invoice.donation.slug, name: invoice.donation.name, message: invoice.donation.message } } : {}),
    // Native, on a static wallet's receipts: which wallet (and customer) the money came through.
    ...(invoice.staticWallet ? { static_wallet: { uuid: invoice.staticWallet.id, identify: invoice.staticWallet.identify } } : {}),
    links: [],
    links_invoice: [],
  };
}

/**
 * What the payer sees after choosing a currency (the select route needs no key): the offer and
 * how far each payment got, never the merchant's view (no e-mail, no tx_list internals).
 */
export function presentPayerInvoice(ctx: PresentContext, invoice: Invoice, project: Project) {
  return {
    ...presentCreatedInvoice(ctx, invoice, project),
    payments: invoice.payments
      .filter((p) => p.state === 'pending' || p.state === 'credited')
      .map((p) => {
        const { tx_hash, amount, status, confirmations, required_confirmations } = presentPayment(ctx, invoice, p);
        return { tx_hash, amount, status, confirmations, required_confirmations };
      }),
  };
}

/**
 * One transfer of `tx_list` (CryptoCloud does not document the element shape). `final` is true
 * once it is credited; `amount` is a float at the edge, `amount_units` the exact base units.
 */
export function presentPayment(ctx: PresentContext, invoice: Invoice, p: Payment) {
  const c = p.code ? findCrypto(p.code) : undefined;
  const head = ctx.heads?.get(p.transfer.chain);
  const confirmations = p.state === 'credited' ? Math.max(p.confirmations, head === undefined ? 0 : depthAt(p.transfer.blockNumber, head)) : p.state === 'pending' && head !== undefined ? depthAt(p.transfer.blockNumber, head) : 0;
  return {
    tx_hash: p.transfer.txHash,
    log_index: p.transfer.logIndex,
    currency: p.code ?? '',
    token_contract: p.transfer.contract ?? '',
    amount: c ? crypto(p.transfer.amount, c) : null,
    amount_units: p.transfer.amount.toString(),
    amount_usd: c && invoice.selection && c.code === invoice.selection.code ? usd(unitsToUsd(p.transfer.amount, invoice.selection.usdPerUnit, c)) : 0,
    from: p.transfer.from,
    to: p.transfer.to,
    block_number: p.transfer.blockNumber,
    block_hash: p.transfer.blockHash,
    created: formatCryptoCloudTime(p.seenAt),
    status: p.state,
    type: p.classification ?? (p.rejection ? 'rejected' : 'payment'),
    reason: p.rejection ?? '',
    confirmations,
    required_confirmations: describeFinality(p.finality),
    final: p.state === 'credited',
    source: p.source,
  };
}

/** Native: transfers to the invoice's addresses that are never credited, summarised (count) and the first ones listed. */
function presentStrays(strays: StraySummary | undefined) {
  return {
    count: strays?.count ?? 0,
    items: (strays?.kept ?? []).map((s) => ({
      tx_hash: s.transfer.txHash,
      log_index: s.transfer.logIndex,
      token_contract: s.transfer.contract ?? '',
      currency: s.code ?? '',
      amount_units: s.transfer.amount.toString(),
      to: s.transfer.to,
      block_number: s.transfer.blockNumber,
      reason: s.reason,
      created: formatCryptoCloudTime(s.seenAt),
    })),
  };
}

export function presentBalance(ctx: PresentContext, rows: WalletBalance[]) {
  return rows.map((row) => ({
    currency: presentWalletCurrency(ctx, row.currency, row.enabled),
    balance_crypto: crypto(row.total, row.currency),
    balance_usd: row.usdPerUnit ? usd(unitsToUsd(row.total, row.usdPerUnit, row.currency)) : usd(ZERO),
    available_balance: crypto(row.available, row.currency),
    available_balance_usd: row.usdPerUnit ? usd(unitsToUsd(row.available, row.usdPerUnit, row.currency)) : usd(ZERO),
  }));
}

export function presentStatistics(stats: Statistics) {
  const keys = ['all', ...INVOICE_STATUSES] as const;
  return {
    count: Object.fromEntries(keys.map((k) => [k, stats.count[k]])),
    amount: Object.fromEntries(keys.map((k) => [k, usd(ratio(stats.amountUsdCents[k], 100n))])),
  };
}
