/**
 * The scheduled work queues on real parts (anvil, DynamoDB Local, the local SQS engine): the
 * expirer waits for the chain's scan and pages past invoices held open, the confirmation pass
 * pages past stuck transfers, a merchant cannot cancel under a confirming payment, and the watch
 * set holds only addresses still watched.
 */
import { BatchWriteCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rpc } from '../../lib/local/engines/devnet';
import { makeDocumentClient } from '../../shared/adapters/dynamo/client';
import { keys } from '../../shared/adapters/dynamo/keys';
import { watchPass, WatchSet } from '../../shared/app/chain-watcher';
import { expireDueInvoices } from '../../shared/app/invoices';
import { invoiceUuid } from '../../shared/domain/ids';
import type { Invoice } from '../../shared/domain/invoice/invoice';
import type { Project } from '../../shared/domain/project';
import { DAY_MS, HOUR_MS, MINUTE_MS } from '../../shared/domain/time';
import type { Observation } from '../../shared/domain/transfers';
import { makeLogger } from '../../shared/log';
import { createTestInvoice } from '../support/builders';
import { call, newProject } from '../support/gateway';
import { type Harness, usePaymentsHarness } from '../support/payments-harness';

let h: Harness;
let project: Project;
let apiKey: string;
const USDT = (n: number) => BigInt(Math.round(n * 1e6));

beforeAll(async () => {
  h = await usePaymentsHarness();
  ({ project, apiKey } = await newProject({ partialTolerance: 'none' }));
  await h.settle();
}, 60_000);

afterAll(async () => {
  await h?.stop();
});

/** Delivers what the watcher saw, and nothing it reported as confirmed: the credit never happens. */
const seenOnly = (o: Observation[]) => o.filter((x) => x.kind === 'transfer.seen');

async function setCheckpointTime(cursorTime: number | null) {
  const cp = await h.chainState.get('ethereum');
  if (!cp) throw new Error('no checkpoint');
  expect(await h.chainState.save({ ...cp, cursorTime, version: cp.version + 1 }, cp.version)).toBe(true);
}

describe('the expiry queue', () => {
  // First in the file: these must be the oldest entries of the expiry queue.
  it('100 invoices held open in front do not stop a due one behind them from expiring; held too long, they count as stuck', async () => {
    const start = Date.now();
    const held: Invoice[] = [];
    for (let i = 0; i < 100; i += 1) held.push(await h.invoiceFor(project, 'USDT_ERC20', 1, { now: start, lifetimeMs: 5 * MINUTE_MS }));
    // Their chain's watcher lags behind their expiry: a payment in time may still be found, so each is held open.
    await setCheckpointTime(start);
    const behind = await createTestInvoice(h.deps, project, { now: start, lifetimeMs: 6 * MINUTE_MS });

    const later = start + 20 * MINUTE_MS;
    const run = await expireDueInvoices(h.deps, later);
    expect((await h.invoice(behind.id)).status).toBe('canceled');
    expect(run).toMatchObject({ expired: 1, held: 100, heldBy: { watcher_behind: 100 }, stuck: 0 });
    expect((await h.deps.invoices.getMany(held.map((i) => i.id))).every((i) => i.status === 'created')).toBe(true);
    // Held ones went back in the queue after the due ones: the next run's first page is not them.
    expect((await h.deps.invoices.dueForExpiry(later, 100)).ids).toEqual([]);

    // Still held an hour and more past their expiry: stuck (the metric the StuckWork alarm reads).
    const muchLater = start + 2 * HOUR_MS;
    expect(await expireDueInvoices(h.deps, muchLater)).toMatchObject({ held: 100, stuck: 100, expired: 0 });
    await h.settle();
  }, 180_000);

  it('an invoice with a currency expires only once its chain was scanned past the expiry; one without expires at once', async () => {
    const now = Date.now();
    const chosen = await h.invoiceFor(project, 'USDT_ERC20', 10, { now: now - 10 * MINUTE_MS, lifetimeMs: 5 * MINUTE_MS });
    const plain = await createTestInvoice(h.deps, project, { now: now - 10 * MINUTE_MS, lifetimeMs: 5 * MINUTE_MS });
    // The watcher's last scanned block is older than the expiry (it lags): a payment may still be found.
    await setCheckpointTime(chosen.expiresAt - 1_000);
    let run = await expireDueInvoices(h.deps, now);
    expect((await h.invoice(plain.id)).status).toBe('canceled');
    expect((await h.invoice(chosen.id)).status).toBe('created');
    expect(run.heldBy.watcher_behind).toBeGreaterThanOrEqual(1);
    // A block at exactly the expiry is still on time, and the next block may share its timestamp.
    await setCheckpointTime(chosen.expiresAt);
    run = await expireDueInvoices(h.deps, now + 3 * MINUTE_MS);
    expect((await h.invoice(chosen.id)).status).toBe('created');
    // No scan position known (a rewind clears it): still held.
    await setCheckpointTime(null);
    await expireDueInvoices(h.deps, now + 6 * MINUTE_MS);
    expect((await h.invoice(chosen.id)).status).toBe('created');
    // A real pass scans a block mined now, past the expiry: canceled at its next check.
    await h.mine(1);
    await h.settle({ deliver: seenOnly, maxRounds: 5 }).catch(() => []);
    const cp = await h.chainState.get('ethereum');
    expect(cp?.cursorTime).toBeGreaterThan(chosen.expiresAt);
    await expireDueInvoices(h.deps, now + 9 * MINUTE_MS);
    expect(await h.invoice(chosen.id)).toMatchObject({ status: 'canceled', facts: { expired: true } });
  }, 60_000);
});

describe('the watcher checkpoint', () => {
  it('keeps the timestamp of its cursor block, the last block fully reported', async () => {
    await h.mine(2);
    await h.settle({ deliver: seenOnly, maxRounds: 5 }).catch(() => []);
    const cp = await h.chainState.get('ethereum');
    const block = await rpc<{ timestamp: string }>(h.devnet.rpcUrl, 'eth_getBlockByNumber', [`0x${cp!.cursor.toString(16)}`, false]);
    expect(cp?.cursorTime).toBe(Number(block.timestamp) * 1000);
  });
});

describe('merchant cancel', () => {
  it('is refused with the envelope while a payment sent in time is confirming; the payment then pays the invoice', async () => {
    const invoice = await h.invoiceFor(project, 'USDT_ERC20', 10);
    await h.pay(invoice.selection!.address, USDT(10));
    await h.settle();
    expect((await h.invoice(invoice.id)).payments).toMatchObject([{ state: 'pending' }]);
    const refused = await call('invoice.cancel', { apiKey, body: { uuid: invoiceUuid(invoice.id) } });
    expect(refused.status).toBe(400);
    expect(refused.body).toMatchObject({ status: 'error', result: { validate_error: expect.stringContaining('waiting for confirmations') } });
    expect((await h.invoice(invoice.id)).status).toBe('created');
    await h.mine(2);
    await h.settle();
    expect((await h.invoice(invoice.id)).status).toBe('paid');
  });
});

describe('the confirmation queue', () => {
  it('500 stuck pending transfers do not stop a due one behind them from being reported confirmed; they are logged as stuck', async () => {
    const invoice = await h.invoiceFor(project, 'USDT_ERC20', 10);
    const { txHash } = await h.pay(invoice.selection!.address, USDT(10));
    await h.settle({ deliver: seenOnly, maxRounds: 5 }).catch(() => []);
    const real = (await h.invoice(invoice.id)).payments[0];
    expect(real).toMatchObject({ state: 'pending', transfer: { txHash } });

    // 500 transfers due long before it that stay pending: crediting keeps failing on them.
    const block1 = await h.reader.blockHash(1);
    const stuckKeys = new Set<string>();
    const db = makeDocumentClient({ region: 'us-east-1', endpoint: process.env.DYNAMODB_ENDPOINT });
    const items = Array.from({ length: 500 }, (_, i) => {
      const key = `ethereum#0x${i.toString(16).padStart(64, '0')}#0`;
      stuckKeys.add(key);
      return {
        ...keys.transfer(key),
        ...keys.confirmDue('ethereum', 'blocks', 3),
        type: 'transfer',
        schemaVersion: 1,
        key,
        invoiceId: 'STUCK000',
        shopId: project.shopId,
        state: 'pending',
        chain: 'ethereum',
        blockNumber: 1,
        blockHash: block1,
      };
    });
    for (let i = 0; i < items.length; i += 25) {
      await db.send(new BatchWriteCommand({ RequestItems: { [process.env.TABLE_NAME!]: items.slice(i, i + 25).map((Item) => ({ PutRequest: { Item } })) } }));
    }
    // Over an hour of devnet blocks (1 s each) later (mined in parts, each well within the RPC timeout), the real one is due too.
    for (let i = 0; i < 8; i += 1) await h.mine(500);

    const lines: Record<string, unknown>[] = [];
    const watcher = { ...h.watcher, log: makeLogger({}, 'info', (l) => lines.push(JSON.parse(l))) };
    const reported: string[] = [];
    const notStuck = (o: Observation[]) => {
      reported.push(...o.flatMap((x) => (x.kind === 'transfer.confirmed' ? [x.key] : [])));
      return o.filter((x) => x.kind !== 'transfer.confirmed' || !stuckKeys.has(x.key));
    };
    for (let round = 0; round < 3 && (await h.invoice(invoice.id)).status !== 'paid'; round += 1) {
      await watchPass(watcher, h.deployment, h.watchSet);
      await h.drain(notStuck);
    }
    expect(reported).toContain(real.key);
    expect((await h.invoice(invoice.id)).status).toBe('paid');
    const stuck = lines.find((l) => l.msg === 'work.stuck_items');
    expect(stuck).toMatchObject({ Queue: 'confirmations', StuckWorkItems: expect.any(Number) });
    expect(Math.max(...lines.filter((l) => 'StuckWorkItems' in l).map((l) => Number(l.StuckWorkItems)))).toBeGreaterThanOrEqual(500);
  }, 180_000);
});

describe('the watch set', () => {
  it('loads only addresses still watched and drops expired ones from memory', async () => {
    const now = Date.now();
    // Expired long ago: its late-payment watch (30 days after expiry) is over.
    const over = await h.invoiceFor(project, 'USDT_ERC20', 10, { now: now - 40 * DAY_MS, lifetimeMs: HOUR_MS });
    // Still watched for about an hour more.
    const ending = await h.invoiceFor(project, 'USDT_ERC20', 10, { now: now - 30 * DAY_MS, lifetimeMs: HOUR_MS });
    const live = await h.invoiceFor(project, 'USDT_ERC20', 10);

    const loaded = (await h.chainState.watchedAt('ethereum', now)).map((a) => a.address);
    expect(loaded).toContain(live.selection!.address.toLowerCase());
    expect(loaded).toContain(ending.selection!.address.toLowerCase());
    expect(loaded).not.toContain(over.selection!.address.toLowerCase());

    const set = new WatchSet('ethereum', h.chainState);
    await set.refresh(now);
    expect(set.size).toBe(loaded.length);
    expect(set.matcher(now)(ending.selection!.address)).toBe(true);
    // A full reload after `ending`'s watch is over drops it from memory; nothing else changed.
    const after = now + 2 * HOUR_MS;
    await set.refresh(after);
    expect(set.size).toBe(loaded.length - 1);
    expect(set.matcher(after)(ending.selection!.address)).toBe(false);
    expect(set.matcher(after)(live.selection!.address)).toBe(true);
  });
});
