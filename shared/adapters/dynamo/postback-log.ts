/** Postback attempts and delivery marks, kept in their subject's partition: the invoice's or the withdrawal's (keys.ts). */
import { type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { InvoiceId } from '../../domain/ids';
import { DAY_MS, type Instant, isoTime } from '../../domain/time';
import type { PostbackAttempt, PostbackLog, PostbackSubject } from '../../ports';
import { type Item, int } from './codec';
import { keys } from './keys';
import { queryItems } from './query';

/** Attempts are a support log, not money: they expire after 90 days. */
const ATTEMPT_TTL_MS = 90 * DAY_MS;

const isInvoice = (s: PostbackSubject): s is InvoiceId => typeof s === 'string';
const partitionOf = (s: PostbackSubject) => (isInvoice(s) ? keys.invoice(s).pk : keys.withdrawal(s.withdrawalId).pk);
const deliveredKey = (s: PostbackSubject, eventId: string) => (isInvoice(s) ? keys.postbackDelivered(s, eventId) : keys.withdrawalPostbackDelivered(s.withdrawalId, eventId));
const subjectFields = (s: PostbackSubject) => (isInvoice(s) ? { invoiceId: s } : { withdrawalId: s.withdrawalId });

const decodeAttempt = (item: Item): PostbackAttempt => ({
  ...(item.withdrawalId === undefined ? { invoiceId: String(item.invoiceId) as InvoiceId } : { withdrawalId: String(item.withdrawalId) }),
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
    const { httpStatus, invoiceId, withdrawalId, ...rest } = a;
    const key =
      withdrawalId === undefined ? keys.postbackAttempt(invoiceId, isoTime(a.at), a.eventId, a.attempt) : keys.withdrawalPostbackAttempt(withdrawalId, isoTime(a.at), a.eventId, a.attempt);
    await this.db.send(
      new PutCommand({
        TableName: this.tableName,
        Item: {
          ...key,
          type: 'postback_attempt',
          schemaVersion: 1,
          ...(withdrawalId === undefined ? { invoiceId } : { withdrawalId }),
          ...rest,
          ...(httpStatus === null ? {} : { httpStatus }),
          ttl: Math.floor((a.at + ATTEMPT_TTL_MS) / 1000),
        },
      }),
    );
  }

  async attemptsOf(subject: PostbackSubject): Promise<PostbackAttempt[]> {
    const out: PostbackAttempt[] = [];
    const query = {
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': partitionOf(subject), ':prefix': keys.postbackAttemptPrefix },
    };
    for await (const item of queryItems(this.db, query)) out.push(decodeAttempt(item));
    return out;
  }

  async isDelivered(subject: PostbackSubject, eventId: string): Promise<boolean> {
    const out = await this.db.send(new GetCommand({ TableName: this.tableName, Key: deliveredKey(subject, eventId), ConsistentRead: true }));
    return out.Item !== undefined;
  }

  async markDelivered(subject: PostbackSubject, eventId: string, at: Instant): Promise<void> {
    await this.db.send(new PutCommand({ TableName: this.tableName, Item: { ...deliveredKey(subject, eventId), type: 'postback_delivered', schemaVersion: 1, ...subjectFields(subject), eventId, at } }));
  }
}
