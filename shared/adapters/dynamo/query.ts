import { type DynamoDBDocumentClient, QueryCommand, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import type { Item } from './codec';

/** Every item of a query, page by page; the caller stops early by breaking out of the loop. */
export async function* queryItems(db: DynamoDBDocumentClient, input: QueryCommandInput): AsyncGenerator<Item> {
  let startKey: Record<string, unknown> | undefined;
  do {
    const res = await db.send(new QueryCommand({ ...input, ExclusiveStartKey: startKey }));
    yield* res.Items ?? [];
    startKey = res.LastEvaluatedKey;
  } while (startKey);
}
