/**
 * Payment-side actions on an invoice: the payer chooses a currency, the merchant confirms a
 * partial invoice, or attaches a transaction the watcher did not see. None of them writes a
 * payment: attach-tx verifies the transaction on chain and hands it to the crediting consumer,
 * the one writer of payments (DESIGN §2).
 */
import { contractOf, describeFinality, requiredFinality, servedCodes } from '../domain/chains';
import { findCrypto } from '../domain/currencies';
import { type InvoiceId, invoiceUuid } from '../domain/ids';
import { confirmPartialInvoice, type Invoice } from '../domain/invoice/invoice';
import { depthAt } from '../domain/invoice/payments';
import { multiply, parseDecimal } from '../domain/money';
import { fiatRatio, unitsToUsd } from '../domain/pricing';
import type { Project } from '../domain/project';
import { err, ok, type Result } from '../domain/result';
import type { Instant } from '../domain/time';
import { type Observation, observationMessage, type Transfer, transferKey } from '../domain/transfers';
import type { Deps, StraySummary } from '../ports';
import { lockSelection, usdRateFrom } from './create-invoice';
import type { AppError } from './errors';
import { transition } from './invoices';
import { notifyMerchant } from './postbacks';

const SELECT_CONFLICT_RETRIES_MAX = 3;

/**
 * The payer picks a currency (payment page, or `POST /api/invoices/{id}/select`). Choosing the
 * same one again is a no-op while the rate is locked and re-quotes after. Once a transfer has been
 * seen the choice is fixed, because the amount due must not move under a payment.
 */
export async function selectCurrency(deps: Deps, id: InvoiceId, code: string, now: Instant): Promise<Result<Invoice, AppError>> {
  for (let attempt = 0; attempt < SELECT_CONFLICT_RETRIES_MAX; attempt += 1) {
    const invoice = await deps.invoices.get(id);
    if (!invoice) return err({ kind: 'invoice.not_found', invoiceId: invoiceUuid(id) });
    if (invoice.status !== 'created' || now >= invoice.expiresAt) return err({ kind: 'invoice.not_selectable', invoiceId: id, status: invoice.status, expired: now >= invoice.expiresAt });
    const currency = findCrypto(code);
    if (!currency) return err({ kind: 'invoice.currency_unknown', code });
    const served = new Set(servedCodes(deps.chains));
    const offered = invoice.availableCurrencies.filter((c) => served.has(c));
    if (!offered.includes(currency.code)) return err({ kind: 'invoice.currency_not_enabled', code: currency.code, enabled: offered });
    const current = invoice.selection;
    if (current?.code === currency.code && current.lockedUntil > now) return ok(invoice);
    if (current && invoice.payments.length > 0) return err({ kind: 'invoice.payment_started', invoiceId: id, code: current.code });

    // Stablecoins are priced at par: no feed is asked.
    const decisions = currency.stablecoin ? new Map() : await deps.rates.usdRates([currency.priceSymbol]);
    const rate = usdRateFrom(decisions, currency.priceSymbol);
    if (!rate.ok) return rate;
    const fee = parseDecimal(invoice.serviceFeePercent);
    const fees = { sideCommission: invoice.sideCommission, sideCommissionCc: invoice.sideCommissionCc, serviceFeePercent: fee.ok ? fee.value : { units: 0n, scale: 0 } };
    // An address on the same chain is kept: it is already this invoice's, and watched.
    const keep = current && findCrypto(current.code)?.chain === currency.chain;
    const slot = keep ? { address: current.address, index: current.derivationIndex } : await deps.addresses.allocate(currency.chain);
    const priceUsd = multiply(fiatRatio(invoice.price.minor, invoice.price.currency), invoice.usdPerFiat);
    const selection = lockSelection(deps, { priceUsd, usdPerUnit: rate.value, currency, fees, slot, expiresAt: invoice.expiresAt, now });
    const next: Invoice = { ...invoice, selection, version: invoice.version + 1 };
    const saved = keep ? await deps.invoices.save(next, invoice.version) : await deps.invoices.saveWithAddress(next, invoice.version, { chain: currency.chain, address: slot.address }, deps.clock.now());
    if (saved) {
      deps.log.info('invoice.currency_selected', { invoiceId: invoiceUuid(id), currency: currency.code, address: slot.address, amountToPay: selection.amountToPay.toString() });
      return ok(next);
    }
  }
  throw new Error(`invoice ${invoiceUuid(id)} kept changing while a currency was selected`);
}

/** The transfers kept apart for review, for the invoices flagged with any (one query each, only for those). */
export async function strayReviewsFor(deps: Deps, invoices: readonly Invoice[]): Promise<Map<InvoiceId, StraySummary>> {
  const out = new Map<InvoiceId, StraySummary>();
  for (const invoice of invoices) if (invoice.facts.underReview) out.set(invoice.id, await deps.payments.strays(invoice.id));
  return out;
}

/** The merchant accepts what a partial invoice received (`POST /api/invoices/{id}/confirm`). */
export const confirmInvoice = (deps: Deps, project: Project, id: InvoiceId, now: Instant) =>
  transition(deps, project, id, (invoice) => confirmPartialInvoice(invoice, now), (decided, before) => notifyMerchant(deps, before, decided.invoice));

export type AttachedTransfer = { key: string; amount: bigint; blockNumber: number; confirmations: number; requiredConfirmations: number | 'safe' | 'finalized' };

/**
 * A transaction the merchant says paid this invoice: fetched from the invoice's chain, checked
 * against its deposit address, token and success, then handed to crediting as an observation. It
 * is credited once it is deep enough, exactly like a watched one, and only once.
 */
export async function attachTransaction(deps: Deps, project: Project, id: InvoiceId, txHash: string): Promise<Result<{ invoice: Invoice; transfers: AttachedTransfer[] }, AppError>> {
  const invoice = await deps.invoices.get(id);
  if (!invoice || invoice.shopId !== project.shopId) return err({ kind: 'invoice.not_found', invoiceId: invoiceUuid(id) });
  const s = invoice.selection;
  if (!s) return err({ kind: 'invoice.no_currency_selected', invoiceId: id });
  const currency = findCrypto(s.code);
  const deployment = deps.chains.find((d) => d.chain === currency?.chain);
  if (!currency || !deployment) return err({ kind: 'chain.not_served', code: s.code });
  const reader = deps.readChain(deployment.chain);
  const tx = await reader.transaction(txHash);
  if (!tx) return err({ kind: 'tx.not_found', txHash, chain: deployment.name, chainId: deployment.evmChainId });
  if (!tx.succeeded) return err({ kind: 'tx.failed', txHash });

  const address = s.address.toLowerCase();
  const expected = contractOf(deployment, s.code)?.toLowerCase() ?? null;
  const toAddress = tx.tokenTransfers.filter((t) => t.to === address);
  const nativeToAddress = tx.to === address && tx.value > 0n;
  const base = { chain: deployment.chain, txHash: tx.txHash, blockNumber: tx.blockNumber, blockHash: tx.blockHash, blockTime: tx.blockTime };
  let transfers: Transfer[];
  if (expected === null) {
    if (!nativeToAddress) {
      return toAddress.length > 0
        ? err({ kind: 'tx.wrong_token', txHash, expected: s.code, got: toAddress[0].contract })
        : err({ kind: 'tx.wrong_address', txHash, address: s.address });
    }
    transfers = [{ ...base, logIndex: null, contract: null, from: tx.from, to: address, amount: tx.value }];
  } else {
    const matching = toAddress.filter((t) => t.contract === expected);
    if (matching.length === 0) {
      if (toAddress.length > 0) return err({ kind: 'tx.wrong_token', txHash, expected: s.code, got: toAddress[0].contract });
      return nativeToAddress ? err({ kind: 'tx.wrong_token', txHash, expected: s.code, got: 'native coin' }) : err({ kind: 'tx.wrong_address', txHash, address: s.address });
    }
    transfers = matching.map((t) => ({ ...base, logIndex: t.logIndex, contract: t.contract, from: t.from, to: t.to, amount: t.amount }));
  }

  const observations: Observation[] = transfers.map((transfer) => ({ kind: 'transfer.seen', transfer, source: 'attach_tx' }));
  await deps.queue.sendMany('observations', observations.map(observationMessage));
  const head = await reader.head();
  deps.log.info('invoice.tx_attached', { invoiceId: invoiceUuid(id), txHash: tx.txHash, transfers: transfers.length });
  return ok({
    invoice,
    transfers: transfers.map((t) => ({
      key: transferKey(t),
      amount: t.amount,
      blockNumber: t.blockNumber,
      confirmations: depthAt(t.blockNumber, head.number),
      requiredConfirmations: describeFinality(requiredFinality(deployment.confirmations, unitsToUsd(t.amount, s.usdPerUnit, currency))),
    })),
  });
}
