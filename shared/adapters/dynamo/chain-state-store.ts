/** The watcher's own state: scan checkpoints, and the deposit addresses it matches against. */
import { type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { ChainId } from '../../domain/currencies';
import { addressKey } from '../../domain/chain-families';
import type { BlockRef, Checkpoint, CheckpointStore, WatchedAddress, WatchedAddressSource } from '../../ports';
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
      // Checkpoints saved before the field existed have none: unknown until the next scan.
      cursorTime: item.cursorTime === undefined || item.cursorTime === null ? null : int(item, 'cursorTime'),
      recent: ((item.recent as Item[] | undefined) ?? []).map(decodeBlock),
      head: decodeBlock(item.head as Item),
      headAt: int(item, 'headAt'),
      version: int(item, 'version'),
      ...(item.nativeMarkTrusted === true ? { nativeMarkTrusted: true } : {}),
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

  async claimedSince(chain: ChainId, since: number): Promise<(WatchedAddress & { claimedAt: number })[]> {
    const addresses: (WatchedAddress & { claimedAt: number })[] = [];
    const query = {
      TableName: this.tableName,
      IndexName: 'byOwnerTime',
      KeyConditionExpression: 'gsi1pk = :pk AND gsi1sk >= :since',
      ExpressionAttributeValues: { ':pk': keys.watched(chain), ':since': isoTime(since) },
    };
    for await (const item of queryItems(this.db, query)) {
      addresses.push({ address: addressKey(chain, String(item.address)), watchUntil: int(item, 'watchUntil'), claimedAt: int(item, 'claimedAt') });
    }
    return addresses;
  }

  /**
   * Reads one span of the watch-until index. The index projects keys only: the address and its
   * watch end come from the index key. The bounds carry no `#address`, so `after` is exclusive
   * by the filter below and `before` by the key order (`<iso>` sorts before `<iso>#<address>`).
   */
  async *watchEndingBetween(chain: ChainId, after: number, before: number | null): AsyncGenerator<WatchedAddress> {
    const query = {
      TableName: this.tableName,
      IndexName: 'byDueTime',
      KeyConditionExpression: before === null ? 'gsi2pk = :pk AND gsi2sk > :after' : 'gsi2pk = :pk AND gsi2sk BETWEEN :after AND :before',
      ExpressionAttributeValues: { ':pk': keys.watched(chain), ':after': isoTime(after), ...(before === null ? {} : { ':before': isoTime(before) }) },
    };
    for await (const item of queryItems(this.db, query)) {
      const sk = String(item.gsi2sk);
      const cut = sk.lastIndexOf('#');
      const watchUntil = Date.parse(sk.slice(0, cut));
      // A copy, not a slice: V8 would keep the whole index key alive behind a kept address.
      if (cut > 0 && watchUntil > after) yield { address: flatCopy(sk.slice(cut + 1)), watchUntil };
    }
  }

  /** Every address still watched at `now` (watchUntil after it); the expired ones are not read. */
  async watchedAt(chain: ChainId, now: number): Promise<WatchedAddress[]> {
    const addresses: WatchedAddress[] = [];
    for await (const a of this.watchEndingBetween(chain, now, null)) addresses.push(a);
    return addresses;
  }
}

/** A string of its own (sequential), where `slice` would give a view that pins its parent. */
const flatCopy = (text: string): string => Buffer.from(text, 'latin1').toString('latin1');
