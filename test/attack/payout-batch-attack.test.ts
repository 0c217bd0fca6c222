
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalQueues, startQueues } from '../../lib/local/engines/queues';
import { queueEnvironment } from '../../lib/manifest';
import type { Deps } from '../../shared/ports';
import { call, useTestGateway } from '../support/gateway';
import { codeAt, enrol, STEP_MS, useManualClock } from '../support/second-factor';
import { createBatchCall as create, payNobody, payoutItem as item, shopHolding, USDT } from '../support/payout-batch-api';
import { useWorkflows } from '../support/workflows';

// A batch workflow that pays nobody: these attacks are on what the API accepts and records.
useWorkflows({ waitSeconds: 0, workers: { payout_batch: payNobody } });

let queues: LocalQueues;
let deps: Deps;
beforeAll(async () => {
  queues = await startQueues();
  ({ deps } = await useTestGateway({ SQS_ENDPOINT: queues.endpoint, ...queueEnvironment(queues.urls) }));
});
afterAll(() => queues?.stop());

const shop = (available: bigint, approvalUsd?: string) => shopHolding(deps, { USDT_ERC20: available }, approvalUsd);

type ItemWire = { id: string; reference: string; amount: string; status: string };
type BatchWire = { id: string; status: string; items: ItemWire[] };
const batchOf = (res: { body: { result: unknown } }) => res.body.result as BatchWire;

async function withdrawalsOf(shopId: string) {
  const all = [];
  let cursor: string | null = null;
  do {
    const page = await deps.withdrawals.listByProject(shopId, { limit: 100, cursor });
    all.push(...page.items);
    cursor = page.next;
  } while (cursor);
  return all;
}

async function batchesOf(shopId: string) {
  return (await deps.payoutBatches.listByProject(shopId, { limit: 100, cursor: null })).items;
}

describe('racing and replaying clients', () => {
  it('eight identical creations at once with one Idempotency-Key make one batch (concurrent finishers of its items)', async () => {
    const s = await shop(USDT(1000));
    const body = { items: Array.from({ length: 60 }, (_, i) => item(`race-k-${i}`)) };
    const answers = await Promise.all(Array.from({ length: 8 }, () => create(s.apiKey, body, { 'idempotency-key': 'race-key' })));
    for (const a of answers) expect(a.status, JSON.stringify(a.body).slice(0, 300)).toBe(201);
    expect(new Set(answers.map((a) => batchOf(a).id)).size).toBe(1);
    expect(await batchesOf(s.shopId)).toHaveLength(1);
    expect(await withdrawalsOf(s.shopId)).toHaveLength(60);
    const other = await create(s.apiKey, { items: [item('race-k-x')] }, { 'idempotency-key': 'race-key' });
    expect(other.status).toBe(400);
  }, 90_000);

  it('five identical creations at once without a key (same references) end in one usable batch', async () => {
    const s = await shop(USDT(100));
    const body = { items: Array.from({ length: 40 }, (_, i) => item(`race-r-${i}`)) };
    const answers = await Promise.all(Array.from({ length: 5 }, () => create(s.apiKey, body)));
    const ids = new Set(answers.filter((a) => a.status === 201).map((a) => batchOf(a).id));
    // Every answer is the one batch, or a clear refusal; and a plain retry afterwards gets that batch, queued.
    expect(ids.size, JSON.stringify(answers.map((a) => [a.status, Object.keys(a.body.result as object).slice(0, 2)]))).toBeLessThanOrEqual(1);
    const retry = await create(s.apiKey, body);
    expect(retry.status, JSON.stringify(retry.body).slice(0, 400)).toBe(201);
    expect(batchOf(retry).status).toBe('queued');
    expect(batchOf(retry).items).toHaveLength(40);
    if (ids.size === 1) expect(batchOf(retry).id).toBe([...ids][0]);
    const all = await batchesOf(s.shopId);
    expect(all.filter((b) => b.status === 'creating').map((b) => b.id)).toEqual([]);
    const live = all.filter((b) => b.status !== 'abandoned');
    expect(live.map((b) => b.id)).toEqual([batchOf(retry).id]);
  }, 90_000);
});

describe('partly overlapping creations without a key', () => {
  // Each request lists its own references first, then the shared ones, the two in opposite orders,
  // so both meet in the middle and each can lose some shared references to the other.
  const own = (tag: string) => Array.from({ length: 10 }, (_, i) => `${tag}-own-${String(i).padStart(2, '0')}`);
  const shared = Array.from({ length: 20 }, (_, i) => `z-shared-${String(i).padStart(2, '0')}`);

  it('leave no batch creating, every reference with one batch that pays it or none, and a retry of a loser pays what is free', async () => {
    const s = await shop(USDT(1000));
    const requests = [
      [...own('a'), ...shared],
      [...own('b'), ...[...shared].reverse()],
      [...own('c'), ...shared.slice(5, 15).reverse()],
    ];
    const answers = await Promise.all(requests.map((refs) => create(s.apiKey, { items: refs.map((r) => item(r)) })));
    for (const a of answers) expect([201, 409], JSON.stringify(a.body).slice(0, 300)).toContain(a.status);

    const settled = async () => {
      const batches = await batchesOf(s.shopId);
      expect(batches.filter((b) => b.status === 'creating').map((b) => b.id)).toEqual([]);
      const byId = new Map(batches.map((b) => [b.id, b]));
      const everyRef = [...new Set(requests.flat())];
      const holders = await deps.payoutBatches.findReferences(s.shopId, everyRef);
      for (const [reference, itemId] of holders) {
        const holder = byId.get(itemId.slice(0, itemId.lastIndexOf('-')));
        expect(holder?.status, `${reference} held by ${itemId}`).toBe('queued');
      }
      // Nothing of an abandoned batch is left: no item (so no withdrawal), no claim.
      const items = await withdrawalsOf(s.shopId);
      for (const w of items) expect(byId.get(w.batch?.id ?? '')?.status, w.id).toBe('queued');
      expect(items.length).toBe(holders.size);
      return { batches, holders };
    };
    const after = await settled();
    const abandoned = after.batches.filter((b) => b.status === 'abandoned');
    // A refused request either found its references taken before writing anything (no batch) or abandoned its batch.
    expect(abandoned.length).toBeLessThanOrEqual(answers.filter((a) => a.status === 409).length);
    expect(after.batches.length - abandoned.length).toBe(answers.filter((a) => a.status === 201).length);

    // Every refused request, sent again without what is still taken, is paid.
    for (const [i, a] of answers.entries()) {
      if (a.status !== 409) continue;
      let refs = requests[i] as string[];
      let retry = a;
      for (let attempt = 0; attempt < 3 && retry.status !== 201; attempt += 1) {
        const held = await deps.payoutBatches.findReferences(s.shopId, refs);
        refs = refs.filter((r) => !held.has(r));
        retry = await create(s.apiKey, { items: refs.map((r) => item(r)) });
      }
      expect(retry.status, JSON.stringify(retry.body).slice(0, 400)).toBe(201);
      expect(batchOf(retry).status).toBe('queued');
      expect(batchOf(retry).items.map((x) => x.reference).sort()).toEqual([...refs].sort());
    }
    const final = await settled();
    expect(final.holders.size).toBe(new Set(requests.flat()).size);
  }, 90_000);
});

describe('partly overlapping creations, each with its own key', () => {
  it('a refused one, retried with its key and the body less what another batch holds, is paid', async () => {
    const s = await shop(USDT(1000));
    const shared = Array.from({ length: 16 }, (_, i) => `k-shared-${String(i).padStart(2, '0')}`);
    const bodies = [
      ['k-a-00', ...shared],
      ['k-b-00', ...[...shared].reverse()],
    ];
    const answers = await Promise.all(bodies.map((refs, i) => create(s.apiKey, { items: refs.map((r) => item(r)) }, { 'idempotency-key': `overlap-${i}` })));
    expect((await batchesOf(s.shopId)).filter((b) => b.status === 'creating')).toEqual([]);
    for (const [i, a] of answers.entries()) {
      if (a.status === 201) continue;
      expect(a.status).toBe(409);
      const held = await deps.payoutBatches.findReferences(s.shopId, bodies[i] as string[]);
      const free = (bodies[i] as string[]).filter((r) => !held.has(r));
      // A new body with the same key: the abandoned batch freed its key.
      const retry = await create(s.apiKey, { items: free.map((r) => item(r)) }, { 'idempotency-key': `overlap-${i}` });
      expect(retry.status, JSON.stringify(retry.body).slice(0, 400)).toBe(201);
      expect(batchOf(retry).items.map((x) => x.reference).sort()).toEqual([...free].sort());
    }
    const holders = await deps.payoutBatches.findReferences(s.shopId, bodies.flat());
    expect(holders.size).toBe(new Set(bodies.flat()).size);
  }, 90_000);
});

describe('a batch item through the withdrawal API', () => {
  it('is shown, but is not canceled on its own (its leg may already have signed it with the others)', async () => {
    const s = await shop(USDT(100));
    const b = batchOf(await create(s.apiKey, { items: [item('cx-1'), item('cx-2')] }));
    const first = b.items[0] as ItemWire;
    const shown = await call('api.withdrawal.show', { apiKey: s.apiKey, pathParameters: { withdrawalId: first.id } });
    expect(shown.status).toBe(200);
    // Held, as the batch workflow's Hold step leaves it before the legs are planned and signed.
    const stored = await deps.withdrawals.get(first.id);
    expect(stored).not.toBeNull();
    const held = { ...(stored as NonNullable<typeof stored>), status: 'held' as const, version: (stored?.version ?? 0) + 1 };
    expect(await deps.withdrawals.save(held, stored?.version ?? 0)).toBe(true);
    for (const w of [first.id, (b.items[1] as ItemWire).id]) {
      const canceled = await call('api.withdrawal.cancel', { apiKey: s.apiKey, pathParameters: { withdrawalId: w } });
      expect(canceled.status, JSON.stringify(canceled.body)).toBe(400);
      expect(JSON.stringify(canceled.body.result)).toContain(b.id);
    }
    expect((await deps.withdrawals.get(first.id))?.status).toBe('held');
    expect((await deps.withdrawals.get((b.items[1] as ItemWire).id))?.status).toBe('requested');
  });
});

describe('approval attacks', () => {
  it("another project's batch reads as not found; one code raced by five approvals queues the batch once", async () => {
    const s = await shop(USDT(100), '10');
    const intruder = await shop(USDT(100), '10');
    const realClock = deps.clock;
    const clock = useManualClock(deps);
    try {
      const factor = await enrol(s.shopId, clock.now);
      const b = batchOf(await create(s.apiKey, { items: [item('ap-1', '20')] }));
      expect(b.status).toBe('awaiting_approval');
      clock.advance(STEP_MS);
      const code = await codeAt(factor.secret, clock.now());
      const foreign = await call('api.payout_batch.approve', { apiKey: intruder.apiKey, pathParameters: { batchId: b.id }, body: { code } });
      expect(foreign.status).toBe(404);
      const answers = await Promise.all(Array.from({ length: 5 }, () => call('api.payout_batch.approve', { apiKey: s.apiKey, pathParameters: { batchId: b.id }, body: { code } })));
      expect(answers.filter((a) => a.status === 200)).toHaveLength(1);
      for (const a of answers.filter((x) => x.status !== 200)) expect([400, 409]).toContain(a.status);
      const trail = JSON.stringify((await call('api.audit.list', { apiKey: s.apiKey })).body.result);
      expect(trail.split('"payout_batch.approved"').length - 1).toBe(1);
      expect((await deps.payoutBatches.get(b.id))?.status).toBe('queued');
    } finally {
      deps.clock = realClock;
    }
  });
});

describe('hostile items', () => {
  it('takes exponent notation exactly (1e3 is 1000), and refuses zero, negative, absurd and over-precise amounts, and hidden characters in references', async () => {
    const s = await shop(USDT(100));
    const res = await create(s.apiKey, {
      items: [
        item('h-1', '0'),
        item('h-2', '-5'),
        item('h-3', '1e-7'),
        item('h-4', 1e30),
        item('h-5', '1'.repeat(40)),
        item('h-6', '0.0000001'),
        item('h-7', '0x10'),
        item('h-8', 'NaN'),
        item('h-9', 'Infinity'),
        item('zero\u200bwidth'),
        item('rtl\u202eoverride'),
        item('x'.repeat(101)),
        item('tab\tinside'),
        item('ok-1', '1', { amount: { value: 1 } }),
      ],
    });
    expect(res.status).toBe(400);
    const result = res.body.result as Record<string, string>;
    expect(Object.keys(result).sort()).toEqual(
      ['item_1.amount', 'item_2.amount', 'item_3.amount', 'item_4.amount', 'item_5.amount', 'item_6.amount', 'item_7.amount', 'item_8.amount', 'item_9.amount', 'item_10.reference', 'item_11.reference', 'item_12.reference', 'item_13.reference', 'item_14.amount'].sort(),
    );
    expect(await withdrawalsOf(s.shopId)).toHaveLength(0);
  });

  it('a total past every balance is refused as a shortfall, not an overflow', async () => {
    const s = await shop(USDT(100));
    const big = '9'.repeat(23);
    const res = await create(s.apiKey, { items: Array.from({ length: 1000 }, (_, i) => item(`of-${i}`, big)) });
    expect(res.status, JSON.stringify(res.body).slice(0, 300)).toBe(400);
    expect(Object.keys(res.body.result as object)).toEqual(['balance.USDT_ERC20']);
    expect(await withdrawalsOf(s.shopId)).toHaveLength(0);
  }, 60_000);

  it('a body of 64 KB+ on the single withdrawal and rule routes is still refused', async () => {
    const s = await shop(USDT(100));
    const pad = 'x'.repeat(70_000);
    for (const route of ['api.withdrawal.create', 'api.withdrawal_rule.create', 'api.payout_batch.approve'] as const) {
      const res = await call(route, { apiKey: s.apiKey, pathParameters: { batchId: 'PB-AAAAAAAA' }, rawBody: JSON.stringify({ pad }) });
      // The 64 KiB edge limit of every route but the batch creations (which take 512 KiB).
      expect(res.status, route).toBe(400);
      expect(JSON.stringify(res.body.result), route).toContain('exceeds 65536 bytes');
    }
  });
});
