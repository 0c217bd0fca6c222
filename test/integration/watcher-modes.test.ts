/**
 * The watcher's modes (issue 15 §1), on real parts (anvil, DynamoDB Local, the SQS engine, the
 * real watcher and crediting): idle (one catch-up pass, then return) unless an invoice on the
 * chain waits for its payment; token logs only (eth_getLogs over the range) while no native-coin
 * address is shown, whole blocks once one is; reorgs still caught in logs mode; JSON-RPC batches,
 * and a provider that refuses them. The clock is the Clock port (sleeps advance it), so the
 * checks are about behaviour, not timings. Order matters within the file: the native-coin mark
 * never goes down, so the ETH invoice comes last.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { revert, snapshot } from '../../lib/local/engines/devnet';
import { JsonRpcClient, RPC_DEFAULTS } from '../../shared/adapters/chains/evm/json-rpc';
import { type PassResult, runWatcher } from '../../shared/app/chain-watcher';
import { PAYING_AFTER_LOCK_MS } from '../../shared/adapters/dynamo/watch-signals';
import { createStaticWallet } from '../../shared/app/static-wallets';
import { makeLogger } from '../../shared/log';
import * as z from 'zod';
import type { Project } from '../../shared/domain/project';
import { createTestInvoice } from '../support/builders';
import { manualClock } from '../support/fixed-sources';
import { newProject } from '../support/gateway';
import { type Harness, usePaymentsHarness } from '../support/payments-harness';
import { type RpcFaultProxy, startRpcFaultProxy } from '../support/rpc-fault-proxy';

const USDT = (n: number) => BigInt(Math.round(n * 1e6));
const MINUTE_MS = 60_000;

let h: Harness;
let project: Project;

beforeAll(async () => {
  h = await usePaymentsHarness({ env: { LOG_LEVEL: 'silent' } });
  ({ project } = await newProject({ partialTolerance: 'none' }));
}, 60_000);

afterAll(async () => {
  await h?.stop();
});

/** One invocation as on Lambda (a 48 s budget) at `at`; sleeps only move the clock. */
async function invocation(at = Date.now()) {
  const clock = manualClock(at);
  const lines: Record<string, unknown>[] = [];
  const log = makeLogger({}, 'info', (line) => lines.push(JSON.parse(line)));
  let sleeps = 0;
  const sleep = async (ms: number) => {
    sleeps += 1;
    clock.advance(ms);
  };
  const out = await runWatcher({ ...h.watcher, clock, log }, h.deployment, h.watchSet, 48_000, sleep);
  return { ...out, sleeps, modeLine: lines.find((l) => l.msg === 'watcher.mode') };
}

/** How the passes that read a range read it. */
const readsOf = (passes: PassResult[]) => [...new Set(passes.flatMap((p) => (p.reads ? [p.reads] : [])))];

describe('idle and busy', () => {
  it('an idle chain: one pass, no sleeping, and the mode is logged', async () => {
    await h.mine(5);
    const out = await invocation();
    expect(out).toMatchObject({ mode: 'idle', waiting: 0, passes: 1, failures: 0, sleeps: 0, reads: 'logs' });
    expect(out.modeLine).toMatchObject({ level: 'info', chain: 'ethereum', mode: 'idle', waiting: 0 });
  });

  it('a static wallet alone keeps it idle', async () => {
    const wallet = await createStaticWallet(h.deps, project, { code: 'USDT_ERC20', identify: 'customer-1', now: Date.now() });
    expect(wallet.ok).toBe(true);
    await h.mine(2);
    expect(await invocation()).toMatchObject({ mode: 'idle', passes: 1, sleeps: 0 });
  });

  it('an open invoice on the chain makes it loop until its payment; logs mode finds the token payment; paid, it is idle again', async () => {
    const invoice = await h.invoiceFor(project, 'USDT_ERC20', 10);
    const busy = await invocation();
    expect(busy).toMatchObject({ mode: 'busy', waiting: 1, failures: 0 });
    // A pass about every block time (the devnet's 1 s) for the budget.
    expect(busy.passes).toBeGreaterThan(30);
    expect(busy.sleeps).toBeGreaterThan(30);

    await h.pay(invoice.selection!.address, USDT(10));
    await h.mine(3);
    const passes = await h.settle();
    expect(readsOf(passes)).toEqual(['logs']);
    expect((await h.invoice(invoice.id)).status).toBe('paid');
    expect(await invocation()).toMatchObject({ mode: 'idle', waiting: 0, passes: 1 });
  }, 60_000);

  it('an expired invoice does not keep it busy (its address is still watched for late payments)', async () => {
    const invoice = await createTestInvoice(h.deps, project, { cryptocurrency: 'USDT_ERC20', lifetimeMs: 5 * MINUTE_MS, amount: { units: 1000n, scale: 2 } });
    expect((await invocation()).mode).toBe('busy');
    await h.mine(1);
    const later = await invocation(invoice.expiresAt + MINUTE_MS);
    expect(later).toMatchObject({ mode: 'idle', waiting: 0, passes: 1 });
    // Late payments are still seen, in the one pass a minute.
    expect(h.watchSet.matcher(invoice.expiresAt + MINUTE_MS)(invoice.selection!.address)).toBe(true);
  });
});

describe('token logs only while no native-coin address is shown', () => {
  it('a reorg in logs mode is still caught: the orphaned payment is withdrawn', async () => {
    const invoice = await h.invoiceFor(project, 'USDT_ERC20', 10);
    await h.settle();
    const before = await snapshot(h.devnet.rpcUrl);
    await h.pay(invoice.selection!.address, USDT(10));
    await h.mine(1);
    const seen = await h.settle();
    expect(readsOf(seen)).toEqual(['logs']);
    expect((await h.invoice(invoice.id)).payments[0]?.state).toBe('pending');
    await revert(h.devnet.rpcUrl, before);
    await h.mine(6);
    const after = await h.settle();
    expect(after.some((p) => p.reorg)).toBe(true);
    expect(readsOf(after)).toEqual(['logs']);
    const now = await h.invoice(invoice.id);
    expect(now.payments.map((p) => p.state).every((s) => s === 'orphaned' || s === 'reversed')).toBe(true);
    expect(now.amountPaid).toBe(0n);
  }, 60_000);

  it('a native-coin invoice switches the chain to block reads, and its ETH payment is found', async () => {
    const invoice = await h.invoiceFor(project, 'ETH', 30);
    await h.pay(invoice.selection!.address, invoice.selection!.amountToPay, null);
    await h.mine(3);
    const passes = await h.settle();
    expect(readsOf(passes)).toEqual(['blocks']);
    expect((await h.invoice(invoice.id)).status).toBe('paid');
  }, 60_000);
});

describe('JSON-RPC batches', () => {
  const calls = [
    { method: 'eth_chainId', params: [], shape: z.string() },
    { method: 'eth_blockNumber', params: [], shape: z.string() },
    { method: 'eth_getBlockByNumber', params: ['0x0', false], shape: z.object({ number: z.string() }) },
  ] as const;

  it('sends several calls in one HTTP request and counts each call', async () => {
    const client = new JsonRpcClient([h.devnet.rpcUrl]);
    const [chainId, , genesis] = await client.batch(calls);
    expect(chainId).toBe('0x7a69');
    expect(genesis.number).toBe('0x0');
    expect({ calls: client.calls, requests: client.requests }).toEqual({ calls: 3, requests: 1 });
  });

  describe('a provider that refuses batches', () => {
    let proxy: RpcFaultProxy;
    beforeAll(async () => {
      proxy = await startRpcFaultProxy({ target: h.devnet.rpcUrl, faultRate: 0, refuseBatches: true });
    });
    afterAll(async () => {
      await proxy?.stop();
    });

    it('gets the same answers one call at a time, and no batch again', async () => {
      const client = new JsonRpcClient([proxy.url], { ...RPC_DEFAULTS, attempts: 2 });
      const [chainId, , genesis] = await client.batch(calls);
      expect([chainId, genesis.number]).toEqual(['0x7a69', '0x0']);
      // The refused batch, then three single calls.
      expect(client.requests).toBe(4);
      await client.batch(calls);
      expect(client.requests).toBe(7);
      expect(proxy.stats.requests).toBe(7);
    });
  });
});

// Last: it moves the watcher's clock 40 minutes ahead.
describe('an abandoned invoice', () => {
  it('an invoice left open past its rate lock is abandoned: idle, though its address is watched until expiry', async () => {
    const invoice = await createTestInvoice(h.deps, project, { cryptocurrency: 'USDT_ERC20', amount: { units: 1000n, scale: 2 } });
    const lockedUntil = invoice.selection!.lockedUntil;
    expect(lockedUntil).toBeLessThan(invoice.expiresAt);
    expect((await invocation(lockedUntil + PAYING_AFTER_LOCK_MS - MINUTE_MS)).mode).toBe('busy');
    await h.mine(1);
    const later = await invocation(lockedUntil + PAYING_AFTER_LOCK_MS + MINUTE_MS);
    expect(later, JSON.stringify(later.modeLine)).toMatchObject({ mode: 'idle', waiting: 0, passes: 1 });
    expect(h.watchSet.matcher(lockedUntil + PAYING_AFTER_LOCK_MS + MINUTE_MS)(invoice.selection!.address)).toBe(true);
  });
});
