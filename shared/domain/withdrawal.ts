/**
 * A withdrawal: money leaving the hot wallet for a merchant's recipient. Pure rules only; the
 * workflow (lib/workflows/withdrawal.ts) runs the steps and the ledger port writes the entries.
 *
 *   requested ─hold─▶ held ─sign─▶ signed ─broadcast─▶ broadcast ─confirm─▶ confirmed (settled)
 *        │              │            │                     │
 *        └──────────────┴────────────┴──── fail/cancel ────┴─▶ failed | canceled (released)
 *
 * A withdrawal may be canceled only while nothing can reach the chain: before it is signed, or
 * when its signed transaction was proved never to land (its nonce taken by another, or expired).
 */
import type { ChainId } from './currencies';
import type { FeeSide } from './project';
import type { Instant } from './time';

export type WithdrawalStatus = 'requested' | 'held' | 'signed' | 'broadcast' | 'confirmed' | 'failed' | 'canceled';
export const WITHDRAWAL_STATUSES: readonly WithdrawalStatus[] = ['requested', 'held', 'signed', 'broadcast', 'confirmed', 'failed', 'canceled'];
export const FINAL_WITHDRAWAL_STATUSES: ReadonlySet<WithdrawalStatus> = new Set(['confirmed', 'failed', 'canceled']);

/** Who asked: the CryptoCloud API (any address, bounded), the native API or CLI (saved wallets only), a rule, a mass payout's item. */
export type WithdrawalSource = 'cryptocloud_api' | 'native_api' | 'cli' | 'rule' | 'batch';

/** A mass payout's item is a withdrawal that belongs to its batch (shared/domain/payout-batch.ts). */
export type BatchRef = { id: string; index: number; reference: string };

/** A signed transaction, persisted before it is broadcast, so a retry sends these bytes again and never new ones. */
export type SignedTransfer = {
  hash: string;
  raw: string;
  /** EVM: the hot wallet's nonce it uses; Tron has none (the transaction expires instead). */
  nonce: number | null;
  /** EVM: the fee bid (wei per gas); a bump replaces the transaction at the same nonce. */
  maxFeePerGas: bigint | null;
  maxPriorityFeePerGas: bigint | null;
  /** Tron: after this the chain refuses the transaction, so it can never land. */
  expiresAt: Instant | null;
  signedAt: Instant;
};

export type Withdrawal = {
  /** `INV-` + 8 characters, as CryptoCloud answers `out/create`; also the workflow execution's name. */
  id: string;
  shopId: string;
  code: string;
  chain: ChainId;
  toAddress: string;
  /** A saved withdrawal wallet, when paid to one. */
  walletId: string | null;
  /** What the merchant asked for, in base units. */
  amount: bigint;
  /** The network fee charged in the withdrawn currency, and who bears it (the project's `side_commission`). */
  fee: bigint;
  feeSide: FeeSide;
  /** What reaches the recipient: amount less the fee on the client side. */
  sendAmount: bigint;
  /** What the hold takes from `available`: amount plus the fee on the merchant side. */
  holdAmount: bigint;
  source: WithdrawalSource;
  /** Set on a mass payout's item: the batch, the item's place in it and the merchant's reference. */
  batch: BatchRef | null;
  status: WithdrawalStatus;
  /** Why it failed or was canceled, for the merchant. */
  reason: string | null;
  /** The transaction in flight; earlier ones it replaced (fee bumps) stay listed, any of them may land. */
  tx: SignedTransfer | null;
  replaced: SignedTransfer[];
  /** The hash that landed and its block, once confirmed. */
  landed: { hash: string; blockNumber: number } | null;
  createdAt: Instant;
  updatedAt: Instant;
  version: number;
};

/** The fee split of a request: who bears it decides what is held and what is sent. */
export function withdrawalAmounts(amount: bigint, fee: bigint, feeSide: FeeSide): { sendAmount: bigint; holdAmount: bigint } | 'fee_exceeds_amount' {
  if (feeSide === 'client') return amount > fee ? { sendAmount: amount - fee, holdAmount: amount } : 'fee_exceeds_amount';
  return { sendAmount: amount, holdAmount: amount + fee };
}

export const isFinal = (w: Withdrawal): boolean => FINAL_WITHDRAWAL_STATUSES.has(w.status);

/** Whether the merchant may still cancel: nothing signed, so nothing can reach the chain. */
export const isCancelable = (w: Withdrawal): boolean => w.status === 'requested' || w.status === 'held';

/** Every hash that may still land for this withdrawal (the current one and any it replaced). */
export const candidateHashes = (w: Withdrawal): string[] => [...(w.tx ? [w.tx.hash] : []), ...w.replaced.map((t) => t.hash)];

const ALLOWED: Record<WithdrawalStatus, readonly WithdrawalStatus[]> = {
  requested: ['held', 'failed', 'canceled'],
  held: ['signed', 'failed', 'canceled'],
  signed: ['broadcast', 'confirmed', 'failed'],
  broadcast: ['broadcast', 'confirmed', 'failed'],
  confirmed: [],
  failed: [],
  canceled: [],
};

/** A status change, refused when the state machine has no such edge (a replayed or reordered step). */
export function moveWithdrawal(w: Withdrawal, to: WithdrawalStatus, at: Instant, patch: Partial<Pick<Withdrawal, 'reason' | 'tx' | 'replaced' | 'landed'>> = {}): Withdrawal | null {
  if (!ALLOWED[w.status].includes(to)) return null;
  return { ...w, ...patch, status: to, updatedAt: at, version: w.version + 1 };
}

/** What the ledger's entries of this withdrawal are keyed and dated by. */
export const ledgerFacts = (w: Withdrawal, at: Instant) => ({ id: w.id, shopId: w.shopId, chain: w.chain, code: w.code, at });
