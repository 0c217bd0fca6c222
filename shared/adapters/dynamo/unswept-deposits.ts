/**
 * The deposit addresses that still hold funds to sweep, for reconciliation: the sparse sweep queue
 * (keys.sweepQueue on byDueTime, `<address key>#<code>`, present while something is unswept) names
 * them; the index is KEYS_ONLY, so each deposit item (keys.deposit: received, swept) is read by key.
 * Read-only: the sweep workflow and crediting are its writers.
 */
import { type DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import type { ChainId } from '../../domain/currencies';
import type { UnsweptDeposit, UnsweptDeposits } from '../../ports/reconciliation';
import { big, type Item } from './codec';
import { keys } from './keys';
import { queryItems } from './query';

/** Items read at once: a bounded burst of GetItem per page of the queue. */
const DEPOSIT_READS_PARALLEL_MAX = 10;

export class DynamoUnsweptDeposits implements UnsweptDeposits {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async *unswept(chain: ChainId): AsyncIterable<UnsweptDeposit> {
    const query = { TableName: this.tableName, IndexName: 'byDueTime', KeyConditionExpression: 'gsi2pk = :q', ExpressionAttributeValues: { ':q': keys.sweepQueue(chain) } };
    let batch: Item[] = [];
    for await (const entry of queryItems(this.db, query)) {
      batch.push(entry);
      if (batch.length < DEPOSIT_READS_PARALLEL_MAX) continue;
      yield* await this.read(chain, batch);
      batch = [];
    }
    if (batch.length > 0) yield* await this.read(chain, batch);
  }

  private async read(chain: ChainId, entries: Item[]): Promise<UnsweptDeposit[]> {
    const items = await Promise.all(entries.map((e) => this.db.send(new GetCommand({ TableName: this.tableName, Key: { pk: e.pk, sk: e.sk }, ConsistentRead: true }))));
    return items.flatMap((out, i): UnsweptDeposit[] => {
      const item = out.Item;
      // Swept between the index read and the get: nothing left there.
      if (!item) return [];
      const [addressInKey, code] = String(entries[i].gsi2sk).split('#');
      const opt = (name: string) => (item[name] === undefined ? 0n : big(item, name));
      return [{ chain, address: typeof item.address === 'string' ? item.address : addressInKey, code: typeof item.code === 'string' ? item.code : code, received: opt('received'), swept: opt('swept') }];
    });
  }
}
