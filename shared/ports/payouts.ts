/**
 * What mass payouts need (funds-out part 2): the batches and their legs, and on EVM chains the
 * disperse contract that pays many token recipients in one transaction.
 */
import type { Instant } from '../domain/time';
import type { PayoutBatch, PayoutLeg } from '../domain/payout-batch';
import type { SignedTransfer, Withdrawal } from '../domain/withdrawal';
import type { FeeBid, FeeQuote, IdempotencyClaim, TxReceipt } from './funds-out';

export type CreateBatchOutcome = { kind: 'created' } | { kind: 'idempotency_taken'; batchId: string; requestHash: string };

export interface PayoutBatchStore {
  /** Writes the batch (status `creating`) and its Idempotency-Key record in one transaction. */
  create(batch: PayoutBatch, idempotency: IdempotencyClaim | null): Promise<CreateBatchOutcome>;
  findByIdempotency(shopId: string, keyHash: string): Promise<{ batchId: string; requestHash: string } | null>;
  get(id: string): Promise<PayoutBatch | null>;
  /** Conditional on the version the caller read. */
  save(batch: PayoutBatch, expectedVersion: number): Promise<boolean>;
  /**
   * Writes each item (a withdrawal with `batch` set) with the claim of its reference in the
   * project. An item already written is skipped (a creation retried after a crash); a reference
   * another item holds is not written and comes back in `taken`. Each write is conditional on the
   * batch still being `creating`: once it is not (abandoned), nothing more is written and `closed`
   * says so.
   */
  addItems(items: readonly Withdrawal[]): Promise<{ taken: { reference: string; itemId: string }[]; closed?: true }>;
  /**
   * Gives back what an abandoned creation wrote: each item, as read (`status` and `version` as
   * given), is deleted with its reference claim (the claim only while it names that item), one
   * transaction per item. An item changed or gone since it was read is left alone. How many went.
   */
  removeItems(items: readonly Withdrawal[]): Promise<number>;
  /** Frees an Idempotency-Key whose batch was abandoned (only while it still names `batchId`). */
  releaseIdempotency(shopId: string, keyHash: string, batchId: string): Promise<void>;
  /** The items holding these references in the project, reference → item id. */
  findReferences(shopId: string, references: readonly string[]): Promise<Map<string, string>>;
  /** The items of `ids` that exist, in the order asked (strongly consistent). */
  items(ids: readonly string[]): Promise<Withdrawal[]>;
  /** Newest first. */
  listByProject(shopId: string, page: { limit: number; cursor: string | null }): Promise<{ items: PayoutBatch[]; next: string | null }>;
  /** Writes legs that are not there yet (planning retried is harmless). */
  putLegs(legs: readonly PayoutLeg[]): Promise<void>;
  getLeg(batchId: string, legId: string): Promise<PayoutLeg | null>;
  legs(batchId: string): Promise<PayoutLeg[]>;
  saveLeg(leg: PayoutLeg, expectedVersion: number): Promise<boolean>;
}

/** Per recipient, in the order sent: whether the token moved (the contract reports each transfer). */
export type DisperseResult = { receipt: TxReceipt; paid: boolean[] };

/**
 * The disperse contract on one EVM chain (lib/contracts/TollgateDisperse.sol): the hot wallet
 * approves it once per token, then one call pays many recipients, each transfer tried on its own
 * so one refused recipient does not undo the others.
 */
export interface DisperseSender {
  /** The contract's address on this chain. */
  readonly contract: string;
  /** What the hot wallet lets the contract move of `code` (a token). */
  allowance(code: string): Promise<bigint>;
  /** approve(contract, max) from the hot wallet, at `nonce`. */
  signApproval(req: { code: string; nonce: number; fee: FeeBid; now: Instant }): Promise<SignedTransfer>;
  /** The fee bid and worst-case native cost of paying `recipients` in one call. */
  quoteDisperse(code: string, recipients: number): Promise<FeeQuote>;
  /** disperseToken(token, to[], amounts[]) from the hot wallet, at `nonce`. */
  signDisperse(req: { code: string; recipients: readonly { to: string; amount: bigint }[]; nonce: number; fee: FeeBid; now: Instant }): Promise<SignedTransfer>;
  /** null while the transaction is in no block; a reverted call pays nobody. */
  disperseResult(hash: string, recipients: number): Promise<DisperseResult | null>;
}
