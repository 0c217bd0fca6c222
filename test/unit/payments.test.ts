import { describe, expect, it } from 'vitest';
import type { FinalityRule } from '../../shared/domain/currencies';
import { confirmPartialInvoice, expireInvoice, type Invoice, type Selection } from '../../shared/domain/invoice/invoice';
import {
  creditEntryOf,
  creditPayment,
  depthAt,
  hasPendingOnTimePayment,
  orphanPayment,
  PAYMENTS_PER_INVOICE_MAX,
  type PaymentOutcome,
  recordTransfer,
  toleranceUnits,
} from '../../shared/domain/invoice/payments';
import { INVOICE_STATUSES } from '../../shared/domain/invoice/status';
import { accounts, journalEntry, merchantDelta, reversalOf } from '../../shared/domain/ledger';
import { ratio } from '../../shared/domain/money';
import { newPostbackEvents, postbackEventsOf } from '../../shared/domain/postbacks';
import type { Result } from '../../shared/domain/result';
import { type Transfer, transferKey } from '../../shared/domain/transfers';
import { buildInvoice } from '../support/builders';

const T = Date.UTC(2026, 0, 1);
const EXPIRES = T + 60_000;
const SEEN_AT = T + 2_000;
const CREDITED_AT = T + 30_000;
const USDT = '0xdAC17F958D2ee523a2206206994597C13D831ec7';
const USDC = '0xA0b86991c6218b36c1d19D4a2e9Eb0cE3606eB48';
const ADDRESS = '0x' + 'a'.repeat(40);
const BLOCK_A = '0x' + 'a'.repeat(64);
const BLOCK_B = '0x' + 'b'.repeat(64);
const TWELVE: FinalityRule = { blocks: 12 };

const selection = (overrides: Partial<Selection> = {}): Selection => ({
  code: 'USDT_ERC20',
  address: ADDRESS,
  derivationIndex: 1,
  baseAmount: 10_000_000n,
  transferFee: 1_500_000n,
  serviceFee: 0n,
  amountToPay: 10_000_000n,
  usdPerUnit: ratio(1n, 1n),
  lockedAt: T,
  lockedUntil: T + 1,
  ...overrides,
});

/** A 10 USDT invoice waiting for payment; merchant-side fees (1.5 USDT sweep fee) by default. */
const waiting = (overrides: Partial<Invoice> = {}): Invoice => buildInvoice({ createdAt: T, selection: selection(), ...overrides });
/** Client-side fees: the payer sends base plus the sweep fee, the merchant keeps it all. */
const clientSide = (overrides: Partial<Invoice> = {}): Invoice =>
  waiting({ sideCommission: 'client', sideCommissionCc: 'client', selection: selection({ amountToPay: 11_500_000n }), ...overrides });

const txHash = (n: number): string => '0x' + n.toString(16).padStart(64, '0');

const transfer = (n: number, amount: bigint, overrides: Partial<Transfer> = {}): Transfer => ({
  chain: 'ethereum',
  txHash: txHash(n),
  logIndex: n,
  blockNumber: 100 + n,
  blockHash: BLOCK_A,
  blockTime: T + 1_000,
  contract: USDT,
  from: '0x' + '1'.repeat(40),
  to: ADDRESS,
  amount,
  ...overrides,
});

const unwrap = <T, E>(r: Result<T, E>): T => {
  if (!r.ok) throw new Error(`expected ok, got ${JSON.stringify(r.error)}`);
  return r.value;
};

const record = (invoice: Invoice, t: Transfer, code: string | null = 'USDT_ERC20') =>
  recordTransfer(invoice, { transfer: t, code, finality: TWELVE, source: 'watcher', now: SEEN_AT });
const seen = (invoice: Invoice, t: Transfer, code: string | null = 'USDT_ERC20'): Invoice => record(invoice, t, code).invoice;
const credit = (invoice: Invoice, t: Transfer, tolerance = 0n, now = CREDITED_AT) =>
  creditPayment(invoice, { key: transferKey(t), blockHash: t.blockHash, confirmations: 12, toleranceUnits: tolerance, now });
/** Sees and credits a transfer in one go. */
const pay = (invoice: Invoice, t: Transfer, tolerance = 0n, now = CREDITED_AT): PaymentOutcome => unwrap(credit(seen(invoice, t), t, tolerance, now));
const sumOf = (amounts: bigint[]): bigint => amounts.reduce((a, b) => a + b, 0n);

describe('recordTransfer', () => {
  it('records a new transfer as pending and bumps the version', () => {
    const invoice = waiting({ version: 3 });
    const t = transfer(1, 10_000_000n);
    const out = record(invoice, t);
    expect(out.changed).toBe(true);
    expect(out.payment).toEqual({
      key: `ethereum#${txHash(1)}#1`,
      transfer: t,
      code: 'USDT_ERC20',
      state: 'pending',
      finality: TWELVE,
      source: 'watcher',
      seenAt: SEEN_AT,
      creditedAt: null,
      classification: null,
      rejection: null,
      fee: 0n,
      net: 0n,
      confirmations: 0,
      credits: 0,
      valuedUsdPerUnit: null,
    });
    expect(out.invoice).toMatchObject({ version: 4, payments: [out.payment], status: 'created', amountPaid: 0n, received: 0n, facts: {} });
  });

  it('keys a transfer by chain, lower-cased tx hash and log index (native for the coin itself)', () => {
    const upper = transfer(1, 1n, { txHash: '0x' + 'AB'.repeat(32) });
    expect(record(waiting(), upper).payment.key).toBe(`ethereum#0x${'ab'.repeat(32)}#1`);
    const native = transfer(2, 1n, { logIndex: null, contract: null });
    expect(record(waiting(), native, 'USDT_ERC20').payment.key).toBe(`ethereum#${txHash(2)}#native`);
  });

  it('does not mutate the invoice it is given', () => {
    const invoice = waiting();
    const snapshot = structuredClone(invoice);
    record(invoice, transfer(1, 10_000_000n));
    expect(invoice).toEqual(snapshot);
  });

  it('a transfer delivered again changes nothing and keeps the version', () => {
    const t = transfer(1, 10_000_000n);
    const first = record(waiting(), t);
    const again = record(first.invoice, t);
    expect(again.changed).toBe(false);
    expect(again.invoice).toBe(first.invoice);
    expect(again.invoice.version).toBe(first.invoice.version);
    expect(again.payment).toBe(first.payment);
  });

  it('a transfer delivered again after it was credited is still a no-op', () => {
    const t = transfer(1, 10_000_000n);
    const paid = pay(waiting(), t).invoice;
    const again = record(paid, t);
    expect(again.changed).toBe(false);
    expect(again.invoice).toBe(paid);
    expect(again.payment.state).toBe('credited');
  });

  it('an unknown contract (code null) is rejected as unrecognized_token and puts the invoice under review', () => {
    const t = transfer(1, 10_000_000n, { contract: '0x' + 'f'.repeat(40) });
    const out = record(waiting(), t, null);
    expect(out.changed).toBe(true);
    expect(out.payment).toMatchObject({ state: 'rejected', rejection: 'unrecognized_token', code: null });
    expect(out.invoice.facts).toEqual({ underReview: true });
    expect(out.invoice.status).toBe('created');
  });

  it('a served code that is not the invoice selection is rejected as other_currency', () => {
    const t = transfer(1, 10_000_000n, { contract: USDC });
    const out = record(waiting(), t, 'USDC_ERC20');
    expect(out.payment).toMatchObject({ state: 'rejected', rejection: 'other_currency', code: 'USDC_ERC20' });
    expect(out.invoice.facts.underReview).toBe(true);
  });

  it('an invoice with no selection rejects any served code as other_currency', () => {
    const out = record(buildInvoice({ createdAt: T }), transfer(1, 1n), 'USDT_ERC20');
    expect(out.payment).toMatchObject({ state: 'rejected', rejection: 'other_currency' });
  });

  it('a rejected transfer cannot be credited', () => {
    const t = transfer(1, 10_000_000n);
    const invoice = seen(waiting(), t, null);
    expect(credit(invoice, t)).toEqual({ ok: false, error: { kind: 'payment.not_pending', key: transferKey(t), state: 'rejected' } });
  });

  it('an orphaned payment that reappears in another block is pending again, with the new block', () => {
    const t = transfer(1, 10_000_000n);
    const orphaned = orphanPayment(seen(waiting(), t), { key: transferKey(t), blockHash: BLOCK_A, now: SEEN_AT })!.invoice;
    const moved = { ...t, blockHash: BLOCK_B, blockNumber: t.blockNumber + 1 };
    const out = record(orphaned, moved);
    expect(out.changed).toBe(true);
    expect(out.payment).toMatchObject({ state: 'pending', transfer: moved, creditedAt: null, classification: null, fee: 0n, net: 0n, confirmations: 0 });
    expect(out.invoice.payments).toHaveLength(1);
    expect(out.invoice.version).toBe(orphaned.version + 1);
    // Credited against the new block only.
    expect(credit(out.invoice, t)).toMatchObject({ ok: false, error: { kind: 'payment.block_mismatch', expected: BLOCK_B, got: BLOCK_A } });
    expect(unwrap(credit(out.invoice, moved)).invoice.status).toBe('paid');
  });

  it('an orphaned payment whose chain flips back to its old block (A -> B -> A) is pending again', () => {
    const t = transfer(1, 10_000_000n);
    const orphaned = orphanPayment(seen(waiting(), t), { key: transferKey(t), blockHash: BLOCK_A, now: SEEN_AT })!.invoice;
    const out = record(orphaned, t);
    expect(out.changed).toBe(true);
    expect(out.payment.state).toBe('pending');
    expect(unwrap(credit(out.invoice, t)).invoice.status).toBe('paid');
  });

  it('a pending payment whose transaction moved to another block follows it and stays pending', () => {
    const t = transfer(1, 10_000_000n);
    const moved = { ...t, blockHash: BLOCK_B, blockNumber: t.blockNumber + 1 };
    const out = record(seen(waiting(), t), moved);
    expect(out.changed).toBe(true);
    expect(out.payment).toMatchObject({ state: 'pending', transfer: moved });
  });

  it('a reversed payment that reappears in another block is pending again and credited afresh', () => {
    const t = transfer(1, 10_000_000n);
    const paid = pay(waiting(), t).invoice;
    const reversed = orphanPayment(paid, { key: transferKey(t), blockHash: BLOCK_A, now: CREDITED_AT + 1 })!.invoice;
    expect(reversed).toMatchObject({ amountPaid: 0n, received: 0n });
    const moved = { ...t, blockHash: BLOCK_B };
    const revived = record(reversed, moved);
    expect(revived.payment).toMatchObject({ state: 'pending', fee: 0n, net: 0n, creditedAt: null });
    const again = unwrap(credit(revived.invoice, moved, 0n, CREDITED_AT + 2));
    expect(again.payment).toMatchObject({ state: 'credited', fee: 1_500_000n, net: 8_500_000n });
    expect(again.invoice).toMatchObject({ amountPaid: 10_000_000n, received: 8_500_000n });
    // Credited a second time: a new entry id, so the journal never refuses the re-credit.
    expect(again.entry?.id).toBe(`credit:${transferKey(t)}:2`);
    expect(again.payment.credits).toBe(2);
  });

  it('a wrong-token transfer that was orphaned and reappears in another block stays rejected', () => {
    const t = transfer(1, 10_000_000n, { contract: USDC });
    const rejected = seen(waiting(), t, 'USDC_ERC20');
    const orphaned = orphanPayment(rejected, { key: transferKey(t), blockHash: BLOCK_A, now: SEEN_AT })!.invoice;
    const moved = { ...t, blockHash: BLOCK_B };
    const out = record(orphaned, moved, 'USDC_ERC20');
    expect(out.payment.state).toBe('rejected');
    expect(credit(out.invoice, moved).ok).toBe(false);
  });

  it(`refuses a new transfer past PAYMENTS_PER_INVOICE_MAX (${PAYMENTS_PER_INVOICE_MAX}) by throwing`, () => {
    let invoice = waiting();
    for (let n = 1; n <= PAYMENTS_PER_INVOICE_MAX; n += 1) invoice = seen(invoice, transfer(n, 1n));
    expect(invoice.payments).toHaveLength(PAYMENTS_PER_INVOICE_MAX);
    expect(() => record(invoice, transfer(PAYMENTS_PER_INVOICE_MAX + 1, 1n))).toThrow(/invariant: .*100 payments/);
    // Re-deliveries of the ones it holds are still fine.
    expect(record(invoice, transfer(1, 1n)).changed).toBe(false);
  });

  it('counts rejected transfers toward PAYMENTS_PER_INVOICE_MAX too', () => {
    let invoice = waiting();
    for (let n = 1; n <= PAYMENTS_PER_INVOICE_MAX; n += 1) invoice = seen(invoice, transfer(n, 1n), null);
    expect(() => record(invoice, transfer(PAYMENTS_PER_INVOICE_MAX + 1, 1n), null)).toThrow(/invariant/);
  });
});

describe('creditPayment: status', () => {
  it('the exact amount pays the invoice: finishedAt set, invoice.status_changed via payment', () => {
    const t = transfer(1, 10_000_000n);
    const before = seen(waiting({ version: 5 }), t);
    const out = pay(waiting({ version: 5 }), t);
    expect(out.invoice).toMatchObject({ status: 'paid', finishedAt: CREDITED_AT, amountPaid: 10_000_000n, version: before.version + 1, facts: {} });
    expect(out.payment).toMatchObject({ state: 'credited', creditedAt: CREDITED_AT, classification: 'payment', confirmations: 12 });
    expect(out.events).toEqual([{ kind: 'invoice.status_changed', invoiceId: 'ABCDEFGH', at: CREDITED_AT, status: 'paid', via: 'payment', paymentKey: transferKey(t) }]);
  });

  it('more than due overpays the invoice', () => {
    const out = pay(waiting(), transfer(1, 10_000_001n));
    expect(out.invoice).toMatchObject({ status: 'overpaid', finishedAt: CREDITED_AT, amountPaid: 10_000_001n });
    expect(out.events).toMatchObject([{ kind: 'invoice.status_changed', status: 'overpaid', via: 'payment' }]);
  });

  it('less than due makes it partial, not finished', () => {
    const out = pay(waiting(), transfer(1, 9_999_999n));
    expect(out.invoice).toMatchObject({ status: 'partial', finishedAt: null, amountPaid: 9_999_999n });
    expect(out.events).toMatchObject([{ kind: 'invoice.status_changed', status: 'partial', via: 'payment' }]);
  });

  it('partial, then a top-up to the exact sum, is paid', () => {
    const first = pay(waiting(), transfer(1, 4_000_000n));
    const t2 = transfer(2, 6_000_000n);
    const out = pay(first.invoice, t2, 0n, CREDITED_AT + 5);
    expect(out.invoice).toMatchObject({ status: 'paid', finishedAt: CREDITED_AT + 5, amountPaid: 10_000_000n });
    expect(out.events).toEqual([{ kind: 'invoice.status_changed', invoiceId: 'ABCDEFGH', at: CREDITED_AT + 5, status: 'paid', via: 'payment', paymentKey: transferKey(t2) }]);
  });

  it('partial, then a top-up beyond the sum, is overpaid', () => {
    const first = pay(waiting(), transfer(1, 4_000_000n));
    const out = pay(first.invoice, transfer(2, 7_000_000n));
    expect(out.invoice).toMatchObject({ status: 'overpaid', amountPaid: 11_000_000n });
  });

  it('partial, then a top-up still short, stays partial with an invoice.topped_up event', () => {
    const first = pay(waiting(), transfer(1, 4_000_000n));
    const t2 = transfer(2, 1_000_000n);
    const out = pay(first.invoice, t2);
    expect(out.invoice).toMatchObject({ status: 'partial', finishedAt: null, amountPaid: 5_000_000n });
    expect(out.events).toEqual([{ kind: 'invoice.topped_up', invoiceId: 'ABCDEFGH', at: CREDITED_AT, paymentKey: transferKey(t2) }]);
  });

  it('a shortfall within the tolerance pays the invoice, flagged confirmedWithinTolerance, via tolerance', () => {
    const out = pay(waiting(), transfer(1, 9_900_000n), 200_000n);
    expect(out.invoice).toMatchObject({ status: 'paid', finishedAt: CREDITED_AT, facts: { confirmedWithinTolerance: true } });
    expect(out.events).toMatchObject([{ kind: 'invoice.status_changed', status: 'paid', via: 'tolerance' }]);
  });

  it('a shortfall exactly equal to the tolerance is still within it', () => {
    const out = pay(waiting(), transfer(1, 9_800_000n), 200_000n);
    expect(out.invoice).toMatchObject({ status: 'paid', facts: { confirmedWithinTolerance: true } });
  });

  it('a shortfall one unit beyond the tolerance is partial', () => {
    const out = pay(waiting(), transfer(1, 9_799_999n), 200_000n);
    expect(out.invoice.status).toBe('partial');
    expect(out.invoice.facts.confirmedWithinTolerance).toBeUndefined();
  });

  it('a top-up that brings a partial invoice within the tolerance pays it via tolerance', () => {
    const first = pay(waiting(), transfer(1, 5_000_000n), 200_000n);
    expect(first.invoice.status).toBe('partial');
    const out = pay(first.invoice, transfer(2, 4_900_000n), 200_000n);
    expect(out.invoice).toMatchObject({ status: 'paid', facts: { confirmedWithinTolerance: true } });
    expect(out.events).toMatchObject([{ via: 'tolerance' }]);
  });

  it('the exact amount with a tolerance configured is via payment, without the tolerance flag', () => {
    const out = pay(waiting(), transfer(1, 10_000_000n), 200_000n);
    expect(out.invoice.facts).toEqual({});
    expect(out.events).toMatchObject([{ via: 'payment' }]);
  });

  it('does not mutate the invoice it is given', () => {
    const t = transfer(1, 10_000_000n);
    const invoice = seen(waiting(), t);
    const snapshot = structuredClone(invoice);
    unwrap(credit(invoice, t));
    expect(invoice).toEqual(snapshot);
  });
});

describe('creditPayment: refusals', () => {
  it('crediting the same payment twice: the second is payment.not_pending', () => {
    const t = transfer(1, 10_000_000n);
    const once = pay(waiting(), t);
    expect(credit(once.invoice, t)).toEqual({ ok: false, error: { kind: 'payment.not_pending', key: transferKey(t), state: 'credited' } });
  });

  it('an unknown key is payment.not_pending with state unknown', () => {
    expect(creditPayment(waiting(), { key: 'ethereum#0x00#0', blockHash: BLOCK_A, confirmations: 12, toleranceUnits: 0n, now: CREDITED_AT })).toEqual({
      ok: false,
      error: { kind: 'payment.not_pending', key: 'ethereum#0x00#0', state: 'unknown' },
    });
  });

  it('an orphaned payment is payment.not_pending', () => {
    const t = transfer(1, 10_000_000n);
    const orphaned = orphanPayment(seen(waiting(), t), { key: transferKey(t), blockHash: BLOCK_A, now: SEEN_AT })!.invoice;
    expect(credit(orphaned, t)).toMatchObject({ ok: false, error: { kind: 'payment.not_pending', state: 'orphaned' } });
  });

  it('a confirmation for another block hash is payment.block_mismatch', () => {
    const t = transfer(1, 10_000_000n);
    const invoice = seen(waiting(), t);
    const out = creditPayment(invoice, { key: transferKey(t), blockHash: BLOCK_B, confirmations: 12, toleranceUnits: 0n, now: CREDITED_AT });
    expect(out).toEqual({ ok: false, error: { kind: 'payment.block_mismatch', key: transferKey(t), expected: BLOCK_A, got: BLOCK_B } });
  });
});

describe('creditPayment: late and duplicate', () => {
  it('a block after expiresAt is late: credited, status unchanged, facts.late, event payment.late', () => {
    const t = transfer(1, 10_000_000n, { blockTime: EXPIRES + 1 });
    const out = pay(waiting(), t);
    expect(out.payment).toMatchObject({ state: 'credited', classification: 'late', fee: 1_500_000n, net: 8_500_000n });
    expect(out.invoice).toMatchObject({ status: 'created', finishedAt: null, facts: { late: true }, amountPaid: 10_000_000n, received: 8_500_000n });
    expect(out.events).toEqual([{ kind: 'payment.late', invoiceId: 'ABCDEFGH', at: CREDITED_AT, paymentKey: transferKey(t) }]);
    expect(out.entry).not.toBeNull();
  });

  it('a block exactly at expiresAt is on time', () => {
    const out = pay(waiting(), transfer(1, 10_000_000n, { blockTime: EXPIRES }));
    expect(out.payment.classification).toBe('payment');
    expect(out.invoice.status).toBe('paid');
  });

  it('a payment to a canceled invoice is late even when its block was on time', () => {
    const t = transfer(1, 10_000_000n, { blockTime: T + 1_000 });
    const canceled = waiting({ status: 'canceled', finishedAt: T + 500 });
    const out = pay(canceled, t);
    expect(out.payment.classification).toBe('late');
    expect(out.invoice).toMatchObject({ status: 'canceled', finishedAt: T + 500, facts: { late: true }, amountPaid: 10_000_000n });
    expect(out.events).toMatchObject([{ kind: 'payment.late' }]);
  });

  it('a late top-up of a partial invoice leaves it partial', () => {
    const first = pay(waiting(), transfer(1, 4_000_000n));
    const out = pay(first.invoice, transfer(2, 6_000_000n, { blockTime: EXPIRES + 1 }));
    expect(out.payment.classification).toBe('late');
    expect(out.invoice).toMatchObject({ status: 'partial', amountPaid: 10_000_000n, facts: { late: true } });
  });

  it('a payment to a paid invoice is a duplicate: credited, status stays paid, facts.duplicate', () => {
    const first = pay(waiting(), transfer(1, 10_000_000n));
    const t2 = transfer(2, 10_000_000n);
    const out = pay(first.invoice, t2, 0n, CREDITED_AT + 9);
    expect(out.payment).toMatchObject({ state: 'credited', classification: 'duplicate' });
    expect(out.invoice).toMatchObject({ status: 'paid', finishedAt: CREDITED_AT, facts: { duplicate: true }, amountPaid: 20_000_000n });
    expect(out.events).toEqual([{ kind: 'payment.duplicate', invoiceId: 'ABCDEFGH', at: CREDITED_AT + 9, paymentKey: transferKey(t2) }]);
  });

  it('a payment to an overpaid invoice is a duplicate', () => {
    const first = pay(waiting(), transfer(1, 11_000_000n));
    const out = pay(first.invoice, transfer(2, 1n));
    expect(out.payment.classification).toBe('duplicate');
    expect(out.invoice).toMatchObject({ status: 'overpaid', facts: { duplicate: true } });
  });

  it('a late payment to a paid invoice counts as a duplicate', () => {
    const first = pay(waiting(), transfer(1, 10_000_000n));
    const out = pay(first.invoice, transfer(2, 1n, { blockTime: EXPIRES + 1 }));
    expect(out.payment.classification).toBe('duplicate');
    expect(out.invoice.facts).toEqual({ duplicate: true });
  });
});

describe('creditPayment: fees, balances and the journal', () => {
  it('merchant-side fees are withheld from the payment: fee + net = amount, received = net', () => {
    const out = pay(waiting(), transfer(1, 10_000_000n));
    expect(out.payment).toMatchObject({ fee: 1_500_000n, net: 8_500_000n });
    expect(out.payment.fee + out.payment.net).toBe(out.payment.transfer.amount);
    expect(out.invoice).toMatchObject({ amountPaid: 10_000_000n, received: 8_500_000n });
  });

  it('merchant-side fees are withheld once: a later payment after they are covered has fee 0', () => {
    const first = pay(waiting(), transfer(1, 10_000_000n));
    const second = pay(first.invoice, transfer(2, 3_000_000n));
    expect(second.payment).toMatchObject({ fee: 0n, net: 3_000_000n });
    expect(second.invoice).toMatchObject({ amountPaid: 13_000_000n, received: 11_500_000n });
    expect(second.entry?.postings.map((p) => p.account)).toEqual([accounts.deposits('ethereum', 'USDT_ERC20'), accounts.merchant('shop', 'USDT_ERC20')]);
  });

  it('merchant-side fees larger than the first payment are spread over the next ones', () => {
    const first = pay(waiting(), transfer(1, 1_000_000n));
    expect(first.payment).toMatchObject({ fee: 1_000_000n, net: 0n });
    expect(first.entry?.postings).toEqual([
      { account: accounts.deposits('ethereum', 'USDT_ERC20'), amount: 1_000_000n },
      { account: accounts.fees('shop', 'USDT_ERC20'), amount: -1_000_000n },
    ]);
    const second = pay(first.invoice, transfer(2, 9_000_000n));
    expect(second.payment).toMatchObject({ fee: 500_000n, net: 8_500_000n });
    const third = pay(second.invoice, transfer(3, 1_000_000n));
    expect(third.payment).toMatchObject({ fee: 0n, net: 1_000_000n });
    const credited = third.invoice.payments;
    expect(sumOf(credited.map((p) => p.fee))).toBe(1_500_000n);
    expect(third.invoice).toMatchObject({ amountPaid: 11_000_000n, received: 9_500_000n });
  });

  it('a merchant-side service fee is withheld with the transfer fee', () => {
    const invoice = waiting({ selection: selection({ serviceFee: 200_000n }) });
    const out = pay(invoice, transfer(1, 10_000_000n));
    expect(out.payment).toMatchObject({ fee: 1_700_000n, net: 8_300_000n });
  });

  it('only the merchant-side fee is withheld when the sides differ', () => {
    const transferOnly = pay(waiting({ sideCommissionCc: 'client', selection: selection({ serviceFee: 200_000n }) }), transfer(1, 10_000_000n));
    expect(transferOnly.payment.fee).toBe(1_500_000n);
    const serviceOnly = pay(waiting({ sideCommission: 'client', selection: selection({ serviceFee: 200_000n }) }), transfer(1, 10_000_000n));
    expect(serviceOnly.payment.fee).toBe(200_000n);
  });

  it('client-side fees withhold nothing: net is the whole amount', () => {
    const out = pay(clientSide(), transfer(1, 11_500_000n));
    expect(out.payment).toMatchObject({ fee: 0n, net: 11_500_000n });
    expect(out.invoice).toMatchObject({ status: 'paid', amountPaid: 11_500_000n, received: 11_500_000n });
    expect(out.entry?.postings).toEqual([
      { account: accounts.deposits('ethereum', 'USDT_ERC20'), amount: 11_500_000n },
      { account: accounts.merchant('shop', 'USDT_ERC20'), amount: -11_500_000n },
    ]);
  });

  it('late and duplicate payments also carry the fees still due', () => {
    const late = pay(waiting(), transfer(1, 10_000_000n, { blockTime: EXPIRES + 1 }));
    expect(late.payment.fee).toBe(1_500_000n);
    const duplicate = pay(late.invoice, transfer(2, 10_000_000n));
    expect(duplicate.payment.fee).toBe(0n);
  });

  it('a reversed payment stops counting toward the fees withheld: the next payment carries them', () => {
    const t = transfer(1, 10_000_000n);
    const paid = pay(waiting(), t).invoice;
    const reversed = orphanPayment(paid, { key: transferKey(t), blockHash: BLOCK_A, now: CREDITED_AT + 1 })!.invoice;
    const next = pay(reversed, transfer(2, 10_000_000n));
    expect(next.payment.fee).toBe(1_500_000n);
  });

  it('the credit entry: deterministic id, deposits debited by the amount, merchant credited -net, fees -fee, summing to zero', () => {
    const t = transfer(1, 10_000_000n);
    const out = pay(waiting(), t);
    const entry = out.entry!;
    expect(entry).toEqual({
      id: `credit:${transferKey(t)}:1`,
      shopId: 'shop',
      code: 'USDT_ERC20',
      at: CREDITED_AT,
      kind: 'payment.credit',
      ref: transferKey(t),
      postings: [
        { account: 'deposits:ethereum:USDT_ERC20', amount: 10_000_000n },
        { account: 'merchant:shop:USDT_ERC20', amount: -8_500_000n },
        { account: 'fees:shop:USDT_ERC20', amount: -1_500_000n },
      ],
    });
    expect(sumOf(entry.postings.map((p) => p.amount))).toBe(0n);
    expect(merchantDelta(entry)).toBe(out.payment.net);
  });

  it('every credit entry of a run of payments balances, and the merchant deltas add up to received', () => {
    let invoice = waiting();
    let delta = 0n;
    for (const [n, amount] of [[1, 700_000n], [2, 4_000_000n], [3, 5_300_000n], [4, 2_000_000n]] as const) {
      const out = pay(invoice, transfer(n, amount));
      expect(sumOf(out.entry!.postings.map((p) => p.amount))).toBe(0n);
      delta += merchantDelta(out.entry!);
      invoice = out.invoice;
    }
    expect(invoice).toMatchObject({ status: 'paid', amountPaid: 12_000_000n, received: 10_500_000n, facts: { duplicate: true } });
    expect(delta).toBe(invoice.received);
  });

  it('creditEntryOf rebuilds the very entry the credit posted', () => {
    const out = pay(waiting(), transfer(1, 10_000_000n));
    expect(creditEntryOf(out.invoice, out.payment)).toEqual(out.entry);
  });
});

describe('orphanPayment', () => {
  it('a pending payment is withdrawn: orphaned, no entry, no events', () => {
    const t = transfer(1, 10_000_000n);
    const invoice = seen(waiting(), t);
    const out = orphanPayment(invoice, { key: transferKey(t), blockHash: BLOCK_A, now: CREDITED_AT })!;
    expect(out.payment.state).toBe('orphaned');
    expect(out.entry).toBeNull();
    expect(out.events).toEqual([]);
    expect(out.invoice).toMatchObject({ status: 'created', amountPaid: 0n, received: 0n, facts: {}, version: invoice.version + 1 });
  });

  it('a rejected payment is withdrawn too', () => {
    const t = transfer(1, 10_000_000n);
    const out = orphanPayment(seen(waiting(), t, null), { key: transferKey(t), blockHash: BLOCK_A, now: CREDITED_AT })!;
    expect(out).toMatchObject({ payment: { state: 'orphaned', rejection: 'unrecognized_token' }, entry: null, events: [] });
  });

  it('a credited payment is reversed: a negated entry, balances reduced, facts.reversed, event payment.reversed', () => {
    const t = transfer(1, 10_000_000n);
    const credited = pay(waiting(), t);
    const at = CREDITED_AT + 100;
    const out = orphanPayment(credited.invoice, { key: transferKey(t), blockHash: BLOCK_A, now: at })!;
    expect(out.payment).toMatchObject({ state: 'reversed', fee: 1_500_000n, net: 8_500_000n });
    expect(out.invoice).toMatchObject({ status: 'paid', amountPaid: 0n, received: 0n, facts: { reversed: true }, version: credited.invoice.version + 1 });
    expect(out.events).toEqual([{ kind: 'payment.reversed', invoiceId: 'ABCDEFGH', at, paymentKey: transferKey(t) }]);
    const entry = out.entry!;
    expect(entry.id).toBe(`${credited.entry!.id}:reversal`);
    expect(entry.id.endsWith(':reversal')).toBe(true);
    expect(entry).toMatchObject({ kind: 'payment.reversal', at, ref: transferKey(t), shopId: 'shop', code: 'USDT_ERC20' });
    expect(entry.postings).toEqual(credited.entry!.postings.map((p) => ({ ...p, amount: -p.amount })));
    expect(sumOf(entry.postings.map((p) => p.amount))).toBe(0n);
    expect(merchantDelta(entry)).toBe(-8_500_000n);
  });

  it('reversing one of two credited payments leaves the other in the balances', () => {
    const t1 = transfer(1, 4_000_000n);
    const first = pay(waiting(), t1);
    const second = pay(first.invoice, transfer(2, 6_000_000n, { blockHash: BLOCK_B }));
    const out = orphanPayment(second.invoice, { key: transferKey(t1), blockHash: BLOCK_A, now: CREDITED_AT + 1 })!;
    expect(out.invoice).toMatchObject({ amountPaid: 6_000_000n, received: second.invoice.received - first.payment.net });
  });

  it('another block hash is nothing to do (null)', () => {
    const t = transfer(1, 10_000_000n);
    expect(orphanPayment(seen(waiting(), t), { key: transferKey(t), blockHash: BLOCK_B, now: CREDITED_AT })).toBeNull();
    expect(orphanPayment(pay(waiting(), t).invoice, { key: transferKey(t), blockHash: BLOCK_B, now: CREDITED_AT })).toBeNull();
  });

  it('an unknown key is nothing to do (null)', () => {
    expect(orphanPayment(waiting(), { key: 'ethereum#0x00#0', blockHash: BLOCK_A, now: CREDITED_AT })).toBeNull();
  });

  it('an already orphaned payment is nothing to do (null)', () => {
    const t = transfer(1, 10_000_000n);
    const orphaned = orphanPayment(seen(waiting(), t), { key: transferKey(t), blockHash: BLOCK_A, now: CREDITED_AT })!.invoice;
    expect(orphanPayment(orphaned, { key: transferKey(t), blockHash: BLOCK_A, now: CREDITED_AT })).toBeNull();
  });

  it('an already reversed payment is nothing to do (null)', () => {
    const t = transfer(1, 10_000_000n);
    const reversed = orphanPayment(pay(waiting(), t).invoice, { key: transferKey(t), blockHash: BLOCK_A, now: CREDITED_AT })!.invoice;
    expect(orphanPayment(reversed, { key: transferKey(t), blockHash: BLOCK_A, now: CREDITED_AT + 1 })).toBeNull();
  });
});

describe('confirmPartialInvoice', () => {
  it('a partial invoice becomes paid with facts.confirmedManually and invoice.status_changed via manual', () => {
    const partial = pay(waiting(), transfer(1, 4_000_000n)).invoice;
    const out = unwrap(confirmPartialInvoice(partial, CREDITED_AT + 7));
    expect(out.invoice).toMatchObject({
      status: 'paid',
      finishedAt: CREDITED_AT + 7,
      facts: { confirmedManually: true },
      amountPaid: 4_000_000n,
      received: partial.received,
      version: partial.version + 1,
    });
    expect(out.event).toEqual({ kind: 'invoice.status_changed', invoiceId: 'ABCDEFGH', at: CREDITED_AT + 7, status: 'paid', via: 'manual', paymentKey: null });
  });

  it.each(INVOICE_STATUSES.filter((s) => s !== 'partial'))('refuses a %s invoice with invoice.not_partial', (status) => {
    expect(confirmPartialInvoice(waiting({ status }), T)).toEqual({ ok: false, error: { kind: 'invoice.not_partial', invoiceId: 'ABCDEFGH', status } });
  });
});

describe('expireInvoice with payments', () => {
  it('a pending payment whose block is before expiresAt holds the invoice open', () => {
    const invoice = seen(waiting(), transfer(1, 10_000_000n, { blockTime: EXPIRES - 1 }));
    expect(hasPendingOnTimePayment(invoice)).toBe(true);
    expect(expireInvoice(invoice, EXPIRES + 10 * 60_000)).toBeNull();
  });

  it('a pending payment whose block is exactly at expiresAt holds it open too', () => {
    const invoice = seen(waiting(), transfer(1, 10_000_000n, { blockTime: EXPIRES }));
    expect(expireInvoice(invoice, EXPIRES + 1)).toBeNull();
  });

  it('with only a late pending payment the invoice expires', () => {
    const invoice = seen(waiting(), transfer(1, 10_000_000n, { blockTime: EXPIRES + 1 }));
    expect(hasPendingOnTimePayment(invoice)).toBe(false);
    expect(expireInvoice(invoice, EXPIRES + 1)?.invoice).toMatchObject({ status: 'canceled', facts: { expired: true } });
  });

  it('rejected or orphaned on-time transfers do not hold it open', () => {
    const t1 = transfer(1, 10_000_000n);
    const t2 = transfer(2, 10_000_000n);
    const withRejected = seen(seen(waiting(), t1, null), t2);
    const invoice = orphanPayment(withRejected, { key: transferKey(t2), blockHash: BLOCK_A, now: SEEN_AT })!.invoice;
    expect(hasPendingOnTimePayment(invoice)).toBe(false);
    expect(expireInvoice(invoice, EXPIRES)?.invoice.status).toBe('canceled');
  });
});

describe('toleranceUnits', () => {
  const decimal = (units: bigint, scale: number) => ({ units, scale });

  it('none is 0', () => {
    expect(toleranceUnits({ kind: 'none' }, waiting(), 6)).toBe(0n);
  });

  it('is 0 for an invoice with no selection', () => {
    expect(toleranceUnits({ kind: 'percent', value: decimal(2n, 0) }, buildInvoice({ createdAt: T }), 6)).toBe(0n);
    expect(toleranceUnits({ kind: 'usd', value: decimal(1n, 0) }, buildInvoice({ createdAt: T }), 6)).toBe(0n);
  });

  it('percent is that share of amountToPay', () => {
    expect(toleranceUnits({ kind: 'percent', value: decimal(2n, 0) }, waiting(), 6)).toBe(200_000n);
    expect(toleranceUnits({ kind: 'percent', value: decimal(5n, 1) }, waiting(), 6)).toBe(50_000n);
  });

  it('percent is rounded down', () => {
    // 2% of 10_000_049 = 200_000.98
    const invoice = waiting({ selection: selection({ amountToPay: 10_000_049n }) });
    expect(toleranceUnits({ kind: 'percent', value: decimal(2n, 0) }, invoice, 6)).toBe(200_000n);
  });

  it('usd converts at the locked rate: 1.5 USD at 3000 USD per ETH, 18 decimals', () => {
    const invoice = waiting({ selection: selection({ code: 'ETH', usdPerUnit: ratio(3000n, 1n) }) });
    expect(toleranceUnits({ kind: 'usd', value: decimal(15n, 1) }, invoice, 18)).toBe(500_000_000_000_000n);
  });

  it('usd is rounded down: 1.5 USD at 3001 USD per ETH', () => {
    // 1.5e18 / 3001 = 499_833_388_870_376.54…
    const invoice = waiting({ selection: selection({ code: 'ETH', usdPerUnit: ratio(3001n, 1n) }) });
    expect(toleranceUnits({ kind: 'usd', value: decimal(15n, 1) }, invoice, 18)).toBe(499_833_388_870_376n);
  });

  it('usd on a stablecoin at par is the USD amount in base units', () => {
    expect(toleranceUnits({ kind: 'usd', value: decimal(15n, 1) }, waiting(), 6)).toBe(1_500_000n);
    // A fractional rate (usdPerUnit 3/2) goes through exactly: 1 USD / 1.5 = 0.666666…
    const invoice = waiting({ selection: selection({ usdPerUnit: ratio(3n, 2n) }) });
    expect(toleranceUnits({ kind: 'usd', value: decimal(1n, 0) }, invoice, 6)).toBe(666_666n);
  });
});

describe('postback events follow from the invoice', () => {
  const ids = (invoice: Invoice) => postbackEventsOf(invoice).map((e) => `${e.kind}/${e.via ?? e.paymentKey?.split('#')[2]}`);
  const expired = (overrides: Partial<Invoice> = {}) => waiting({ expiresAt: T + 500, ...overrides });

  it('paid and overpaid give one success event; partial gives none until it is confirmed', () => {
    expect(ids(pay(waiting(), transfer(1, 10_000_000n)).invoice)).toEqual(['invoice.paid/payment']);
    expect(ids(pay(waiting(), transfer(1, 12_000_000n)).invoice)).toEqual(['invoice.paid/payment']);
    const partial = pay(waiting(), transfer(1, 4_000_000n)).invoice;
    expect(ids(partial)).toEqual([]);
    expect(ids(unwrap(confirmPartialInvoice(partial, CREDITED_AT)).invoice)).toEqual(['invoice.paid/manual']);
    expect(ids(pay(waiting(), transfer(1, 9_900_000n), 100_000n).invoice)).toEqual(['invoice.paid/tolerance']);
  });

  it('a top-up that completes a partial invoice adds the success event once', () => {
    const partial = pay(waiting(), transfer(1, 4_000_000n)).invoice;
    const topped = pay(partial, transfer(2, 6_000_000n)).invoice;
    expect(newPostbackEvents(partial, topped).map((e) => e.kind)).toEqual(['invoice.paid']);
    expect(newPostbackEvents(topped, topped)).toEqual([]);
  });

  it('late and duplicate payments each get their own event, with the payment key', () => {
    const paid = pay(waiting(), transfer(1, 10_000_000n)).invoice;
    const twice = pay(paid, transfer(2, 10_000_000n)).invoice;
    expect(newPostbackEvents(paid, twice).map((e) => [e.kind, e.paymentKey])).toEqual([['payment.duplicate', transferKey(transfer(2, 1n))]]);
    const late = pay(expired(), transfer(3, 10_000_000n, { blockTime: T + 1_000 })).invoice;
    expect(ids(late)).toEqual(['payment.late/3']);
  });

  it('a reversal adds payment.reversed and keeps the success already sent', () => {
    const t = transfer(1, 10_000_000n);
    const paid = pay(waiting(), t).invoice;
    const reversed = orphanPayment(paid, { key: transferKey(t), blockHash: t.blockHash, now: CREDITED_AT })?.invoice as Invoice;
    expect(newPostbackEvents(paid, reversed).map((e) => e.kind)).toEqual(['payment.reversed']);
    expect(ids(reversed)).toEqual(['invoice.paid/payment', 'payment.reversed/1']);
  });

  it('ids are stable, readable and free of the # that table keys reserve', () => {
    const paid = pay(pay(waiting(), transfer(1, 10_000_000n)).invoice, transfer(2, 1n)).invoice;
    expect(postbackEventsOf(paid).map((e) => e.id)).toEqual(['INV-ABCDEFGH:success', `INV-ABCDEFGH:duplicate:ethereum:${txHash(2)}:2`]);
    expect(postbackEventsOf(structuredClone(paid))).toEqual(postbackEventsOf(paid));
  });

  it('created, canceled, pending and rejected transfers give nothing', () => {
    expect(postbackEventsOf(waiting())).toEqual([]);
    expect(postbackEventsOf(seen(waiting(), transfer(1, 10_000_000n)))).toEqual([]);
    expect(postbackEventsOf(seen(waiting(), transfer(1, 10_000_000n, { contract: USDC }), null))).toEqual([]);
    expect(postbackEventsOf(waiting({ status: 'canceled' }))).toEqual([]);
  });
});

describe('journal entries', () => {
  const entry = (postings: { account: string; amount: bigint }[]) => ({ id: 'e', shopId: 'shop', code: 'USDT_ERC20', at: T, kind: 'payment.credit' as const, ref: 'k', postings });

  it('an unbalanced entry throws', () => {
    expect(() => journalEntry(entry([{ account: 'a', amount: 5n }, { account: 'b', amount: -4n }]))).toThrow(/does not balance \(1\)/);
  });

  it('an entry with fewer than two non-zero sides throws', () => {
    expect(() => journalEntry(entry([{ account: 'a', amount: 0n }, { account: 'b', amount: 0n }]))).toThrow(/needs two sides/);
  });

  it('drops zero postings', () => {
    expect(journalEntry(entry([{ account: 'a', amount: 5n }, { account: 'z', amount: 0n }, { account: 'b', amount: -5n }])).postings.map((p) => p.account)).toEqual(['a', 'b']);
  });

  it('merchantDelta reads the merchant account of the entry shop and code, credit-normal', () => {
    const e = journalEntry(entry([
      { account: accounts.deposits('ethereum', 'USDT_ERC20'), amount: 7n },
      { account: accounts.merchant('shop', 'USDT_ERC20'), amount: -5n },
      { account: accounts.merchant('other', 'USDT_ERC20'), amount: -2n },
    ]));
    expect(merchantDelta(e)).toBe(5n);
    expect(merchantDelta(reversalOf(e, T + 1))).toBe(-5n);
    expect(merchantDelta(journalEntry(entry([{ account: 'a', amount: 1n }, { account: 'b', amount: -1n }])))).toBe(0n);
  });

  it('reversalOf flips every sign, renames the id and keeps the ref', () => {
    const e = journalEntry(entry([{ account: 'a', amount: 3n }, { account: 'b', amount: -3n }]));
    expect(reversalOf(e, T + 9)).toEqual({ ...e, id: 'e:reversal', kind: 'payment.reversal', at: T + 9, postings: [{ account: 'a', amount: -3n }, { account: 'b', amount: 3n }] });
  });
});

describe('depthAt', () => {
  it('counts the block itself as one confirmation and is 0 before the block', () => {
    expect(depthAt(100, 100)).toBe(1);
    expect(depthAt(100, 111)).toBe(12);
    expect(depthAt(100, 99)).toBe(0);
  });
});
