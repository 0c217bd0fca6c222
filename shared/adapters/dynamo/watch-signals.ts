/**
 * What sets a chain watcher's mode, read cheaply: the native-coin mark (one item per chain) and
 * the states of the invoices behind a few deposit addresses (two batch reads).
 */
import { BatchGetCommand, type BatchGetCommandOutput, type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { ChainId } from '../../domain/currencies';
import type { NativeWatch, PaymentWaits } from '../../ports';
import { int, type Item } from './codec';
import { keys } from './keys';

const BATCH_GET_KEYS_MAX = 100;
const UNPROCESSED_RETRIES_MAX = 5;

/**
 * How long after its quote's rate lock an open invoice still counts as a customer paying. Past it
 * the invoice is most likely abandoned (a 24 h invoice would otherwise keep its chain busy all day);
 * a payment then is still found by the idle pass within the minute, and a new quote (the payer
 * selecting again) locks anew and makes the chain busy again.
 */
export const PAYING_AFTER_LOCK_MS = 10 * 60_000;

/** settled: paid, canceled or expired, for good; abandoned: open, but nobody has been paying it for a while (a new quote can wake it). */
function stateOf(invoice: Item, now: number): 'waiting' | 'abandoned' | 'settled' {
  if ((invoice.status !== 'created' && invoice.status !== 'partial') || int(invoice, 'expiresAt') <= now) return 'settled';
  const lockedUntil = (invoice.selection as Item | undefined)?.lockedUntil;
  return lockedUntil === undefined || int({ lockedUntil }, 'lockedUntil') + PAYING_AFTER_LOCK_MS > now ? 'waiting' : 'abandoned';
}

export class DynamoWatchSignals implements NativeWatch, PaymentWaits {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async extend(chain: ChainId, until: number): Promise<void> {
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...keys.nativeWatch(chain), type: 'native-watch', schemaVersion: 1, chain, until },
          // Never lowered: a quote with an earlier end leaves a later one in place.
          ConditionExpression: 'attribute_not_exists(pk) OR #until < :until',
          ExpressionAttributeNames: { '#until': 'until' },
          ExpressionAttributeValues: { ':until': until },
        }),
      );
    } catch (e) {
      if (!(e instanceof Error && e.name === 'ConditionalCheckFailedException')) throw e;
    }
  }

  async until(chain: ChainId): Promise<number | null> {
    // Consistent: a quote shown after this read's start must not be missed (see NativeWatch).
    const out = await this.db.send(new GetCommand({ TableName: this.tableName, Key: keys.nativeWatch(chain), ConsistentRead: true }));
    return out.Item ? int(out.Item, 'until') : null;
  }

  async invoiceStates(chain: ChainId, addresses: string[], now: number): Promise<Map<string, 'waiting' | 'abandoned' | 'settled'>> {
    const claims = await this.batchGet(
      addresses.map((a) => keys.address(chain, a)),
      'pk, invoiceId',
    );
    const invoiceOf = new Map<string, string>();
    for (const c of claims) if (typeof c.invoiceId === 'string') invoiceOf.set(String(c.pk), c.invoiceId);
    const invoices = await this.batchGet(
      [...new Set(invoiceOf.values())].map((id) => keys.invoice(id as never)),
      'id, #status, expiresAt, #selection.lockedUntil',
      { '#status': 'status', '#selection': 'selection' },
    );
    const states = new Map(invoices.map((i) => [String(i.id), stateOf(i, now)]));
    const out = new Map<string, 'waiting' | 'abandoned' | 'settled'>();
    for (const a of addresses) {
      const id = invoiceOf.get(keys.address(chain, a).pk);
      const state = id ? states.get(id) : undefined;
      if (state) out.set(a, state);
    }
    return out;
  }

  /** Eventually consistent: a status a second old only delays the mode by one invocation. */
  private async batchGet(wanted: Record<string, unknown>[], projection: string, names?: Record<string, string>): Promise<Item[]> {
    const items: Item[] = [];
    for (let i = 0; i < wanted.length; i += BATCH_GET_KEYS_MAX) {
      let pending: Record<string, unknown>[] | undefined = wanted.slice(i, i + BATCH_GET_KEYS_MAX);
      for (let attempt = 0; pending && pending.length > 0; attempt += 1) {
        if (attempt > UNPROCESSED_RETRIES_MAX) throw new Error('BatchGetItem kept returning unprocessed keys');
        const out: BatchGetCommandOutput = await this.db.send(
          new BatchGetCommand({ RequestItems: { [this.tableName]: { Keys: pending, ProjectionExpression: projection, ...(names ? { ExpressionAttributeNames: names } : {}) } } }),
        );
        items.push(...(out.Responses?.[this.tableName] ?? []));
        pending = out.UnprocessedKeys?.[this.tableName]?.Keys;
      }
    }
    return items;
  }
}
