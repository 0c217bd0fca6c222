import { type DynamoDBDocumentClient, PutCommand, QueryCommand, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import type { Item } from './codec';

/**
 * Every item of a query, page by page, from `input.ExclusiveStartKey` when given; the caller
 * stops early by breaking out of the loop.
 */
export async function* queryItems(db: DynamoDBDocumentClient, input: QueryCommandInput): AsyncGenerator<Item> {
  let startKey: Record<string, unknown> | undefined = input.ExclusiveStartKey;
  do {
    const res = await db.send(new QueryCommand({ ...input, ExclusiveStartKey: startKey }));
    yield* res.Items ?? [];
    startKey = res.LastEvaluatedKey;
  } while (startKey);
}

const DUE_TIME_KEY_ATTRIBUTES = ['gsi2pk', 'gsi2sk', 'pk', 'sk'] as const;

/** Where a read of a byDueTime work queue stopped (the keys of the last item read), as an opaque token. */
export const dueTimeToken = (item: Item): string => JSON.stringify(DUE_TIME_KEY_ATTRIBUTES.map((a) => String(item[a])));

/** The ExclusiveStartKey a token stands for, when it is one of `queue`'s; undefined (from the start) otherwise. */
export function dueTimeStartKey(token: string | null | undefined, queue: string): Record<string, string> | undefined {
  if (!token) return undefined;
  let parts: unknown;
  try {
    parts = JSON.parse(token);
  } catch {
    return undefined;
  }
  if (!Array.isArray(parts) || parts.length !== DUE_TIME_KEY_ATTRIBUTES.length || parts.some((p) => typeof p !== 'string') || parts[0] !== queue) return undefined;
  return Object.fromEntries(DUE_TIME_KEY_ATTRIBUTES.map((a, i) => [a, parts[i] as string]));
}

/** Page tokens: the last item's sort key in base64url, so a token never holds `#` or anything a URL would cut. */
export const pageToken = {
  encode: (key: string) => Buffer.from(key, 'utf8').toString('base64url'),
  decode: (token: string, shape: RegExp): string | null => {
    const key = Buffer.from(token, 'base64url').toString('utf8');
    return shape.test(key) ? key : null;
  },
};

/** A conditional write that lost: the item was not in the state the write expected. */
export const isConditionFailure = (e: unknown) => e instanceof Error && e.name === 'ConditionalCheckFailedException';

/** Replaces an item only at the version its writer read: false when another writer got there first. */
export async function putAtVersion(db: DynamoDBDocumentClient, tableName: string, item: Item, expectedVersion: number): Promise<boolean> {
  try {
    await db.send(new PutCommand({ TableName: tableName, Item: item, ConditionExpression: 'version = :expected', ExpressionAttributeValues: { ':expected': expectedVersion } }));
    return true;
  } catch (e) {
    if (isConditionFailure(e)) return false;
    throw e;
  }
}
