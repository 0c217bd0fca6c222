/**
 * Hot wallet nonces (NONCE#<chain>#<address>): a counter item and one claim item per owner, written
 * in one transaction, so each owner gets exactly one nonce and no two owners share one.
 */
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { ChainId } from '../../domain/currencies';
import type { NonceStore } from '../../ports/funds-out';
import { int } from './codec';
import { keys } from './keys';

/** Concurrent takers retry on a lost race; 50 at once settle well inside this. */
const ATTEMPTS_MAX = 200;

export class DynamoNonceStore implements NonceStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async take(chain: ChainId, address: string, minedNonce: number, ownerId: string): Promise<number> {
    const counter = keys.nonce(chain, address);
    const claim = { pk: counter.pk, sk: `OWNER#${ownerId}` };
    for (let attempt = 0; attempt < ATTEMPTS_MAX; attempt++) {
      const [owned, current] = await Promise.all([
        this.db.send(new GetCommand({ TableName: this.tableName, Key: claim, ConsistentRead: true })),
        this.db.send(new GetCommand({ TableName: this.tableName, Key: counter, ConsistentRead: true })),
      ]);
      if (owned.Item) return int(owned.Item, 'nonce');
      const stored = current.Item ? int(current.Item, 'next') : null;
      // Transactions sent from the hot wallet by hand move the chain past the counter: never hand out a mined nonce.
      const nonce = Math.max(stored ?? 0, minedNonce);
      try {
        await this.db.send(
          new TransactWriteCommand({
            TransactItems: [
              {
                Put: {
                  TableName: this.tableName,
                  Item: { ...counter, type: 'nonce', chain, address, next: nonce + 1 },
                  ConditionExpression: stored === null ? 'attribute_not_exists(pk)' : '#next = :stored',
                  ...(stored === null ? {} : { ExpressionAttributeNames: { '#next': 'next' }, ExpressionAttributeValues: { ':stored': stored } }),
                },
              },
              { Put: { TableName: this.tableName, Item: { ...claim, type: 'nonceClaim', ownerId, nonce }, ConditionExpression: 'attribute_not_exists(pk)' } },
            ],
          }),
        );
        return nonce;
      } catch (e) {
        if (!(e instanceof TransactionCanceledException)) throw e;
        // Another taker moved the counter (or this owner's claim landed in a race): read again.
        await new Promise((r) => setTimeout(r, Math.floor(Math.random() * 20 * Math.min(attempt + 1, 10))));
      }
    }
    throw new Error(`nonce for ${chain} ${address}: still contended after ${ATTEMPTS_MAX} attempts; the step is retried`);
  }

  async claimed(chain: ChainId, address: string, ownerId: string): Promise<number | null> {
    const out = await this.db.send(new GetCommand({ TableName: this.tableName, Key: { pk: keys.nonce(chain, address).pk, sk: `OWNER#${ownerId}` }, ConsistentRead: true }));
    return out.Item ? int(out.Item, 'nonce') : null;
  }
}
