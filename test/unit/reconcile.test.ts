/**
 * The money path's pure core under attack: reconciling a transfer with whatever the chain says,
 * offers that stand, quotes that expire, expiry by block time, and balances that never go below
 * zero. The ordering property runs seeded; a failure prints its seed.
 */
import { describe, expect, it } from 'vitest';
import type { FinalityRule } from '../../shared/domain/currencies';
import type { Invoice, Selection } from '../../shared/domain/invoice/invoice';
import {
  type ChainHeights,
  type ChainTruth,
  creditPayment,
  needsMarketRate,
  PAYMENTS_PER_INVOICE_MAX,
  type Payment,
  placeOf,
  reconcileTransfer,
  recordTransfer,
} from '../../shared/domain/invoice/payments';
import { type JournalEntry, merchantDelta, settleBalance } from '../../shared/domain/ledger';
import { ratio } from '../../shared/domain/money';
import { type Transfer, transferKey } from '../../shared/domain/transfers';
import { buildInvoice } from '../support/builders';
import { prng } from '../support/random';

const T = Date.UTC(2026, 0, 1);
const EXPIRES = T + 60 * 60_000;
const USDT = '0xdac17f958d2ee523a2206206994597c13d831ec7';
const ADDRESS = `0x${'a'.repeat(40)}`;
const OTHER_ADDRESS = `0x${'c'.repeat(40)}`;
const THREE: FinalityRule = { blocks: 3 };
const hash = (n: number) => `0x${n.toString(16).padStart(64, '0')}`;

const offer = (overrides: Partial<Selection> = {}): Selection => ({
  code: 'USDT_ERC20',
  address: ADDRESS,
  derivationIndex: 1,
  baseAmount: 10_000_000n,
  transferFee: 0n,
  serviceFee: 0n,
  amountToPay: 10_000_000n,
  usdPerUnit: ratio(1n, 1n),
  lockedAt: T,
  lockedUntil: T + 15 * 60_000,
  ...overrides,
});

const waiting = (overrides: Partial<Invoice> = {}): Invoice => buildInvoice({ createdAt: T, expiresAt: EXPIRES, selection: offer(), ...overrides });

const transfer = (overrides: Partial<Transfer> = {}): Transfer => ({
  chain: 'ethereum',
  txHash: hash(1),
  logIndex: 0,
  blockNumber: 100,
  blockHash: hash(0xa),
  blockTime: T + 1_000,
  contract: USDT,
  from: `0x${'1'.repeat(40)}`,
  to: ADDRESS,
  amount: 10_000_000n,
  ...overrides,
});

type Step = { invoice: Invoice; entries: JournalEntry[] };

function apply(step: Step, truth: ChainTruth, t: Transfer, extra: { code?: string; market?: ReturnType<typeof ratio> | null } = {}): Step {
  const out = reconcileTransfer(step.invoice, {
    key: transferKey(t),
    truth,
    code: extra.code ?? 'USDT_ERC20',
    finality: THREE,
    source: 'watcher',
    toleranceUnits: 0n,
    marketUsdPerUnit: extra.market ?? null,
    mayCredit: true,
    now: T + 2_000,
  });
  return out ? { invoice: out.invoice, entries: out.entry ? [...step.entries, out.entry] : step.entries } : step;
}

const included = (t: Transfer, head: number): ChainTruth => ({ kind: 'included', transfer: t, heights: { head, safe: null, finalized: null } satisfies ChainHeights });
const credited = (step: Step) => step.entries.reduce((acc, e) => acc + merchantDelta(e), 0n);

describe('reconcileTransfer: order and count do not matter', () => {
  it('any sequence of chain states, then the final one, ends credited once iff the final chain holds it deep enough (seeded, 2,000 runs)', () => {
    const seed = Number(process.env.TEST_SEED ?? Date.now() % 1_000_000);
    const random = prng(seed);
    const blocks = [hash(0xa), hash(0xb), hash(0xc)];
    for (let run = 0; run < 2_000; run += 1) {
      const states: ChainTruth[] = Array.from({ length: 1 + Math.floor(random() * 8) }, () => {
        if (random() < 0.3) return { kind: 'absent' };
        const which = Math.floor(random() * blocks.length);
        return included(transfer({ blockHash: blocks[which], blockNumber: 100 + which }), 100 + Math.floor(random() * 12));
      });
      let step: Step = { invoice: waiting(), entries: [] };
      // Each state is asked 1-5 times (redelivery) before the chain moves on.
      for (const s of states) for (let i = 0, n = 1 + Math.floor(random() * 5); i < n; i += 1) step = apply(step, s, transfer());
      const last = states.at(-1) as ChainTruth;
      const deep = last.kind === 'included' && last.heights.head - last.transfer.blockNumber + 1 >= 3;
      const context = `seed ${seed} run ${run}: ${JSON.stringify(states.map((s) => (s.kind === 'absent' ? 'absent' : `${s.transfer.blockHash.slice(-1)}@${s.heights.head}`)))}`;
      // A payment that was credited earlier and only moved blocks stays credited: the credit stands on the transaction.
      const everCredited = step.invoice.payments[0]?.state === 'credited';
      expect(credited(step), context).toBe(deep || (everCredited && last.kind === 'included') ? 10_000_000n : 0n);
      expect(step.invoice.payments.filter((p) => p.state === 'credited').length, context).toBe(credited(step) > 0n ? 1 : 0);
      expect(new Set(step.entries.map((e) => e.id)).size, `${context}: journal ids are unique`).toBe(step.entries.length);
      const again = apply(step, last, transfer());
      expect(again.invoice.version, `${context}: asking again changes nothing`).toBe(step.invoice.version);
    }
  });

  it('A -> B -> A: a credited payment the chain took away and brought back is credited again, once', () => {
    const a = transfer();
    let step: Step = { invoice: waiting(), entries: [] };
    step = apply(step, included(a, 105), a);
    expect(step.invoice.status).toBe('paid');
    step = apply(step, { kind: 'absent' }, a);
    expect(step.invoice.payments[0].state).toBe('reversed');
    step = apply(step, included(a, 110), a);
    expect(step.invoice.payments[0]).toMatchObject({ state: 'credited', credits: 2 });
    expect(credited(step)).toBe(10_000_000n);
    expect(step.entries.map((e) => e.id)).toEqual([`credit:${transferKey(a)}:1`, `credit:${transferKey(a)}:1:reversal`, `credit:${transferKey(a)}:2`]);
  });

  it('a transfer re-included in another block before its old block is reported orphaned stays on the way to credit', () => {
    const a = transfer();
    const b = transfer({ blockHash: hash(0xb), blockNumber: 102 });
    let step: Step = { invoice: waiting(), entries: [] };
    step = apply(step, included(a, 101), a);
    step = apply(step, included(b, 102), a);
    expect(step.invoice.payments[0]).toMatchObject({ state: 'pending', transfer: { blockHash: hash(0xb) } });
    step = apply(step, included(b, 104), a);
    expect(step.invoice.status).toBe('paid');
  });
});

describe('offers stand', () => {
  const ethOffer = offer({ code: 'ETH', address: OTHER_ADDRESS, amountToPay: 5_000_000_000_000_000n, baseAmount: 5_000_000_000_000_000n, usdPerUnit: ratio(2000n, 1n) });

  it('a payment to an earlier offer (USDT) after the payer switched to ETH is credited at its own offer', () => {
    const invoice = waiting({ selection: ethOffer, previousOffers: [offer()] });
    expect(placeOf(invoice, transfer(), 'USDT_ERC20')).toBe('invoice');
    const step = apply({ invoice, entries: [] }, included(transfer(), 110), transfer());
    expect(step.invoice.status).toBe('paid');
    expect(step.invoice.payments[0]).toMatchObject({ state: 'credited', code: 'USDT_ERC20', classification: 'payment' });
    expect(credited(step)).toBe(10_000_000n);
  });

  it('halves of two offers add up to paid', () => {
    const invoice = waiting({ selection: ethOffer, previousOffers: [offer()] });
    let step = apply({ invoice, entries: [] }, included(transfer({ amount: 5_000_000n }), 110), transfer({ amount: 5_000_000n }));
    expect(step.invoice.status).toBe('partial');
    const eth = transfer({ txHash: hash(2), logIndex: null, contract: null, to: OTHER_ADDRESS, amount: 2_500_000_000_000_000n });
    step = apply(step, included(eth, 110), eth, { code: 'ETH' });
    expect(step.invoice.status).toBe('paid');
  });

  it('a coin never offered at that address, an unknown token, and a full invoice go apart for review', () => {
    const invoice = waiting();
    expect(placeOf(invoice, transfer(), null)).toBe('unrecognized_token');
    expect(placeOf(invoice, transfer(), 'USDC_ERC20')).toBe('other_currency');
    expect(placeOf(invoice, transfer({ to: OTHER_ADDRESS }), 'USDT_ERC20')).toBe('other_currency');
    let full = invoice;
    for (let i = 0; i < PAYMENTS_PER_INVOICE_MAX; i += 1) {
      full = recordTransfer(full, { transfer: transfer({ txHash: hash(1000 + i), amount: 1n }), code: 'USDT_ERC20', finality: THREE, source: 'watcher', now: T }).invoice;
    }
    expect(placeOf(full, transfer({ txHash: hash(5) }), 'USDT_ERC20')).toBe('invoice_full');
    // One it already holds is still reconciled on the item.
    expect(placeOf(full, transfer({ txHash: hash(1000), amount: 1n }), 'USDT_ERC20')).toBe('invoice');
  });
});

describe('a quote expires', () => {
  const ethOffer = offer({ code: 'ETH', amountToPay: 5_000_000_000_000_000n, baseAmount: 5_000_000_000_000_000n, usdPerUnit: ratio(2000n, 1n) });
  const eth = (blockTime: number) => transfer({ logIndex: null, contract: null, amount: 5_000_000_000_000_000n, blockTime });

  it('a volatile coin paid inside the lock is valued at the quote; after it, at the market', () => {
    const invoice = waiting({ selection: ethOffer });
    expect(needsMarketRate(invoice, { code: 'ETH', transfer: eth(ethOffer.lockedUntil) }, false)).toBe(false);
    expect(needsMarketRate(invoice, { code: 'ETH', transfer: eth(ethOffer.lockedUntil + 1) }, false)).toBe(true);
    expect(needsMarketRate(invoice, { code: 'USDT_ERC20', transfer: transfer({ blockTime: ethOffer.lockedUntil + 1 }) }, true)).toBe(false);
  });

  it('after the lock, the quoted amount at half the price pays half: partial', () => {
    const late = eth(ethOffer.lockedUntil + 1);
    const step = apply({ invoice: waiting({ selection: ethOffer }), entries: [] }, included(late, 110), late, { code: 'ETH', market: ratio(1000n, 1n) });
    expect(step.invoice.status).toBe('partial');
    expect(step.invoice.payments[0].valuedUsdPerUnit).toEqual(ratio(1000n, 1n));
    // The whole amount is still credited to the balance: valuation decides the status, not the money kept.
    expect(credited(step)).toBe(5_000_000_000_000_000n);
  });

  it('after the lock at a higher price, the same amount overpays', () => {
    const late = eth(ethOffer.lockedUntil + 1);
    const step = apply({ invoice: waiting({ selection: ethOffer }), entries: [] }, included(late, 110), late, { code: 'ETH', market: ratio(3000n, 1n) });
    expect(step.invoice.status).toBe('overpaid');
  });
});

describe('expiry by block time', () => {
  const expired = (): Invoice => waiting({ status: 'canceled', finishedAt: EXPIRES + 5_000, facts: { expired: true } });

  it('an on-time payment confirmed after the expirer canceled the invoice reopens it as paid', () => {
    const t = transfer({ blockTime: EXPIRES - 1 });
    const step = apply({ invoice: expired(), entries: [] }, included(t, 110), t);
    expect(step.invoice).toMatchObject({ status: 'paid', facts: { expired: false } });
    expect(step.invoice.payments[0].classification).toBe('payment');
  });

  it('a payment whose block is after the expiry stays late', () => {
    const t = transfer({ blockTime: EXPIRES + 1 });
    const step = apply({ invoice: expired(), entries: [] }, included(t, 110), t);
    expect(step.invoice.status).toBe('canceled');
    expect(step.invoice.payments[0].classification).toBe('late');
  });
});

describe('balances never go below zero', () => {
  it('a reversal beyond what is available leaves a debt that the next credits repay first', () => {
    expect(settleBalance({ available: 30n, debt: 0n }, -100n)).toEqual({ available: 0n, debt: 70n, repaid: 0n, shortfall: 70n });
    expect(settleBalance({ available: 0n, debt: 70n }, 50n)).toEqual({ available: 0n, debt: 20n, repaid: 50n, shortfall: 0n });
    expect(settleBalance({ available: 0n, debt: 20n }, 50n)).toEqual({ available: 30n, debt: 0n, repaid: 20n, shortfall: 0n });
    expect(settleBalance({ available: 100n, debt: 0n }, -40n)).toEqual({ available: 60n, debt: 0n, repaid: 0n, shortfall: 0n });
  });
});

describe('credit needs a pending payment in the same block', () => {
  it('keeps the existing guards', () => {
    const t = transfer();
    const seen = recordTransfer(waiting(), { transfer: t, code: 'USDT_ERC20', finality: THREE, source: 'watcher', now: T }).invoice;
    const out = creditPayment(seen, { key: transferKey(t), blockHash: hash(0xb), confirmations: 3, toleranceUnits: 0n, now: T });
    expect(out.ok).toBe(false);
    const p = seen.payments[0] as Payment;
    expect(p.credits).toBe(0);
  });
});

describe('attack: a payment the chain took away and brought back', () => {
  it('the only payment of a paid invoice, reversed by a deep reorg and credited again, is still the payment, not a duplicate', () => {
    const a = transfer();
    let step: Step = { invoice: waiting(), entries: [] };
    step = apply(step, included(a, 105), a);
    step = apply(step, { kind: 'absent' }, a);
    step = apply(step, included(a, 110), a);
    // Nothing else paid this invoice: calling it a duplicate sends the merchant a payment.duplicate
    // postback, sets facts.duplicate and leaves paidShare at zero for a paid invoice.
    expect(step.invoice.payments[0]).toMatchObject({ state: 'credited', credits: 2, classification: 'payment' });
    expect(step.invoice.facts.duplicate ?? false).toBe(false);
  });
});
