/** Mass payouts: the batch, its legs, its items (withdrawals with `batch` set) and their references. */
import { createHash } from 'node:crypto';
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { BatchGetCommand, DeleteCommand, type DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { ChainId } from '../../domain/currencies';
import type { PayoutBatch, PayoutBatchStatus, PayoutLeg, PayoutLegKind, PayoutLegStatus } from '../../domain/payout-batch';
import { DAY_MS, isoTime } from '../../domain/time';
import type { Withdrawal } from '../../domain/withdrawal';
import type { IdempotencyClaim } from '../../ports/funds-out';
import type { CreateBatchOutcome, PayoutBatchStore } from '../../ports/payouts';
import { big, decodeSignedTransfer, encodeSignedTransfer, int, type Item } from './codec';
import { keys } from './keys';
import { isConditionFailure, pageToken, putAtVersion, queryItems } from './query';
import { decodeWithdrawal, encodeWithdrawal } from './withdrawal-store';

/** Items written at once: each is its own two-write transaction (item and reference claim). */
const ITEM_WRITE_CONCURRENCY = 8;
const BATCH_GET_MAX = 100;
const BATCH_TOKEN = /^\d{4}-\d\d-\d\dT[\d:.]+Z#([A-Z0-9-]{1,20})$/;

const referenceHash = (reference: string) => createHash('sha256').update(reference).digest('hex');

function encodeBatch(b: PayoutBatch): Item {
  return {
    ...keys.payoutBatch(b.id),
    ...keys.payoutBatchByProject(b.shopId, isoTime(b.createdAt), b.id),
    type: 'payoutBatch',
    schemaVersion: 1,
    ...b,
    totals: b.totals.map((t) => ({ code: t.code, amount: t.amount, fee: t.fee })),
    approval: { required: b.approval.required, approvedAt: b.approval.approvedAt ?? undefined },
  };
}

function decodeBatch(item: Item): PayoutBatch {
  const approval = (item.approval ?? {}) as Item;
  return {
    id: String(item.id),
    shopId: String(item.shopId),
    status: String(item.status) as PayoutBatchStatus,
    itemIds: ((item.itemIds as unknown[]) ?? []).map(String),
    totals: ((item.totals as Item[]) ?? []).map((t) => ({ code: String(t.code), amount: big(t, 'amount'), fee: big(t, 'fee') })),
    usdCents: big(item, 'usdCents'),
    approval: { required: approval.required === true, approvedAt: approval.approvedAt === undefined ? null : int(approval, 'approvedAt') },
    source: item.source === 'cli' ? 'cli' : 'native_api',
    createdAt: int(item, 'createdAt'),
    updatedAt: int(item, 'updatedAt'),
    version: int(item, 'version'),
  };
}

function encodeLeg(l: PayoutLeg): Item {
  return {
    ...keys.payoutLeg(l.batchId, l.id),
    type: 'payoutLeg',
    schemaVersion: 1,
    ...l,
    approval: l.approval ? encodeSignedTransfer(l.approval) : undefined,
    replacedApprovals: l.replacedApprovals.map(encodeSignedTransfer),
    tx: l.tx ? encodeSignedTransfer(l.tx) : undefined,
    replaced: l.replaced.map(encodeSignedTransfer),
    landed: l.landed ?? undefined,
    reason: l.reason ?? undefined,
  };
}

function decodeLeg(item: Item): PayoutLeg {
  const landed = item.landed as Item | undefined;
  return {
    id: String(item.id),
    batchId: String(item.batchId),
    shopId: String(item.shopId),
    chain: String(item.chain) as ChainId,
    code: String(item.code),
    kind: String(item.kind) as PayoutLegKind,
    itemIds: ((item.itemIds as unknown[]) ?? []).map(String),
    status: String(item.status) as PayoutLegStatus,
    approval: item.approval ? decodeSignedTransfer(item.approval as Item) : null,
    // Absent in legs stored before approvals were kept across fee bumps.
    replacedApprovals: ((item.replacedApprovals as Item[] | undefined) ?? []).map(decodeSignedTransfer),
    tx: item.tx ? decodeSignedTransfer(item.tx as Item) : null,
    replaced: ((item.replaced as Item[] | undefined) ?? []).map(decodeSignedTransfer),
    landed: landed ? { hash: String(landed.hash), blockNumber: int(landed, 'blockNumber') } : null,
    reason: item.reason === undefined ? null : String(item.reason),
    createdAt: int(item, 'createdAt'),
    updatedAt: int(item, 'updatedAt'),
    version: int(item, 'version'),
  };
}

/** Runs `work` over `inputs`, `limit` at a time. */
async function eachLimited<T>(inputs: readonly T[], limit: number, work: (input: T) => Promise<void>): Promise<void> {
  let next = 0;
  const lane = async () => {
    while (next < inputs.length) await work(inputs[next++] as T);
  };
  await Promise.all(Array.from({ length: Math.min(limit, inputs.length) }, lane));
}

export class DynamoPayoutBatchStore implements PayoutBatchStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async create(batch: PayoutBatch, idempotency: IdempotencyClaim | null): Promise<CreateBatchOutcome> {
    const writes: Record<string, unknown>[] = [{ Put: { TableName: this.tableName, Item: encodeBatch(batch), ConditionExpression: 'attribute_not_exists(pk)' } }];
    if (idempotency) {
      writes.push({
        Put: {
          TableName: this.tableName,
          Item: { ...keys.payoutBatchIdempotency(batch.shopId, idempotency.keyHash), type: 'payoutBatchIdempotency', batchId: batch.id, requestHash: idempotency.requestHash, ttl: Math.floor((batch.createdAt + DAY_MS) / 1000) },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      });
    }
    try {
      await this.db.send(new TransactWriteCommand({ TransactItems: writes as never }));
      return { kind: 'created' };
    } catch (e) {
      if (!(e instanceof TransactionCanceledException) || !idempotency) throw e;
      if ((e.CancellationReasons ?? [])[1]?.Code !== 'ConditionalCheckFailed') throw e;
      const found = await this.findByIdempotency(batch.shopId, idempotency.keyHash);
      if (!found) throw e;
      return { kind: 'idempotency_taken', ...found };
    }
  }

  async findByIdempotency(shopId: string, keyHash: string): Promise<{ batchId: string; requestHash: string } | null> {
    const out = await this.db.send(new GetCommand({ TableName: this.tableName, Key: keys.payoutBatchIdempotency(shopId, keyHash), ConsistentRead: true }));
    return out.Item ? { batchId: String(out.Item.batchId), requestHash: String(out.Item.requestHash) } : null;
  }

  async get(id: string): Promise<PayoutBatch | null> {
    const out = await this.db.send(new GetCommand({ TableName: this.tableName, Key: keys.payoutBatch(id), ConsistentRead: true }));
    return out.Item ? decodeBatch(out.Item) : null;
  }

  async save(batch: PayoutBatch, expectedVersion: number): Promise<boolean> {
    return putAtVersion(this.db, this.tableName, encodeBatch(batch), expectedVersion);
  }

  async addItems(items: readonly Withdrawal[]): Promise<{ taken: { reference: string; itemId: string }[]; closed?: true }> {
    const taken: { reference: string; itemId: string }[] = [];
    let closed = false;
    await eachLimited(items, ITEM_WRITE_CONCURRENCY, async (w) => {
      if (!w.batch) throw new Error(`withdrawal ${w.id} is not a batch item`);
      const refKey = keys.payoutReference(w.shopId, referenceHash(w.batch.reference));
      try {
        await this.db.send(
          new TransactWriteCommand({
            TransactItems: [
              { Put: { TableName: this.tableName, Item: encodeWithdrawal(w), ConditionExpression: 'attribute_not_exists(pk)' } },
              { Put: { TableName: this.tableName, Item: { ...refKey, type: 'payoutReference', itemId: w.id, batchId: w.batch.id }, ConditionExpression: 'attribute_not_exists(pk)' } },
              // An abandoned batch gets nothing more: its cleanup, once it has read the items, sees them all.
              { ConditionCheck: { TableName: this.tableName, Key: keys.payoutBatch(w.batch.id), ConditionExpression: '#status = :creating', ExpressionAttributeNames: { '#status': 'status' }, ExpressionAttributeValues: { ':creating': 'creating' } } },
            ],
          }),
        );
      } catch (e) {
        if (!(e instanceof TransactionCanceledException)) throw e;
        const [item, ref, batch] = (e.CancellationReasons ?? []).map((r) => r.Code);
        // Written by an earlier try of the same creation: nothing to do.
        if (item === 'ConditionalCheckFailed') return;
        if (batch === 'ConditionalCheckFailed') {
          closed = true;
          return;
        }
        if (ref !== 'ConditionalCheckFailed') throw e;
        const holder = await this.db.send(new GetCommand({ TableName: this.tableName, Key: refKey, ConsistentRead: true }));
        taken.push({ reference: w.batch.reference, itemId: String(holder.Item?.itemId ?? '') });
      }
    });
    return closed ? { taken, closed: true } : { taken };
  }

  async removeItems(items: readonly Withdrawal[]): Promise<number> {
    let removed = 0;
    await eachLimited(items, ITEM_WRITE_CONCURRENCY, async (w) => {
      if (!w.batch) throw new Error(`withdrawal ${w.id} is not a batch item`);
      try {
        await this.db.send(
          new TransactWriteCommand({
            TransactItems: [
              {
                Delete: {
                  TableName: this.tableName,
                  Key: keys.withdrawal(w.id),
                  ConditionExpression: '#status = :status AND version = :version',
                  ExpressionAttributeNames: { '#status': 'status' },
                  ExpressionAttributeValues: { ':status': w.status, ':version': w.version },
                },
              },
              {
                Delete: {
                  TableName: this.tableName,
                  Key: keys.payoutReference(w.shopId, referenceHash(w.batch.reference)),
                  ConditionExpression: 'itemId = :id',
                  ExpressionAttributeValues: { ':id': w.id },
                },
              },
            ],
          }),
        );
        removed += 1;
      } catch (e) {
        // Changed or already gone (a twin request cleaning up the same batch): left as it is.
        if (!(e instanceof TransactionCanceledException)) throw e;
      }
    });
    return removed;
  }

  async releaseIdempotency(shopId: string, keyHash: string, batchId: string): Promise<void> {
    try {
      await this.db.send(new DeleteCommand({ TableName: this.tableName, Key: keys.payoutBatchIdempotency(shopId, keyHash), ConditionExpression: 'batchId = :id', ExpressionAttributeValues: { ':id': batchId } }));
    } catch (e) {
      if (!isConditionFailure(e)) throw e;
    }
  }

  async findReferences(shopId: string, references: readonly string[]): Promise<Map<string, string>> {
    const found = new Map<string, string>();
    const unique = [...new Set(references)];
    for (let i = 0; i < unique.length; i += BATCH_GET_MAX) {
      const chunk = unique.slice(i, i + BATCH_GET_MAX);
      const byHash = new Map(chunk.map((r) => [referenceHash(r), r]));
      for (const item of await this.batchGet(chunk.map((r) => keys.payoutReference(shopId, referenceHash(r))))) {
        const hash = String(item.pk).split('#').at(-1) ?? '';
        const reference = byHash.get(hash);
        if (reference !== undefined) found.set(reference, String(item.itemId));
      }
    }
    return found;
  }

  async items(ids: readonly string[]): Promise<Withdrawal[]> {
    const byId = new Map<string, Withdrawal>();
    for (let i = 0; i < ids.length; i += BATCH_GET_MAX) {
      for (const item of await this.batchGet(ids.slice(i, i + BATCH_GET_MAX).map((id) => keys.withdrawal(id)))) {
        const w = decodeWithdrawal(item);
        byId.set(w.id, w);
      }
    }
    return ids.flatMap((id) => byId.get(id) ?? []);
  }

  /** Strongly consistent BatchGetItem, asking again for what DynamoDB left unprocessed. */
  private async batchGet(wanted: Record<string, string>[]): Promise<Item[]> {
    const out: Item[] = [];
    let pending: Record<string, unknown>[] = wanted;
    for (let round = 0; pending.length > 0; round++) {
      if (round > 0) await new Promise((r) => setTimeout(r, Math.min(1000, 25 * 2 ** round)));
      const res = await this.db.send(new BatchGetCommand({ RequestItems: { [this.tableName]: { Keys: pending, ConsistentRead: true } } }));
      out.push(...((res.Responses?.[this.tableName] ?? []) as Item[]));
      pending = (res.UnprocessedKeys?.[this.tableName]?.Keys ?? []) as Record<string, unknown>[];
    }
    return out;
  }

  async listByProject(shopId: string, page: { limit: number; cursor: string | null }): Promise<{ items: PayoutBatch[]; next: string | null }> {
    const gsi1pk = keys.payoutBatchesOfProject(shopId);
    const at = page.cursor ? pageToken.decode(page.cursor, BATCH_TOKEN) : null;
    const id = at ? BATCH_TOKEN.exec(at)?.[1] : undefined;
    const startKey = at && id ? { gsi1pk, gsi1sk: at, ...keys.payoutBatch(id) } : undefined;
    const out = await this.db.send(
      new QueryCommand({ TableName: this.tableName, IndexName: 'byOwnerTime', KeyConditionExpression: 'gsi1pk = :pk', ExpressionAttributeValues: { ':pk': gsi1pk }, ScanIndexForward: false, Limit: page.limit, ExclusiveStartKey: startKey }),
    );
    return { items: (out.Items ?? []).map(decodeBatch), next: out.LastEvaluatedKey ? pageToken.encode(String(out.LastEvaluatedKey.gsi1sk)) : null };
  }

  async putLegs(legs: readonly PayoutLeg[]): Promise<void> {
    await eachLimited(legs, ITEM_WRITE_CONCURRENCY, async (leg) => {
      try {
        await this.db.send(new PutCommand({ TableName: this.tableName, Item: encodeLeg(leg), ConditionExpression: 'attribute_not_exists(pk)' }));
      } catch (e) {
        if (!isConditionFailure(e)) throw e;
      }
    });
  }

  async getLeg(batchId: string, legId: string): Promise<PayoutLeg | null> {
    const out = await this.db.send(new GetCommand({ TableName: this.tableName, Key: keys.payoutLeg(batchId, legId), ConsistentRead: true }));
    return out.Item ? decodeLeg(out.Item) : null;
  }

  async legs(batchId: string): Promise<PayoutLeg[]> {
    const legs: PayoutLeg[] = [];
    for await (const item of queryItems(this.db, {
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :leg)',
      ExpressionAttributeValues: { ':pk': keys.payoutBatch(batchId).pk, ':leg': keys.payoutLegPrefix },
      ConsistentRead: true,
    }))
      legs.push(decodeLeg(item));
    return legs;
  }

  async saveLeg(leg: PayoutLeg, expectedVersion: number): Promise<boolean> {
    return putAtVersion(this.db, this.tableName, encodeLeg(leg), expectedVersion);
  }
}
