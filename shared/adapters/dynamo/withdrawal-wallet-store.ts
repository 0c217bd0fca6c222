/**
 * Withdrawal wallets (keys.withdrawalWallet): one item per wallet in the project's WWALLET#
 * partition, so a Query lists them all. Each write carries the second factor's change (the fresh
 * code it spent) and the audit events in one transaction: a code passes once, and no change
 * goes unrecorded.
 */
import { type DynamoDBDocumentClient, GetCommand, QueryCommand, } from '@aws-sdk/lib-dynamodb';
import type { AuditEvent } from '../../domain/audit';
import { WITHDRAWAL_WALLETS_PER_PROJECT_MAX, type WithdrawalWallet } from '../../domain/withdrawal-wallet';
import type { FactorWrite, WithdrawalWalletStore } from '../../ports/second-factor';
import { auditPut } from './audit-log';
import { int, type Item } from './codec';
import { keys } from './keys';
import { factorPut, transactUnlessRaced } from './second-factor-store';

function encodeWallet(w: WithdrawalWallet): Item {
  return {
    ...keys.withdrawalWallet(w.shopId, w.id),
    type: 'withdrawalWallet',
    schemaVersion: 1,
    id: w.id,
    shopId: w.shopId,
    code: w.code,
    address: w.address,
    label: w.label,
    createdAt: w.createdAt,
    usableFrom: w.usableFrom,
    removedAt: w.removedAt ?? undefined,
    version: w.version,
  };
}

function decodeWallet(item: Item): WithdrawalWallet {
  return {
    id: String(item.id),
    shopId: String(item.shopId),
    code: String(item.code),
    address: String(item.address),
    label: String(item.label ?? ''),
    createdAt: int(item, 'createdAt'),
    usableFrom: int(item, 'usableFrom'),
    removedAt: item.removedAt === undefined ? null : int(item, 'removedAt'),
    version: int(item, 'version'),
  };
}

export class DynamoWithdrawalWalletStore implements WithdrawalWalletStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async get(shopId: string, walletId: string): Promise<WithdrawalWallet | null> {
    // A wallet id is a key segment: anything that could not be one names no wallet.
    if (!/^ww_[A-Z0-9]{24}$/.test(walletId)) return null;
    const out = await this.db.send(new GetCommand({ TableName: this.tableName, Key: keys.withdrawalWallet(shopId, walletId), ConsistentRead: true }));
    return out.Item ? decodeWallet(out.Item) : null;
  }

  async list(shopId: string): Promise<WithdrawalWallet[]> {
    const pk = keys.withdrawalWallet(shopId, 'x').pk;
    const out = await this.db.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :w)',
        ExpressionAttributeValues: { ':pk': pk, ':w': keys.withdrawalWalletPrefix },
        ConsistentRead: true,
        Limit: WITHDRAWAL_WALLETS_PER_PROJECT_MAX,
      }),
    );
    return (out.Items ?? []).map(decodeWallet).sort((a, b) => a.createdAt - b.createdAt || a.id.localeCompare(b.id));
  }

  async write(wallet: WithdrawalWallet, expectedVersion: number | null, factor: FactorWrite, events: readonly AuditEvent[]): Promise<boolean> {
    const walletPut = {
      Put: {
        TableName: this.tableName,
        Item: encodeWallet(wallet),
        ...(expectedVersion === null
          ? { ConditionExpression: 'attribute_not_exists(pk)' }
          : { ConditionExpression: 'version = :expected', ExpressionAttributeValues: { ':expected': expectedVersion } }),
      },
    };
    return transactUnlessRaced(this.db, [walletPut, factorPut(this.tableName, factor), ...events.map((e) => auditPut(this.tableName, e))]);
  }
}
