/**
 * The ledger's items (DESIGN §5): the append-only journal (keys.ledger, per owner and currency)
 * and each merchant balance projection (keys.balance), always written together.
 * Crediting's transaction and the funds-out ledger both build their writes here.
 */
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { type BalanceState, type EntryKind, heldDelta, type JournalEntry, merchantDelta, settleBalance } from '../../domain/ledger';
import { isoTime } from '../../domain/time';
import type { Balance, Ledger, PostOutcome } from '../../ports/ledger';
import { big, int, type Item } from './codec';
import { keys } from './keys';
import { queryItems } from './query';

/** The journal entry's Put: append-only, written once ever. */
export function journalPut(tableName: string, entry: JournalEntry) {
  return {
    Put: {
      TableName: tableName,
      Item: {
        ...keys.ledger(entry.shopId, entry.code, entry.id),
        ...keys.ledgerByTime(entry.shopId, entry.code, isoTime(entry.at), entry.id),
        type: 'journal',
        schemaVersion: 1,
        ...entry,
        postings: entry.postings.map((p) => ({ account: p.account, amount: p.amount })),
      },
      ConditionExpression: 'attribute_not_exists(pk)',
    },
  };
}

export function decodeJournalEntry(item: Item): JournalEntry {
  const postings = (item.postings as Item[]).map((p) => ({ account: String(p.account), amount: big(p, 'amount') }));
  return { id: String(item.id), shopId: String(item.shopId), code: String(item.code), at: int(item, 'at'), kind: String(item.kind) as EntryKind, ref: String(item.ref), postings };
}

/** A payment's change of `available` (and `total`) when no debt is in play: no read needed. */
export function plainBalanceChange(tableName: string, entry: JournalEntry, delta: bigint) {
  const credit = delta > 0n;
  return {
    Update: {
      TableName: tableName,
      Key: keys.balance(entry.shopId, entry.code),
      UpdateExpression: 'ADD #total :delta, #available :delta SET #code = :code, #type = :type',
      ConditionExpression: credit ? 'attribute_not_exists(#debt) OR #debt <= :zero' : '#available >= :need',
      ExpressionAttributeNames: { '#total': 'total', '#available': 'available', '#code': 'code', '#type': 'type', ...(credit ? { '#debt': 'debt' } : {}) },
      ExpressionAttributeValues: { ':delta': delta, ':code': entry.code, ':type': 'balance', ...(credit ? { ':zero': 0n } : { ':need': -delta }) },
    },
  };
}

/** A payment's change computed from the balance as read (debt repaid, or a reversal beyond `available`). */
export function settledBalanceChange(tableName: string, entry: JournalEntry, delta: bigint, before: BalanceState | null, after: BalanceState) {
  // Exactly the balance this was computed from; anything else retries from a fresh read.
  const unchanged = before
    ? { ConditionExpression: '#available = :availableBefore AND (attribute_not_exists(#debt) OR #debt = :debtBefore)', values: { ':availableBefore': before.available, ':debtBefore': before.debt } }
    : { ConditionExpression: 'attribute_not_exists(pk)', values: {} };
  return {
    Update: {
      TableName: tableName,
      Key: keys.balance(entry.shopId, entry.code),
      UpdateExpression: 'ADD #total :delta SET #available = :available, #debt = :debt, #code = :code, #type = :type',
      ConditionExpression: unchanged.ConditionExpression,
      ExpressionAttributeNames: { '#total': 'total', '#available': 'available', '#debt': 'debt', '#code': 'code', '#type': 'type' },
      ExpressionAttributeValues: { ':delta': delta, ':available': after.available, ':debt': after.debt, ':code': entry.code, ':type': 'balance', ...unchanged.values },
    },
  };
}

/**
 * A funds-out entry's change: `available` and `held` move by the entry's shares, `total` (what the
 * merchant is owed) by their sum. The condition keeps both at or above zero, so 50 concurrent
 * holds against one balance can never overdraw it: DynamoDB evaluates each against the item as
 * the previous one left it.
 */
function fundsOutBalanceChange(tableName: string, entry: JournalEntry, available: bigint, held: bigint) {
  const conditions = ['attribute_exists(pk)'];
  const values: Record<string, unknown> = { ':available': available, ':held': held, ':total': available + held, ':code': entry.code, ':type': 'balance' };
  // Money coming back to `available` takes this plain path only while nothing is owed (see repayingBalanceChange).
  if (available > 0n) {
    conditions.push('(attribute_not_exists(#debt) OR #debt <= :zero)');
    values[':zero'] = 0n;
  }
  if (available < 0n) {
    conditions.push('#available >= :needAvailable');
    values[':needAvailable'] = -available;
  }
  if (held < 0n) {
    conditions.push('#held >= :needHeld');
    values[':needHeld'] = -held;
  }
  return {
    Update: {
      TableName: tableName,
      Key: keys.balance(entry.shopId, entry.code),
      UpdateExpression: 'ADD #total :total, #available :available, #held :held SET #code = :code, #type = :type',
      ConditionExpression: conditions.join(' AND '),
      ExpressionAttributeNames: { '#total': 'total', '#available': 'available', '#held': 'held', '#code': 'code', '#type': 'type', ...(available > 0n ? { '#debt': 'debt' } : {}) },
      ExpressionAttributeValues: values,
    },
  };
}

/**
 * A release while a reversal left the merchant owing: like a credit, the returned amount repays
 * the debt before it becomes available (settleBalance), computed from the balance as read and
 * conditioned on it, so a concurrent change makes the caller's step retry.
 */
function repayingBalanceChange(tableName: string, entry: JournalEntry, available: bigint, held: bigint, before: BalanceState) {
  const after = settleBalance(before, available);
  return {
    Update: {
      TableName: tableName,
      Key: keys.balance(entry.shopId, entry.code),
      UpdateExpression: 'ADD #total :total, #held :held SET #available = :available, #debt = :debt, #code = :code, #type = :type',
      ConditionExpression: `#available = :availableBefore AND #debt = :debtBefore${held < 0n ? ' AND #held >= :needHeld' : ''}`,
      ExpressionAttributeNames: { '#total': 'total', '#available': 'available', '#held': 'held', '#debt': 'debt', '#code': 'code', '#type': 'type' },
      ExpressionAttributeValues: {
        ':total': available + held,
        ':held': held,
        ':available': after.available,
        ':debt': after.debt,
        ':availableBefore': before.available,
        ':debtBefore': before.debt,
        ':code': entry.code,
        ':type': 'balance',
        ...(held < 0n ? { ':needHeld': -held } : {}),
      },
    },
  };
}

export class DynamoLedger implements Ledger {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async post(entry: JournalEntry): Promise<PostOutcome> {
    if (entry.kind === 'payment.credit' || entry.kind === 'payment.reversal') throw new Error(`invariant: ${entry.kind} is posted by crediting with its invoice`);
    const available = merchantDelta(entry);
    const held = heldDelta(entry);
    const items: Record<string, unknown>[] = [journalPut(this.tableName, entry)];
    const owed = available > 0n ? await this.balance(entry.shopId, entry.code) : null;
    if (owed && owed.debt > 0n) items.push(repayingBalanceChange(this.tableName, entry, available, held, owed));
    else if (available !== 0n || held !== 0n) items.push(fundsOutBalanceChange(this.tableName, entry, available, held));
    try {
      await this.db.send(new TransactWriteCommand({ TransactItems: items as never }));
      return 'posted';
    } catch (e) {
      if (!(e instanceof TransactionCanceledException)) throw e;
      const reasons = (e.CancellationReasons ?? []).map((r) => r.Code);
      if (reasons[0] === 'ConditionalCheckFailed') return 'already_posted';
      // Money coming back never lacks room: its balance moved since it was read (or a debt appeared), so the step retries.
      if (reasons[1] === 'ConditionalCheckFailed' && available <= 0n) return 'insufficient';
      // A concurrent transaction on the same balance: the caller's workflow step retries.
      throw e;
    }
  }

  async *entries(owner: string, code: string): AsyncIterable<JournalEntry> {
    const partition = keys.ledger(owner, code, 'x').pk;
    const query = { TableName: this.tableName, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': partition }, ConsistentRead: true };
    const rows: JournalEntry[] = [];
    for await (const item of queryItems(this.db, query)) rows.push(decodeJournalEntry(item));
    // Time order (ids sort by cause, not time); equal times keep id order.
    rows.sort((a, b) => a.at - b.at || (a.id < b.id ? -1 : 1));
    yield* rows;
  }

  async posted(owner: string, code: string, entryId: string): Promise<boolean> {
    const out = await this.db.send(new GetCommand({ TableName: this.tableName, Key: keys.ledger(owner, code, entryId), ConsistentRead: true, ProjectionExpression: 'pk' }));
    return out.Item !== undefined;
  }

  async balance(shopId: string, code: string): Promise<Balance> {
    const out = await this.db.send(new GetCommand({ TableName: this.tableName, Key: keys.balance(shopId, code), ConsistentRead: true }));
    const item = out.Item;
    if (!item) return { code, total: 0n, available: 0n, held: 0n, debt: 0n };
    const opt = (name: string) => (item[name] === undefined ? 0n : big(item, name));
    return { code, total: opt('total'), available: opt('available'), held: opt('held'), debt: opt('debt') };
  }
}
