/**
 * The payment lifecycle of an invoice: pure functions from (invoice, observation) to the next
 * invoice, the journal entry and the events to tell the merchant. The crediting consumer applies
 * them; nothing here does I/O.
 *
 * Rules (README "Payment lifecycle"):
 * - Messages are hints; the chain is the truth. `reconcileTransfer` takes what the chain says of
 *   one transfer now (included at some depth, or absent) and moves the payment to match, so the
 *   order and number of messages cannot change where a payment ends.
 * - A transfer is first `pending`; it is credited only once its block is deep enough.
 * - On time (its block is not later than the invoice's expiry) and the invoice still waiting:
 *   the sum decides `paid`, `overpaid` or `partial`; a shortfall within the project's tolerance
 *   is `paid`.
 * - Late (block after expiry, or the invoice canceled): credited to the balance, flagged `late`;
 *   the status does not move, because the order may already be released and the locked rate is
 *   gone. The merchant decides.
 * - Duplicate (the invoice already paid or overpaid): credited, flagged `duplicate`.
 * - Every offer shown to the payer stands: a payment of any offered (currency, address) pair is
 *   credited at that offer. Wrong tokens are recorded apart from the invoice (never credited).
 * - A quote expires: a volatile coin paid after its offer's lock is valued at the market rate.
 * - A credited transfer whose block leaves the chain is reversed by a compensating entry; the
 *   invoice keeps its status and is flagged `reversed`. If the chain brings it back (another
 *   block, or the same block after a flip-back), it is credited again: the credits count keeps
 *   every journal entry id new.
 */
import { requiredFinality } from '../chains';
import { sameAddress } from '../chain-families';
import type { Confirmations, FinalityRule, FinalityTag } from '../currencies';
import { accounts, type JournalEntry, journalEntry, reversalOf } from '../ledger';
import { addRatio, compareRatio, divide, pow10, type Ratio, ratio, ratioOf } from '../money';
import type { PartialTolerance } from '../project';
import { err, ok, type Result } from '../result';
import { DAY_MS, type Instant } from '../time';
import { type Transfer, transferKey } from '../transfers';
import { priceUsdOf } from '../pricing';
import type { AddressOwner } from '../static-wallet';
import type { Invoice, InvoiceEvent, Selection } from './invoice';
import { canTransition, type InvoiceStatus } from './status';

export type PaymentState = 'pending' | 'credited' | 'orphaned' | 'reversed' | 'rejected';
export type PaymentClass = 'payment' | 'late' | 'duplicate';
/** Why a transfer is recorded for review and never credited. */
export type Rejection = 'unrecognized_token' | 'other_currency' | 'invoice_full' | 'dust';

export type Payment = {
  key: string;
  transfer: Transfer;
  /** The registry code the contract stands for; null for an unknown contract. */
  code: string | null;
  state: PaymentState;
  finality: FinalityRule;
  source: 'watcher' | 'attach_tx';
  seenAt: Instant;
  creditedAt: Instant | null;
  classification: PaymentClass | null;
  rejection: Rejection | null;
  /** Merchant-side fees withheld from this payment, and what reached the balance. */
  fee: bigint;
  net: bigint;
  /** Depth when it was credited. */
  confirmations: number;
  /** Times credited: a transfer the chain removed and brought back is credited anew, under a new entry id. */
  credits: number;
  /** USD per coin it was valued at when credited after its offer's lock; null: the offer's locked rate. */
  valuedUsdPerUnit: Ratio | null;
};

/** A deposit address is watched this long after its invoice expires, so late funds are found. */
export const LATE_PAYMENT_WATCH_MS = 30 * DAY_MS;

/**
 * Payments of offered currencies are kept on the invoice item; past this many, further transfers
 * are recorded apart for review (like wrong tokens), so the item stays bounded.
 */
export const PAYMENTS_PER_INVOICE_MAX = 100;

/** A transfer kept apart from its invoice for review: a token not served, a coin not offered, or an invoice full. */
export type StrayTransfer = { owner: AddressOwner; transfer: Transfer; reason: Rejection; code: string | null; seenAt: Instant };

/** What the review list of an invoice holds: every stray counted, the first STRAYS_KEPT_MAX kept. */
export type StraySummary = { count: number; kept: StrayTransfer[] };

/** Stray transfers kept per invoice for review; past this only their count grows (spam is cheap to send). */
export const STRAYS_KEPT_MAX = 20;

/** Every offer the payer was shown: the current selection first, then the earlier ones. */
export const offersOf = (invoice: Invoice): Selection[] => (invoice.selection ? [invoice.selection, ...invoice.previousOffers] : invoice.previousOffers);

/** The offer a transfer of `code` to `address` pays, if the payer was ever shown one. */
export function offerFor(invoice: Invoice, code: string | null, t: Pick<Transfer, 'chain' | 'to' | 'blockTime'>): Selection | null {
  if (code === null) return null;
  // Newest first. A re-quote does not replace the quote a payment already in flight was made
  // against: the payment is valued at the newest quote shown before its block.
  const quotes = offersOf(invoice).filter((o) => o.code === code && sameAddress(t.chain, o.address, t.to));
  return quotes.find((o) => o.lockedAt <= t.blockTime) ?? quotes.at(-1) ?? null;
}

/** Payments an invoice keeps whatever their size; past this, transfers under DUST_SHARE_MAX of the amount due go apart. */
export const DUST_FREE_SLOTS = 10;
/** A transfer worth less than 1/100 of its offer is dust once DUST_FREE_SLOTS are taken: it can no longer take a slot from a real payment. */
export const DUST_SHARE_DIVISOR = BigInt(PAYMENTS_PER_INVOICE_MAX);

/** Whether a transfer belongs on the invoice item (an offered pair, and room for it) or apart, for review. */
export function placeOf(invoice: Invoice, t: Pick<Transfer, 'chain' | 'txHash' | 'logIndex' | 'to' | 'blockTime' | 'amount'>, code: string | null): 'invoice' | Rejection {
  if (code === null) return 'unrecognized_token';
  const offer = offerFor(invoice, code, t);
  if (!offer) return 'other_currency';
  if (findPayment(invoice, transferKey(t))) return 'invoice';
  if (invoice.payments.length >= DUST_FREE_SLOTS && t.amount * DUST_SHARE_DIVISOR < offer.amountToPay) return 'dust';
  if (invoice.payments.length >= PAYMENTS_PER_INVOICE_MAX) return 'invoice_full';
  return 'invoice';
}

export type PaymentOutcome = { invoice: Invoice; payment: Payment; events: InvoiceEvent[]; entry: JournalEntry | null };

const findPayment = (invoice: Invoice, key: string) => invoice.payments.find((p) => p.key === key);
const replacePayment = (invoice: Invoice, payment: Payment): Payment[] => invoice.payments.map((p) => (p.key === payment.key ? payment : p));

/**
 * Records that the chain holds a transfer in `input.transfer`'s block. Re-delivery is a no-op
 * (`changed` false). A payment whose transfer the chain removed comes back when the chain
 * includes it again, in any block, the original one included (A -> B -> A). A payment whose
 * transfer moved to another block keeps its state: pending waits for the new block's depth, and
 * a credit stands on the transaction, not on the block.
 */
export function recordTransfer(
  invoice: Invoice,
  input: { transfer: Transfer; code: string | null; finality: FinalityRule; source: Payment['source']; now: Instant },
): { invoice: Invoice; payment: Payment; changed: boolean } {
  const key = transferKey(input.transfer);
  const existing = findPayment(invoice, key);
  if (existing) {
    const gone = existing.state === 'orphaned' || existing.state === 'reversed';
    const moved = existing.transfer.blockHash !== input.transfer.blockHash;
    // A pending payment takes the rule it is given now (crediting never lowers one: stricterRule).
    const ruled = existing.state === 'pending' && JSON.stringify(existing.finality) !== JSON.stringify(input.finality) ? { ...existing, finality: input.finality } : existing;
    if (!gone && !moved) return ruled === existing ? { invoice, payment: existing, changed: false } : { invoice: { ...invoice, payments: replacePayment(invoice, ruled), version: invoice.version + 1 }, payment: ruled, changed: true };
    // A rejected (wrong-token) transfer stays rejected in its new block: it must never credit.
    // Back, it is pending again and takes the rule it is given now, as a pending payment does.
    const next: Payment = gone
      ? // Its classification stays: the transaction is the same payment it was (not a duplicate of itself).
        { ...existing, transfer: input.transfer, finality: input.finality, state: existing.rejection ? 'rejected' : 'pending', creditedAt: null, fee: 0n, net: 0n, confirmations: 0, valuedUsdPerUnit: null }
      : { ...ruled, transfer: input.transfer };
    return { invoice: { ...invoice, payments: replacePayment(invoice, next), version: invoice.version + 1 }, payment: next, changed: true };
  }
  if (invoice.payments.length >= PAYMENTS_PER_INVOICE_MAX) {
    throw new Error(`invariant: invoice ${invoice.id} already holds ${PAYMENTS_PER_INVOICE_MAX} payments; ${key} belongs apart (placeOf)`);
  }
  const rejection: Rejection | null = input.code === null ? 'unrecognized_token' : offerFor(invoice, input.code, input.transfer) ? null : 'other_currency';
  const payment: Payment = {
    key,
    transfer: input.transfer,
    code: input.code,
    state: rejection ? 'rejected' : 'pending',
    finality: input.finality,
    source: input.source,
    seenAt: input.now,
    creditedAt: null,
    classification: null,
    rejection,
    fee: 0n,
    net: 0n,
    confirmations: 0,
    credits: 0,
    valuedUsdPerUnit: null,
  };
  const facts = rejection ? { ...invoice.facts, underReview: true } : invoice.facts;
  return { invoice: { ...invoice, payments: [...invoice.payments, payment], facts, version: invoice.version + 1 }, payment, changed: true };
}

/**
 * Merchant-side fees of one offer, withheld once across the credited payments to it: each offer
 * has its own deposit address, so each needs its own sweep.
 */
function merchantFeesDue(invoice: Invoice, offer: Selection): bigint {
  const total = (invoice.sideCommission === 'merchant' ? offer.transferFee : 0n) + (invoice.sideCommissionCc === 'merchant' ? offer.serviceFee : 0n);
  const withheld = invoice.payments.filter((p) => p.state === 'credited' && p.code === offer.code).reduce((acc, p) => acc + p.fee, 0n);
  return total > withheld ? total - withheld : 0n;
}

/**
 * By block time, not by when the watcher got there: a transfer in a block before the expiry is on
 * time even when the expirer ran first (an invoice canceled by expiry is reopened by it). A
 * merchant's cancel is final, so funds after it are late.
 */
function classify(invoice: Invoice, transfer: Transfer): PaymentClass {
  // Paid, and still paid by what stands: more is a duplicate. A paid invoice whose credit a deep
  // reorg reversed is not paid by anything; the next payment is its payment again.
  if ((invoice.status === 'paid' || invoice.status === 'overpaid') && !(invoice.facts.reversed && compareRatio(paidShare(invoice), ratio(1n, 1n)) < 0)) return 'duplicate';
  if (transfer.blockTime > invoice.expiresAt) return 'late';
  if (invoice.status === 'canceled' && !invoice.facts.expired) return 'late';
  return 'payment';
}

/**
 * The depth a payment to this invoice needs. The large-amount tier follows the invoice's worth
 * (or the payment's, if larger), so splitting a large payment into small ones cannot lower it.
 */
export function finalityFor(confirmations: Confirmations, invoice: Invoice, transferUsd: Ratio): FinalityRule {
  const price = priceUsdOf(invoice);
  return requiredFinality(confirmations, compareRatio(transferUsd, price) > 0 ? transferUsd : price);
}

/** Whether a payment's value must come from the market: a volatile coin whose block is after its offer's lock. */
export function needsMarketRate(invoice: Invoice, payment: { code: string | null; transfer: Pick<Transfer, 'chain' | 'to' | 'blockTime'> }, stablecoin: boolean): boolean {
  const offer = offerFor(invoice, payment.code, payment.transfer);
  return !stablecoin && offer !== null && payment.transfer.blockTime > offer.lockedUntil;
}

/** The share of its offer a credited payment pays, at the rate it was valued at. Exact. */
function shareOfOffer(invoice: Invoice, p: Payment): Ratio {
  const offer = offerFor(invoice, p.code, p.transfer);
  if (!offer || offer.amountToPay === 0n) return ratio(0n, 1n);
  const rate = p.valuedUsdPerUnit ?? offer.usdPerUnit;
  return ratio(p.transfer.amount * rate.num * offer.usdPerUnit.den, rate.den * offer.usdPerUnit.num * offer.amountToPay);
}

/** How much of the invoice its on-time credited payments paid: 1 is exactly paid. */
export function paidShare(invoice: Invoice): Ratio {
  return invoice.payments.filter((p) => p.state === 'credited' && p.classification === 'payment').reduce((acc, p) => addRatio(acc, shareOfOffer(invoice, p)), ratio(0n, 1n));
}

/** The status a waiting invoice reaches with `share` of it paid; the tolerance is in the current offer's units. */
function statusFor(invoice: Invoice, share: Ratio, toleranceUnits: bigint): { status: InvoiceStatus; withinTolerance: boolean } {
  const one = ratio(1n, 1n);
  const vsOne = compareRatio(share, one);
  if (vsOne > 0) return { status: 'overpaid', withinTolerance: false };
  if (vsOne === 0) return { status: 'paid', withinTolerance: false };
  const due = invoice.selection?.amountToPay ?? 0n;
  // shortfall * due <= tolerance, in whole units of the current offer
  const within = due > 0n && (share.den - share.num) * due <= toleranceUnits * share.den;
  return within ? { status: 'paid', withinTolerance: true } : { status: 'partial', withinTolerance: false };
}

export type CreditError = { kind: 'payment.not_pending'; key: string; state: PaymentState | 'unknown' } | { kind: 'payment.block_mismatch'; key: string; expected: string; got: string };

/**
 * Credits a pending payment whose block `blockHash` is deep enough. `marketUsdPerUnit` values a
 * payment made after its offer's lock (needsMarketRate); without it the offer's rate stands.
 */
export function creditPayment(
  invoice: Invoice,
  input: { key: string; blockHash: string; confirmations: number; toleranceUnits: bigint; now: Instant; marketUsdPerUnit?: Ratio | null },
): Result<PaymentOutcome, CreditError> {
  const payment = findPayment(invoice, input.key);
  if (payment?.state !== 'pending') return err({ kind: 'payment.not_pending', key: input.key, state: payment?.state ?? 'unknown' });
  if (payment.transfer.blockHash !== input.blockHash) return err({ kind: 'payment.block_mismatch', key: input.key, expected: payment.transfer.blockHash, got: input.blockHash });
  const amount = payment.transfer.amount;
  // A transaction the chain took away and brought back keeps the class it was first credited with.
  const classification = payment.classification ?? classify(invoice, payment.transfer);
  const offer = offerFor(invoice, payment.code, payment.transfer);
  const feesDue = offer ? merchantFeesDue(invoice, offer) : 0n;
  const fee = amount < feesDue ? amount : feesDue;
  const credited: Payment = {
    ...payment,
    state: 'credited',
    creditedAt: input.now,
    classification,
    fee,
    net: amount - fee,
    confirmations: input.confirmations,
    credits: payment.credits + 1,
    valuedUsdPerUnit: input.marketUsdPerUnit ?? null,
  };
  // amount_paid and received are in the current offer's coin; payments to earlier offers show in tx_list and the ledger.
  const inCurrentCoin = payment.code === invoice.selection?.code;
  const events: InvoiceEvent[] = [];
  let next: Invoice = {
    ...invoice,
    payments: replacePayment(invoice, credited),
    amountPaid: invoice.amountPaid + (inCurrentCoin ? amount : 0n),
    received: invoice.received + (inCurrentCoin ? credited.net : 0n),
    version: invoice.version + 1,
  };

  if (classification === 'payment') {
    const { status, withinTolerance } = statusFor(next, paidShare(next), input.toleranceUnits);
    // An invoice the expirer canceled reopens for a payment whose block was before the expiry.
    const reopening = invoice.status === 'canceled';
    // Paid and overpaid are final: a payment that makes good a reversed credit tops it up.
    const final = invoice.status === 'paid' || invoice.status === 'overpaid';
    if (status !== invoice.status && !final) {
      if (!reopening && !canTransition(invoice.status, status)) throw new Error(`invariant: ${invoice.id} cannot move ${invoice.status} -> ${status}`);
      const finished = status === 'paid' || status === 'overpaid';
      const facts = { ...next.facts, ...(withinTolerance ? { confirmedWithinTolerance: true } : {}), ...(reopening ? { expired: false } : {}) };
      next = { ...next, status, finishedAt: finished ? input.now : reopening ? null : next.finishedAt, facts };
      events.push({ kind: 'invoice.status_changed', invoiceId: invoice.id, at: input.now, status, via: withinTolerance ? 'tolerance' : 'payment', paymentKey: input.key });
    } else {
      events.push({ kind: 'invoice.topped_up', invoiceId: invoice.id, at: input.now, paymentKey: input.key });
    }
  } else {
    next = { ...next, facts: { ...next.facts, [classification]: true } };
    events.push({ kind: classification === 'late' ? 'payment.late' : 'payment.duplicate', invoiceId: invoice.id, at: input.now, paymentKey: input.key });
  }

  const entry = creditEntryOf(invoice, credited);
  return ok({ invoice: next, payment: credited, events, entry });
}

/** The journal entry of a credited payment: written when it is credited, rebuilt for its reversal. */
export function creditEntryOf(invoice: Invoice, payment: Payment): JournalEntry {
  const code = payment.code ?? '';
  return journalEntry({
    id: `credit:${payment.key}:${payment.credits}`,
    shopId: invoice.shopId,
    code,
    at: payment.creditedAt ?? payment.seenAt,
    kind: 'payment.credit',
    ref: payment.key,
    postings: [
      { account: accounts.deposits(payment.transfer.chain, code), amount: payment.transfer.amount },
      { account: accounts.merchant(invoice.shopId, code), amount: -payment.net },
      { account: accounts.fees(invoice.shopId, code), amount: -payment.fee },
    ],
  });
}

/**
 * The payment's block left the canonical chain. Pending: withdrawn. Credited (a reorg deeper
 * than the confirmation depth): reversed with a compensating entry and a `payment.reversed`
 * event. Returns null when there is nothing to do (already withdrawn, or another block).
 */
export function orphanPayment(invoice: Invoice, input: { key: string; blockHash: string; now: Instant }): PaymentOutcome | null {
  const payment = findPayment(invoice, input.key);
  if (!payment || payment.transfer.blockHash !== input.blockHash) return null;
  if (payment.state === 'pending' || payment.state === 'rejected') {
    const withdrawn: Payment = { ...payment, state: 'orphaned' };
    return { invoice: { ...invoice, payments: replacePayment(invoice, withdrawn), version: invoice.version + 1 }, payment: withdrawn, events: [], entry: null };
  }
  if (payment.state !== 'credited') return null;
  const reversed: Payment = { ...payment, state: 'reversed' };
  const inCurrentCoin = payment.code === invoice.selection?.code;
  const next: Invoice = {
    ...invoice,
    payments: replacePayment(invoice, reversed),
    amountPaid: invoice.amountPaid - (inCurrentCoin ? payment.transfer.amount : 0n),
    received: invoice.received - (inCurrentCoin ? payment.net : 0n),
    facts: { ...invoice.facts, reversed: true },
    version: invoice.version + 1,
  };
  return {
    invoice: next,
    payment: reversed,
    events: [{ kind: 'payment.reversed', invoiceId: invoice.id, at: input.now, paymentKey: payment.key }],
    entry: reversalOf(creditEntryOf(invoice, payment), input.now),
  };
}

/** Pending on-time payments hold an invoice open past its expiry until they settle. */
export const hasPendingOnTimePayment = (invoice: Invoice): boolean =>
  invoice.payments.some((p) => p.state === 'pending' && p.transfer.blockTime <= invoice.expiresAt);

/** Depth of a payment's block with the chain at `head` (1 = in the head block). */
export const depthAt = (blockNumber: number, head: number): number => (head >= blockNumber ? head - blockNumber + 1 : 0);

/**
 * The chain's heights as read when a transfer is checked: the head, and the height of each
 * finality tag its rules use (a tag not read, or one the node does not know, is absent or null).
 */
export type ChainHeights = { head: number } & { [T in FinalityTag]?: number | null };

/** Whether a block at `blockNumber` meets a finality rule at these heights. */
export const isDeepEnough = (rule: FinalityRule, blockNumber: number, heights: ChainHeights): boolean =>
  'blocks' in rule ? depthAt(blockNumber, heights.head) >= rule.blocks : (heights[rule.tag] ?? -1) >= blockNumber;

/** What the watcher has vouched for: its checkpoint's cursor and the hashes of its recent blocks. */
export type WatcherView = { cursor: number; recent: readonly { number: number; hash: string }[] } | null;

const recentHash = (view: NonNullable<WatcherView>, n: number) => view.recent.find((b) => b.number === n)?.hash;

/**
 * The watcher scanned this block as canonical, so it will report the block if it leaves the
 * chain. Crediting credits only such blocks: a credit in a block the watcher never saw could
 * outlive that block unnoticed.
 */
export function watcherVouches(view: WatcherView, block: { number: number; hash: string }): boolean {
  if (!view || block.number > view.cursor) return false;
  const hash = recentHash(view, block.number);
  return hash === undefined ? block.number < (view.recent[0]?.number ?? Number.POSITIVE_INFINITY) : hash === block.hash;
}

/**
 * The watcher no longer holds this block as canonical (it rewound below it, or holds another
 * block there), so it has reported or will report what replaced it. Crediting withdraws or
 * reverses only then: a removal the watcher never saw could be undone by a flip-back nobody reports.
 */
export function watcherDropped(view: WatcherView, block: { number: number; hash: string }): boolean {
  if (!view || block.number > view.cursor) return true;
  const hash = recentHash(view, block.number);
  return hash !== undefined && hash !== block.hash;
}

/** What the chain says of one transfer right now. */
export type ChainTruth = { kind: 'included'; transfer: Transfer; heights: ChainHeights } | { kind: 'absent' };

/**
 * Moves the payment of one transfer to what the chain says now, whatever came before: included
 * and deep enough, credited (once); included, pending in its current block; absent, withdrawn or
 * reversed. Returns null when the invoice already agrees with the chain. This is why the order
 * and the number of observations do not matter: each one only asks the chain again.
 */
export function reconcileTransfer(
  invoice: Invoice,
  input: {
    key: string;
    truth: ChainTruth;
    code: string | null;
    finality: FinalityRule;
    source: Payment['source'];
    toleranceUnits: bigint;
    marketUsdPerUnit: Ratio | null;
    /** False while the watcher has not vouched for the block, or the market rate it needs is missing: it stays pending. */
    mayCredit: boolean;
    now: Instant;
  },
): PaymentOutcome | null {
  const { truth } = input;
  if (truth.kind === 'absent') {
    const existing = findPayment(invoice, input.key);
    return existing ? orphanPayment(invoice, { key: input.key, blockHash: existing.transfer.blockHash, now: input.now }) : null;
  }
  const recorded = recordTransfer(invoice, { transfer: truth.transfer, code: input.code, finality: input.finality, source: input.source, now: input.now });
  const p = recorded.payment;
  if (p.state === 'pending' && input.mayCredit && isDeepEnough(p.finality, p.transfer.blockNumber, truth.heights)) {
    const credited = creditPayment(recorded.invoice, {
      key: p.key,
      blockHash: p.transfer.blockHash,
      confirmations: depthAt(p.transfer.blockNumber, truth.heights.head),
      toleranceUnits: input.toleranceUnits,
      marketUsdPerUnit: input.marketUsdPerUnit,
      now: input.now,
    });
    if (credited.ok) return credited.value;
  }
  return recorded.changed ? { invoice: recorded.invoice, payment: p, events: [], entry: null } : null;
}

/**
 * The project's partial-payment tolerance in base units of the invoice's currency, rounded down
 * so a tolerance never accepts more shortfall than configured.
 */
export function toleranceUnits(tolerance: PartialTolerance, invoice: Invoice, decimals: number): bigint {
  const s = invoice.selection;
  if (!s || tolerance.kind === 'none') return 0n;
  const value = ratioOf(tolerance.value);
  if (tolerance.kind === 'percent') return divide(s.amountToPay * value.num, value.den * 100n, 'down');
  // usd / (usd per unit) * 10^decimals
  return divide(value.num * s.usdPerUnit.den * pow10(decimals), value.den * s.usdPerUnit.num, 'down');
}

