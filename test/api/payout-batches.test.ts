
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runtime } from '../../functions/kit/deps';
import { type LocalQueues, startQueues } from '../../lib/local/engines/queues';
import { queueEnvironment, routeBodyBytesMax } from '../../lib/manifest';
import type { Deps } from '../../shared/ports';
import { call, useTestGateway } from '../support/gateway';
import { asAdmin, codeAt, enrol, STEP_MS, useManualClock } from '../support/second-factor';
import { createBatchCall as create, payNobody, payoutItem as item, shopHolding, randomRecipient as to, USDT } from '../support/payout-batch-api';
import { useWorkflows } from '../support/workflows';

const ran: string[] = [];
const workflows = useWorkflows({
  waitSeconds: 0,
  workers: {
    // Whatever the batch workflow's steps are, this one pays nobody: it records the batch and ends.
    payout_batch: async (event) => {
      ran.push(String(event.batchId));
      return payNobody(event);
    },
  },
});

let queues: LocalQueues;
let deps: Deps;
beforeAll(async () => {
  // Items queue their withdrawal webhooks as they are made: a real local SQS takes them.
  queues = await startQueues();
  ({ deps } = await useTestGateway({ SQS_ENDPOINT: queues.endpoint, ...queueEnvironment(queues.urls) }));
});
afterAll(() => queues?.stop());

/** A project holding `available` USDT_ERC20 (and ETH when asked), approval above `approvalUsd`. */
const shop = (available: bigint, options: { approvalUsd?: string; eth?: bigint } = {}) =>
  shopHolding(deps, { USDT_ERC20: available, ...(options.eth === undefined ? {} : { ETH: options.eth }) }, options.approvalUsd);

type ItemWire = { index: number; id: string; reference: string; currency: string; to_address: string; amount: string; fee: string; status: string; reason: string | null; tx_hash: string | null };
type BatchWire = { id: string; status: string; item_count: number; usd: string; approval: { required: boolean; approved_at: string | null }; item_statuses: Record<string, number>; items: ItemWire[] };

const batchOf = (res: { body: { result: unknown } }) => res.body.result as BatchWire;

/** Every withdrawal of the project (batch items are withdrawals), counted in the table. */
async function withdrawalCount(shopId: string): Promise<number> {
  let count = 0;
  let cursor: string | null = null;
  do {
    const page = await deps.withdrawals.listByProject(shopId, { limit: 100, cursor });
    count += page.items.length;
    cursor = page.next;
  } while (cursor);
  return count;
}

describe('POST /api/payouts/batches', () => {
  it('creates the items in order, fails a bad address alone (nothing held), starts the workflow, and audits the creation', async () => {
    const s = await shop(USDT(100));
    const typo = to().replace(/[a-f]/, (c) => c.toUpperCase());
    const res = await create(s.apiKey, { items: [item('ord-1', '10'), item('ord-2', '2.5', { to_address: typo }), item('ord-3', 5)] });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    const b = batchOf(res);
    expect(b.id).toMatch(/^PB-[A-Z0-9]{8}$/);
    expect(b.status).toBe('queued');
    expect(b.items.map((i) => [i.index, i.id, i.reference, i.amount, i.status])).toEqual([
      [1, `${b.id}-0001`, 'ord-1', '10', 'queued'],
      [2, `${b.id}-0002`, 'ord-2', '2.5', 'failed'],
      [3, `${b.id}-0003`, 'ord-3', '5', 'queued'],
    ]);
    expect(b.items[1].reason).toContain('EIP-55 checksum');
    expect(b.item_statuses).toEqual({ queued: 2, sent: 0, confirmed: 0, failed: 1 });
    // The failed item holds nothing: the batch's totals (what it holds) leave it out.
    const stored = await deps.payoutBatches.get(b.id);
    expect(stored?.totals).toEqual([{ code: 'USDT_ERC20', amount: USDT(15), fee: expect.any(BigInt) }]);
    await workflows.waitFor(b.id, 'payout_batch');
    expect(ran).toContain(b.id);
    const shown = await call('api.payout_batch.show', { apiKey: s.apiKey, pathParameters: { batchId: b.id.toLowerCase() } });
    expect(batchOf(shown).items.map((i) => i.reference)).toEqual(['ord-1', 'ord-2', 'ord-3']);
    const audit = await call('api.audit.list', { apiKey: s.apiKey });
    expect(JSON.stringify(audit.body.result)).toContain('payout_batch.created');
    const listed = await call('api.payout_batch.list', { apiKey: s.apiKey });
    expect((listed.body.result as { batches: { id: string }[] }).batches.map((x) => x.id)).toEqual([b.id]);
  });

  it('lists every malformed item by index and field, and creates nothing', async () => {
    const s = await shop(USDT(100));
    const res = await create(s.apiKey, {
      items: [
        item('a-1'),
        item('a-2', '1', { currency: 'DOGE' }),
        item('a-3', '-1'),
        item('a-4', '1.0000001'),
        item('a-1'),
        'not an object',
        { currency: 'USDT_ERC20', amount: '1' },
        item('x'.repeat(101)),
        item('bell\u0007'),
      ],
    });
    expect(res.status).toBe(400);
    const result = res.body.result as Record<string, string>;
    expect(Object.keys(result).sort()).toEqual(
      ['item_2.currency', 'item_3.amount', 'item_4.amount', 'item_5.reference', 'item_6.item', 'item_7.to_address', 'item_7.reference', 'item_8.reference', 'item_9.reference'].sort(),
    );
    expect(result['item_5.reference']).toContain("repeats item 1's");
    expect(result['item_4.amount']).toContain('more than 6 decimals');
    expect(await withdrawalCount(s.shopId)).toBe(0);
  });

  it('refuses 1,001 items, takes 1,000 (a ~150 KB body), and answers 413 to a body past its limit', async () => {
    const s = await shop(USDT(10_000));
    const many = (n: number) => Array.from({ length: n }, (_, i) => item(`bulk-${String(i).padStart(4, '0')}-${'r'.repeat(40)}`, '1'));
    const over = await create(s.apiKey, { items: many(1001) });
    expect(over.status).toBe(400);
    expect((over.body.result as Record<string, string>).items).toContain('at most 1000');
    const body = { items: many(1000) };
    expect(JSON.stringify(body).length).toBeGreaterThan(100_000);
    const ok = await create(s.apiKey, body);
    expect(ok.status, JSON.stringify(ok.body).slice(0, 500)).toBe(201);
    expect(batchOf(ok).items).toHaveLength(1000);
    expect(batchOf(ok).items[999].index).toBe(1000);
    const limit = routeBodyBytesMax['api.payout_batch.create'] as number;
    const huge = await call('api.payout_batch.create', { apiKey: s.apiKey, rawBody: JSON.stringify({ items: [item('h-1')], pad: 'x'.repeat(limit) }) });
    expect(huge.status).toBe(413);
    expect(huge.body).toMatchObject({ status: 'error', result: { body: expect.stringContaining(`exceeds ${limit} bytes`) } });
  }, 60_000);

  it('refuses up front when the balance does not cover the holds, per currency', async () => {
    const s = await shop(USDT(20), { eth: 0n });
    const res = await create(s.apiKey, { items: [item('b-1', '15'), item('b-2', '10'), item('b-3', '0.01', { currency: 'ETH' })] });
    expect(res.status).toBe(400);
    const result = res.body.result as Record<string, string>;
    expect(Object.keys(result).sort()).toEqual(['balance.ETH', 'balance.USDT_ERC20']);
    expect(result['balance.USDT_ERC20']).toMatch(/holds 2\d(\.\d+)? USDT_ERC20 \(amounts and network fees\), 20 USDT_ERC20 available/);
    expect(await withdrawalCount(s.shopId)).toBe(0);
  });
});

describe('a batch sent again creates nothing new', () => {
  it('by Idempotency-Key: the same body answers the same batch; another body with the key is refused', async () => {
    const s = await shop(USDT(100));
    const body = { items: [item('k-1'), item('k-2')] };
    const first = await create(s.apiKey, body, { 'idempotency-key': 'march-payroll' });
    const again = await create(s.apiKey, body, { 'idempotency-key': 'march-payroll' });
    expect(batchOf(again).id).toBe(batchOf(first).id);
    expect(await withdrawalCount(s.shopId)).toBe(2);
    const other = await create(s.apiKey, { items: [item('k-3')] }, { 'idempotency-key': 'march-payroll' });
    expect(other.status).toBe(400);
    expect(Object.keys(other.body.result as object)).toEqual(['idempotency']);
  });

  it('by references: all in one earlier batch answers it; some taken are listed', async () => {
    const s = await shop(USDT(100));
    const body = { items: [item('r-1'), item('r-2')] };
    const first = batchOf(await create(s.apiKey, body));
    const again = await create(s.apiKey, body);
    expect(again.status).toBe(201);
    expect(batchOf(again).id).toBe(first.id);
    expect(batchOf(again).items).toHaveLength(2);
    expect(await withdrawalCount(s.shopId)).toBe(2);
    const mixed = await create(s.apiKey, { items: [item('r-9'), item('r-2')] });
    expect(mixed.status).toBe(409);
    expect(mixed.body.result).toEqual({ 'item_2.reference': expect.stringContaining(`'r-2' is already used by payout ${first.id}-0002`) });
    expect(await withdrawalCount(s.shopId)).toBe(2);
  });

  it('a retry with the key finishes a batch whose creation stopped half way', async () => {
    const s = await shop(USDT(100));
    const body = { items: [item('c-1'), item('c-2'), item('c-3')] };
    const store = deps.payoutBatches;
    const realAddItems = store.addItems.bind(store);
    // The first try writes one item, then its function dies (a timeout, a crash).
    store.addItems = async (items) => {
      await realAddItems(items.slice(0, 1));
      throw new Error('simulated crash while writing items');
    };
    try {
      expect((await create(s.apiKey, body, { 'idempotency-key': 'half' })).status).toBe(500);
    } finally {
      store.addItems = realAddItems;
    }
    expect(await withdrawalCount(s.shopId)).toBe(1);
    const retried = await create(s.apiKey, body, { 'idempotency-key': 'half' });
    expect(retried.status).toBe(201);
    const b = batchOf(retried);
    expect(b.status).toBe('queued');
    expect(b.items.map((i) => i.reference)).toEqual(['c-1', 'c-2', 'c-3']);
    expect(await withdrawalCount(s.shopId)).toBe(3);
    await workflows.waitFor(b.id, 'payout_batch');
  });
});

describe('approval above the project threshold', () => {
  it('is refused up front when the project has no second factor to approve with', async () => {
    const s = await shop(USDT(100), { approvalUsd: '10' });
    const res = await create(s.apiKey, { items: [item('n-1', '20')] });
    expect(res.status).toBe(400);
    expect((res.body.result as Record<string, string>).approval).toContain('above the project\'s approval threshold of 10 USD');
    expect(await withdrawalCount(s.shopId)).toBe(0);
  });

  it('waits; a wrong code and a replayed code are refused; a right one queues it and starts the workflow', async () => {
    const s = await shop(USDT(100), { approvalUsd: '10' });
    const realClock = deps.clock;
    const clock = useManualClock(deps);
    try {
      const factor = await enrol(s.shopId, clock.now);
      const small = batchOf(await create(s.apiKey, { items: [item('p-0', '5')] }));
      expect(small.status).toBe('queued');
      const waiting = await create(s.apiKey, { items: [item('p-1', '20'), item('p-2', '30')] });
      expect(waiting.status).toBe(201);
      const b = batchOf(waiting);
      expect(b).toMatchObject({ status: 'awaiting_approval', approval: { required: true, approved_at: null } });
      expect(workflows.host().executions().some((e) => e.name === b.id)).toBe(false);
      const approve = (code: string) => call('api.payout_batch.approve', { apiKey: s.apiKey, pathParameters: { batchId: b.id }, body: { code } });
      const current = await codeAt(factor.secret, clock.now());
      const wrong = await approve(`${(Number(current[0]) + 5) % 10}${current.slice(1)}`);
      expect(wrong.status).toBe(400);
      expect((wrong.body.result as Record<string, string>).totp_code).toContain('Wrong code');
      // The enrolment spent this step's code: the same code again is a replay.
      const replayed = await approve(await codeAt(factor.secret, clock.now()));
      expect((replayed.body.result as Record<string, string>).totp_code).toContain('already used');
      expect(batchOf(await call('api.payout_batch.show', { apiKey: s.apiKey, pathParameters: { batchId: b.id } })).status).toBe('awaiting_approval');
      clock.advance(STEP_MS);
      const right = await approve(await codeAt(factor.secret, clock.now()));
      expect(right.status, JSON.stringify(right.body)).toBe(200);
      expect(batchOf(right)).toMatchObject({ status: 'queued', approval: { required: true, approved_at: expect.any(String) } });
      await workflows.waitFor(b.id, 'payout_batch');
      expect(ran).toContain(b.id);
      clock.advance(STEP_MS);
      const twice = await approve(await codeAt(factor.secret, clock.now()));
      expect(twice.status).toBe(409);
      const trail = JSON.stringify((await call('api.audit.list', { apiKey: s.apiKey })).body.result);
      expect(trail).toContain('payout_batch.approved');
      expect(trail).toContain('payout_batch.approval_refused');
    } finally {
      deps.clock = realClock;
    }
  });

  it('the admin twins (the CLI) create, show and approve on behalf of the project', async () => {
    const s = await shop(USDT(100));
    const made = await asAdmin('admin.payout_batch.create', { pathParameters: { shopId: s.shopId }, body: { items: [item('adm-1')] } });
    expect(made.status).toBe(201);
    const id = batchOf(made).id;
    const shown = await asAdmin('admin.payout_batch.show', { pathParameters: { shopId: s.shopId, batchId: id } });
    expect(batchOf(shown).items[0].reference).toBe('adm-1');
    const other = await shop(USDT(1));
    expect((await asAdmin('admin.payout_batch.show', { pathParameters: { shopId: other.shopId, batchId: id } })).status).toBe(404);
    expect((await asAdmin('admin.payout_batch.approve', { pathParameters: { shopId: s.shopId, batchId: id }, body: { code: '123456' } })).status).toBe(409);
    expect(runtime().deps).toBe(deps);
  });
});
