/** Reading chains and keeping the watcher's position and the crediting writes. */

import type { ChainId, FinalityTag } from '../domain/currencies';
import type { InvoiceId } from '../domain/ids';
import type { Invoice } from '../domain/invoice/invoice';
import type { AddressOwner } from '../domain/static-wallet';
import type { ChainHeights } from '../domain/invoice/payments';
import type { Payment, StraySummary, StrayTransfer } from '../domain/invoice/payments';
import type { JournalEntry } from '../domain/ledger';
import type { Instant } from '../domain/time';
import type { Transfer, TxFacts } from '../domain/transfers';

/** A block as the watcher records it. */
export type BlockRef = { number: number; hash: string };
export type ScannedBlock = BlockRef & { parentHash: string; time: Instant };

export type { TxFacts } from '../domain/transfers';

/**
 * Reads one chain for the chain-neutral core, whatever its family: EVM over JSON-RPC
 * (shared/adapters/chains/evm), Tron over TronGrid's HTTP API (shared/adapters/chains/tron).
 * Retries, endpoint and key rotation live inside. Addresses and hashes come out in the family's
 * own form (shared/domain/chain-families.ts). Deriving deposit addresses is the family's other
 * half (AddressDeriver), kept apart so API functions carry no chain reader.
 */
export interface ChainAdapter {
  head(): Promise<BlockRef>;
  /** The block number a finality tag of this family points at (EVM `safe`, `finalized`; Tron `solidified`). */
  taggedBlock(tag: FinalityTag): Promise<number>;
  blockHash(number: number): Promise<string | null>;
  /**
   * Blocks [from, to] and the transfers in them to addresses `isWatched` accepts: token Transfer
   * logs (any contract, or only `contracts`) and native value transfers of successful transactions.
   */
  scan(range: { from: number; to: number }, isWatched: (address: string) => boolean, contracts: string[] | 'all', options?: ScanOptions): Promise<{ blocks: ScannedBlock[]; transfers: Transfer[] }>;
  /** One transaction (attach-tx and crediting's check); null when the chain does not hold it in a block. */
  transaction(txHash: string): Promise<TxFacts | null>;
  /** Requests to the chain's endpoints made so far (benchmarks). */
  readonly calls: number;
  /** HTTP requests made so far where several calls share one (JSON-RPC batches); absent: one per call. */
  readonly requests?: number;
}

/**
 * `native: false`: no native-coin address is watched, so native value transfers need not be read
 * and a reader may skip the blocks' transactions (EVM: logs only). `blocks` is then sparse: the
 * range's first and last blocks and those holding transfers, each with its parent hash.
 */
export type ScanOptions = {
  native: boolean;
  /** The head as the caller read it before the scan: when it is the range's end, its hash need not be read again first. */
  head?: BlockRef;
};

/**
 * Until when a native-coin payment may arrive on a chain: the latest watch end of the addresses
 * shown for its native coin (an invoice's quote: its expiry plus the late-payment window; a
 * static wallet: for good). Raised BEFORE the address is shown, so a watcher that reads it after
 * reading the chain's head never misses a native payment in a block it scans.
 */
export interface NativeWatch {
  /** Raises the chain's mark to at least `until` (never lowers it). */
  extend(chain: ChainId, until: Instant): Promise<void>;
  /** The mark, or null when no native address was ever shown on the chain. */
  until(chain: ChainId): Promise<Instant | null>;
}

/** What the watcher's mode needs of invoices: which deposit addresses' invoices still wait for their payment. */
export interface PaymentWaits {
  /**
   * For each address (an invoice's deposit address): `waiting` while its invoice is `created` or
   * `partial`, not expired at `now`, and within a while of its quote's rate lock (a customer is
   * paying); `abandoned` when open but past that (a new quote wakes it: not final); `settled` once
   * paid, overpaid, canceled or expired (final); absent when the address has no invoice.
   */
  invoiceStates(chain: ChainId, addresses: string[], now: Instant): Promise<Map<string, 'waiting' | 'abandoned' | 'settled'>>;
}

/**
 * A chain's scan position: the last scanned block and the hashes of recent ones (reorg detection).
 * `cursorTime` is the cursor block's timestamp: every transfer in a block up to that time has been
 * reported (null until a scan sets it, and again after a rewind).
 */
export type Checkpoint = {
  chain: ChainId;
  cursor: number;
  cursorTime: Instant | null;
  recent: BlockRef[];
  head: BlockRef;
  headAt: Instant;
  version: number;
  /**
   * Set when the checkpoint was created alongside the native-coin mark (NativeWatch): every native
   * address shown since raised the mark. Absent on a checkpoint from before the mark, whose old
   * native addresses are unknown: its watcher reads whole blocks.
   */
  nativeMarkTrusted?: boolean;
};

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
  /**
   * Addresses whose watch ends after `after` and before `before` (null: no bound, so the ones
   * watched for good too), page by page off the watch-end index: a read costs the addresses in
   * that span, never the ones whose watch ended earlier.
   */
  watchEndingBetween(chain: ChainId, after: Instant, before: Instant | null): AsyncIterable<WatchedAddress>;
}

/** A transfer's own item: its idempotency key and where the confirmer finds it. */
export type TransferRecord = { key: string; invoiceId: InvoiceId; shopId: string; state: Payment['state']; blockNumber: number; blockHash: string };

export type { StraySummary, StrayTransfer } from '../domain/invoice/payments';

/** How a credit or reversal moved the balance beyond the plain change (BalanceState in the ledger). */
export type Applied = { applied: false } | { applied: true; shortfall: bigint; repaid: bigint };

export type { AddressOwner };

/** The crediting consumer's writes, each one transaction (DESIGN §4). */
export interface PaymentStore {
  addressOwner(chain: ChainId, address: string): Promise<AddressOwner | null>;
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
  /** The strays kept for an invoice (its id) or a static wallet. */
  strays(owner: InvoiceId | AddressOwner): Promise<StraySummary>;
  /**
   * Up to `limit` pending transfers whose depth rule is met at `head` (blocks) or at the tagged
   * blocks, after `after` (an opaque page token); `next` continues there, null after the last.
   */
  dueForConfirmation(
    chain: ChainId,
    heights: ChainHeights,
    limit: number,
    after?: string | null,
  ): Promise<{ due: TransferRecord[]; next: string | null }>;
  transfersInBlocks(chain: ChainId, from: number, to: number): Promise<TransferRecord[]>;
  /** The chain head the watcher last saw, for `confirmations` in answers. */
  chainHead(chain: ChainId): Promise<BlockRef | null>;
}

/**
 * A family's deposit derivation: watch-only, from the account-level xpub at the family's
 * `accountPath` (chain-families.ts), deposit `index` on its external chain `0/index`. Refuses a
 * private extended key: API functions hold only public keys (DESIGN §6).
 */
export type AddressDeriver = (accountXpub: string) => (index: number) => string;
