/**
 * The audit trail (keys.auditEvent): append-only items under the project's AUDIT# partition,
 * sorted by time. Changes of a factor or a wallet write their events in their own transactions
 * with `auditPut`; withdrawal steps append theirs alone.
 */
import { type DynamoDBDocumentClient, NumberValue, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { AuditAction, AuditActor, AuditDetails, AuditEvent } from '../../domain/audit';
import { isoTime } from '../../domain/time';
import type { AuditLog } from '../../ports/second-factor';
import { int, type Item } from './codec';
import { keys } from './keys';

/** A page token: the last item's sort key (`<atIso>#<eventId>`), base64url. */
const EVENT_SORT_KEY = /^\d{4}-\d{2}-\d{2}T[\d:.]+Z#ev_[A-Z0-9]{24}$/;

export function encodeAuditEvent(e: AuditEvent): Item {
  return {
    ...keys.auditEvent(e.shopId, isoTime(e.at), e.id),
    type: 'auditEvent',
    schemaVersion: 1,
    id: e.id,
    shopId: e.shopId,
    at: e.at,
    actor: e.actor,
    action: e.action,
    subject: e.subject,
    details: e.details,
  };
}

/** Details are flat scalars; numbers come back wrapped (the client reads every number exactly). */
function decodeDetails(raw: unknown): AuditDetails {
  const entries = Object.entries((raw ?? {}) as Item).map(([k, v]) => [k, v instanceof NumberValue ? Number(v.value) : typeof v === 'string' || typeof v === 'boolean' || typeof v === 'number' ? v : null]);
  return Object.fromEntries(entries) as AuditDetails;
}

function decodeAuditEvent(item: Item): AuditEvent {
  return {
    id: String(item.id),
    shopId: String(item.shopId),
    at: int(item, 'at'),
    actor: String(item.actor) as AuditActor,
    action: String(item.action) as AuditAction,
    subject: String(item.subject),
    details: decodeDetails(item.details),
  };
}

/** The transaction item that appends an event: never overwrites one. */
export const auditPut = (tableName: string, e: AuditEvent) => ({ Put: { TableName: tableName, Item: encodeAuditEvent(e), ConditionExpression: 'attribute_not_exists(pk)' } });

export class DynamoAuditLog implements AuditLog {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async append(event: AuditEvent): Promise<void> {
    await this.db.send(new PutCommand(auditPut(this.tableName, event).Put));
  }

  async list(shopId: string, limit: number, after: string | null): Promise<{ events: AuditEvent[]; next: string | null }> {
    const pk = keys.auditEvent(shopId, '0', 'x').pk;
    // A malformed or foreign token starts over within this project's partition only.
    const sk = after ? Buffer.from(after, 'base64url').toString('utf8') : null;
    const start = sk && EVENT_SORT_KEY.test(sk) ? { pk, sk } : undefined;
    const out = await this.db.send(
      new QueryCommand({ TableName: this.tableName, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': pk }, ScanIndexForward: false, Limit: limit, ExclusiveStartKey: start }),
    );
    const items = out.Items ?? [];
    const last = items.at(-1);
    return { events: items.map(decodeAuditEvent), next: out.LastEvaluatedKey && last ? Buffer.from(String(last.sk), 'utf8').toString('base64url') : null };
  }
}
