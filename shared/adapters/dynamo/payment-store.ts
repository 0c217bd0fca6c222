/**
 * The crediting consumer's table access: transfer items (idempotency and the confirmation queue),
 * and the one transaction that moves an invoice, its transfer, the journal and the balance
 * together (DESIGN §4).
 */
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { type ChainId, FINALITY_TAGS } from '../../domain/currencies';
import type { ChainHeights } from '../../domain/invoice/payments';
import type { InvoiceId, StaticWalletId } from '../../domain/ids';
import type { Invoice } from '../../domain/invoice/invoice';
import type { AddressOwner } from '../../domain/static-wallet';
import { offerFor, type Payment, type Rejection, STRAYS_KEPT_MAX } from '../../domain/invoice/payments';
import { accounts, type JournalEntry, merchantDelta, settleBalance } from '../../domain/ledger';
import { transferKey } from '../../domain/transfers';
import type { Applied, BlockRef, PaymentStore, StraySummary, StrayTransfer, TransferRecord } from '../../ports';
import { big, decodeTransfer, encodeFinality, encodeInvoice, encodeTransfer, int, type Item } from './codec';
import { keys } from './keys';
import { journalPut, plainBalanceChange, settledBalanceChange } from './ledger';
import { dueTimeStartKey, dueTimeToken, queryItems } from './query';

const prefixed = (attrs: Record<string, string>) => Object.fromEntries(Object.entries(attrs).map(([k, v]) => [`:${k}`, v]));

const decodeTransferRecord = (item: Item): TransferRecord => ({
  key: String(item.key),
  invoiceId: String(item.invoiceId) as InvoiceId,
  shopId: String(item.shopId),
  state: String(item.state) as Payment['state'],
  blockNumber: int(item, 'blockNumber'),
  blockHash: String(item.blockHash),
});

/** Where a pending payment waits: the height at which its rule is met. */
function confirmationSlot(payment: Payment) {
  const { chain, blockNumber } = payment.transfer;
  const rule = payment.finality;
  if ('blocks' in rule) return keys.confirmDue(chain, 'blocks', blockNumber + rule.blocks - 1);
  return keys.confirmDue(chain, rule.tag, blockNumber);
}

export class DynamoPaymentStore implements PaymentStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async addressOwner(chain: ChainId, address: string): Promise<AddressOwner | null> {
    const out = await this.db.send(new GetCommand({ TableName: this.tableName, Key: keys.address(chain, address), ConsistentRead: true }));
    const item = out.Item;
    if (!item) return null;
    return typeof item.staticWalletId === 'string' ? { kind: 'static_wallet', walletId: item.staticWalletId as StaticWalletId } : { kind: 'invoice', invoiceId: String(item.invoiceId) as InvoiceId };
  }

  async transfer(key: string): Promise<TransferRecord | null> {
    const out = await this.db.send(new GetCommand({ TableName: this.tableName, Key: keys.transfer(key), ConsistentRead: true }));
    return out.Item ? decodeTransferRecord(out.Item) : null;
  }

  async apply(change: { invoice: Parameters<typeof encodeInvoice>[0]; expectedVersion: number; payment: Payment; entry: JournalEntry | null; now: number }): Promise<Applied> {
    const { invoice, payment, entry } = change;
    const t = payment.transfer;
    const items: Record<string, unknown>[] = [
      {
        Put: {
          TableName: this.tableName,
          Item: encodeInvoice(invoice),
          ConditionExpression: 'version = :expected',
          ExpressionAttributeValues: { ':expected': change.expectedVersion },
        },
      },
      {
        Put: {
          TableName: this.tableName,
          Item: {
            ...keys.transfer(payment.key),
            ...keys.transferByBlock(t.chain, t.blockNumber, payment.key),
            // Sparse: only pending transfers wait in the confirmation queue.
            ...(payment.state === 'pending' ? confirmationSlot(payment) : {}),
            type: 'transfer',
            schemaVersion: 1,
            key: payment.key,
            invoiceId: invoice.id,
            shopId: invoice.shopId,
            state: payment.state,
            chain: t.chain,
            blockNumber: t.blockNumber,
            blockHash: t.blockHash,
            amount: t.amount,
            contract: t.contract ?? undefined,
            finality: encodeFinality(payment.finality),
            updatedAt: change.now,
          },
        },
      },
    ];
    if (entry) items.push(journalPut(this.tableName, entry));
    // A static wallet's receipt moves the wallet's totals in the same transaction as its journal entry: exactly once.
    if (entry && invoice.staticWallet) items.push(this.walletTotalsChange(invoice.staticWallet.id, payment, change.now));
    // What the deposit address holds moves with the entry, in the same transaction: `received` moves exactly once.
    const deposit = entry ? this.depositChange(invoice as Invoice, payment, entry, change.now) : null;
    if (deposit) items.push(deposit);
    const delta = entry ? merchantDelta(entry) : 0n;
    if (!entry || delta === 0n) return (await this.transact(items, change, null)) as Applied;
    // The common case needs no read: a credit with no debt to repay, a reversal that `available` covers.
    const fast = await this.transact([...items, plainBalanceChange(this.tableName, entry, delta)], change, items.length);
    if (fast !== 'balance_condition') return fast;
    // A debt to repay, or a reversal larger than what is available: compute from the balance as read.
    const read = await this.db.send(new GetCommand({ TableName: this.tableName, Key: keys.balance(entry.shopId, entry.code), ConsistentRead: true }));
    const before = read.Item ? { available: big(read.Item, 'available'), debt: read.Item.debt === undefined ? 0n : big(read.Item, 'debt') } : null;
    const after = settleBalance(before ?? { available: 0n, debt: 0n }, delta);
    const settled = await this.transact([...items, settledBalanceChange(this.tableName, entry, delta, before, after)], change, items.length);
    if (settled === 'balance_condition') return { applied: false };
    return settled.applied ? { applied: true, shortfall: after.shortfall, repaid: after.repaid } : settled;
  }

  /** One transaction; a lost version race is `applied: false`, a failed balance condition is reported apart. */
  private async transact(items: Record<string, unknown>[], change: { invoice: { id: string }; expectedVersion: number }, balanceIndex: number | null): Promise<Applied | 'balance_condition'> {
    try {
      await this.db.send(new TransactWriteCommand({ TransactItems: items as never }));
      return { applied: true, shortfall: 0n, repaid: 0n };
    } catch (e) {
      if (!(e instanceof TransactionCanceledException)) throw e;
      const reasons = (e.CancellationReasons ?? []).map((r) => r.Code);
      if (reasons[0] === 'ConditionalCheckFailed' || reasons.includes('TransactionConflict')) return { applied: false };
      if (balanceIndex !== null && reasons[balanceIndex] === 'ConditionalCheckFailed') return 'balance_condition';
      if (reasons[2] === 'ConditionalCheckFailed') throw new Error(`invariant: a journal entry already exists while invoice ${change.invoice.id} was at version ${change.expectedVersion}`);
      throw e;
    }
  }

  private walletTotalsChange(walletId: StaticWalletId, payment: Payment, now: number) {
    const reversal = payment.state === 'reversed';
    const sign = reversal ? -1n : 1n;
    return {
      Update: {
        TableName: this.tableName,
        Key: keys.staticTotals(walletId),
        // A reversal takes the credit back; it is no credit, so the last credit's time stays.
        UpdateExpression: `ADD receipts :count, received :received, net :net SET #type = :type${reversal ? '' : ', lastCreditedAt = :at'}`,
        ExpressionAttributeNames: { '#type': 'type' },
        ExpressionAttributeValues: { ':count': Number(sign), ':received': sign * payment.transfer.amount, ':net': sign * payment.net, ':type': 'staticTotals', ...(reversal ? {} : { ':at': now }) },
      },
    };
  }

  /**
   * The deposit item of the payment's address and code: ADD the entry's posting to the deposits
   * account (gross, negative for a reversal), SET what a sweep needs to sign from it (the offer's
   * derivation index), and, for a credit, put it in the chain's sparse sweep queue.
   */
  private depositChange(invoice: Invoice, payment: Payment, entry: JournalEntry, now: number) {
    const t = payment.transfer;
    const account = accounts.deposits(t.chain, entry.code);
    const amount = entry.postings.filter((p) => p.account === account).reduce((acc, p) => acc + p.amount, 0n);
    if (amount === 0n) return null;
    const offer = offerFor(invoice, payment.code, t);
    const address = offer?.address ?? t.to;
    const credit = amount > 0n;
    const sets = ['#type = :type', '#chain = :chain', '#address = :address', '#code = :code', '#updatedAt = :at', ...Object.keys(keys.depositByChain(t.chain, address, entry.code)).map((k) => `${k} = :${k}`)];
    const values: Record<string, unknown> = { ':amount': amount, ':type': 'deposit', ':chain': t.chain, ':address': address, ':code': entry.code, ':at': now, ...prefixed(keys.depositByChain(t.chain, address, entry.code)) };
    // A reversal leaves the queue alone: a sweep in flight, or the next planner run, reads the chain anyway.
    if (credit) {
      sets.push(...Object.keys(keys.sweepDue(t.chain, address, entry.code)).map((k) => `${k} = :${k}`));
      Object.assign(values, prefixed(keys.sweepDue(t.chain, address, entry.code)));
    }
    if (offer) {
      sets.push('#index = :index');
      values[':index'] = offer.derivationIndex;
    }
    return {
      Update: {
        TableName: this.tableName,
        Key: keys.deposit(t.chain, address, entry.code),
        UpdateExpression: `ADD received :amount SET ${sets.join(', ')}`,
        ExpressionAttributeNames: { '#type': 'type', '#chain': 'chain', '#address': 'address', '#code': 'code', '#updatedAt': 'updatedAt', ...(offer ? { '#index': 'derivationIndex' } : {}) },
        ExpressionAttributeValues: values,
      },
    };
  }

  async recordStray(stray: StrayTransfer): Promise<'recorded' | 'known' | 'counted'> {
    const key = transferKey(stray.transfer);
    const summary = keys.straySummary(stray.owner);
    try {
      await this.db.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Put: {
                TableName: this.tableName,
                Item: { ...keys.stray(stray.owner, key), type: 'stray', schemaVersion: 1, key, reason: stray.reason, code: stray.code ?? undefined, seenAt: stray.seenAt, transfer: encodeTransfer(stray.transfer) },
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            },
            {
              Update: {
                TableName: this.tableName,
                Key: summary,
                UpdateExpression: 'ADD #count :one, #kept :one SET #type = :type, #last = :at',
                ConditionExpression: 'attribute_not_exists(#kept) OR #kept < :max',
                ExpressionAttributeNames: { '#count': 'count', '#kept': 'kept', '#type': 'type', '#last': 'lastSeenAt' },
                ExpressionAttributeValues: { ':one': 1, ':max': STRAYS_KEPT_MAX, ':type': 'stray_summary', ':at': stray.seenAt },
              },
            },
          ],
        }),
      );
      return 'recorded';
    } catch (e) {
      if (!(e instanceof TransactionCanceledException)) throw e;
      const [stored, counter] = (e.CancellationReasons ?? []).map((r) => r.Code);
      if (stored === 'ConditionalCheckFailed') return 'known';
      if (counter !== 'ConditionalCheckFailed') throw e;
    }
    // The list is full: count only. A redelivery may count twice; the count is a lower bound of attention, not money.
    await this.db.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: summary,
        UpdateExpression: 'ADD #count :one SET #last = :at',
        ExpressionAttributeNames: { '#count': 'count', '#last': 'lastSeenAt' },
        ExpressionAttributeValues: { ':one': 1, ':at': stray.seenAt },
      }),
    );
    return 'counted';
  }

  async strays(of: InvoiceId | AddressOwner): Promise<StraySummary> {
    const owner: AddressOwner = typeof of === 'string' ? { kind: 'invoice', invoiceId: of } : of;
    const kept: StrayTransfer[] = [];
    let count = 0;
    const query = {
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': keys.ownerPk(owner), ':prefix': 'STRAY' },
    };
    for await (const item of queryItems(this.db, query)) {
      if (item.sk === keys.straySummary(owner).sk) count = int(item, 'count');
      else kept.push({ owner, transfer: decodeTransfer(item.transfer as Item), reason: String(item.reason) as Rejection, code: typeof item.code === 'string' ? item.code : null, seenAt: int(item, 'seenAt') });
    }
    return { count, kept };
  }

  /**
   * One page over the due queues in turn (blocks, then each finality tag), from `after` on. `next`
   * is where the page stopped; null when it reached the end, so the caller starts again at the
   * oldest. Index entries whose transfer is no longer pending (the index lags) are passed over.
   */
  async dueForConfirmation(
    chain: ChainId,
    heights: ChainHeights,
    limit: number,
    after: string | null = null,
  ): Promise<{ due: TransferRecord[]; next: string | null }> {
    const rules = (['blocks', ...FINALITY_TAGS] as const).map((rule) => ({ queue: keys.confirmQueue(chain, rule), upTo: (rule === 'blocks' ? heights.head : heights[rule]) ?? null }));
    // The page token names its queue: resume in that one, and skip the ones before it.
    const resume = rules.findIndex((r) => dueTimeStartKey(after, r.queue) !== undefined);
    const due: TransferRecord[] = [];
    for (const { queue, upTo } of rules.slice(Math.max(resume, 0))) {
      const start = dueTimeStartKey(after, queue);
      // DynamoDB refuses a start key outside the key condition (a reorg can lower the head).
      if (upTo === null || (start && start.gsi2sk > keys.height(upTo))) continue;
      const query = {
        TableName: this.tableName,
        IndexName: 'byDueTime',
        KeyConditionExpression: 'gsi2pk = :queue AND gsi2sk <= :upTo',
        ExpressionAttributeValues: { ':queue': queue, ':upTo': keys.height(upTo) },
        ExclusiveStartKey: start,
        Limit: limit,
      };
      for await (const item of queryItems(this.db, query)) {
        const record = await this.transfer(String(item.pk).slice('XFER#'.length));
        if (record?.state === 'pending') due.push(record);
        if (due.length >= limit) return { due, next: dueTimeToken(item) };
      }
    }
    return { due, next: null };
  }

  async transfersInBlocks(chain: ChainId, from: number, to: number): Promise<TransferRecord[]> {
    const out: TransferRecord[] = [];
    const query = {
      TableName: this.tableName,
      IndexName: 'byOwnerTime',
      KeyConditionExpression: 'gsi1pk = :pk AND gsi1sk BETWEEN :from AND :to',
      ExpressionAttributeValues: { ':pk': keys.transfersOfChain(chain), ':from': keys.height(from), ':to': `${keys.height(to)}#~` },
    };
    for await (const item of queryItems(this.db, query)) out.push(decodeTransferRecord(item));
    return out;
  }

  async chainHead(chain: ChainId): Promise<BlockRef | null> {
    const out = await this.db.send(new GetCommand({ TableName: this.tableName, Key: keys.checkpoint(chain) }));
    const head = out.Item?.head as Item | undefined;
    return head ? { number: int(head, 'number'), hash: String(head.hash) } : null;
  }
}
