/** Reading chains and keeping the watcher's position and the crediting writes. */

import type { ChainId } from '../domain/currencies';
import type { InvoiceId } from '../domain/ids';
import type { Invoice } from '../domain/invoice/invoice';
import type { Payment, StraySummary, StrayTransfer } from '../domain/invoice/payments';
import type { JournalEntry } from '../domain/ledger';
import type { Instant } from '../domain/time';
import type { Transfer, TxFacts } from '../domain/transfers';

/** A block as the watcher records it. */
export type BlockRef = { number: number; hash: string };
export type ScannedBlock = BlockRef & { parentHash: string; time: Instant };

export type { TxFacts } from '../domain/transfers';

/** Reads one EVM chain over JSON-RPC, with retries and URL fallback inside. */
export interface ChainReader {
  head(): Promise<BlockRef>;
  /** The block number a finality tag points at (`safe`, `finalized`). */
  taggedBlock(tag: 'safe' | 'finalized'): Promise<number>;
  blockHash(number: number): Promise<string | null>;
  /**
   * Blocks [from, to] and the transfers in them to addresses `isWatched` accepts: ERC-20 Transfer
   * logs (any contract, or only `contracts`) and native value transfers of successful transactions.
   */
  scan(range: { from: number; to: number }, isWatched: (address: string) => boolean, contracts: string[] | 'all'): Promise<{ blocks: ScannedBlock[]; transfers: Transfer[] }>;
  transaction(txHash: string): Promise<TxFacts | null>;
  /** RPC calls made so far (benchmarks). */
  readonly calls: number;
}

/**
 * A chain's scan position: the last scanned block and the hashes of recent ones (reorg detection).
 * `cursorTime` is the cursor block's timestamp: every transfer in a block up to that time has been
 * reported (null until a scan sets it, and again after a rewind).
 */
export type Checkpoint = { chain: ChainId; cursor: number; cursorTime: Instant | null; recent: BlockRef[]; head: BlockRef; headAt: Instant; version: number };

export interface CheckpointStore {
  get(chain: ChainId): Promise<Checkpoint | null>;
  /** Conditional on version (0: create); false when another watcher moved it first. */
  save(checkpoint: Checkpoint, expectedVersion: number): Promise<boolean>;
}

export type WatchedAddress = { address: string; watchUntil: Instant };

/** Deposit addresses a watcher matches against, loaded incrementally. */
export interface WatchedAddressSource {
  /** Addresses claimed at or after `since`. */
  claimedSince(chain: ChainId, since: Instant): Promise<(WatchedAddress & { claimedAt: Instant })[]>;
  /** Every address still watched at `now` (watchUntil after it); the expired ones are not read. */
  watchedAt(chain: ChainId, now: Instant): Promise<WatchedAddress[]>;
}

/** A transfer's own item: its idempotency key and where the confirmer finds it. */
export type TransferRecord = { key: string; invoiceId: InvoiceId; shopId: string; state: Payment['state']; blockNumber: number; blockHash: string };

export type { StraySummary, StrayTransfer } from '../domain/invoice/payments';

/** How a credit or reversal moved the balance beyond the plain change (BalanceState in the ledger). */
export type Applied = { applied: false } | { applied: true; shortfall: bigint; repaid: bigint };

/** The crediting consumer's writes, each one transaction (DESIGN §4). */
export interface PaymentStore {
  addressOwner(chain: ChainId, address: string): Promise<InvoiceId | null>;
  transfer(key: string): Promise<TransferRecord | null>;
  /**
   * Writes the invoice (conditional on `expectedVersion`), the transfer item, the journal entry
   * (once) and the balance projection together. False on a version conflict.
   */
  apply(change: { invoice: Invoice; expectedVersion: number; payment: Payment; entry: JournalEntry | null; now: Instant }): Promise<Applied>;
  /**
   * Records a stray transfer once, apart from the invoice item, so it can never crowd out or
   * conflict with real payments. Past STRAYS_KEPT_MAX per invoice only the count grows.
   */
  recordStray(stray: StrayTransfer): Promise<'recorded' | 'known' | 'counted'>;
  strays(invoiceId: InvoiceId): Promise<StraySummary>;
  /**
   * Up to `limit` pending transfers whose depth rule is met at `head` (blocks) or at the tagged
   * blocks, after `after` (an opaque page token); `next` continues there, null after the last.
   */
  dueForConfirmation(
    chain: ChainId,
    heights: { head: number; safe: number | null; finalized: number | null },
    limit: number,
    after?: string | null,
  ): Promise<{ due: TransferRecord[]; next: string | null }>;
  transfersInBlocks(chain: ChainId, from: number, to: number): Promise<TransferRecord[]>;
  /** The chain head the watcher last saw, for `confirmations` in answers. */
  chainHead(chain: ChainId): Promise<BlockRef | null>;
}
