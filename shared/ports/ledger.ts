/**
 * The one way money moves in the books (DESIGN §5). Crediting posts payments through the
 * payment store's transaction (it must change the invoice in the same write); every other entry,
 * a withdrawal's hold, settle, release and fee, a sweep and the gas it burned, goes through here.
 * Both build their items with shared/adapters/dynamo/ledger.ts, so there is one journal shape.
 */
import type { JournalEntry } from '../domain/ledger';

/** A merchant's balance of one currency: `available` may be withdrawn; `held` waits to be sent. */
export type Balance = { code: string; total: bigint; available: bigint; held: bigint; debt: bigint };

export type PostOutcome = 'posted' | 'already_posted' | 'insufficient';

export interface Ledger {
  /**
   * Writes the entry and its balance change in one transaction, once: a second post of the same
   * entry id is `already_posted` and changes nothing. An entry that would take `available` (or
   * `held`) below zero is `insufficient` and writes nothing.
   */
  post(entry: JournalEntry): Promise<PostOutcome>;
  /** Every entry of an owner (a shop id, or DEPLOYMENT_OWNER) in one currency, oldest first. */
  entries(owner: string, code: string): AsyncIterable<JournalEntry>;
  balance(shopId: string, code: string): Promise<Balance>;
  /** Whether the entry with this id was posted. */
  posted(owner: string, code: string, entryId: string): Promise<boolean>;
}
