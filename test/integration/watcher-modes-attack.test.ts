/**
 * The watcher's modes under attack and a lagging, reordering world (issue 15 §1), on real parts:
 * anvil behind a load-balanced provider whose pool holds a lagging node (test/support/lagging-rpc-proxy.ts),
 * DynamoDB Local, the SQS engine, the real watcher and crediting. Order matters: the native-coin
 * mark never goes down, so the ETH invoice comes last.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as z from 'zod';
import { runtime } from '../../functions/kit/deps';
import { rpc } from '../../lib/local/engines/devnet';
import { JsonRpcClient, RPC_DEFAULTS, RpcError } from '../../shared/adapters/chains/evm/json-rpc';
import { makeDocumentClient } from '../../shared/adapters/dynamo/client';
import { DynamoWatchSignals } from '../../shared/adapters/dynamo/watch-signals';
import { type PassResult, runWatcher, WatchSet } from '../../shared/app/chain-watcher';
import type { Project } from '../../shared/domain/project';
import { makeLogger } from '../../shared/log';
import { manualClock } from '../support/fixed-sources';
import { newProject } from '../support/gateway';
import { type LaggingRpcProxy, startLaggingRpcProxy } from '../support/lagging-rpc-proxy';
import { type Harness, usePaymentsHarness } from '../support/payments-harness';

const USDT = (n: number) => BigInt(Math.round(n * 1e6));

let h: Harness;
let proxy: LaggingRpcProxy;
let project: Project;

beforeAll(async () => {
  h = await usePaymentsHarness({
    env: { LOG_LEVEL: 'silent' },
    rpcUrl: async (devnet) => {
      proxy = await startLaggingRpcProxy(devnet.rpcUrl);
      return proxy.url;
    },
  });
  ({ project } = await newProject({ partialTolerance: 'none' }));
}, 60_000);

afterAll(async () => {
  await proxy?.stop();
  await h?.stop();
});

const headNow = async () => Number(await rpc<string>(h.devnet.rpcUrl, 'eth_blockNumber'));
const cursor = async () => (await h.chainState.get('ethereum'))?.cursor ?? -1;
const readsOf = (passes: PassResult[]) => [...new Set(passes.flatMap((p) => (p.reads ? [p.reads] : [])))];

describe('logs mode on a load-balanced provider with a lagging node', () => {
  it('the logs answered by a node that lacks the range end (an empty list, no error) never let the cursor pass it; once the node catches up the payment is found', async () => {
    const invoice = await h.invoiceFor(project, 'USDT_ERC20', 10);
    await h.settle();
    const lagHead = await headNow();
    expect(await cursor()).toBe(lagHead);
    proxy.lagHead = lagHead;
    await h.pay(invoice.selection!.address, USDT(10));
    await h.mine(3);
    const errors: string[] = [];
    for (let i = 0; i < 3; i += 1) {
      const pass = await h.pass().catch((e: Error) => {
        errors.push(e.message);
        return null;
      });
      if (pass?.reads) expect(pass.reads).toBe('logs');
      await h.drain();
    }
    expect(proxy.laggingServed).toBeGreaterThan(0);
    // The node that answered the logs did not have the blocks: nothing after its head is passed.
    expect(await cursor()).toBe(lagHead);
    expect(errors.length).toBeGreaterThan(0);

    proxy.lagHead = null;
    await h.mine(1);
    await h.settle();
    const paid = await h.invoice(invoice.id);
    expect(paid.status).toBe('paid');
    expect(paid.amountPaid).toBe(USDT(10));
  }, 60_000);

  it('a node a few blocks behind still serves the blocks it has: no loss, no double count', async () => {
    const invoice = await h.invoiceFor(project, 'USDT_ERC20', 5);
    await h.settle();
    await h.pay(invoice.selection!.address, USDT(2));
    proxy.lagHead = await headNow();
    await h.pay(invoice.selection!.address, USDT(3));
    await h.mine(2);
    for (let i = 0; i < 3; i += 1) await h.pass().catch(() => null);
    await h.drain();
    proxy.lagHead = null;
    await h.mine(3);
    await h.settle();
    const paid = await h.invoice(invoice.id);
    expect(paid.payments.filter((p) => p.state !== 'orphaned' && p.state !== 'reversed').map((p) => p.transfer.amount)).toEqual([USDT(2), USDT(3)]);
    expect(paid.amountPaid).toBe(USDT(5));
    expect(paid.status).toBe('paid');
  }, 60_000);
});

describe('JSON-RPC batch answers a provider gets wrong', () => {
  const calls = [
    { method: 'eth_chainId', params: [], shape: z.string() },
    { method: 'eth_getBlockByNumber', params: ['0x0', false], shape: z.object({ number: z.string() }) },
    { method: 'eth_getBlockByNumber', params: ['0x1', false], shape: z.object({ number: z.string() }) },
  ] as const;
  const client = () => new JsonRpcClient([proxy.url], { ...RPC_DEFAULTS, attempts: 2, backoffMs: 1 });
  const restore = () => {
    proxy.mangleBatch = null;
  };

  it('answers out of order are matched by id', async () => {
    proxy.mangleBatch = (answers) => [...answers].reverse();
    try {
      const [id, b0, b1] = await client().batch(calls);
      expect([id, b0.number, b1.number]).toEqual(['0x7a69', '0x0', '0x1']);
    } finally {
      restore();
    }
  });

  it('a missing answer fails the batch (retried), never shifts the others', async () => {
    proxy.mangleBatch = (answers) => answers.slice(1);
    try {
      await expect(client().batch(calls)).rejects.toThrow(/no reply to eth_chainId/);
    } finally {
      restore();
    }
  });

  it('a transient error in one answer retries the batch; a deterministic one throws that call', async () => {
    let first = true;
    proxy.mangleBatch = (answers) => {
      if (!first) return answers;
      first = false;
      return answers.map((a, i) => (i === 1 ? { jsonrpc: '2.0', id: a.id, error: { code: -32005, message: 'rate limited' } } : a));
    };
    try {
      const c = client();
      const [, b0] = await c.batch(calls);
      expect(b0.number).toBe('0x0');
      expect(c.requests).toBe(2);
      proxy.mangleBatch = (answers) => answers.map((a, i) => (i === 2 ? { jsonrpc: '2.0', id: a.id, error: { code: -32000, message: 'header not found' } } : a));
      await expect(c.batch(calls)).rejects.toBeInstanceOf(RpcError);
    } finally {
      restore();
    }
  });

  it('a non-array answer to a batch: the calls go one by one, with the right answers', async () => {
    proxy.mangleBatch = (answers) => answers[0];
    try {
      const c = client();
      const [id, b0, b1] = await c.batch(calls);
      expect([id, b0.number, b1.number]).toEqual(['0x7a69', '0x0', '0x1']);
      expect(c.requests).toBe(4);
    } finally {
      restore();
    }
  });
});

describe('the mode check', () => {
  it('a failing check (DynamoDB error) runs busy; the same state read right is idle', async () => {
    // Paid invoices are still open (not expired) and, for a fresh watch set, not known settled: the check reads them.
    const { config } = runtime();
    const broken = new DynamoWatchSignals(makeDocumentClient({ region: config.AWS_REGION, endpoint: config.DYNAMODB_ENDPOINT }), 'no-such-table');
    const run = async (waits: DynamoWatchSignals) => {
      const clock = manualClock(Date.now());
      const lines: Record<string, unknown>[] = [];
      const log = makeLogger({}, 'info', (line) => lines.push(JSON.parse(line)));
      const out = await runWatcher({ ...h.watcher, clock, log, waits }, h.deployment, new WatchSet('ethereum', h.chainState), 10_000, async (ms) => clock.advance(ms));
      return { ...out, modeLine: lines.find((l) => l.msg === 'watcher.mode') };
    };
    const failing = await run(broken);
    expect(failing).toMatchObject({ mode: 'busy', waiting: null, failures: 0 });
    expect(failing.passes).toBeGreaterThan(3);
    expect(failing.modeLine).toMatchObject({ level: 'warn', mode: 'busy' });
    expect(await run(h.watcher.waits as DynamoWatchSignals)).toMatchObject({ mode: 'idle', waiting: 0, passes: 1 });
  }, 60_000);
});

describe('a native-coin quote shown while a pass reads logs only', () => {
  it('the ETH invoice created and paid between the pass reading the mark and its logs call lands after the range; the next pass reads blocks and finds it', async () => {
    await h.settle();
    expect(await h.deps.nativeWatch.until('ethereum')).toBeNull();
    let eth: Awaited<ReturnType<typeof h.invoiceFor>> | null = null;
    let paidIn = -1;
    proxy.beforeAnswer = async (calls) => {
      if (!calls.some((c) => c.method === 'eth_getLogs')) return;
      proxy.beforeAnswer = null;
      eth = await h.invoiceFor(project, 'ETH', 30);
      await h.pay(eth.selection!.address, eth.selection!.amountToPay, null);
      paidIn = await headNow();
      await h.mine(1);
    };
    await h.mine(2);
    const first = await h.pass();
    expect(first.reads).toBe('logs');
    expect(eth).not.toBeNull();
    // The range the logs-only pass covered ends before the block holding the ETH payment.
    expect(await cursor()).toBeLessThan(paidIn);
    await h.drain();
    await h.mine(3);
    const passes = await h.settle();
    expect(readsOf(passes)).toEqual(['blocks']);
    const paid = await h.invoice(eth!.id);
    expect(paid.status).toBe('paid');
    expect(paid.amountPaid).toBe(eth!.selection!.amountToPay);
  }, 60_000);
});

describe('whole blocks with a lagging node in the pool', () => {
  it('the logs of a full-block pass answered by a node without the range end never let a token payment be passed', async () => {
    const invoice = await h.invoiceFor(project, 'USDT_ERC20', 10);
    await h.settle();
    const lagHead = await headNow();
    proxy.lagHead = lagHead;
    await h.pay(invoice.selection!.address, USDT(10));
    await h.mine(2);
    for (let i = 0; i < 3; i += 1) {
      const pass = await h.pass().catch(() => null);
      if (pass?.reads) expect(pass.reads).toBe('blocks');
      await h.drain();
    }
    expect(await cursor()).toBe(lagHead);
    proxy.lagHead = null;
    await h.mine(3);
    const passes = await h.settle();
    expect(readsOf(passes)).toEqual(['blocks']);
    expect((await h.invoice(invoice.id)).amountPaid).toBe(USDT(10));
  }, 60_000);
});
