import { type DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { int } from './codec';
import type { Key } from './keys';

/** Atomic counters (`ADD`): two concurrent callers never get the same value. */
export class DynamoCounters {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async next(key: Key): Promise<number> {
    const out = await this.db.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: key,
        UpdateExpression: 'ADD #value :one SET #type = :type',
        ExpressionAttributeNames: { '#value': 'value', '#type': 'type' },
        ExpressionAttributeValues: { ':one': 1, ':type': 'counter' },
        ReturnValues: 'UPDATED_NEW',
      }),
    );
    return int(out.Attributes ?? {}, 'value');
  }
}
