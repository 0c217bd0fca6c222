/** Postback attempts and delivery marks, kept in the invoice's partition (keys.ts). */
import { type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { InvoiceId } from '../../domain/ids';
import { DAY_MS, type Instant, isoTime } from '../../domain/time';
import type { PostbackAttempt, PostbackLog } from '../../ports';
import { type Item, int } from './codec';
import { keys } from './keys';
import { queryItems } from './query';

/** Attempts are a support log, not money: they expire after 90 days. */
const ATTEMPT_TTL_MS = 90 * DAY_MS;

const decodeAttempt = (item: Item): PostbackAttempt => ({
  invoiceId: String(item.invoiceId) as InvoiceId,
  eventId: String(item.eventId),
  kind: String(item.kind),
  attempt: int(item, 'attempt'),
  at: int(item, 'at'),
  target: String(item.target),
  outcome: String(item.outcome) as PostbackAttempt['outcome'],
  httpStatus: item.httpStatus === undefined ? null : int(item, 'httpStatus'),
  latencyMs: int(item, 'latencyMs'),
  response: String(item.response ?? ''),
  resend: item.resend === true,
});

export class DynamoPostbackLog implements PostbackLog {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async record(a: PostbackAttempt): Promise<void> {
    const { httpStatus, ...rest } = a;
    await this.db.send(
      new PutCommand({
        TableName: this.tableName,
        Item: {
          ...keys.postbackAttempt(a.invoiceId, isoTime(a.at), a.eventId, a.attempt),
          type: 'postback_attempt',
          schemaVersion: 1,
          ...rest,
          ...(httpStatus === null ? {} : { httpStatus }),
          ttl: Math.floor((a.at + ATTEMPT_TTL_MS) / 1000),
        },
      }),
    );
  }

  async attemptsOf(invoiceId: InvoiceId): Promise<PostbackAttempt[]> {
    const out: PostbackAttempt[] = [];
    const query = {
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': keys.invoice(invoiceId).pk, ':prefix': keys.postbackAttemptPrefix },
    };
    for await (const item of queryItems(this.db, query)) out.push(decodeAttempt(item));
    return out;
  }

  async isDelivered(invoiceId: InvoiceId, eventId: string): Promise<boolean> {
    const out = await this.db.send(new GetCommand({ TableName: this.tableName, Key: keys.postbackDelivered(invoiceId, eventId), ConsistentRead: true }));
    return out.Item !== undefined;
  }

  async markDelivered(invoiceId: InvoiceId, eventId: string, at: Instant): Promise<void> {
    await this.db.send(new PutCommand({ TableName: this.tableName, Item: { ...keys.postbackDelivered(invoiceId, eventId), type: 'postback_delivered', schemaVersion: 1, invoiceId, eventId, at } }));
  }
}
