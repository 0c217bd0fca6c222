/** Request counters for the public routes' rate limits (ports/pages.ts RateCounter). */
import { type DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Instant } from '../../domain/time';
import type { RateCounter } from '../../ports';
import { keys } from '../dynamo/keys';

/** Windows kept in one instance's memory: the oldest go first, so a flood of clients stays bounded. */
const MEMORY_WINDOWS_MAX = 10_000;

/** Counts in this instance only: no I/O on the hot path (page views, status polls). */
export class MemoryRateCounter implements RateCounter {
  private readonly counts = new Map<string, number>();

  async hit(limit: string, client: string, window: number): Promise<number> {
    const key = `${limit}|${client}|${window}`;
    const count = (this.counts.get(key) ?? 0) + 1;
    this.counts.delete(key);
    this.counts.set(key, count);
    if (this.counts.size > MEMORY_WINDOWS_MAX) this.counts.delete(this.counts.keys().next().value as string);
    return count;
  }
}

/** Counts across every instance: one atomic ADD per request, expired by the table's ttl. */
export class DynamoRateCounter implements RateCounter {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async hit(limit: string, client: string, window: number, expiresAt: Instant): Promise<number> {
    const out = await this.db.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: keys.rate(limit, client, window),
        UpdateExpression: 'ADD #n :one SET #ttl = if_not_exists(#ttl, :ttl)',
        ExpressionAttributeNames: { '#n': 'n', '#ttl': 'ttl' },
        ExpressionAttributeValues: { ':one': 1, ':ttl': Math.ceil(expiresAt / 1000) },
        ReturnValues: 'UPDATED_NEW',
      }),
    );
    return Number(out.Attributes?.n ?? 1);
  }
}
