/**
 * The single table's shape, as data. lib/infra/storage.ts turns it into the CDK Table; the local
 * runtime and the tests turn it into CreateTable (STYLE §6.8), so the two cannot drift.
 */
import type { CreateTableCommandInput } from '@aws-sdk/client-dynamodb';

export const TABLE_SHAPE = {
  partitionKey: 'pk',
  sortKey: 'sk',
  ttlAttribute: 'ttl',
  indexes: {
    /** Children of an owner in time order: a project's invoices by creation, projects by creation. */
    byOwnerTime: { partitionKey: 'gsi1pk', sortKey: 'gsi1sk', projection: 'ALL' },
    /** Sparse work queues by due time: invoices still `created`, by expiry. */
    byDueTime: { partitionKey: 'gsi2pk', sortKey: 'gsi2sk', projection: 'KEYS_ONLY' },
  },
} as const;

export type IndexName = keyof typeof TABLE_SHAPE.indexes;

export function createTableInput(tableName: string): CreateTableCommandInput {
  const indexes = Object.entries(TABLE_SHAPE.indexes);
  return {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [TABLE_SHAPE.partitionKey, TABLE_SHAPE.sortKey, ...indexes.flatMap(([, i]) => [i.partitionKey, i.sortKey])].map((name) => ({
      AttributeName: name,
      AttributeType: 'S',
    })),
    KeySchema: [
      { AttributeName: TABLE_SHAPE.partitionKey, KeyType: 'HASH' },
      { AttributeName: TABLE_SHAPE.sortKey, KeyType: 'RANGE' },
    ],
    GlobalSecondaryIndexes: indexes.map(([name, i]) => ({
      IndexName: name,
      KeySchema: [
        { AttributeName: i.partitionKey, KeyType: 'HASH' },
        { AttributeName: i.sortKey, KeyType: 'RANGE' },
      ],
      Projection: { ProjectionType: i.projection },
    })),
  };
}
