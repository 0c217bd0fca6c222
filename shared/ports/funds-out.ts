/**
 * What money going out needs (funds-out issue): the withdrawals themselves, the chain senders that
 * sign and broadcast (task functions only: they hold the mnemonic), the hot wallets' nonces and
 * the workflows that run each withdrawal and sweep once.
 */
import type { ChainId } from '../domain/currencies';
import type { Instant } from '../domain/time';
import type { SignedTransfer, Withdrawal } from '../domain/withdrawal';
import type { DisperseSender } from './payouts';

/** Whose key signs: the chain's hot wallet, or the deposit address at this derivation index. */
export type KeyRef = { kind: 'hot' } | { kind: 'deposit'; index: number };

/** A fee bid. EVM: EIP-1559 prices per gas; Tron: the fee limit in sun (energy burned at most). */
export type FeeBid = { maxFeePerGas: bigint | null; maxPriorityFeePerGas: bigint | null; feeLimit: bigint | null };

/** The most a transfer of `code` may burn, in the native coin's base units, with the bid that buys it. */
export type FeeQuote = { bid: FeeBid; maxNativeCost: bigint };

export type BroadcastOutcome = { kind: 'accepted' } | { kind: 'rejected'; reason: string; permanent: boolean };

/** A transaction in a block: whether it did what it said, and the native coin it burned. */
export type TxReceipt = { status: 'success' | 'reverted'; blockNumber: number; nativeCost: bigint };

/**
 * Signs and sends on one chain, whatever its family (EVM: ethers over JSON-RPC; Tron: tronweb
 * offline signing over TronGrid). Built only where the mnemonic may be read.
 */
export interface ChainSender {
  readonly chain: ChainId;
  /** The hot wallet's address: the family's own path, apart from deposit addresses. */
  hotAddress(): string;
  depositAddress(index: number): string;
  /** What `address` holds of `code` (the native coin or a token), at the chain's head. */
  balanceOf(address: string, code: string): Promise<bigint>;
  /** EVM: transactions from `address` in blocks (the next nonce the chain expects); Tron: null. */
  minedNonce(address: string): Promise<number | null>;
  quoteFee(code: string): Promise<FeeQuote>;
  sign(request: { from: KeyRef; code: string; to: string; amount: bigint; nonce: number | null; fee: FeeBid; now: Instant }): Promise<SignedTransfer>;
  /** Sending bytes the chain already has is `accepted` (a retry after a crash is harmless). */
  broadcast(tx: SignedTransfer): Promise<BroadcastOutcome>;
  /** null while the transaction is in no block. */
  receipt(hash: string): Promise<TxReceipt | null>;
  head(): Promise<number>;
  /** The disperse contract for mass payouts, where this chain has one deployed (EVM only); null: one transfer per item. */
  readonly disperse: DisperseSender | null;
}

/** The hot wallet's next nonce per chain, handed out once each (never two withdrawals on one nonce). */
export interface NonceStore {
  /**
   * The next nonce for `address`: at least `minedNonce`, and never one handed out before. Once per
   * `ownerId` (a withdrawal, a sweep's top-up): asked again, it answers the same nonce, so a step
   * retried after a crash never skips one and leaves a gap that would stall every later transaction.
   */
  take(chain: ChainId, address: string, minedNonce: number, ownerId: string): Promise<number>;
  /** The nonce `take` handed `ownerId`, if any: a release uses up one that no stored transfer holds. */
  claimed(chain: ChainId, address: string, ownerId: string): Promise<number | null>;
}

export type IdempotencyClaim = { keyHash: string; requestHash: string };

export type CreateWithdrawalOutcome =
  | { kind: 'created' }
  | { kind: 'idempotency_taken'; withdrawalId: string; requestHash: string }
  | { kind: 'daily_limit'; usedCents: bigint };

export interface WithdrawalStore {
  /**
   * Writes the withdrawal, its Idempotency-Key record and (API payouts) the day's USD use in one
   * transaction. `dailyLimit`: the day's total may not pass `limitCents`.
   */
  create(w: Withdrawal, extras: { idempotency?: IdempotencyClaim; dailyLimit?: { day: string; cents: bigint; limitCents: bigint } }): Promise<CreateWithdrawalOutcome>;
  get(id: string): Promise<Withdrawal | null>;
  /** The withdrawal an Idempotency-Key made, with the hash of the request that made it. */
  findByIdempotency(shopId: string, keyHash: string): Promise<{ withdrawalId: string; requestHash: string } | null>;
  /** Conditional on the version the caller read. */
  save(w: Withdrawal, expectedVersion: number): Promise<boolean>;
  /** Newest first; `cursor` continues a page. */
  listByProject(shopId: string, page: { limit: number; cursor: string | null }): Promise<{ items: Withdrawal[]; next: string | null }>;
}

export type WorkflowId = 'withdrawal' | 'sweep' | 'payout_batch';

/** Starts a workflow execution named `name`: a name used before is `already_started` (runs once). */
export interface WorkflowStarter {
  start(workflow: WorkflowId, name: string, input: Record<string, unknown>): Promise<'started' | 'already_started'>;
}

/** What only the sweep and withdrawal workers hold: signing senders (they read the mnemonic) and nonces. */
export type FundsOutDeps = { senders: (chain: ChainId) => ChainSender; nonces: NonceStore };
