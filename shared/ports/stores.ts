/** The stores of projects, invoices, idempotency records and balances. */

import type { ChainId } from '../domain/currencies';
import type { InvoiceId } from '../domain/ids';
import type { Invoice } from '../domain/invoice/invoice';
import type { InvoiceStatus } from '../domain/invoice/status';
import type { Project } from '../domain/project';
import type { Instant } from '../domain/time';

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
  /** The invoice with the heads of these chains' checkpoints, in one read (the payment page's status poll). */
  getWithHeads(id: InvoiceId, chains: readonly ChainId[]): Promise<{ invoice: Invoice; heads: Map<ChainId, number> } | null>;
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

/** `api`: the project key of every v2 route; `withdrawal`: CryptoCloud's separate key for `out/create` only. */
export type ProjectKeyKind = 'api' | 'withdrawal';

export interface ProjectStore {
  /** Writes the project and its API-key lookup together; the key hash must be new. */
  create(project: Project): Promise<void>;
  get(shopId: string): Promise<Project | null>;
  list(): Promise<Project[]>;
  /** The project whose key of this kind (default: the project API key) has this hash. */
  findByApiKeyHash(hash: string, kind?: ProjectKeyKind): Promise<Project | null>;
  /** Conditional on version; moves the API-key lookup when the hash changed. */
  save(project: Project, previous: Project): Promise<boolean>;
  nextProjectNumber(): Promise<number>;
}

/** `debt`: what reversals took beyond the available balance; later credits repay it first. */
export type BalanceEntry = { code: string; total: bigint; available: bigint; debt: bigint };

export interface BalanceReader {
  /** Balance projections kept by the ledger; an asset with no entries has no row. */
  balances(shopId: string): Promise<BalanceEntry[]>;
}

export interface AddressAllocator {
  /** A fresh deposit address at the next derivation index; never returns one twice. */
  allocate(chain: ChainId): Promise<{ address: string; index: number }>;
  /** Whether the deployment holds a deposit key (account xpub) for the chain's family, so `allocate` can answer. */
  canAllocate(chain: ChainId): Promise<boolean>;
}

/** Encrypts project secrets at rest; the key lives outside the table. */
export interface SecretCipher {
  encrypt(plain: string): Promise<string>;
  decrypt(sealed: string): Promise<string>;
}
