import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { BalanceEntry, BalanceReader } from '../../ports';
import { big } from './codec';
import { keys } from './keys';
import { queryItems } from './query';

/** Reads the ledger's balance projections (written with the ledger transfers, EVM issue). */
export class DynamoBalanceReader implements BalanceReader {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async balances(shopId: string): Promise<BalanceEntry[]> {
    const rows: BalanceEntry[] = [];
    const query = {
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': keys.project(shopId).pk, ':prefix': keys.balancePrefix },
    };
    for await (const item of queryItems(this.db, query)) rows.push({ code: String(item.code), total: big(item, 'total'), available: big(item, 'available'), debt: item.debt === undefined ? 0n : big(item, 'debt') });
    return rows;
  }
}
