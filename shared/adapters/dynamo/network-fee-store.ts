/**
 * Each chain's latest resource prices, one small item per chain (`CHAIN#<chain>` / `FEES`), written
 * by the network-fees schedule and read by whatever prices an invoice. A read is kept in the
 * instance for a minute, so a busy API function reads the item once a minute per chain, not once
 * per invoice.
 */
import { type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { ChainId } from '../../domain/currencies';
import type { FeeEstimate } from '../../domain/network-fee';
import type { NetworkFeeStore } from '../../ports/network-fees';
import { int, type Item } from './codec';
import { keys } from './keys';

/** How long an instance keeps a read estimate; a missing one is asked again sooner (the schedule may just have written it). */
export const FEE_ESTIMATE_CACHE_MS = 60_000;
const FEE_ESTIMATE_MISS_CACHE_MS = 10_000;

const decode = (chain: ChainId, item: Item): FeeEstimate | null => {
  const prices = item.prices;
  if (!prices || typeof prices !== 'object') return null;
  const parsed: Record<string, bigint> = {};
  for (const [name, text] of Object.entries(prices as Record<string, unknown>)) {
    if (typeof text !== 'string' || !/^\d{1,40}$/.test(text)) return null;
    parsed[name] = BigInt(text);
  }
  return { chain, prices: parsed, at: int(item, 'at') };
};

export class DynamoNetworkFeeStore implements NetworkFeeStore {
  private readonly cache = new Map<ChainId, { estimate: FeeEstimate | null; until: number }>();

  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly now: () => number = Date.now,
  ) {}

  async estimate(chain: ChainId): Promise<FeeEstimate | null> {
    const cached = this.cache.get(chain);
    if (cached && cached.until > this.now()) return cached.estimate;
    const out = await this.db.send(new GetCommand({ TableName: this.tableName, Key: keys.networkFees(chain) }));
    const estimate = out.Item ? decode(chain, out.Item) : null;
    this.cache.set(chain, { estimate, until: this.now() + (estimate ? FEE_ESTIMATE_CACHE_MS : FEE_ESTIMATE_MISS_CACHE_MS) });
    return estimate;
  }

  async save(estimate: FeeEstimate): Promise<void> {
    const prices = Object.fromEntries(Object.entries(estimate.prices).map(([name, price]) => [name, price.toString()]));
    await this.db.send(new PutCommand({ TableName: this.tableName, Item: { ...keys.networkFees(estimate.chain), type: 'networkFees', schemaVersion: 1, chain: estimate.chain, prices, at: estimate.at } }));
    this.cache.set(estimate.chain, { estimate, until: this.now() + FEE_ESTIMATE_CACHE_MS });
  }
}
