/** Withdrawals (funds out): the item, its project's time index, its Idempotency-Key and the day's API payout total. */
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { ChainId } from '../../domain/currencies';
import { DAY_MS, isoTime } from '../../domain/time';
import type { Withdrawal, WithdrawalSource, WithdrawalStatus } from '../../domain/withdrawal';
import type { CreateWithdrawalOutcome, IdempotencyClaim, WithdrawalStore } from '../../ports/funds-out';
import { big, decodeSignedTransfer, encodeSignedTransfer, int, type Item } from './codec';
import { keys } from './keys';
import { pageToken, putAtVersion } from './query';

export function encodeWithdrawal(w: Withdrawal): Item {
  return {
    ...keys.withdrawal(w.id),
    ...keys.withdrawalByProject(w.shopId, isoTime(w.createdAt), w.id),
    type: 'withdrawal',
    schemaVersion: 1,
    ...w,
    reason: w.reason ?? undefined,
    walletId: w.walletId ?? undefined,
    tx: w.tx ? encodeSignedTransfer(w.tx) : undefined,
    replaced: w.replaced.map(encodeSignedTransfer),
    landed: w.landed ?? undefined,
    batch: w.batch ?? undefined,
  };
}

export function decodeWithdrawal(item: Item): Withdrawal {
  const landed = item.landed as Item | undefined;
  const batch = item.batch as Item | undefined;
  return {
    id: String(item.id),
    shopId: String(item.shopId),
    code: String(item.code),
    chain: String(item.chain) as ChainId,
    toAddress: String(item.toAddress),
    walletId: item.walletId === undefined ? null : String(item.walletId),
    amount: big(item, 'amount'),
    fee: big(item, 'fee'),
    feeSide: item.feeSide === 'client' ? 'client' : 'merchant',
    sendAmount: big(item, 'sendAmount'),
    holdAmount: big(item, 'holdAmount'),
    source: String(item.source) as WithdrawalSource,
    status: String(item.status) as WithdrawalStatus,
    reason: item.reason === undefined ? null : String(item.reason),
    tx: item.tx ? decodeSignedTransfer(item.tx as Item) : null,
    replaced: ((item.replaced as Item[] | undefined) ?? []).map(decodeSignedTransfer),
    landed: landed ? { hash: String(landed.hash), blockNumber: int(landed, 'blockNumber') } : null,
    batch: batch ? { id: String(batch.id), index: int(batch, 'index'), reference: String(batch.reference) } : null,
    createdAt: int(item, 'createdAt'),
    updatedAt: int(item, 'updatedAt'),
    version: int(item, 'version'),
  };
}

const WITHDRAWAL_TOKEN = /^\d{4}-\d\d-\d\dT[\d:.]+Z#([A-Z0-9-]{1,20})$/;

export class DynamoWithdrawalStore implements WithdrawalStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async create(w: Withdrawal, extras: { idempotency?: IdempotencyClaim; dailyLimit?: { day: string; cents: bigint; limitCents: bigint } }): Promise<CreateWithdrawalOutcome> {
    const items: Record<string, unknown>[] = [{ Put: { TableName: this.tableName, Item: encodeWithdrawal(w), ConditionExpression: 'attribute_not_exists(pk)' } }];
    const idempotencyIndex = extras.idempotency ? items.length : -1;
    if (extras.idempotency) {
      items.push({
        Put: {
          TableName: this.tableName,
          Item: { ...keys.withdrawalIdempotency(w.shopId, extras.idempotency.keyHash), type: 'withdrawalIdempotency', withdrawalId: w.id, requestHash: extras.idempotency.requestHash, ttl: Math.floor((w.createdAt + DAY_MS) / 1000) },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      });
    }
    const limitIndex = extras.dailyLimit ? items.length : -1;
    if (extras.dailyLimit) {
      const { day, cents, limitCents } = extras.dailyLimit;
      items.push({
        Update: {
          TableName: this.tableName,
          Key: keys.payoutDay(w.shopId, day),
          // The day's total may reach the limit, never pass it, whatever runs concurrently.
          UpdateExpression: 'ADD cents :cents SET #type = :type, #ttl = :ttl',
          ConditionExpression: 'attribute_not_exists(cents) OR cents <= :room',
          ExpressionAttributeNames: { '#type': 'type', '#ttl': 'ttl' },
          ExpressionAttributeValues: { ':cents': cents, ':room': limitCents - cents, ':type': 'payoutDay', ':ttl': Math.floor((w.createdAt + 3 * DAY_MS) / 1000) },
        },
      });
      if (cents > limitCents) return { kind: 'daily_limit', usedCents: await this.usedCents(w.shopId, day) };
    }
    try {
      await this.db.send(new TransactWriteCommand({ TransactItems: items as never }));
      return { kind: 'created' };
    } catch (e) {
      if (!(e instanceof TransactionCanceledException)) throw e;
      const reasons = (e.CancellationReasons ?? []).map((r) => r.Code);
      if (idempotencyIndex >= 0 && reasons[idempotencyIndex] === 'ConditionalCheckFailed' && extras.idempotency) {
        const found = await this.findByIdempotency(w.shopId, extras.idempotency.keyHash);
        if (found) return { kind: 'idempotency_taken', ...found };
      }
      if (limitIndex >= 0 && reasons[limitIndex] === 'ConditionalCheckFailed' && extras.dailyLimit) return { kind: 'daily_limit', usedCents: await this.usedCents(w.shopId, extras.dailyLimit.day) };
      throw e;
    }
  }

  private async usedCents(shopId: string, day: string): Promise<bigint> {
    const out = await this.db.send(new GetCommand({ TableName: this.tableName, Key: keys.payoutDay(shopId, day), ConsistentRead: true }));
    return out.Item?.cents === undefined ? 0n : big(out.Item, 'cents');
  }

  async findByIdempotency(shopId: string, keyHash: string): Promise<{ withdrawalId: string; requestHash: string } | null> {
    const out = await this.db.send(new GetCommand({ TableName: this.tableName, Key: keys.withdrawalIdempotency(shopId, keyHash), ConsistentRead: true }));
    return out.Item ? { withdrawalId: String(out.Item.withdrawalId), requestHash: String(out.Item.requestHash) } : null;
  }

  async get(id: string): Promise<Withdrawal | null> {
    const out = await this.db.send(new GetCommand({ TableName: this.tableName, Key: keys.withdrawal(id), ConsistentRead: true }));
    return out.Item ? decodeWithdrawal(out.Item) : null;
  }

  save(w: Withdrawal, expectedVersion: number): Promise<boolean> {
    return putAtVersion(this.db, this.tableName, encodeWithdrawal(w), expectedVersion);
  }

  async listByProject(shopId: string, page: { limit: number; cursor: string | null }): Promise<{ items: Withdrawal[]; next: string | null }> {
    const gsi1pk = keys.withdrawalsOfProject(shopId);
    const at = page.cursor ? pageToken.decode(page.cursor, WITHDRAWAL_TOKEN) : null;
    const id = at ? WITHDRAWAL_TOKEN.exec(at)?.[1] : undefined;
    const startKey = at && id ? { gsi1pk, gsi1sk: at, ...keys.withdrawal(id) } : undefined;
    const out = await this.db.send(
      new QueryCommand({ TableName: this.tableName, IndexName: 'byOwnerTime', KeyConditionExpression: 'gsi1pk = :pk', ExpressionAttributeValues: { ':pk': gsi1pk }, ScanIndexForward: false, Limit: page.limit, ExclusiveStartKey: startKey }),
    );
    return { items: (out.Items ?? []).map(decodeWithdrawal), next: out.LastEvaluatedKey ? pageToken.encode(String(out.LastEvaluatedKey.gsi1sk)) : null };
  }
}
