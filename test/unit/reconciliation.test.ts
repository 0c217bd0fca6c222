/** Reconciliation's pure core with hand-made journal entries: balances against the journal, assets against the chain. */
import { describe, expect, it } from 'vitest';
import { accounts, accountTotals, DEPLOYMENT_OWNER, gasEntry, holdEntry, type JournalEntry, journalEntry, releaseEntry, reversalOf, settleEntry, sweepEntry } from '../../shared/domain/ledger';
import {
  balanceFromJournal,
  compareAssets,
  compareBalance,
  hotWalletReserve,
  reconciliationReport,
  reserveUnits,
} from '../../shared/domain/reconciliation';

const SHOP = 'SHOP1';
const USDT = 'USDT_ERC20';

/** A payment of `amount` at a deposit address, `fee` withheld for the merchant's side. */
const credit = (id: string, amount: bigint, fee = 0n, shopId = SHOP, code = USDT): JournalEntry =>
  journalEntry({ id: `credit:${id}`, shopId, code, at: 1, kind: 'payment.credit', ref: id, postings: [
    { account: accounts.deposits('ethereum', code), amount },
    { account: accounts.merchant(shopId, code), amount: -(amount - fee) },
    { account: accounts.fees(shopId, code), amount: -fee },
  ] });
const w = (id: string) => ({ id, shopId: SHOP, chain: 'ethereum' as const, code: USDT, at: 2 });

describe('balances recomputed from the journal', () => {
  it('credits, a hold, a settle with a fee and a released hold give available, held and total', () => {
    const entries = [credit('a', 100_000_000n, 1_000_000n), credit('b', 50_000_000n), holdEntry(w('w1'), 30_000_000n), settleEntry(w('w1'), 29_000_000n, 1_000_000n), holdEntry(w('w2'), 10_000_000n), holdEntry(w('w3'), 5_000_000n), releaseEntry(w('w3'), 5_000_000n)];
    expect(balanceFromJournal(SHOP, USDT, entries)).toEqual({ total: 119_000_000n, available: 109_000_000n, held: 10_000_000n, debt: 0n });
  });

  it('a reversal beyond what is available is debt, not a negative balance', () => {
    const paid = credit('a', 100n);
    const entries = [paid, holdEntry(w('w1'), 80n), settleEntry(w('w1'), 80n, 0n), reversalOf(paid, 3)];
    expect(balanceFromJournal(SHOP, USDT, entries)).toEqual({ total: -80n, available: 0n, held: 0n, debt: 80n });
  });

  it('names the fields of a balance item that disagree with the journal, and nothing when they agree', () => {
    const journal = balanceFromJournal(SHOP, USDT, [credit('a', 100n)]);
    expect(compareBalance(SHOP, USDT, journal, { ...journal })).toBeNull();
    const drift = compareBalance(SHOP, USDT, journal, { ...journal, available: 150n, total: 150n });
    expect(drift?.fields).toEqual(['total', 'available']);
    expect(drift?.journal.available).toBe(100n);
    expect(drift?.stored.available).toBe(150n);
  });

  it('ignores the entries of another shop or code', () => {
    expect(balanceFromJournal(SHOP, USDT, [credit('x', 7n, 0n, 'OTHER')]).total).toBe(0n);
  });
});

describe('assets against the chain', () => {
  const sweep = sweepEntry({ sweepId: 's1', chain: 'ethereum', code: USDT, at: 3 }, 60n);
  const totals = accountTotals([credit('a', 100n), credit('b', 50n, 0n, 'OTHER'), sweep]);

  it('sums deposits and hot over every owner: 150 received, 60 swept', () => {
    const line = compareAssets(totals, { chain: 'ethereum', code: USDT, native: false, deposits: 90n, depositAddresses: 2, hot: 60n });
    expect(line.ledger).toEqual({ deposits: 90n, hot: 60n, total: 150n });
    expect(line).toMatchObject({ difference: 0n, verdict: 'ok' });
  });

  it('a sweep landed but not yet settled moves coins between the parts, not the total: no drift', () => {
    const line = compareAssets(totals, { chain: 'ethereum', code: USDT, native: false, deposits: 50n, depositAddresses: 1, hot: 100n });
    expect(line.verdict).toBe('ok');
  });

  it('less on the chain than in the books is a shortfall, with the amount', () => {
    const line = compareAssets(totals, { chain: 'ethereum', code: USDT, native: false, deposits: 65n, depositAddresses: 2, hot: 60n });
    expect(line).toMatchObject({ difference: -25n, verdict: 'shortfall' });
    expect(reconciliationReport(0, 0, [], [line]).drift).toBe(true);
  });

  it('short by no more than what withdrawals hold is money in flight (sent, not yet settled), not drift; beyond it, drift', () => {
    const withHeld = new Map([...totals, [`held:${SHOP}:${USDT}`, -30n]]);
    expect(compareAssets(withHeld, { chain: 'ethereum', code: USDT, native: false, deposits: 90n, depositAddresses: 2, hot: 30n })).toMatchObject({ difference: -30n, verdict: 'in_flight' });
    expect(compareAssets(withHeld, { chain: 'ethereum', code: USDT, native: false, deposits: 90n, depositAddresses: 2, hot: 29n }).verdict).toBe('shortfall');
  });

  it('more of a token than the books know is unrecorded (a warning, not drift)', () => {
    const line = compareAssets(totals, { chain: 'ethereum', code: USDT, native: false, deposits: 95n, depositAddresses: 2, hot: 60n });
    expect(line).toMatchObject({ difference: 5n, verdict: 'unrecorded' });
    expect(reconciliationReport(0, 0, [], [line]).drift).toBe(false);
  });

  it("more native coin on the hot wallet is the operator's fee reserve; gas burned is out of the books too", () => {
    const gas = gasEntry({ id: 'g1', chain: 'ethereum', nativeCode: 'ETH', at: 4, ref: '0xabc', from: 'hot' }, 21_000n);
    const ethTotals = accountTotals([credit('e', 1_000_000n, 0n, SHOP, 'ETH'), sweepEntry({ sweepId: 's2', chain: 'ethereum', code: 'ETH', at: 3 }, 1_000_000n), gas]);
    const line = compareAssets(ethTotals, { chain: 'ethereum', code: 'ETH', native: true, deposits: 0n, depositAddresses: 0, hot: 5_000_000n });
    expect(line.ledger.total).toBe(979_000n);
    expect(line).toMatchObject({ difference: 4_021_000n, verdict: 'reserve' });
  });

  it('native coin above the books at a deposit address is unrecorded, not reserve', () => {
    const line = compareAssets(accountTotals([credit('e', 100n, 0n, SHOP, 'ETH')]), { chain: 'ethereum', code: 'ETH', native: true, deposits: 130n, depositAddresses: 1, hot: 0n });
    expect(line.verdict).toBe('unrecorded');
  });

  it('books with hot funds but no known hot wallet are a shortfall: nothing proves the coins are there', () => {
    const line = compareAssets(totals, { chain: 'ethereum', code: USDT, native: false, deposits: 90n, depositAddresses: 2, hot: null });
    expect(line).toMatchObject({ difference: -60n, verdict: 'shortfall' });
  });

  it('the deployment owner journals sweeps, never a project', () => {
    expect(sweep.shopId).toBe(DEPLOYMENT_OWNER);
  });
});

describe('hot wallet fee reserve', () => {
  it('turns a reserve in whole coins into base units, rounding up, and refuses nonsense', () => {
    expect(reserveUnits('0.05', 18)).toBe(50_000_000_000_000_000n);
    expect(reserveUnits('50', 6)).toBe(50_000_000n);
    expect(reserveUnits('0.0000001', 6)).toBe(1n);
    expect(reserveUnits('-1', 6)).toBeNull();
    expect(reserveUnits('lots', 6)).toBeNull();
  });

  it('is low below the minimum, and when unknown', () => {
    expect(hotWalletReserve('tron', 'T...', 'TRX', 49n, 50n).low).toBe(true);
    expect(hotWalletReserve('tron', 'T...', 'TRX', 50n, 50n).low).toBe(false);
    expect(hotWalletReserve('tron', null, 'TRX', null, 50n).low).toBe(true);
  });
});
