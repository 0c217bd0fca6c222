/**
 * Payment-side actions on an invoice: the payer chooses a currency, the merchant confirms a
 * partial invoice, or attaches a transaction the watcher did not see. None of them writes a
 * payment: attach-tx verifies the transaction on chain and hands it to the crediting consumer,
 * the one writer of payments (DESIGN §2).
 */
import { contractOf, describeFinality, servedCodes } from '../domain/chains';
import { addressKey, normalizeTxHash, sameContract } from '../domain/chain-families';
import { type FinalityTag, findCrypto } from '../domain/currencies';
import { type InvoiceId, invoiceUuid } from '../domain/ids';
import { confirmPartialInvoice, type Invoice, SELECTIONS_PER_INVOICE_MAX, type Selection } from '../domain/invoice/invoice';
import { depthAt, finalityFor, LATE_PAYMENT_WATCH_MS, offersOf } from '../domain/invoice/payments';
import { parseDecimal } from '../domain/money';
import { priceUsdOf, unitsToUsd } from '../domain/pricing';
import type { Project } from '../domain/project';
import { err, ok, type Result } from '../domain/result';
import type { Instant } from '../domain/time';
import { type Observation, observationMessage, type Transfer, transferKey, transfersOf } from '../domain/transfers';
import type { Deps, StraySummary, TxFacts } from '../ports';
import { depositKeyProblem, lockSelection, usdRateFrom } from './create-invoice';
import { quoteNetworkFee } from './network-fees';
import type { AppError } from './errors';
import { transition } from './invoices';
import { notifyMerchant } from './postbacks';

const SELECT_CONFLICT_RETRIES_MAX = 3;

/**
 * The payer picks a currency (payment page, or `POST /api/invoices/{id}/select`). Choosing the
 * same one again is a no-op while the rate is locked and re-quotes after. Once a transfer has been
 * seen the choice is fixed, because the amount due must not move under a payment. An offer once
 * shown stands (DESIGN §10): a switch or a re-quote keeps it in `previousOffers`, its address stays
 * watched, and a payment to it is credited at its quote; so the number of quotes is bounded.
 */
/**
 * The payer's e-mail (`email`, optional) is stored on an invoice that has none; a project with
 * `emailRequired` refuses the choice until the invoice has one.
 */
export async function selectCurrency(deps: Deps, id: InvoiceId, code: string, now: Instant, email: string | null = null): Promise<Result<Invoice, AppError>> {
  for (let attempt = 0; attempt < SELECT_CONFLICT_RETRIES_MAX; attempt += 1) {
    const invoice = await deps.invoices.get(id);
    if (!invoice) return err({ kind: 'invoice.not_found', invoiceId: invoiceUuid(id) });
    if (invoice.staticWallet) return err({ kind: 'invoice.static_receipt', invoiceId: id, walletId: invoice.staticWallet.id });
    if (invoice.status !== 'created' || now >= invoice.expiresAt) return err({ kind: 'invoice.not_selectable', invoiceId: id, status: invoice.status, expired: now >= invoice.expiresAt });
    const currency = findCrypto(code);
    if (!currency) return err({ kind: 'invoice.currency_unknown', code });
    const served = new Set(servedCodes(deps.chains));
    const offered = invoice.availableCurrencies.filter((c) => served.has(c));
    if (!offered.includes(currency.code)) return err({ kind: 'invoice.currency_not_enabled', code: currency.code, enabled: offered });
    const payerEmail = invoice.email ?? email;
    // Asked at the first choice: a re-quote or a switch later (the page does both) is not refused
    // because the shop turned the setting on in between.
    if (payerEmail === null && invoice.selection === null && (await deps.projects.get(invoice.shopId))?.settings.emailRequired) return err({ kind: 'invoice.email_required', invoiceId: id });
    const current = invoice.selection;
    if (current?.code === currency.code && current.lockedUntil > now) {
      if (invoice.email === payerEmail) return ok(invoice);
      const withEmail: Invoice = { ...invoice, email: payerEmail, version: invoice.version + 1 };
      if (await deps.invoices.save(withEmail, invoice.version)) return ok(withEmail);
      continue;
    }
    if (current && invoice.payments.length > 0) return err({ kind: 'invoice.payment_started', invoiceId: id, code: current.code });
    // An address the invoice already has on that chain is kept: it is the invoice's, and watched.
    const sameChain = offersOf(invoice).find((o) => findCrypto(o.code)?.chain === currency.chain);
    if (offersOf(invoice).length >= SELECTIONS_PER_INVOICE_MAX) return err({ kind: 'invoice.too_many_selections', invoiceId: id, max: SELECTIONS_PER_INVOICE_MAX });
    const noKey = sameChain ? null : await depositKeyProblem(deps, currency);
    if (noKey) return err(noKey);

    // Stablecoins are priced at par: no feed is asked.
    const decisions = currency.stablecoin ? new Map() : await deps.rates.usdRates([currency.priceSymbol]);
    const rate = usdRateFrom(decisions, currency.priceSymbol);
    if (!rate.ok) return rate;
    const fee = parseDecimal(invoice.serviceFeePercent);
    const fees = { sideCommission: invoice.sideCommission, sideCommissionCc: invoice.sideCommissionCc, serviceFeePercent: fee.ok ? fee.value : { units: 0n, scale: 0 } };
    const networkFee = await quoteNetworkFee(deps, currency, rate.value, now);
    const slot = sameChain ? { address: sameChain.address, index: sameChain.derivationIndex } : await deps.addresses.allocate(currency.chain);
    const priceUsd = priceUsdOf(invoice);
    const selection = lockSelection(deps, { priceUsd, usdPerUnit: rate.value, currency, fees, transferFee: networkFee.units, slot, expiresAt: invoice.expiresAt, now });
    // Every quote shown stays, re-quotes too: a payment already in flight keeps the quote it was made against.
    const previousOffers = current ? [current, ...invoice.previousOffers] : invoice.previousOffers;
    const next: Invoice = { ...invoice, email: payerEmail, selection, previousOffers, version: invoice.version + 1 };
    // Before the quote is shown (a switch keeps the chain's address): the watcher then reads whole blocks.
    if (currency.contract === null) await deps.nativeWatch.extend(currency.chain, invoice.expiresAt + LATE_PAYMENT_WATCH_MS);
    const saved = sameChain ? await deps.invoices.save(next, invoice.version) : await deps.invoices.saveWithAddress(next, invoice.version, { chain: currency.chain, address: slot.address }, deps.clock.now());
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

export type AttachedTransfer = { key: string; amount: bigint; blockNumber: number; confirmations: number; requiredConfirmations: number | FinalityTag };

/**
 * A transaction the merchant says paid this invoice: fetched from the chains of its offers,
 * checked against their deposit addresses, tokens and success, then handed to crediting as an
 * observation. Crediting verifies it on chain again like any other message, and credits it once
 * it is deep enough, only once. Zero-amount transfers are refused here: they can pay nothing.
 */
export async function attachTransaction(deps: Deps, project: Project, id: InvoiceId, txHash: string): Promise<Result<{ invoice: Invoice; transfers: AttachedTransfer[] }, AppError>> {
  const invoice = await deps.invoices.get(id);
  if (!invoice || invoice.shopId !== project.shopId) return err({ kind: 'invoice.not_found', invoiceId: invoiceUuid(id) });
  const s = invoice.selection;
  if (!s) return err({ kind: 'invoice.no_currency_selected', invoiceId: id });
  const offered = offersOf(invoice).flatMap((offer) => {
    const currency = findCrypto(offer.code);
    const deployment = deps.chains.find((d) => d.chain === currency?.chain);
    return currency && deployment ? [{ offer, currency, deployment }] : [];
  });
  const current = offered.find((o) => o.offer === s);
  if (!current) return err({ kind: 'chain.not_served', code: s.code });
  // The current offer's chain first: that is where the payer was last told to pay.
  const chains = [...new Set([current.deployment, ...offered.map((o) => o.deployment)])];
  for (const deployment of chains) {
    // Each family writes its hashes its own way (EVM 0x-prefixed, Tron bare): asked only in a form it can hold.
    const hash = normalizeTxHash(deployment.chain, txHash);
    if (!hash) continue;
    const reader = deps.readChain(deployment.chain);
    const tx = await reader.transaction(hash);
    if (!tx) continue;
    if (!tx.succeeded) return err({ kind: 'tx.failed', txHash });
    const onChain = offered.filter((o) => o.deployment === deployment);
    const moved = transfersOf(tx, deployment.chain);
    const paying = onChain.flatMap(({ offer, currency }) => {
      const address = addressKey(deployment.chain, offer.address);
      const contract = contractOf(deployment, offer.code) ?? null;
      return moved.filter((t) => addressKey(deployment.chain, t.to) === address && sameContract(deployment.chain, t.contract, contract)).map((transfer) => ({ transfer, offer, currency }));
    });
    const transfers = paying.filter((p) => p.transfer.amount > 0n);
    if (transfers.length === 0) return err(paying.length > 0 ? { kind: 'tx.zero_amount', txHash } : mismatch(tx, txHash, onChain[0].offer, deployment.chain));

    const observations: Observation[] = transfers.map(({ transfer }) => ({ kind: 'transfer.seen', transfer, source: 'attach_tx' }));
    await deps.queue.sendMany('observations', observations.map(observationMessage));
    const head = await reader.head();
    deps.log.info('invoice.tx_attached', { invoiceId: invoiceUuid(id), txHash: tx.txHash, transfers: transfers.length });
    return ok({
      invoice,
      transfers: transfers.map(({ transfer: t, offer, currency }) => ({
        key: transferKey(t),
        amount: t.amount,
        blockNumber: t.blockNumber,
        confirmations: depthAt(t.blockNumber, head.number),
        requiredConfirmations: describeFinality(finalityFor(deployment.confirmations, invoice, unitsToUsd(t.amount, offer.usdPerUnit, currency))),
      })),
    });
  }
  return err({ kind: 'tx.not_found', txHash, chain: current.deployment.name, chainId: current.deployment.evmChainId });
}

/** Why a transaction that pays none of the offers does not: another token, or another address. */
function mismatch(tx: TxFacts, txHash: string, offer: Selection, chain: Transfer['chain']): AppError {
  const address = addressKey(chain, offer.address);
  const tokens = tx.tokenTransfers.filter((t) => addressKey(chain, t.to) === address);
  if (tokens.length > 0) return { kind: 'tx.wrong_token', txHash, expected: offer.code, got: tokens[0].contract };
  if (tx.to !== null && addressKey(chain, tx.to) === address && tx.value > 0n) return { kind: 'tx.wrong_token', txHash, expected: offer.code, got: 'native coin' };
  return { kind: 'tx.wrong_address', txHash, address: offer.address };
}
