/**
 * Hot wallet nonces, handed out once each: the item NONCE#<chain>#<address> holds the next nonce
 * to give. A take is one atomic `ADD next 1` guarded by `next >= minedNonce`, so concurrent takes
 * each get their own value without retries; only when the chain is ahead of the item (first use,
 * or transactions sent from elsewhere) is `next` first lifted to `minedNonce`, conditionally, so a
 * lift never lowers a value another take already advanced.
 */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { ChainId } from '../../domain/currencies';
import type { NonceStore } from '../../ports/funds-out';
import { int } from './codec';
import { keys } from './keys';

/** Lifts lost to a concurrent take before the ADD path wins; each loss means another take progressed. */
const TAKE_ATTEMPTS_MAX = 20;

export class DynamoNonceStore implements NonceStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async take(chain: ChainId, address: string, minedNonce: number): Promise<number> {
    if (!Number.isSafeInteger(minedNonce) || minedNonce < 0) throw new Error(`minedNonce must be a non-negative integer, got ${minedNonce}`);
    const key = keys.nonce(chain, address);
    for (let attempt = 0; attempt < TAKE_ATTEMPTS_MAX; attempt += 1) {
      // The common case: the item is at or ahead of the chain; take its value and advance it.
      try {
        const out = await this.db.send(
          new UpdateCommand({
            TableName: this.tableName,
            Key: key,
            UpdateExpression: 'ADD #next :one',
            ConditionExpression: '#next >= :mined',
            ExpressionAttributeNames: { '#next': 'next' },
            ExpressionAttributeValues: { ':one': 1, ':mined': minedNonce },
            ReturnValues: 'UPDATED_NEW',
          }),
        );
        return int(out.Attributes ?? {}, 'next') - 1;
      } catch (e) {
        if (!(e instanceof ConditionalCheckFailedException)) throw e;
      }
      // The chain is ahead (or the item is new): hand out minedNonce itself, if nobody moved `next` meanwhile.
      try {
        await this.db.send(
          new UpdateCommand({
            TableName: this.tableName,
            Key: key,
            UpdateExpression: 'SET #next = :after, #type = :type, #chain = :chain, #address = :address',
            ConditionExpression: 'attribute_not_exists(#next) OR #next < :mined',
            ExpressionAttributeNames: { '#next': 'next', '#type': 'type', '#chain': 'chain', '#address': 'address' },
            ExpressionAttributeValues: { ':after': minedNonce + 1, ':mined': minedNonce, ':type': 'nonce', ':chain': chain, ':address': address },
          }),
        );
        return minedNonce;
      } catch (e) {
        if (!(e instanceof ConditionalCheckFailedException)) throw e;
      }
    }
    throw new Error(`${chain}: could not take a nonce for ${address} after ${TAKE_ATTEMPTS_MAX} attempts`);
  }
}
