/**
 * The customer's view of an invoice (shared/domain/invoice/payer-view.ts), every state from real
 * domain transitions: what the payment page's first render and its status poll both show.
 */
import { describe, expect, it } from 'vitest';
import { resolveChainDeployments } from '../../shared/domain/chains';
import { cancelInvoice, type Invoice, type Selection } from '../../shared/domain/invoice/invoice';
import { payerView } from '../../shared/domain/invoice/payer-view';
import { creditPayment, recordTransfer } from '../../shared/domain/invoice/payments';
import { ratio } from '../../shared/domain/money';
import type { Result } from '../../shared/domain/result';
import { type Transfer, transferKey } from '../../shared/domain/transfers';
import { buildInvoice } from '../support/builders';

const T = Date.UTC(2026, 0, 1);
const ADDRESS = `0x${'a'.repeat(40)}`;
const deployments = resolveChainDeployments({ ethereum: { rpcUrls: ['https://rpc.example'] } });
if (!deployments.ok) throw new Error('chain settings');
const chains = deployments.value;
const ethereum = chains.find((c) => c.chain === 'ethereum');
if (!ethereum) throw new Error('no ethereum deployment');

const selection: Selection = { code: 'USDT_ERC20', address: ADDRESS, derivationIndex: 1, baseAmount: 10_000_000n, transferFee: 0n, serviceFee: 0n, amountToPay: 10_000_000n, usdPerUnit: ratio(1n, 1n), lockedAt: T, lockedUntil: T + 30 * 60_000 };
const waiting = (overrides: Partial<Invoice> = {}) => buildInvoice({ createdAt: T, expiresAt: T + 3_600_000, selection, ...overrides });
const transfer = (n: number, amount: bigint, blockTime = T + 1_000): Transfer => ({
  chain: 'ethereum',
  txHash: `0x${n.toString(16).padStart(64, '0')}`,
  logIndex: 0,
  blockNumber: 100 + n,
  blockHash: `0x${'b'.repeat(64)}`,
  blockTime,
  contract: '0xdAC17F958D2ee523a2206206994597C13D831ec7',
  from: `0x${'1'.repeat(40)}`,
  to: ADDRESS,
  amount,
});
const unwrap = <V, E>(r: Result<V, E>): V => {
  if (!r.ok) throw new Error(JSON.stringify(r.error));
  return r.value;
};
const seen = (invoice: Invoice, t: Transfer) => recordTransfer(invoice, { transfer: t, code: 'USDT_ERC20', finality: { blocks: 12 }, source: 'watcher', now: t.blockTime + 1_000 }).invoice;
const paid = (invoice: Invoice, t: Transfer) => unwrap(creditPayment(seen(invoice, t), { key: transferKey(t), blockHash: t.blockHash, confirmations: 12, toleranceUnits: 0n, now: t.blockTime + 60_000 })).invoice;
const view = (invoice: Invoice, now = T + 10_000, heads = new Map([['ethereum' as const, 100]])) => payerView(invoice, { now, heads, chains });

describe('payerView', () => {
  it('asks for a choice until a currency is chosen, then waits for the payment with all of it due', () => {
    expect(view(buildInvoice({ createdAt: T, expiresAt: T + 3_600_000 })).state).toBe('choose');
    expect(view(waiting())).toMatchObject({ state: 'waiting', remaining: 10_000_000n, overpaidBy: 0n, progress: null });
  });

  it('shows a payment on its way with k of N confirmations and the time the rest takes at the chain block time', () => {
    const v = view(seen(waiting(), transfer(1, 10_000_000n)), T + 10_000, new Map([['ethereum', 104]]));
    expect(v.state).toBe('seen');
    expect(v.progress).toEqual({ confirmations: 4, required: 12, expectedMs: 8 * ethereum.blockTimeMs });
  });

  it('tells a partial payer exactly what is left, rounded up; an overpaid invoice says by how much', () => {
    expect(view(paid(waiting(), transfer(1, 3_333_333n)))).toMatchObject({ state: 'partial', remaining: 6_666_667n });
    const over = paid(waiting(), transfer(2, 12_500_000n));
    expect(view(over)).toMatchObject({ state: 'overpaid', remaining: 0n, overpaidBy: 2_500_000n });
    expect(view(paid(waiting(), transfer(3, 10_000_000n)))).toMatchObject({ state: 'paid', remaining: 0n });
  });

  it('says expired once the time is up with nothing on its way, canceled when the shop canceled, late when funds came after', () => {
    expect(view(waiting(), T + 3_600_000).state).toBe('expired');
    // A payment sent in time keeps the page on "seen", not "expired", while it confirms.
    expect(view(seen(waiting(), transfer(4, 10_000_000n, T + 3_599_000)), T + 3_700_000).state).toBe('seen');
    const canceled = unwrap(cancelInvoice(waiting(), T + 5_000)).invoice;
    expect(view(canceled).state).toBe('canceled');
    expect(view({ ...canceled, facts: { expired: true } }).state).toBe('expired');
    expect(view({ ...canceled, facts: { expired: true, late: true } }).state).toBe('late');
  });

  it('stops asking a partial payer for the rest once the invoice expired: more funds would be late, not counted', () => {
    const partial = paid(waiting(), transfer(5, 3_333_333n));
    expect(partial.status).toBe('partial');
    expect(view(partial, T + 3_599_999).state).toBe('partial');
    expect(view(partial, T + 3_600_000).state).toBe('expired');
  });
});
