/** The interfaces the use cases need (DESIGN §3). Adapters implement them; tests use the real ones. */
import type { Invoice } from '../domain/invoice/invoice';
import type { InvoiceStatus } from '../domain/invoice/status';
import type { InvoiceId } from '../domain/ids';
import type { Project } from '../domain/project';
import type { RateDecision } from '../domain/rates';
import type { ChainId } from '../domain/currencies';
import type { Instant } from '../domain/time';

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
  create(invoice: Invoice, extras: { idempotency?: IdempotencyRecord; addressClaim?: { chain: ChainId; address: string } }): Promise<CreateInvoiceOutcome>;
  get(id: InvoiceId): Promise<Invoice | null>;
  getMany(ids: readonly InvoiceId[]): Promise<Invoice[]>;
  /** Newest first, created in [from, to). */
  listByProject(shopId: string, range: { from: Instant; to: Instant }, page: { offset: number; count: number }): Promise<Invoice[]>;
  summarize(shopId: string, range: { from: Instant; to: Instant }): Promise<InvoiceSummary[]>;
  /** Conditional on the version the caller read; false when someone else changed it first. */
  save(invoice: Invoice, expectedVersion: number): Promise<boolean>;
  dueForExpiry(now: Instant, limit: number): Promise<InvoiceId[]>;
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

export type QueueName = 'postbacks';

export interface Queue {
  send(queue: QueueName, message: { id: string; body: unknown }): Promise<void>;
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
  log: Logger;
  settings: {
    /** Where the payment page is served: `link` is `${publicBaseUrl}/pay/<id>`. */
    publicBaseUrl: string;
    rateLockMs: number;
    idempotencyTtlMs: number;
  };
};
