/**
 * The double-entry journal (DESIGN §5, STYLE §5). Every balance change is one entry whose
 * postings sum to zero; entries are append-only and a reversal is a new entry with the signs
 * flipped. Debits are positive, credits negative.
 */
import type { ChainId } from './currencies';
import type { Instant } from './time';

export type Posting = { account: string; amount: bigint };

/**
 * Money in: crediting writes `payment.*`. Money out (funds-out issue): a withdrawal holds, then
 * settles or releases, and its network fee is its own entry; a sweep moves a deposit to the hot
 * wallet and records the gas it burned. All of them go through the one ledger port (ports/ledger.ts).
 */
export type EntryKind =
  | 'payment.credit'
  | 'payment.reversal'
  | 'withdrawal.hold'
  | 'withdrawal.settle'
  | 'withdrawal.release'
  | 'withdrawal.fee'
  | 'sweep.move'
  | 'network.gas';

export type JournalEntry = {
  /** Deterministic, so a retried write cannot post twice. */
  id: string;
  shopId: string;
  code: string;
  at: Instant;
  kind: EntryKind;
  /** What caused it: a transfer key, a withdrawal id, a sweep id. */
  ref: string;
  postings: Posting[];
};

export const accounts = {
  /** Asset: coins sitting at this deployment's deposit addresses. */
  deposits: (chain: ChainId, code: string) => `deposits:${chain}:${code}`,
  /** Liability: what the merchant may withdraw; its balance item is the projection. */
  merchant: (shopId: string, code: string) => `merchant:${shopId}:${code}`,
  /** Merchant-side fees withheld from a payment (sweep gas and the service fee). */
  fees: (shopId: string, code: string) => `fees:${shopId}:${code}`,
  /** Liability: what the merchant has asked to withdraw and is not yet sent (a hold). */
  held: (shopId: string, code: string) => `held:${shopId}:${code}`,
  /** Asset: coins in this deployment's hot wallet on the chain. */
  hot: (chain: ChainId, code: string) => `hot:${chain}:${code}`,
  /** Expense: native coin the deployment burned as network fees (gas, energy, bandwidth). */
  gas: (chain: ChainId, code: string) => `gas:${chain}:${code}`,
  /** Income: network fees charged to merchants on their withdrawals, in the withdrawn currency. */
  feeIncome: (chain: ChainId, code: string) => `fee-income:${chain}:${code}`,
};

/**
 * Deployment-level entries (sweeps, gas) have no project: they are journaled under this owner,
 * which no shop id can equal (shop ids are alphanumeric).
 */
export const DEPLOYMENT_OWNER = '_deployment';

/** Which asset accounts hold a chain's coins: what reconciliation compares with the chain. */
export const assetAccounts = (chain: ChainId, code: string) => ({ deposits: accounts.deposits(chain, code), hot: accounts.hot(chain, code) });

export function journalEntry(entry: JournalEntry): JournalEntry {
  const postings = entry.postings.filter((p) => p.amount !== 0n);
  const sum = postings.reduce((acc, p) => acc + p.amount, 0n);
  if (sum !== 0n) throw new Error(`invariant: journal entry ${entry.id} does not balance (${sum})`);
  if (postings.length < 2) throw new Error(`invariant: journal entry ${entry.id} needs two sides`);
  return { ...entry, postings };
}

export function reversalOf(entry: JournalEntry, at: Instant): JournalEntry {
  return journalEntry({ ...entry, id: `${entry.id}:reversal`, kind: 'payment.reversal', at, postings: entry.postings.map((p) => ({ ...p, amount: -p.amount })) });
}

/** A merchant balance projection: what may be withdrawn, and what a reversal took beyond it. */
export type BalanceState = { available: bigint; debt: bigint };

/**
 * Applies a change of the merchant's liability to the balance without ever taking `available`
 * below zero: a reversal larger than what is available (funds already paid out) leaves the rest
 * as debt, and later credits repay the debt before they become available.
 */
export function settleBalance(balance: BalanceState, delta: bigint): BalanceState & { repaid: bigint; shortfall: bigint } {
  if (delta >= 0n) {
    const repaid = delta < balance.debt ? delta : balance.debt;
    return { available: balance.available + delta - repaid, debt: balance.debt - repaid, repaid, shortfall: 0n };
  }
  const need = -delta;
  if (need <= balance.available) return { available: balance.available - need, debt: balance.debt, repaid: 0n, shortfall: 0n };
  const shortfall = need - balance.available;
  return { available: 0n, debt: balance.debt + shortfall, repaid: 0n, shortfall };
}

/** How a journal entry moves the merchant's balance projection (liabilities are credit-normal). */
export function merchantDelta(entry: JournalEntry): bigint {
  const account = accounts.merchant(entry.shopId, entry.code);
  return -entry.postings.filter((p) => p.account === account).reduce((acc, p) => acc + p.amount, 0n);
}

/** The `held` account's share of an entry (credit-normal, like the merchant's). */
export function heldDelta(entry: JournalEntry): bigint {
  const account = accounts.held(entry.shopId, entry.code);
  return -entry.postings.filter((p) => p.account === account).reduce((acc, p) => acc + p.amount, 0n);
}

/** What a hold, settle or release of a withdrawal posts; `id` is the withdrawal's. */
export type WithdrawalLedgerFacts = { id: string; shopId: string; chain: ChainId; code: string; at: Instant };

/** available → held: the whole amount the withdrawal may take (amount plus a merchant-side fee). */
export const holdEntry = (w: WithdrawalLedgerFacts, total: bigint): JournalEntry =>
  journalEntry({ id: `${w.id}:hold`, shopId: w.shopId, code: w.code, at: w.at, kind: 'withdrawal.hold', ref: w.id, postings: [
    { account: accounts.merchant(w.shopId, w.code), amount: total },
    { account: accounts.held(w.shopId, w.code), amount: -total },
  ] });

/** held → sent: the coins left the hot wallet (`sent`), and the fee charged stays as fee income. */
export const settleEntry = (w: WithdrawalLedgerFacts, sent: bigint, feeCharged: bigint): JournalEntry =>
  journalEntry({ id: `${w.id}:settle`, shopId: w.shopId, code: w.code, at: w.at, kind: 'withdrawal.settle', ref: w.id, postings: [
    { account: accounts.held(w.shopId, w.code), amount: sent + feeCharged },
    { account: accounts.hot(w.chain, w.code), amount: -sent },
    { account: accounts.feeIncome(w.chain, w.code), amount: -feeCharged },
  ] });

/** held → available: the withdrawal will never be sent. */
export const releaseEntry = (w: WithdrawalLedgerFacts, total: bigint): JournalEntry =>
  journalEntry({ id: `${w.id}:release`, shopId: w.shopId, code: w.code, at: w.at, kind: 'withdrawal.release', ref: w.id, postings: [
    { account: accounts.held(w.shopId, w.code), amount: total },
    { account: accounts.merchant(w.shopId, w.code), amount: -total },
  ] });

/** Native coin burned by a transaction of the deployment (`ref`: its hash), from the hot wallet or a deposit address. */
export const gasEntry = (facts: { id: string; chain: ChainId; nativeCode: string; at: Instant; ref: string; from: 'hot' | 'deposits' }, burned: bigint): JournalEntry =>
  journalEntry({ id: facts.id, shopId: DEPLOYMENT_OWNER, code: facts.nativeCode, at: facts.at, kind: 'network.gas', ref: facts.ref, postings: [
    { account: accounts.gas(facts.chain, facts.nativeCode), amount: burned },
    { account: facts.from === 'hot' ? accounts.hot(facts.chain, facts.nativeCode) : accounts.deposits(facts.chain, facts.nativeCode), amount: -burned },
  ] });

/** A deposit swept into the hot wallet: the coins change place, nobody's balance changes. */
export const sweepEntry = (facts: { sweepId: string; chain: ChainId; code: string; at: Instant }, moved: bigint): JournalEntry =>
  journalEntry({ id: `${facts.sweepId}:move`, shopId: DEPLOYMENT_OWNER, code: facts.code, at: facts.at, kind: 'sweep.move', ref: facts.sweepId, postings: [
    { account: accounts.hot(facts.chain, facts.code), amount: moved },
    { account: accounts.deposits(facts.chain, facts.code), amount: -moved },
  ] });

/** Sums postings per account: how reconciliation recomputes balances from the journal. */
export function accountTotals(entries: Iterable<JournalEntry>): Map<string, bigint> {
  const totals = new Map<string, bigint>();
  for (const e of entries) for (const p of e.postings) totals.set(p.account, (totals.get(p.account) ?? 0n) + p.amount);
  return totals;
}
