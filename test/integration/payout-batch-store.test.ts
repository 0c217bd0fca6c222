/** DynamoPayoutBatchStore against DynamoDB Local: what mass payout creation and the workflow rely on. */
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { DynamoPayoutBatchStore } from '../../shared/adapters/dynamo/payout-batch-store';
import { makeDocumentClient } from '../../shared/adapters/dynamo/client';
import { keys } from '../../shared/adapters/dynamo/keys';
import { batchItemId, type PayoutBatch, planLegs } from '../../shared/domain/payout-batch';
import type { Withdrawal } from '../../shared/domain/withdrawal';
import { useTestGateway } from '../support/gateway';
import { requestedWithdrawal, signedTransfer } from '../support/withdrawal-builder';

let store: DynamoPayoutBatchStore;
let db: ReturnType<typeof makeDocumentClient>;
let table: string;
const AT = Date.UTC(2026, 2, 1, 9, 0, 0);
let serial = 0;

beforeAll(async () => {
  const { tableName, endpoint } = await useTestGateway();
  db = makeDocumentClient({ region: 'us-east-1', endpoint });
  table = tableName;
  store = new DynamoPayoutBatchStore(db, tableName);
});

/** A fresh batch id and shop per test: `PB-` + 8 characters. */
function newBatch(shopId: string, count: number, overrides: Partial<PayoutBatch> = {}): PayoutBatch {
  serial += 1;
  const id = `PB-T${String(serial).padStart(3, '0')}${Math.random().toString(36).slice(2, 6).toUpperCase().padEnd(4, 'X')}`;
  return {
    id,
    shopId,
    status: 'creating',
    itemIds: Array.from({ length: count }, (_, i) => batchItemId(id, i + 1)),
    totals: [{ code: 'USDT_ERC20', amount: 25_000_000n * BigInt(count), fee: 1_000_000n * BigInt(count) }],
    usdCents: 2_600n * BigInt(count),
    approval: { required: false, approvedAt: null },
    source: 'native_api',
    createdAt: AT + serial,
    updatedAt: AT + serial,
    version: 1,
    ...overrides,
  };
}

const itemsOf = (batch: PayoutBatch, references: readonly string[], overrides: Partial<Withdrawal> = {}): Withdrawal[] =>
  references.map((reference, i) => requestedWithdrawal(batch.shopId, AT, { id: batchItemId(batch.id, i + 1), source: 'batch', batch: { id: batch.id, index: i + 1, reference }, ...overrides }));

describe('DynamoPayoutBatchStore', () => {
  it('writes the batch with its Idempotency-Key once; a second create with the key names the first', async () => {
    const first = newBatch('shop-idem', 2);
    expect(await store.create(first, { keyHash: 'k'.repeat(64), requestHash: 'r1' })).toEqual({ kind: 'created' });
    const second = newBatch('shop-idem', 2);
    expect(await store.create(second, { keyHash: 'k'.repeat(64), requestHash: 'r2' })).toEqual({ kind: 'idempotency_taken', batchId: first.id, requestHash: 'r1' });
    expect(await store.get(second.id)).toBeNull();
    expect(await store.get(first.id)).toEqual(first);
  });

  it('addItems skips what an earlier try wrote, and items come back in the order asked', async () => {
    const batch = newBatch('shop-retry', 5);
    await store.create(batch, null);
    const items = itemsOf(batch, ['e', 'd', 'c', 'b', 'a']);
    expect(await store.addItems(items.slice(0, 2))).toEqual({ taken: [] });
    // The retry sends all five: the two written are skipped (not reported as taken references).
    expect(await store.addItems(items)).toEqual({ taken: [] });
    const loaded = await store.items(batch.itemIds);
    expect(loaded.map((w) => w.batch?.reference)).toEqual(['e', 'd', 'c', 'b', 'a']);
    expect(loaded[0]).toEqual(items[0]);
    // Asked in another order (and with an id that does not exist), answered in that order.
    const reversed = await store.items([...batch.itemIds].reverse().concat(`${batch.id}-0099`));
    expect(reversed.map((w) => w.id)).toEqual([...batch.itemIds].reverse());
    expect(await store.findReferences('shop-retry', ['a', 'zz', 'e'])).toEqual(new Map([['a', batch.itemIds[4]], ['e', batch.itemIds[0]]]));
  });

  it('refuses a reference another item of the project holds, writes the rest, and says who holds it', async () => {
    const earlier = newBatch('shop-ref', 1);
    await store.create(earlier, null);
    await store.addItems(itemsOf(earlier, ['inv-7']));
    const later = newBatch('shop-ref', 2);
    await store.create(later, null);
    const out = await store.addItems(itemsOf(later, ['inv-8', 'inv-7']));
    expect(out.taken).toEqual([{ reference: 'inv-7', itemId: earlier.itemIds[0] }]);
    expect((await store.items(later.itemIds)).map((w) => w.batch?.reference)).toEqual(['inv-8']);
    // References are per project: another shop may use the same text.
    const other = newBatch('shop-other', 1);
    await store.create(other, null);
    expect((await store.addItems(itemsOf(other, ['inv-7']))).taken).toEqual([]);
  });

  it('an abandoned batch takes no more items; removeItems gives back an item and its claim only as read, and a freed key can be claimed again', async () => {
    const batch = newBatch('shop-abandon', 3);
    await store.create(batch, { keyHash: 'a'.repeat(64), requestHash: 'r1' });
    const items = itemsOf(batch, ['ab-1', 'ab-2', 'ab-3']);
    expect(await store.addItems(items.slice(0, 2))).toEqual({ taken: [] });
    expect(await store.save({ ...batch, status: 'abandoned', version: 2 }, 1)).toBe(true);
    // Once abandoned, nothing more of it is written.
    expect(await store.addItems(items)).toEqual({ taken: [], closed: true });
    expect((await store.items(batch.itemIds)).map((w) => w.id)).toEqual(batch.itemIds.slice(0, 2));
    // An item changed since it was read is left alone; the others go with their claims.
    const [first, second] = items as [Withdrawal, Withdrawal];
    expect(await store.removeItems([{ ...first, version: 7 }, second])).toBe(1);
    expect(await store.findReferences('shop-abandon', ['ab-1', 'ab-2', 'ab-3'])).toEqual(new Map([['ab-1', first.id]]));
    expect(await store.removeItems([first, second])).toBe(1);
    expect(await store.items(batch.itemIds)).toEqual([]);
    expect((await store.findReferences('shop-abandon', ['ab-1', 'ab-2'])).size).toBe(0);
    // The key is freed only while it names the batch.
    await store.releaseIdempotency('shop-abandon', 'a'.repeat(64), 'PB-OTHER000');
    expect(await store.findByIdempotency('shop-abandon', 'a'.repeat(64))).toEqual({ batchId: batch.id, requestHash: 'r1' });
    await store.releaseIdempotency('shop-abandon', 'a'.repeat(64), batch.id);
    const again = newBatch('shop-abandon', 1);
    expect(await store.create(again, { keyHash: 'a'.repeat(64), requestHash: 'r2' })).toEqual({ kind: 'created' });
  });

  it('moves a batch only from the version read, and lists a project newest first', async () => {
    const a = newBatch('shop-list', 1);
    const b = newBatch('shop-list', 1);
    await store.create(a, null);
    await store.create(b, null);
    const queued = { ...a, status: 'queued' as const, version: 2 };
    expect(await store.save(queued, 1)).toBe(true);
    expect(await store.save({ ...a, status: 'awaiting_approval', version: 2 }, 1)).toBe(false);
    expect((await store.get(a.id))?.status).toBe('queued');
    const page1 = await store.listByProject('shop-list', { limit: 1, cursor: null });
    expect(page1.items.map((x) => x.id)).toEqual([b.id]);
    const page2 = await store.listByProject('shop-list', { limit: 1, cursor: page1.next });
    expect(page2.items.map((x) => x.id)).toEqual([a.id]);
  });

  it('writes planned legs once, and saves a leg only from the version read', async () => {
    const batch = newBatch('shop-legs', 3);
    await store.create(batch, null);
    const items = itemsOf(batch, ['l1', 'l2', 'l3']);
    items[2] = { ...items[2], code: 'ETH' };
    const legs = planLegs(batch.id, items, (_chain, code) => code !== 'ETH', AT);
    await store.putLegs(legs);
    // Planning again (a retried step) changes nothing, even with other content.
    await store.putLegs(legs.map((l) => ({ ...l, status: 'failed' as const })));
    const stored = await store.legs(batch.id);
    expect(stored.map((l) => [l.kind, l.code, l.itemIds, l.status])).toEqual([
      ['disperse', 'USDT_ERC20', items.slice(0, 2).map((w) => w.id), 'pending'],
      ['each', 'ETH', [items[2].id], 'pending'],
    ]);
    const leg = stored[0];
    const signed = { ...leg, status: 'signed' as const, tx: signedTransfer(3, AT), version: 2 };
    expect(await store.saveLeg(signed, 1)).toBe(true);
    expect(await store.saveLeg({ ...leg, status: 'failed', version: 2 }, 1)).toBe(false);
    expect(await store.getLeg(batch.id, leg.id)).toEqual(signed);
    expect(await store.getLeg(batch.id, `${batch.id}-L9`)).toBeNull();
  });

  it('keeps every approval a leg signed (a fee bump replaces the current one); a leg stored without the list reads as none', async () => {
    const batch = newBatch('shop-legs', 1);
    await store.create(batch, null);
    const [leg] = planLegs(batch.id, itemsOf(batch, ['a1']), () => true, AT);
    expect(leg.replacedApprovals).toEqual([]);
    await store.putLegs([leg]);
    const bumped = { ...leg, status: 'approving' as const, approval: signedTransfer(6, AT + 2), replacedApprovals: [signedTransfer(5, AT)], version: 2 };
    expect(await store.saveLeg(bumped, 1)).toBe(true);
    expect(await store.getLeg(batch.id, leg.id)).toEqual(bumped);
    // An item written before the list existed.
    await db.send(new UpdateCommand({ TableName: table, Key: keys.payoutLeg(batch.id, leg.id), UpdateExpression: 'REMOVE replacedApprovals' }));
    expect((await store.getLeg(batch.id, leg.id))?.replacedApprovals).toEqual([]);
  });
});
