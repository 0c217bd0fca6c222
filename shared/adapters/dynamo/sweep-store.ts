/**
 * Deposits and sweeps (funds-out issue §3). The deposit item DEPOSIT#<chain>#<address> / CODE#<code>
 * is written by crediting (`received`, in its transaction) and by sweeps (`sweeping`, `rounds`,
 * `swept`); the sweep item SWEEPRUN#<id> / SWEEP is the sweep's own record.
 */
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, PutCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { ChainId } from '../../domain/currencies';
import { type Deposit, type Sweep, type SweepStatus, unsweptOf } from '../../domain/sweep';
import type { ClaimOutcome, FinishOutcome, SweepStore } from '../../ports/sweeps';
import { big, decodeSignedTransfer, encodeSignedTransfer, int, type Item } from './codec';
import { keys } from './keys';
import { isConditionFailure, pageToken, queryItems } from './query';

/** A finish that keeps losing to crediting's writes on the same deposit gives up after this many reads (the step is retried). */
const FINISH_RETRIES_MAX = 8;
const PAGE_TOKEN_SHAPE = /^[^\n]{1,300}$/;


function encodeSweep(s: Sweep): Item {
  return {
    ...keys.sweep(s.id),
    type: 'sweep',
    schemaVersion: 1,
    ...s,
    topUp: s.topUp ? encodeSignedTransfer(s.topUp) : undefined,
    tx: s.tx ? encodeSignedTransfer(s.tx) : undefined,
    gasBurned: { topUp: s.gasBurned.topUp, transfer: s.gasBurned.transfer },
    reason: s.reason ?? undefined,
  };
}

function decodeSweep(item: Item): Sweep {
  const gas = item.gasBurned as Item;
  return {
    id: String(item.id),
    chain: String(item.chain) as ChainId,
    code: String(item.code),
    address: String(item.address),
    derivationIndex: int(item, 'derivationIndex'),
    round: int(item, 'round'),
    amount: big(item, 'amount'),
    status: String(item.status) as SweepStatus,
    topUp: item.topUp ? decodeSignedTransfer(item.topUp as Item) : null,
    tx: item.tx ? decodeSignedTransfer(item.tx as Item) : null,
    gasBurned: { topUp: big(gas, 'topUp'), transfer: big(gas, 'transfer') },
    reason: typeof item.reason === 'string' ? item.reason : null,
    createdAt: int(item, 'createdAt'),
    updatedAt: int(item, 'updatedAt'),
    version: int(item, 'version'),
  };
}

/** A deposit item; one crediting wrote without an offer's index (never expected) reads as index -1, which no sweep signs with. */
const decodeDeposit = (item: Item): Deposit => ({
  chain: String(item.chain) as ChainId,
  address: String(item.address),
  code: String(item.code),
  derivationIndex: item.derivationIndex === undefined ? -1 : int(item, 'derivationIndex'),
  received: item.received === undefined ? 0n : big(item, 'received'),
  swept: item.swept === undefined ? 0n : big(item, 'swept'),
  sweeping: typeof item.sweeping === 'string' ? item.sweeping : null,
  rounds: item.rounds === undefined ? 0 : int(item, 'rounds'),
});

export class DynamoSweepStore implements SweepStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  private async page(index: 'byDueTime' | 'byOwnerTime', partition: string, page: { limit: number; after: string | null }) {
    const [pkName, skName] = index === 'byDueTime' ? ['gsi2pk', 'gsi2sk'] : ['gsi1pk', 'gsi1sk'];
    const after = page.after ? pageToken.decode(page.after, PAGE_TOKEN_SHAPE) : null;
    const items: Deposit[] = [];
    let last: string | null = null;
    const query = {
      TableName: this.tableName,
      IndexName: index,
      KeyConditionExpression: `${pkName} = :pk${after ? ` AND ${skName} > :after` : ''}`,
      ExpressionAttributeValues: { ':pk': partition, ...(after ? { ':after': after } : {}) },
      Limit: page.limit,
    };
    for await (const item of queryItems(this.db, query)) {
      // byDueTime projects keys only: the deposit itself is read (consistently) from the table.
      const full = index === 'byDueTime' ? (await this.db.send(new GetCommand({ TableName: this.tableName, Key: { pk: item.pk, sk: item.sk }, ConsistentRead: true }))).Item : item;
      if (full) items.push(decodeDeposit(full));
      last = String(item[skName]);
      if (items.length >= page.limit) return { items, next: pageToken.encode(last) };
    }
    return { items, next: null };
  }

  dueDeposits(chain: ChainId, page: { limit: number; after: string | null }) {
    return this.page('byDueTime', keys.sweepQueue(chain), page);
  }

  listDeposits(chain: ChainId, page: { limit: number; after: string | null }) {
    return this.page('byOwnerTime', keys.depositsOfChain(chain), page);
  }

  async deposit(chain: ChainId, address: string, code: string): Promise<Deposit | null> {
    const out = await this.db.send(new GetCommand({ TableName: this.tableName, Key: keys.deposit(chain, address, code), ConsistentRead: true }));
    return out.Item ? decodeDeposit(out.Item) : null;
  }

  async claim(deposit: Deposit, sweep: Sweep): Promise<ClaimOutcome> {
    try {
      await this.db.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Update: {
                TableName: this.tableName,
                Key: keys.deposit(deposit.chain, deposit.address, deposit.code),
                // One sweep at a time, and this round only once (two planners reading the same `rounds`).
                UpdateExpression: 'SET sweeping = :id, rounds = :round',
                ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(sweeping) AND (rounds = :before OR (attribute_not_exists(rounds) AND :before = :zero))',
                ExpressionAttributeValues: { ':id': sweep.id, ':round': sweep.round, ':before': sweep.round - 1, ':zero': 0 },
              },
            },
            { Put: { TableName: this.tableName, Item: encodeSweep(sweep), ConditionExpression: 'attribute_not_exists(pk)' } },
          ],
        }),
      );
      return 'claimed';
    } catch (e) {
      if (e instanceof TransactionCanceledException) return 'taken';
      throw e;
    }
  }

  async get(sweepId: string): Promise<Sweep | null> {
    const out = await this.db.send(new GetCommand({ TableName: this.tableName, Key: keys.sweep(sweepId), ConsistentRead: true }));
    return out.Item ? decodeSweep(out.Item) : null;
  }

  async save(sweep: Sweep, expectedVersion: number): Promise<boolean> {
    try {
      await this.db.send(new PutCommand({ TableName: this.tableName, Item: encodeSweep(sweep), ConditionExpression: 'version = :expected', ExpressionAttributeValues: { ':expected': expectedVersion } }));
      return true;
    } catch (e) {
      if (isConditionFailure(e)) return false;
      throw e;
    }
  }

  /**
   * Reads the deposit, then writes the new `swept` conditional on what it read (crediting may ADD
   * `received` meanwhile: read again) and on this sweep still holding the claim (a second finish
   * finds it gone: `already_finished`, nothing added twice). Nothing left unswept leaves the queue.
   */
  async finish(sweep: Sweep, swept: bigint): Promise<FinishOutcome> {
    const key = keys.deposit(sweep.chain, sweep.address, sweep.code);
    for (let attempt = 0; attempt < FINISH_RETRIES_MAX; attempt += 1) {
      const d = await this.deposit(sweep.chain, sweep.address, sweep.code);
      if (!d || d.sweeping !== sweep.id) return 'already_finished';
      const after = { received: d.received, swept: d.swept + swept };
      const empty = unsweptOf(after) <= 0n;
      try {
        await this.db.send(
          new UpdateCommand({
            TableName: this.tableName,
            Key: key,
            UpdateExpression: `SET swept = :swept REMOVE sweeping${empty ? ', gsi2pk, gsi2sk' : ''}`,
            ConditionExpression: 'sweeping = :id AND received = :received AND (swept = :before OR (attribute_not_exists(swept) AND :before = :zero))',
            ExpressionAttributeValues: { ':swept': after.swept, ':id': sweep.id, ':received': d.received, ':before': d.swept, ':zero': 0n },
          }),
        );
        return 'finished';
      } catch (e) {
        if (!isConditionFailure(e)) throw e;
      }
    }
    throw new Error(`sweep ${sweep.id}: the deposit kept changing while finishing; the step is retried`);
  }
}
