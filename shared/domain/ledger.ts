/**
 * The double-entry journal (DESIGN §5, STYLE §5). Every balance change is one entry whose
 * postings sum to zero; entries are append-only and a reversal is a new entry with the signs
 * flipped. Debits are positive, credits negative.
 */
import type { ChainId } from './currencies';
import type { Instant } from './time';

export type Posting = { account: string; amount: bigint };

export type JournalEntry = {
  /** Deterministic, so a retried write cannot post twice. */
  id: string;
  shopId: string;
  code: string;
  at: Instant;
  kind: 'payment.credit' | 'payment.reversal';
  /** What caused it: a transfer key. */
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
};

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
