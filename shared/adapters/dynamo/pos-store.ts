import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { isFiatCode } from '../../domain/currencies';
import type { PosLink } from '../../domain/pos';
import { isoTime } from '../../domain/time';
import type { PosLinkStore } from '../../ports';
import { big, int, type Item } from './codec';
import type { DynamoCounters } from './counters';
import { keys } from './keys';
import { queryItems } from './query';

const encode = (link: PosLink): Item => ({
  ...keys.posLink(link.tokenHash),
  ...keys.posLinkByProject(link.shopId, isoTime(link.createdAt), link.id),
  type: 'pos',
  schemaVersion: 1,
  id: link.id,
  shopId: link.shopId,
  tokenHash: link.tokenHash,
  label: link.label,
  currency: link.currency,
  fiat: link.fiat,
  maxMinor: link.maxMinor,
  createdAt: link.createdAt,
  ...(link.revokedAt === null ? {} : { revokedAt: link.revokedAt }),
});

function decode(item: Item): PosLink {
  const fiat = String(item.fiat);
  if (!isFiatCode(fiat)) throw new Error(`corrupt item ${String(item.pk)}: fiat ${fiat}`);
  return {
    id: String(item.id),
    shopId: String(item.shopId),
    tokenHash: String(item.tokenHash),
    label: typeof item.label === 'string' ? item.label : null,
    currency: String(item.currency),
    fiat,
    maxMinor: big(item, 'maxMinor'),
    createdAt: int(item, 'createdAt'),
    revokedAt: item.revokedAt === null || item.revokedAt === undefined ? null : int(item, 'revokedAt'),
  };
}

export class DynamoPosLinkStore implements PosLinkStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly counters: DynamoCounters,
  ) {}

  async create(link: PosLink): Promise<void> {
    await this.db.send(new PutCommand({ TableName: this.tableName, Item: encode(link), ConditionExpression: 'attribute_not_exists(pk)' }));
  }

  async findByTokenHash(tokenHash: string): Promise<PosLink | null> {
    const out = await this.db.send(new GetCommand({ TableName: this.tableName, Key: keys.posLink(tokenHash) }));
    return out.Item ? decode(out.Item) : null;
  }

  async listByProject(shopId: string, limit: number): Promise<PosLink[]> {
    const links: PosLink[] = [];
    const query = { TableName: this.tableName, IndexName: 'byOwnerTime', KeyConditionExpression: 'gsi1pk = :pk', ExpressionAttributeValues: { ':pk': keys.posLinksOfProject(shopId) }, Limit: limit };
    for await (const item of queryItems(this.db, query)) {
      links.push(decode(item));
      if (links.length >= limit) break;
    }
    return links;
  }

  async revoke(link: PosLink, at: number): Promise<boolean> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.posLink(link.tokenHash),
          UpdateExpression: 'SET revokedAt = :at',
          ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(revokedAt)',
          ExpressionAttributeValues: { ':at': at },
        }),
      );
      return true;
    } catch (e) {
      if (e instanceof ConditionalCheckFailedException) return false;
      throw e;
    }
  }

  nextSaleNumber(posId: string): Promise<number> {
    return this.counters.next(keys.posSaleCounter(posId));
  }
}
