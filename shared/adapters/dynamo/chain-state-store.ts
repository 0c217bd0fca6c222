/** The watcher's own state: scan checkpoints, and the deposit addresses it matches against. */
import { type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { ChainId } from '../../domain/currencies';
import type { BlockRef, Checkpoint, CheckpointStore, WatchedAddressSource } from '../../ports';
import { int, type Item } from './codec';
import { keys } from './keys';
import { isoTime } from '../../domain/time';
import { queryItems } from './query';

const decodeBlock = (b: Item): BlockRef => ({ number: int(b, 'number'), hash: String(b.hash) });

export class DynamoChainState implements CheckpointStore, WatchedAddressSource {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async get(chain: ChainId): Promise<Checkpoint | null> {
    const out = await this.db.send(new GetCommand({ TableName: this.tableName, Key: keys.checkpoint(chain), ConsistentRead: true }));
    const item = out.Item;
    if (!item) return null;
    return {
      chain,
      cursor: int(item, 'cursor'),
      recent: ((item.recent as Item[] | undefined) ?? []).map(decodeBlock),
      head: decodeBlock(item.head as Item),
      headAt: int(item, 'headAt'),
      version: int(item, 'version'),
    };
  }

  async save(checkpoint: Checkpoint, expectedVersion: number): Promise<boolean> {
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...keys.checkpoint(checkpoint.chain), type: 'checkpoint', schemaVersion: 1, ...checkpoint },
          ...(expectedVersion === 0
            ? { ConditionExpression: 'attribute_not_exists(pk)' }
            : { ConditionExpression: 'version = :expected', ExpressionAttributeValues: { ':expected': expectedVersion } }),
        }),
      );
      return true;
    } catch (e) {
      if (e instanceof Error && e.name === 'ConditionalCheckFailedException') return false;
      throw e;
    }
  }

  async claimedSince(chain: ChainId, since: number | null) {
    const addresses: { address: string; watchUntil: number; claimedAt: number }[] = [];
    const query = {
      TableName: this.tableName,
      IndexName: 'byOwnerTime',
      KeyConditionExpression: since === null ? 'gsi1pk = :pk' : 'gsi1pk = :pk AND gsi1sk >= :since',
      ExpressionAttributeValues: { ':pk': keys.watched(chain), ...(since === null ? {} : { ':since': isoTime(since) }) },
    };
    for await (const item of queryItems(this.db, query)) {
      addresses.push({ address: String(item.address).toLowerCase(), watchUntil: int(item, 'watchUntil'), claimedAt: int(item, 'claimedAt') });
    }
    return addresses;
  }
}
