/**
 * The payment lifecycle of an invoice: pure functions from (invoice, observation) to the next
 * invoice, the journal entry and the events to tell the merchant. The crediting consumer applies
 * them; nothing here does I/O.
 *
 * Rules (README "Payment lifecycle"):
 * - A transfer is first `pending`; it is credited only when the watcher confirms it at depth.
 * - On time (its block is not later than the invoice's expiry) and the invoice still waiting:
 *   the sum decides `paid`, `overpaid` or `partial`; a shortfall within the project's tolerance
 *   is `paid`.
 * - Late (block after expiry, or the invoice canceled): credited to the balance, flagged `late`;
 *   the status does not move, because the order may already be released and the locked rate is
 *   gone. The merchant decides.
 * - Duplicate (the invoice already paid or overpaid): credited, flagged `duplicate`.
 * - Wrong token (an unknown contract, or a served token that is not the invoice's currency):
 *   recorded for review, never credited.
 * - A credited transfer whose block leaves the chain is reversed by a compensating entry; the
 *   invoice keeps its status and is flagged `reversed`.
 */
import type { FinalityRule } from '../currencies';
import { accounts, type JournalEntry, journalEntry, reversalOf } from '../ledger';
import { divide, pow10, ratioOf } from '../money';
import type { PartialTolerance } from '../project';
import { err, ok, type Result } from '../result';
import { DAY_MS, type Instant } from '../time';
import { type Transfer, transferKey } from '../transfers';
import type { Invoice, InvoiceEvent } from './invoice';
import { canTransition, type InvoiceStatus } from './status';

export type PaymentState = 'pending' | 'credited' | 'orphaned' | 'reversed' | 'rejected';
export type PaymentClass = 'payment' | 'late' | 'duplicate';
export type Rejection = 'unrecognized_token' | 'other_currency';

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
};

/** A deposit address is watched this long after its invoice expires, so late funds are found. */
export const LATE_PAYMENT_WATCH_MS = 30 * DAY_MS;

/** Payments are kept on the invoice item; past this many the extra ones are refused loudly. */
export const PAYMENTS_PER_INVOICE_MAX = 100;

export type PaymentOutcome = { invoice: Invoice; payment: Payment; events: InvoiceEvent[]; entry: JournalEntry | null };

const findPayment = (invoice: Invoice, key: string) => invoice.payments.find((p) => p.key === key);
const replacePayment = (invoice: Invoice, payment: Payment): Payment[] => invoice.payments.map((p) => (p.key === payment.key ? payment : p));

/**
 * Records a transfer seen on chain. Re-delivery is a no-op (`changed` false); a transfer whose
 * block was orphaned and that reappears in another block becomes pending again.
 */
export function recordTransfer(
  invoice: Invoice,
  input: { transfer: Transfer; code: string | null; finality: FinalityRule; source: Payment['source']; now: Instant },
): { invoice: Invoice; payment: Payment; changed: boolean } {
  const key = transferKey(input.transfer);
  const existing = findPayment(invoice, key);
  if (existing) {
    const reappeared = (existing.state === 'orphaned' || existing.state === 'reversed') && existing.transfer.blockHash !== input.transfer.blockHash;
    if (!reappeared) return { invoice, payment: existing, changed: false };
    // A rejected (wrong-token) transfer stays rejected in its new block: it must never credit.
    const revived: Payment = { ...existing, transfer: input.transfer, state: existing.rejection ? 'rejected' : 'pending', creditedAt: null, classification: null, fee: 0n, net: 0n, confirmations: 0 };
    return { invoice: { ...invoice, payments: replacePayment(invoice, revived), version: invoice.version + 1 }, payment: revived, changed: true };
  }
  if (invoice.payments.length >= PAYMENTS_PER_INVOICE_MAX) {
    throw new Error(`invariant: invoice ${invoice.id} already holds ${PAYMENTS_PER_INVOICE_MAX} payments; ${key} needs review`);
  }
  const rejection: Rejection | null = input.code === null ? 'unrecognized_token' : input.code !== invoice.selection?.code ? 'other_currency' : null;
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
  };
  const facts = rejection ? { ...invoice.facts, underReview: true } : invoice.facts;
  return { invoice: { ...invoice, payments: [...invoice.payments, payment], facts, version: invoice.version + 1 }, payment, changed: true };
}

/** Merchant-side fees of the invoice, withheld once across its credited payments. */
function merchantFeesDue(invoice: Invoice): bigint {
  const s = invoice.selection;
  if (!s) return 0n;
  const total = (invoice.sideCommission === 'merchant' ? s.transferFee : 0n) + (invoice.sideCommissionCc === 'merchant' ? s.serviceFee : 0n);
  const withheld = invoice.payments.filter((p) => p.state === 'credited').reduce((acc, p) => acc + p.fee, 0n);
  return total > withheld ? total - withheld : 0n;
}

function classify(invoice: Invoice, transfer: Transfer): PaymentClass {
  if (invoice.status === 'paid' || invoice.status === 'overpaid') return 'duplicate';
  if (invoice.status === 'canceled' || transfer.blockTime > invoice.expiresAt) return 'late';
  return 'payment';
}

/** The status a waiting invoice reaches with `paid` received in total. */
function statusFor(invoice: Invoice, paid: bigint, toleranceUnits: bigint): { status: InvoiceStatus; withinTolerance: boolean } {
  const due = invoice.selection?.amountToPay ?? 0n;
  if (paid > due) return { status: 'overpaid', withinTolerance: false };
  if (paid === due) return { status: 'paid', withinTolerance: false };
  if (paid + toleranceUnits >= due) return { status: 'paid', withinTolerance: true };
  return { status: 'partial', withinTolerance: false };
}

export type CreditError = { kind: 'payment.not_pending'; key: string; state: PaymentState | 'unknown' } | { kind: 'payment.block_mismatch'; key: string; expected: string; got: string };

/** Credits a pending payment the watcher confirmed at depth in block `blockHash`. */
export function creditPayment(
  invoice: Invoice,
  input: { key: string; blockHash: string; confirmations: number; toleranceUnits: bigint; now: Instant },
): Result<PaymentOutcome, CreditError> {
  const payment = findPayment(invoice, input.key);
  if (payment?.state !== 'pending') return err({ kind: 'payment.not_pending', key: input.key, state: payment?.state ?? 'unknown' });
  if (payment.transfer.blockHash !== input.blockHash) return err({ kind: 'payment.block_mismatch', key: input.key, expected: payment.transfer.blockHash, got: input.blockHash });
  const amount = payment.transfer.amount;
  const classification = classify(invoice, payment.transfer);
  const fee = amount < merchantFeesDue(invoice) ? amount : merchantFeesDue(invoice);
  const credited: Payment = { ...payment, state: 'credited', creditedAt: input.now, classification, fee, net: amount - fee, confirmations: input.confirmations };
  const amountPaid = invoice.amountPaid + amount;
  const events: InvoiceEvent[] = [];
  let next: Invoice = { ...invoice, payments: replacePayment(invoice, credited), amountPaid, received: invoice.received + credited.net, version: invoice.version + 1 };

  if (classification === 'payment') {
    const { status, withinTolerance } = statusFor(invoice, amountPaid, input.toleranceUnits);
    if (status !== invoice.status) {
      if (!canTransition(invoice.status, status)) throw new Error(`invariant: ${invoice.id} cannot move ${invoice.status} -> ${status}`);
      const finished = status === 'paid' || status === 'overpaid';
      next = { ...next, status, finishedAt: finished ? input.now : next.finishedAt, facts: withinTolerance ? { ...next.facts, confirmedWithinTolerance: true } : next.facts };
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
    id: `credit:${payment.key}:${payment.transfer.blockHash}`,
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
  const next: Invoice = {
    ...invoice,
    payments: replacePayment(invoice, reversed),
    amountPaid: invoice.amountPaid - payment.transfer.amount,
    received: invoice.received - payment.net,
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

