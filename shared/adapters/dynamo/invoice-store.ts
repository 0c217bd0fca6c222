import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  type BatchGetCommandOutput,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  type QueryCommandInput,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { ChainId } from '../../domain/currencies';
import type { InvoiceId } from '../../domain/ids';
import type { Invoice } from '../../domain/invoice/invoice';
import { INVOICE_STATUSES, type InvoiceStatus } from '../../domain/invoice/status';
import { isoTime } from '../../domain/time';
import { LATE_PAYMENT_WATCH_MS } from '../../domain/invoice/payments';
import type { CreateInvoiceOutcome, IdempotencyRecord, IdempotencyStore, InvoiceStore, InvoiceSummary } from '../../ports';
import { big, decodeInvoice, encodeInvoice, int, type Item } from './codec';
import { addressClaimPut } from './address-claims';
import { keys } from './keys';
import { dueTimeStartKey, dueTimeToken, queryItems } from './query';

/** DynamoDB caps BatchGetItem at 100 keys. */
const BATCH_GET_KEYS_MAX = 100;
const QUERY_PAGE_ITEMS_MAX = 100;
const UNPROCESSED_RETRIES_MAX = 5;
/** How long a request waits for a concurrent twin (same Idempotency-Key) to commit. */
const IDEMPOTENCY_WAIT_ATTEMPTS = 10;
const IDEMPOTENCY_WAIT_MS = 25;

const isConditionFailure = (e: unknown) => e instanceof Error && e.name === 'ConditionalCheckFailedException';

const idempotencyItem = (r: IdempotencyRecord): Item => ({
  ...keys.idempotency(r.shopId, r.keyHash),
  type: 'idempotency',
  schemaVersion: 1,
  shopId: r.shopId,
  keyHash: r.keyHash,
  requestHash: r.requestHash,
  invoiceId: r.invoiceId,
  expiresAt: r.expiresAt,
  ttl: Math.ceil(r.expiresAt / 1000),
});

const decodeIdempotency = (item: Item): IdempotencyRecord => ({
  shopId: String(item.shopId),
  keyHash: String(item.keyHash),
  requestHash: String(item.requestHash),
  invoiceId: String(item.invoiceId) as InvoiceId,
  expiresAt: int(item, 'expiresAt'),
});

/** `to` is exclusive: the last millisecond before it, with a suffix that sorts after any id. */
const createdRange = (range: { from: number; to: number }) => ({ ':from': isoTime(range.from), ':to': `${isoTime(range.to - 1)}#~` });

export class DynamoInvoiceStore implements InvoiceStore, IdempotencyStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async create(invoice: Invoice, extras: { idempotency?: IdempotencyRecord; addressClaim?: { chain: ChainId; address: string; at: number } }): Promise<CreateInvoiceOutcome> {
    const invoicePut = { TableName: this.tableName, Item: encodeInvoice(invoice), ConditionExpression: 'attribute_not_exists(pk)' };
    if (!extras.idempotency && !extras.addressClaim && !invoice.donation) {
      // One item: a plain conditional put is half the cost of a transaction.
      try {
        await this.db.send(new PutCommand(invoicePut));
        return { kind: 'created' };
      } catch (e) {
        if (isConditionFailure(e)) return { kind: 'id_taken' };
        throw e;
      }
    }
    const items: { Put: Record<string, unknown> }[] = [{ Put: invoicePut }];
    if (extras.addressClaim) items.push(this.addressClaim(invoice, extras.addressClaim, extras.addressClaim.at));
    // A donation is recorded under its page with the invoice, so the page's totals never miss one.
    if (invoice.donation) items.push({ Put: { TableName: this.tableName, Item: { ...keys.donationInvoice(invoice.donation.slug, isoTime(invoice.createdAt), invoice.id), type: 'donationInvoice', schemaVersion: 1, invoiceId: invoice.id } } });
    if (extras.idempotency) {
      items.push({
        Put: {
          TableName: this.tableName,
          Item: idempotencyItem(extras.idempotency),
          // An expired record (TTL deletion lags up to days) may be taken over.
          ConditionExpression: 'attribute_not_exists(pk) OR expiresAt < :now',
          ExpressionAttributeValues: { ':now': invoice.createdAt },
        },
      });
    }
    try {
      await this.db.send(new TransactWriteCommand({ TransactItems: items as never }));
      return { kind: 'created' };
    } catch (e) {
      if (!(e instanceof TransactionCanceledException)) throw e;
      const reasons = (e.CancellationReasons ?? []).map((r) => r.Code);
      if (reasons[0] === 'ConditionalCheckFailed') return { kind: 'id_taken' };
      if (extras.addressClaim && reasons[1] === 'ConditionalCheckFailed') {
        throw new Error(`invariant: deposit address ${extras.addressClaim.address} is already claimed; refusing to reuse it`);
      }
      const idempotencyReason = extras.idempotency ? reasons[reasons.length - 1] : undefined;
      if (extras.idempotency && (idempotencyReason === 'ConditionalCheckFailed' || idempotencyReason === 'TransactionConflict')) {
        // A conflict means a twin request is committing the same key right now: wait for its record.
        for (let attempt = 0; attempt < IDEMPOTENCY_WAIT_ATTEMPTS; attempt += 1) {
          const existing = await this.find(extras.idempotency.shopId, extras.idempotency.keyHash, invoice.createdAt);
          if (existing) return { kind: 'idempotency_taken', existing };
          await new Promise((r) => setTimeout(r, IDEMPOTENCY_WAIT_MS));
        }
      }
      throw e;
    }
  }

  /** The claim that makes an address this invoice's forever, and puts it on its chain's watch list. */
  private addressClaim(invoice: Invoice, claim: { chain: ChainId; address: string }, at: number) {
    return addressClaimPut(this.tableName, { ...claim, owner: { kind: 'invoice', invoiceId: invoice.id }, claimedAt: at, watchUntil: invoice.expiresAt + LATE_PAYMENT_WATCH_MS });
  }

  async saveWithAddress(invoice: Invoice, expectedVersion: number, claim: { chain: ChainId; address: string }, now: number): Promise<boolean> {
    try {
      await this.db.send(
        new TransactWriteCommand({
          TransactItems: [
            { Put: { TableName: this.tableName, Item: encodeInvoice(invoice), ConditionExpression: 'version = :expected', ExpressionAttributeValues: { ':expected': expectedVersion } } },
            this.addressClaim(invoice, claim, now),
          ] as never,
        }),
      );
      return true;
    } catch (e) {
      if (!(e instanceof TransactionCanceledException)) throw e;
      const reasons = (e.CancellationReasons ?? []).map((r) => r.Code);
      if (reasons[1] === 'ConditionalCheckFailed') throw new Error(`invariant: deposit address ${claim.address} is already claimed; refusing to reuse it`);
      if (reasons[0] === 'ConditionalCheckFailed' || reasons.includes('TransactionConflict')) return false;
      throw e;
    }
  }

  async find(shopId: string, keyHash: string, now: number): Promise<IdempotencyRecord | null> {
    const out = await this.db.send(new GetCommand({ TableName: this.tableName, Key: keys.idempotency(shopId, keyHash), ConsistentRead: true }));
    const record = out.Item ? decodeIdempotency(out.Item) : null;
    return record && record.expiresAt >= now ? record : null;
  }

  async get(id: InvoiceId): Promise<Invoice | null> {
    const out = await this.db.send(new GetCommand({ TableName: this.tableName, Key: keys.invoice(id), ConsistentRead: true }));
    return out.Item ? decodeInvoice(out.Item) : null;
  }

  async getWithHeads(id: InvoiceId, chains: readonly ChainId[]): Promise<{ invoice: Invoice; heads: Map<ChainId, number> } | null> {
    // One request for the poll; eventually consistent (half the cost): the page polls again in seconds.
    const wanted = [keys.invoice(id), ...chains.map((c) => keys.checkpoint(c))];
    const items: Item[] = [];
    let pending: Record<string, unknown>[] | undefined = wanted;
    for (let attempt = 0; pending && pending.length > 0; attempt += 1) {
      if (attempt > UNPROCESSED_RETRIES_MAX) throw new Error('BatchGetItem kept returning unprocessed keys');
      const out: BatchGetCommandOutput = await this.db.send(new BatchGetCommand({ RequestItems: { [this.tableName]: { Keys: pending } } }));
      items.push(...(out.Responses?.[this.tableName] ?? []));
      pending = out.UnprocessedKeys?.[this.tableName]?.Keys;
    }
    const invoiceItem = items.find((i) => i.sk === 'INVOICE');
    if (!invoiceItem) return null;
    const heads = new Map<ChainId, number>();
    for (const c of chains) {
      const head = items.find((i) => i.pk === keys.checkpoint(c).pk)?.head as Item | undefined;
      if (head) heads.set(c, int(head, 'number'));
    }
    return { invoice: decodeInvoice(invoiceItem), heads };
  }

  async getMany(ids: readonly InvoiceId[]): Promise<Invoice[]> {
    const found: Invoice[] = [];
    for (let i = 0; i < ids.length; i += BATCH_GET_KEYS_MAX) {
      let pending: Record<string, unknown>[] | undefined = ids.slice(i, i + BATCH_GET_KEYS_MAX).map((id) => keys.invoice(id));
      for (let attempt = 0; pending && pending.length > 0; attempt += 1) {
        if (attempt > UNPROCESSED_RETRIES_MAX) throw new Error('BatchGetItem kept returning unprocessed keys');
        const out: BatchGetCommandOutput = await this.db.send(new BatchGetCommand({ RequestItems: { [this.tableName]: { Keys: pending, ConsistentRead: true } } }));
        found.push(...(out.Responses?.[this.tableName] ?? []).map(decodeInvoice));
        pending = out.UnprocessedKeys?.[this.tableName]?.Keys;
      }
    }
    return found;
  }

  /** A project's invoices created in the range, newest first. */
  private byCreation(shopId: string, range: { from: number; to: number }, extra: Partial<QueryCommandInput> = {}) {
    return queryItems(this.db, {
      TableName: this.tableName,
      IndexName: 'byOwnerTime',
      KeyConditionExpression: 'gsi1pk = :pk AND gsi1sk BETWEEN :from AND :to',
      ExpressionAttributeValues: { ':pk': keys.invoicesOfProject(shopId), ...createdRange(range) },
      ScanIndexForward: false,
      ...extra,
    });
  }

  async listByProject(shopId: string, range: { from: number; to: number }, page: { offset: number; count: number }): Promise<Invoice[]> {
    const out: Invoice[] = [];
    if (page.count <= 0) return out;
    let skipped = 0;
    for await (const item of this.byCreation(shopId, range, { Limit: Math.min(QUERY_PAGE_ITEMS_MAX, page.offset + page.count) })) {
      if (skipped < page.offset) skipped += 1;
      else out.push(decodeInvoice(item));
      if (out.length >= page.count) break;
    }
    return out;
  }

  async summarize(shopId: string, range: { from: number; to: number }): Promise<InvoiceSummary[]> {
    const out: InvoiceSummary[] = [];
    const projection = { ProjectionExpression: 'id, #status, usdCents', ExpressionAttributeNames: { '#status': 'status' } };
    for await (const item of this.byCreation(shopId, range, projection)) {
      const status = String(item.status) as InvoiceStatus;
      if (INVOICE_STATUSES.includes(status)) out.push({ id: String(item.id) as InvoiceId, status, usdCents: big(item, 'usdCents') });
    }
    return out;
  }

  async save(invoice: Invoice, expectedVersion: number): Promise<boolean> {
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: encodeInvoice(invoice),
          ConditionExpression: 'version = :expected',
          ExpressionAttributeValues: { ':expected': expectedVersion },
        }),
      );
      return true;
    } catch (e) {
      if (isConditionFailure(e)) return false;
      throw e;
    }
  }

  async dueForExpiry(now: number, limit: number, after: string | null = null): Promise<{ ids: InvoiceId[]; next: string | null }> {
    const start = dueTimeStartKey(after, keys.expiryQueue);
    // DynamoDB refuses a start key outside the key condition.
    if (start && start.gsi2sk >= isoTime(now)) return { ids: [], next: null };
    const res = await this.db.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: 'byDueTime',
        KeyConditionExpression: 'gsi2pk = :queue AND gsi2sk < :now',
        ExpressionAttributeValues: { ':queue': keys.expiryQueue, ':now': isoTime(now) },
        ExclusiveStartKey: start,
        Limit: limit,
      }),
    );
    const items = res.Items ?? [];
    const last = items.at(-1);
    return { ids: items.map((item) => keys.invoiceIdFromPk(String(item.pk))), next: last && res.LastEvaluatedKey ? dueTimeToken(last) : null };
  }

  async recheckExpiryAt(invoice: Invoice, at: number): Promise<boolean> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.invoice(invoice.id),
          UpdateExpression: 'SET gsi2sk = :sk',
          // Only while it still waits in the queue at the version read: a terminal move drops the key.
          ConditionExpression: 'version = :expected AND gsi2pk = :queue',
          ExpressionAttributeValues: { ':expected': invoice.version, ':queue': keys.expiryQueue, ':sk': keys.invoiceExpiry(isoTime(at), invoice.id).gsi2sk },
        }),
      );
      return true;
    } catch (e) {
      if (isConditionFailure(e)) return false;
      throw e;
    }
  }
}
