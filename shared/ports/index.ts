/** The interfaces the use cases need (DESIGN §3). Adapters implement them; tests use the real ones. */

import type { ChainDeployment } from '../domain/chains';
import type { ChainId } from '../domain/currencies';
import type { InvoiceId } from '../domain/ids';
import type { Invoice } from '../domain/invoice/invoice';
import type { Payment } from '../domain/invoice/payments';
import type { InvoiceStatus } from '../domain/invoice/status';
import type { JournalEntry } from '../domain/ledger';
import type { NetworkPolicy } from '../domain/network';
import type { RetryPolicy } from '../domain/postbacks';
import type { Project } from '../domain/project';
import type { RateDecision } from '../domain/rates';
import type { Instant } from '../domain/time';
import type { Transfer } from '../domain/transfers';

export interface Clock {
  now(): Instant;
}

export interface IdSource {
  invoiceId(): InvoiceId;
  shopId(): string;
  /** An opaque bearer key: 32 random bytes, base64url, with a readable prefix. */
  apiKey(): string;
  /** At least 32 random bytes (CryptoCloud4j's jjwt refuses shorter HS256 keys). */
  secretKey(): string;
  requestId(): string;
}

/** A stored Idempotency-Key: which request (by body hash) made which invoice. */
export type IdempotencyRecord = { shopId: string; keyHash: string; requestHash: string; invoiceId: InvoiceId; expiresAt: Instant };

export type CreateInvoiceOutcome =
  | { kind: 'created' }
  | { kind: 'id_taken' }
  | { kind: 'idempotency_taken'; existing: IdempotencyRecord | null };

export type InvoiceSummary = { id: InvoiceId; status: InvoiceStatus; usdCents: bigint };

export interface InvoiceStore {
  /** Writes the invoice, its address claim and its idempotency record in one transaction. */
  /** `addressClaim.at` is the wall-clock time of the claim: the watcher loads claims by it. */
  create(invoice: Invoice, extras: { idempotency?: IdempotencyRecord; addressClaim?: { chain: ChainId; address: string; at: Instant } }): Promise<CreateInvoiceOutcome>;
  get(id: InvoiceId): Promise<Invoice | null>;
  getMany(ids: readonly InvoiceId[]): Promise<Invoice[]>;
  /** Newest first, created in [from, to). */
  listByProject(shopId: string, range: { from: Instant; to: Instant }, page: { offset: number; count: number }): Promise<Invoice[]>;
  summarize(shopId: string, range: { from: Instant; to: Instant }): Promise<InvoiceSummary[]>;
  /** Conditional on the version the caller read; false when someone else changed it first. */
  save(invoice: Invoice, expectedVersion: number): Promise<boolean>;
  /** Saves a currency choice together with the claim on its new deposit address. */
  saveWithAddress(invoice: Invoice, expectedVersion: number, claim: { chain: ChainId; address: string }, now: Instant): Promise<boolean>;
  /**
   * Up to `limit` waiting invoices whose expiry check is due before `now`, oldest first, after
   * `after` (an opaque page token); `next` continues the same read, null at the end.
   */
  dueForExpiry(now: Instant, limit: number, after?: string | null): Promise<{ ids: InvoiceId[]; next: string | null }>;
  /**
   * Moves a waiting invoice's place in the expiry queue to `at`, so invoices held open do not sit
   * in front of due ones. Not a state change: no version bump; false if the invoice changed.
   */
  recheckExpiryAt(invoice: Invoice, at: Instant): Promise<boolean>;
}

export interface IdempotencyStore {
  find(shopId: string, keyHash: string, now: Instant): Promise<IdempotencyRecord | null>;
}

export interface ProjectStore {
  /** Writes the project and its API-key lookup together; the key hash must be new. */
  create(project: Project): Promise<void>;
  get(shopId: string): Promise<Project | null>;
  list(): Promise<Project[]>;
  findByApiKeyHash(hash: string): Promise<Project | null>;
  /** Conditional on version; moves the API-key lookup when the hash changed. */
  save(project: Project, previous: Project): Promise<boolean>;
  nextProjectNumber(): Promise<number>;
}

export type BalanceEntry = { code: string; total: bigint; available: bigint };

export interface BalanceReader {
  /** Balance projections kept by the ledger; an asset with no entries has no row. */
  balances(shopId: string): Promise<BalanceEntry[]>;
}

export interface RateSource {
  /** One decision per symbol: a safe USD rate, or why there is none. */
  usdRates(symbols: readonly string[]): Promise<ReadonlyMap<string, RateDecision>>;
}

export interface AddressAllocator {
  /** A fresh deposit address at the next derivation index; never returns one twice. */
  allocate(chain: ChainId): Promise<{ address: string; index: number }>;
}

export type QueueName = 'postbacks' | 'observations';

export interface Queue {
  send(queue: QueueName, message: { id: string; body: unknown }): Promise<void>;
  /** Sends many (SQS batches of 10); resolves when all are accepted. */
  sendMany(queue: QueueName, messages: { id: string; body: unknown }[]): Promise<void>;
  /** Hides a received message for `seconds` before it is delivered again (a retry's backoff). */
  retryAfter(queue: QueueName, receiptHandle: string, seconds: number): Promise<void>;
}

/** A message parked in a queue's dead-letter queue. */
export type DeadLetter = { messageId: string; body: string; sentAt: Instant | null; receives: number };

export interface DeadLetters {
  /** Up to `max` parked messages, left in place. */
  list(queue: QueueName, max: number): Promise<DeadLetter[]>;
  /** Moves up to `max` parked messages back to the queue (each starts its attempts afresh). */
  redrive(queue: QueueName, max: number): Promise<number>;
}

/** One try at delivering a postback, as the merchant sees it in the log. */
export type PostbackAttempt = {
  invoiceId: InvoiceId;
  eventId: string;
  kind: string;
  attempt: number;
  at: Instant;
  /** Origin and path only: a query string may carry the merchant's own secret. */
  target: string;
  outcome: 'delivered' | 'rejected' | 'timeout' | 'unreachable' | 'refused' | 'no_url';
  httpStatus: number | null;
  latencyMs: number;
  /** The first 1 KB of the answer, or why there was none. */
  response: string;
  resend: boolean;
};

export interface PostbackLog {
  record(attempt: PostbackAttempt): Promise<void>;
  /** Oldest first. */
  attemptsOf(invoiceId: InvoiceId): Promise<PostbackAttempt[]>;
  isDelivered(invoiceId: InvoiceId, eventId: string): Promise<boolean>;
  markDelivered(invoiceId: InvoiceId, eventId: string, at: Instant): Promise<void>;
}

export type OutboundRequest = { url: string; body: string; headers: Record<string, string>; timeoutMs: number };

export type OutboundResult =
  | { kind: 'answered'; status: number; latencyMs: number; snippet: string }
  | { kind: 'refused'; reason: string; latencyMs: number }
  | { kind: 'timeout' | 'unreachable'; reason: string; latencyMs: number };

/** POSTs to a merchant's server under the SSRF policy; never throws for the far side's faults. */
export interface PostbackTransport {
  post(request: OutboundRequest): Promise<OutboundResult>;
}

/** HS256 JWTs and HMAC signatures (jose and node:crypto behind it). */
export interface PostbackSigner {
  token(claims: { id: string; exp: number }, secret: string): Promise<string>;
  hmacHex(secret: string, payload: string): string;
}

/** A block as the watcher records it. */
export type BlockRef = { number: number; hash: string };
export type ScannedBlock = BlockRef & { parentHash: string; time: Instant };

/** What a transaction did, fetched for attach-tx. */
export type TxFacts = {
  txHash: string;
  blockNumber: number;
  blockHash: string;
  blockTime: Instant;
  succeeded: boolean;
  from: string;
  /** The transaction's own recipient and value (native coin). */
  to: string | null;
  value: bigint;
  /** ERC-20 Transfer logs it emitted. */
  tokenTransfers: { logIndex: number; contract: string; from: string; to: string; amount: bigint }[];
};

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

/** The crediting consumer's writes, each one transaction (DESIGN §4). */
export interface PaymentStore {
  addressOwner(chain: ChainId, address: string): Promise<InvoiceId | null>;
  transfer(key: string): Promise<TransferRecord | null>;
  /**
   * Writes the invoice (conditional on `expectedVersion`), the transfer item, the journal entry
   * (once) and the balance projection together. False on a version conflict.
   */
  apply(change: { invoice: Invoice; expectedVersion: number; payment: Payment; entry: JournalEntry | null; now: Instant }): Promise<boolean>;
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

/** Encrypts project secrets at rest; the key lives outside the table. */
export interface SecretCipher {
  encrypt(plain: string): Promise<string>;
  decrypt(sealed: string): Promise<string>;
}

export interface Logger {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
  child(fields: Record<string, unknown>): Logger;
}

export type Deps = {
  clock: Clock;
  ids: IdSource;
  projects: ProjectStore;
  invoices: InvoiceStore;
  idempotency: IdempotencyStore;
  balances: BalanceReader;
  rates: RateSource;
  addresses: AddressAllocator;
  queue: Queue;
  cipher: SecretCipher;
  /** The chains this deployment watches, and the codes each serves. */
  chains: readonly ChainDeployment[];
  /** A reader for a chain this deployment watches. */
  readChain(chain: ChainId): ChainReader;
  payments: PaymentStore;
  /** The watchers' scan positions: the expirer waits until a chain's scan passed an expiry. */
  checkpoints: Pick<CheckpointStore, 'get'>;
  postbackLog: PostbackLog;
  transport: PostbackTransport;
  signer: PostbackSigner;
  deadLetters: DeadLetters;
  log: Logger;
  settings: {
    /** Where the payment page is served: `link` is `${publicBaseUrl}/pay/<id>`. */
    publicBaseUrl: string;
    rateLockMs: number;
    idempotencyTtlMs: number;
    postbacks: {
      timeoutMs: number;
      retry: RetryPolicy;
      /** How long a rotated-out secret still signs the native header. */
      secretGraceMs: number;
      network: NetworkPolicy;
    };
  };
};
