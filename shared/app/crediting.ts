/**
 * The crediting consumer: the only writer of payments, invoice statuses and credit entries
 * (DESIGN §2). A message is a hint, the chain is the truth (DESIGN §10): whatever a message says,
 * crediting asks the chain about that one transfer (its receipt and the head) and moves the
 * payment to match, through the pure `reconcileTransfer`, with the watcher's checkpoint as the
 * second witness (see `reconcile`). So the order and the number of deliveries do not matter, and
 * a message nobody should have sent credits nothing.
 */
import { sameAddress, sameContract, sweepEstimateOf } from '../domain/chain-families';
import { type ChainDeployment, currencyByContract, stricterRule } from '../domain/chains';
import { findCrypto } from '../domain/currencies';
import { type InvoiceId, invoiceUuid } from '../domain/ids';
import type { Invoice } from '../domain/invoice/invoice';
import {
  type ChainHeights,
  type ChainTruth,
  finalityFor,
  isDeepEnough,
  needsMarketRate,
  offerFor,
  type PaymentOutcome,
  placeOf,
  type Rejection,
  reconcileTransfer,
  toleranceUnits,
  type WatcherView,
  watcherDropped,
  watcherVouches,
} from '../domain/invoice/payments';
import { compareRatio, type Ratio, ratio } from '../domain/money';
import { fiatRatio, priceUsdOf, unitsToUsd } from '../domain/pricing';
import { type AddressOwner, DUST_DECISION_KEPT_MS, isDustReceipt, receiptFees, receiptInvoice } from '../domain/static-wallet';
import { type Observation, observationMessage, parseTransferKey, type Transfer, type TxFacts, transferKey, transfersOf } from '../domain/transfers';
import type { Deps } from '../ports';
import { chainHeights } from './chain-heights';
import { usdRateFrom } from './create-invoice';
import { quoteNetworkFee } from './network-fees';
import { notifyMerchant } from './postbacks';
import { RetryLater } from './work-queues';

const VERSION_CONFLICT_RETRIES_MAX = 8;
/**
 * A receipt first seen while no rate is known waits 1, 2, 4 … 60 minutes between tries: with the
 * queue's 10 receives, about 5 hours of price feed outage before the message reaches the DLQ.
 */
const RATE_RETRY_FIRST_SECONDS = 60;
const RATE_RETRY_MAX_SECONDS = 3600;

/** CloudWatch EMF metric for a reversal that took more than the available balance (alarmed). */
export const LEDGER_DEBT_METRIC = { namespace: 'Tollgate', name: 'LedgerDebtRecorded' } as const;

/**
 * Re-reads the invoice and re-decides until the conditional write lands. The postbacks the
 * write adds are queued before it, stamped with the version it writes: a crash in between
 * leaves a job the sender waits for briefly and then drops, never a payment nobody was told
 * about (shared/app/postbacks.ts).
 */
async function applyToInvoice(deps: Deps, invoiceId: InvoiceId, decide: (invoice: Invoice) => PaymentOutcome | null, what: string): Promise<PaymentOutcome | null> {
  for (let attempt = 0; attempt < VERSION_CONFLICT_RETRIES_MAX; attempt += 1) {
    const invoice = await deps.invoices.get(invoiceId);
    if (!invoice) throw new Error(`invariant: ${what} points at missing invoice ${invoiceUuid(invoiceId)}`);
    const outcome = decide(invoice);
    if (!outcome) return null;
    await notifyMerchant(deps, invoice, outcome.invoice);
    const now = deps.clock.now();
    const applied = await deps.payments.apply({ invoice: outcome.invoice, expectedVersion: invoice.version, payment: outcome.payment, entry: outcome.entry, now });
    if (applied.applied) {
      if (applied.shortfall > 0n) logDebt(deps, outcome, applied.shortfall);
      if (applied.repaid > 0n) deps.log.warn('ledger.debt_repaid', { ...paymentFields(outcome), repaid: applied.repaid.toString() });
      return outcome;
    }
    deps.log.debug('crediting.version_conflict', { invoiceId: invoiceUuid(invoiceId), attempt });
  }
  throw new Error(`invoice ${invoiceUuid(invoiceId)} kept changing while applying ${what}`);
}

function logDebt(deps: Deps, outcome: PaymentOutcome, shortfall: bigint) {
  deps.log.error('ledger.debt_recorded', {
    ...paymentFields(outcome),
    shortfall: shortfall.toString(),
    note: 'a reversal took more than the available balance; later credits repay it first',
    _aws: { Timestamp: deps.clock.now(), CloudWatchMetrics: [{ Namespace: LEDGER_DEBT_METRIC.namespace, Dimensions: [[]], Metrics: [{ Name: LEDGER_DEBT_METRIC.name, Unit: 'Count' }] }] },
    [LEDGER_DEBT_METRIC.name]: 1,
  });
}

const paymentFields = (o: PaymentOutcome) => ({
  invoiceId: invoiceUuid(o.invoice.id),
  shopId: o.invoice.shopId,
  transfer: o.payment.key,
  code: o.payment.code,
  amount: o.payment.transfer.amount.toString(),
  state: o.payment.state,
  status: o.invoice.status,
});

export async function handleObservation(deps: Deps, observation: Observation): Promise<void> {
  switch (observation.kind) {
    case 'transfer.seen':
      return reconcile(deps, observation.transfer.chain, transferKey(observation.transfer), { expected: observation.transfer, source: observation.source });
    case 'transfer.confirmed':
      return reconcile(deps, observation.chain, observation.key, { atBlock: observation.blockNumber });
    case 'transfer.recheck':
      return reconcile(deps, observation.chain, observation.key, {});
    case 'blocks.orphaned':
      return recheckBlocks(deps, observation.chain, observation.blocks);
  }
}

/** Transfers of an orphaned range handled in the message itself; more are fanned out, one message each, so one message stays within its time. */
export const ORPHANED_INLINE_MAX = 10;

/**
 * Every recorded transfer at these heights is asked about again, whatever block hash it was
 * recorded with: crediting may have followed a transaction into a block the watcher reports by
 * another hash. Reconciling is idempotent, so asking too often costs only reads.
 */
async function recheckBlocks(deps: Deps, chain: Transfer['chain'], blocks: { number: number }[]) {
  const numbers = blocks.map((b) => b.number);
  const records = await deps.payments.transfersInBlocks(chain, Math.min(...numbers), Math.max(...numbers));
  const keys = [...new Set(records.filter((r) => numbers.includes(r.blockNumber)).map((r) => r.key))];
  if (keys.length <= ORPHANED_INLINE_MAX) {
    for (const key of keys) await reconcile(deps, chain, key, {});
    return;
  }
  await deps.queue.sendMany('observations', keys.map((key) => observationMessage({ kind: 'transfer.recheck', chain, key })));
  deps.log.info('crediting.recheck_fanned_out', { chain, transfers: keys.length, from: Math.min(...numbers), to: Math.max(...numbers) });
}

type Hint = { expected?: Transfer; atBlock?: number; source?: 'watcher' | 'attach_tx' };

/** The transfer `key` names, as the transaction's receipt shows it now; null when it does not hold it (or moves nothing). */
const transferIn = (facts: TxFacts, chain: Transfer['chain'], logIndex: number | null): Transfer | null =>
  transfersOf(facts, chain).find((t) => t.logIndex === logIndex && t.amount > 0n) ?? null;

/** The same movement of value: what a key's log must still be for the key to mean the payment recorded under it. */
const sameMovement = (a: Transfer, b: Pick<Transfer, 'contract' | 'to' | 'amount'>) =>
  sameContract(a.chain, a.contract, b.contract) && sameAddress(a.chain, a.to, b.to) && a.amount === b.amount;

/**
 * Asks the chain about one transfer and moves its payment to match. The watcher's checkpoint is
 * the second witness: a payment is credited only in a block the watcher vouches for, and withdrawn
 * or reversed only once the watcher dropped its block. Either way the watcher is then bound to
 * report what happens to that block next, so no later change of the chain (a flip-back, a ghost
 * block the watcher never saw) can leave a payment stuck in a state the chain no longer supports.
 * When the two witnesses disagree, the message is retried; the watcher catches up within a pass.
 */
async function reconcile(deps: Deps, chain: Transfer['chain'], key: string, hint: Hint): Promise<void> {
  const deployment = deps.chains.find((d) => d.chain === chain);
  if (!deployment) return deps.log.error('crediting.chain_not_served', { chain, transfer: key });
  const { chain: keyChain, txHash, logIndex } = parseTransferKey(key);
  // A key names its own chain; asking another chain about it would find nothing and withdraw a real payment.
  if (keyChain !== chain) return deps.log.error('crediting.key_of_another_chain', { chain, transfer: key });
  const record = await deps.payments.transfer(key);
  // What this key stands for: the payment already recorded for it (verified on chain when it was
  // recorded), else the message's claim. A message can never redefine a recorded payment.
  const owner = record ? await deps.invoices.get(record.invoiceId) : null;
  const stored = owner?.payments.find((p) => p.key === key)?.transfer;
  const expected = stored ?? hint.expected;

  const reader = deps.readChain(chain);
  // Heights first, then the receipt: depth is then never overstated if the chain moves in between.
  const [heights, view] = await Promise.all([chainHeights(reader, deployment), deps.checkpoints.get(chain)]);
  const hintedBlock = hint.atBlock ?? expected?.blockNumber;
  if (hintedBlock !== undefined && heights.head < hintedBlock) throw new Error(`${chain}: the RPC node is at block ${heights.head}, behind block ${hintedBlock} of ${key}; retrying`);
  const facts = await reader.transaction(txHash);
  const found = facts ? transferIn(facts, chain, logIndex) : null;
  const onChain = found && (!expected || sameMovement(found, expected)) ? found : null;

  if (onChain) {
    if (record?.state === 'credited' && record.blockHash !== onChain.blockHash && !watcherVouches(view, { number: onChain.blockNumber, hash: onChain.blockHash })) {
      throw new Error(`${chain}: credited ${key} moved to block ${onChain.blockNumber}, which the watcher has not scanned yet; retrying`);
    }
    return reconcileIncluded(deps, deployment, key, onChain, { heights, view, owner: stored ? owner : null, source: hint.source ?? 'watcher' });
  }
  if (!record) return deps.log.info('crediting.not_on_chain', { chain, transfer: key, note: 'the chain does not hold this transfer; nothing was recorded for it' });
  if (record.state === 'orphaned' || record.state === 'reversed') return;
  // Absent from the canonical chain: sure only when the node is past the block and holds another one there.
  if (!facts) {
    if (heights.head < record.blockNumber) throw new Error(`${chain}: the RPC node is behind block ${record.blockNumber} of ${key}; retrying`);
    if ((await reader.blockHash(record.blockNumber)) === record.blockHash) throw new Error(`${chain}: block ${record.blockNumber} is canonical but the node has no receipt for ${txHash}; retrying`);
  }
  if (!watcherDropped(view, { number: record.blockNumber, hash: record.blockHash })) {
    throw new Error(`${chain}: ${key} is gone from block ${record.blockNumber}, which the watcher still holds as canonical; retrying until it reports the reorg`);
  }
  const outcome = await applyToInvoice(deps, record.invoiceId, (invoice) => reconcileTransfer(invoice, absentInput(deps, key)), `withdrawal of ${key}`);
  if (!outcome) return;
  if (outcome.entry) deps.log.error('payment.reversed', { ...paymentFields(outcome), block: record.blockNumber, note: 'a reorg deeper than the confirmation depth removed a credited transfer' });
  else deps.log.warn('payment.withdrawn', { ...paymentFields(outcome), block: record.blockNumber });
}

const absentInput = (deps: Deps, key: string) => ({
  key,
  truth: { kind: 'absent' } as ChainTruth,
  code: null,
  finality: { blocks: 1 },
  source: 'watcher' as const,
  toleranceUnits: 0n,
  marketUsdPerUnit: null,
  mayCredit: false,
  now: deps.clock.now(),
});

async function recordStray(deps: Deps, t: Transfer, owner: AddressOwner, code: string | null, reason: Rejection) {
  const stored = await deps.payments.recordStray({ owner, transfer: t, reason, code, seenAt: deps.clock.now() });
  const ownerField = owner.kind === 'invoice' ? { invoiceId: invoiceUuid(owner.invoiceId) } : { staticWallet: owner.walletId };
  deps.log.warn('payment.rejected', { ...ownerField, transfer: transferKey(t), reason, contract: t.contract, amount: t.amount.toString(), stored });
  if (stored === 'recorded' && owner.kind === 'invoice') await markUnderReview(deps, owner.invoiceId);
}

/**
 * The invoice a new transfer pays: the address's invoice, or, at a static wallet's address, the
 * transfer's own receipt invoice, made the first time the transfer is seen (every later delivery
 * finds it by the transfer's key). Null when the transfer is kept apart instead: another token,
 * or too small to be worth its sweep.
 */
async function invoiceFor(deps: Deps, deployment: ChainDeployment, key: string, t: Transfer): Promise<InvoiceId | null> {
  const owner = await deps.payments.addressOwner(t.chain, t.to);
  if (!owner) {
    deps.log.warn('crediting.unclaimed_address', { chain: t.chain, to: t.to, txHash: t.txHash });
    return null;
  }
  if (owner.kind === 'invoice') return owner.invoiceId;
  // A transfer already decided (its receipt, or dust) is never decided again, whatever moved since.
  const known = await deps.staticWallets.transferFate(owner.walletId, key);
  if (known) return known.kind === 'receipt' ? known.invoiceId : null;
  const wallet = await deps.staticWallets.get(owner.walletId);
  if (!wallet) throw new Error(`invariant: address ${t.to} points at missing static wallet ${owner.walletId}`);
  const served = deployment.currencies.find((c) => sameContract(t.chain, c.contract, t.contract));
  if (served?.currency.code !== wallet.code) {
    await recordStray(deps, t, owner, served?.currency.code ?? null, served ? 'other_currency' : 'unrecognized_token');
    return null;
  }
  const project = await deps.projects.get(wallet.shopId);
  if (!project) throw new Error(`invariant: static wallet ${wallet.id} belongs to missing project ${wallet.shopId}`);
  // Valued when first seen, like a quote; a stablecoin at par, as a quote is (selectCurrency), so
  // the common receipt never waits on (or fails with) the rate feed.
  const usdPerUnit = served.currency.stablecoin ? ratio(1n, 1n) : await marketRate(deps, served.currency.priceSymbol);
  // Nothing is recorded yet, so the watcher will not report it again: the message must wait out the outage.
  if (!usdPerUnit) throw new RetryLater(`${t.chain}: no USD rate for ${served.currency.priceSymbol} to value the receipt of ${key}`, RATE_RETRY_FIRST_SECONDS, RATE_RETRY_MAX_SECONDS);
  const currency = { ...served.currency, transferFeeUsd: served.transferFeeUsd };
  const fees = project.settings;
  // The same network fee decides dust and is withheld (or counted client-side) on the receipt.
  const transferFee = (await quoteNetworkFee(deps, currency, usdPerUnit, deps.clock.now())).units;
  if (isDustReceipt(t.amount, receiptFees({ transfer: t, currency, usdPerUnit, fees, transferFee }).transferFee)) {
    const fate = await deps.staticWallets.markDust(wallet.id, key, deps.clock.now() + DUST_DECISION_KEPT_MS);
    if (fate.kind === 'receipt') return fate.invoiceId;
    await recordStray(deps, t, owner, wallet.code, 'dust');
    return null;
  }
  for (let attempt = 0; attempt < VERSION_CONFLICT_RETRIES_MAX; attempt += 1) {
    const receipt = receiptInvoice({
      id: deps.ids.invoiceId(),
      wallet,
      transfer: t,
      currency,
      usdPerUnit,
      fees,
      testMode: project.settings.testMode,
      locale: project.settings.locale,
      sweepEstimate: sweepEstimateOf(currency),
      transferFee,
      now: deps.clock.now(),
    });
    const created = await deps.staticWallets.createReceipt(receipt, key);
    if (created.kind === 'exists') return created.invoiceId;
    if (created.kind === 'dust') return null;
    if (created.kind === 'created') {
      deps.log.info('static_wallet.receipt', { staticWallet: wallet.id, shopId: wallet.shopId, invoiceId: invoiceUuid(receipt.id), transfer: key, amount: t.amount.toString(), blocked: wallet.blocked });
      return receipt.id;
    }
  }
  throw new Error(`could not allocate a free invoice id for the receipt of ${key}`);
}

/** Flags the invoice once; later strays leave the invoice item alone, so spam never contends with payments. */
async function markUnderReview(deps: Deps, invoiceId: InvoiceId) {
  for (let attempt = 0; attempt < VERSION_CONFLICT_RETRIES_MAX; attempt += 1) {
    const invoice = await deps.invoices.get(invoiceId);
    if (!invoice || invoice.facts.underReview) return;
    if (await deps.invoices.save({ ...invoice, facts: { ...invoice.facts, underReview: true }, version: invoice.version + 1 }, invoice.version)) return;
  }
  throw new Error(`invoice ${invoiceUuid(invoiceId)} kept changing while it was flagged for review`);
}

/** How a transfer on the chain is handled: the chain's heights, the watcher's view, and the invoice already holding its payment, if one does. */
type Included = { heights: ChainHeights; view: WatcherView; owner: Invoice | null; source: 'watcher' | 'attach_tx' };

async function reconcileIncluded(deps: Deps, deployment: ChainDeployment, key: string, t: Transfer, { heights, view, owner, source }: Included) {
  // A recorded payment's invoice is already read; a new transfer's is found by its address.
  const invoiceId = owner?.id ?? (await invoiceFor(deps, deployment, key, t));
  if (!invoiceId) return;
  const currency = currencyByContract(deployment, t.contract);
  const code = currency?.code ?? null;
  const first = owner ?? (await deps.invoices.get(invoiceId));
  if (!first) throw new Error(`invariant: address ${t.to} points at missing invoice ${invoiceUuid(invoiceId)}`);
  const place = placeOf(first, t, code);
  if (place !== 'invoice') return recordStray(deps, t, { kind: 'invoice', invoiceId }, code, place);

  const project = await deps.projects.get(first.shopId);
  const offer = offerFor(first, code, t);
  // The depth tier is priced at the offer's quote: the market is asked only when a credit needs it.
  const paymentUsd = currency && offer ? unitsToUsd(t.amount, offer.usdPerUnit, currency) : priceUsdOf(first);
  const finality = await depthRule(deps, deployment, first, key, paymentUsd);
  const vouched = watcherVouches(view, { number: t.blockNumber, hash: t.blockHash });
  const creditDue = vouched && isDeepEnough(finality, t.blockNumber, heights);
  // A receipt's blocked flag is the wallet's when the money is credited, not only when it was first seen.
  const walletBlocked = creditDue && first.staticWallet ? (await deps.staticWallets.get(first.staticWallet.id))?.blocked === true : false;
  const market = creditDue && currency && needsMarketRate(first, { code, transfer: t }, currency.stablecoin) ? await marketRate(deps, currency.priceSymbol) : undefined;
  // No rate now: it is recorded and stays pending; the watcher re-reports it each pass until a rate comes.
  const mayCredit = vouched && market !== null;
  const outcome = await applyToInvoice(
    deps,
    invoiceId,
    (invoice) => {
      const decimals = findCrypto(invoice.selection?.code ?? '')?.decimals ?? 0;
      const tolerance = project ? toleranceUnits(project.settings.partialTolerance, invoice, decimals) : 0n;
      const outcome = reconcileTransfer(invoice, { key, truth: { kind: 'included', transfer: t, heights }, code, finality, source, toleranceUnits: tolerance, marketUsdPerUnit: market ?? null, mayCredit, now: deps.clock.now() });
      return walletBlocked && outcome?.entry && outcome.payment.state === 'credited' ? { ...outcome, invoice: { ...outcome.invoice, facts: { ...outcome.invoice.facts, walletBlocked: true } } } : outcome;
    },
    `transfer ${key}`,
  );
  if (!outcome) return deps.log.debug('crediting.unchanged', { invoiceId: invoiceUuid(invoiceId), transfer: key });
  const p = outcome.payment;
  if (p.state === 'credited' && outcome.entry) {
    deps.log.info('payment.credited', { ...paymentFields(outcome), events: outcome.events.map((e) => e.kind), classification: p.classification, net: p.net.toString(), fee: p.fee.toString(), confirmations: p.confirmations, valuedAtMarket: p.valuedUsdPerUnit !== null });
  } else {
    deps.log.info('payment.seen', { ...paymentFields(outcome), block: t.blockNumber, finality: p.finality });
  }
}

/**
 * The depth a payment waits for: by its worth, and for a static wallet's receipt by what its
 * customer sent this hour and the last as well (the worth is read again at every delivery, so a
 * split deposit's later parts raise the rule of the earlier ones still pending). A rule once set
 * never falls.
 */
async function depthRule(deps: Deps, deployment: ChainDeployment, invoice: Invoice, key: string, paymentUsd: Ratio) {
  const receipt = invoice.staticWallet;
  const customerUsd = receipt ? fiatRatio(await deps.staticWallets.customerWorthCents(invoice.shopId, receipt.identify, deps.clock.now()), 'USD') : null;
  const computed = finalityFor(deployment.confirmations, invoice, customerUsd && compareRatio(customerUsd, paymentUsd) > 0 ? customerUsd : paymentUsd);
  const stored = invoice.payments.find((p) => p.key === key)?.finality;
  return stored ? stricterRule(deployment.confirmations, stored, computed) : computed;
}

/** The market's USD rate for a payment made after its quote expired; null when no source has one now. */
async function marketRate(deps: Deps, symbol: string): Promise<Ratio | null> {
  const rate = usdRateFrom(await deps.rates.usdRates([symbol]), symbol);
  if (rate.ok) return rate.value;
  deps.log.warn('crediting.no_market_rate', { symbol, reason: rate.error.kind, note: 'a payment made after its rate lock waits, pending, until the market rate is known' });
  return null;
}
