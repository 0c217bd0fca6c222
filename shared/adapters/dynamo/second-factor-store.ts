/**
 * A project's second factor (keys.secondFactor): one item, every write conditional on the
 * version read, with its audit events in the same transaction. The TOTP secret arrives sealed
 * (the app encrypts it with the project secrets key); this store never sees it in the clear.
 */
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { AuditEvent } from '../../domain/audit';
import type { RecoveryCode, SecondFactor, SecondFactorStatus } from '../../domain/second-factor';
import type { FactorWrite, SecondFactorStore } from '../../ports/second-factor';
import { auditPut } from './audit-log';
import { int, type Item } from './codec';
import { keys } from './keys';

function encodeFactor(f: SecondFactor): Item {
  return {
    ...keys.secondFactor(f.shopId),
    type: 'secondFactor',
    schemaVersion: 1,
    shopId: f.shopId,
    status: f.status,
    secretSealed: f.secretSealed,
    nextSecretSealed: f.nextSecretSealed ?? undefined,
    lastUsedStep: f.lastUsedStep ?? undefined,
    failures: f.failures,
    lockedUntil: f.lockedUntil ?? undefined,
    recoveryCodes: f.recoveryCodes.map((c) => ({ hash: c.hash, ...(c.usedAt === null ? {} : { usedAt: c.usedAt }) })),
    createdAt: f.createdAt,
    enabledAt: f.enabledAt ?? undefined,
    version: f.version,
  };
}

const optInt = (item: Item, field: string) => (item[field] === undefined ? null : int(item, field));

function decodeFactor(item: Item): SecondFactor {
  return {
    shopId: String(item.shopId),
    status: String(item.status) as SecondFactorStatus,
    secretSealed: String(item.secretSealed),
    nextSecretSealed: item.nextSecretSealed === undefined ? null : String(item.nextSecretSealed),
    lastUsedStep: optInt(item, 'lastUsedStep'),
    failures: int(item, 'failures'),
    lockedUntil: optInt(item, 'lockedUntil'),
    recoveryCodes: ((item.recoveryCodes ?? []) as Item[]).map((c): RecoveryCode => ({ hash: String(c.hash), usedAt: optInt(c, 'usedAt') })),
    createdAt: int(item, 'createdAt'),
    enabledAt: optInt(item, 'enabledAt'),
    version: int(item, 'version'),
  };
}

/** The transaction item that writes a factor: new (must not exist) or conditional on the version read. */
export function factorPut(tableName: string, { factor, expectedVersion }: FactorWrite) {
  return {
    Put: {
      TableName: tableName,
      Item: encodeFactor(factor),
      ...(expectedVersion === null
        ? { ConditionExpression: 'attribute_not_exists(pk)' }
        : { ConditionExpression: 'version = :expected', ExpressionAttributeValues: { ':expected': expectedVersion } }),
    },
  };
}

/** A transaction lost to a concurrent writer (its condition, or DynamoDB's own conflict check). */
export function lostRace(e: unknown): boolean {
  if (!(e instanceof TransactionCanceledException)) return false;
  const codes = (e.CancellationReasons ?? []).map((r) => r.Code);
  return codes.some((c) => c === 'ConditionalCheckFailed' || c === 'TransactionConflict');
}

/** Writes `items` in one transaction: false when a concurrent writer won (the caller reloads and decides). */
export async function transactUnlessRaced(db: DynamoDBDocumentClient, items: readonly unknown[]): Promise<boolean> {
  try {
    await db.send(new TransactWriteCommand({ TransactItems: items as never }));
    return true;
  } catch (e) {
    if (lostRace(e)) return false;
    throw e;
  }
}

export class DynamoSecondFactorStore implements SecondFactorStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async get(shopId: string): Promise<SecondFactor | null> {
    const out = await this.db.send(new GetCommand({ TableName: this.tableName, Key: keys.secondFactor(shopId), ConsistentRead: true }));
    return out.Item ? decodeFactor(out.Item) : null;
  }

  async save(write: FactorWrite, events: readonly AuditEvent[]): Promise<boolean> {
    return transactUnlessRaced(this.db, [factorPut(this.tableName, write), ...events.map((e) => auditPut(this.tableName, e))]);
  }
}
