/**
 * Exactly-once crediting under hostile delivery: every observation delivered 1–5 times in a
 * shuffled order, and an RPC endpoint that times out, fails or truncates 30% of its answers.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Invoice } from '../../shared/domain/invoice/invoice';
import type { Observation } from '../../shared/domain/transfers';
import { newProject } from '../support/gateway';
import { type Harness, usePaymentsHarness } from '../support/payments-harness';
import { prng, repeatAndShuffle } from '../support/random';
import { type RpcFaultProxy, startRpcFaultProxy } from '../support/rpc-fault-proxy';

async function payAll(h: Harness, invoices: Invoice[]) {
  // Sequential sends from one payer; anvil mines one block per transaction.
  for (const invoice of invoices) await h.pay(invoice.selection?.address ?? '', invoice.selection?.amountToPay ?? 0n);
}

describe('duplicate and out-of-order delivery', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await usePaymentsHarness();
  }, 60_000);
  afterAll(async () => h?.stop());

  it('200 payments, each observation delivered 1–5 times shuffled, give exactly 200 credits', async () => {
    const { project } = await newProject();
    await h.settle();
    const invoices: Invoice[] = [];
    for (let i = 0; i < 200; i += 1) invoices.push(await h.invoiceFor(project, 'USDT_ERC20', 1 + (i % 7)));
    await payAll(h, invoices);
    await h.mine(3);
    const deliver = repeatAndShuffle<Observation>(prng(42));
    await h.settle({ deliver, maxRounds: 200 });
    const stored = await h.deps.invoices.getMany(invoices.map((i) => i.id));
    const credited = stored.flatMap((i) => i.payments.filter((p) => p.state === 'credited'));
    expect(credited).toHaveLength(200);
    expect(stored.every((i) => i.status === 'paid' && i.payments.length === 1)).toBe(true);
    const expected = stored.reduce((acc, i) => acc + i.received, 0n);
    expect((await h.balance(project.shopId, 'USDT_ERC20')).available).toBe(expected);
  }, 240_000);
});

describe('a faulty RPC endpoint', () => {
  let h: Harness;
  let proxy: RpcFaultProxy;
  beforeAll(async () => {
    h = await usePaymentsHarness({
      rpcUrl: async (devnet) => {
        proxy = await startRpcFaultProxy({ target: devnet.rpcUrl, faultRate: 0.3, seed: 7, timeoutMs: 2_000 });
        return proxy.url;
      },
    });
  }, 60_000);
  afterAll(async () => {
    await h?.stop();
    await proxy?.stop();
  });

  it('with 30% of answers timed out, 5xx or truncated, every payment is still credited exactly once', async () => {
    const { project } = await newProject();
    await h.settle({ tolerateFaults: true, maxRounds: 20 });
    const invoices: Invoice[] = [];
    for (let i = 0; i < 20; i += 1) invoices.push(await h.invoiceFor(project, 'USDT_ERC20', 5));
    await payAll(h, invoices);
    await h.mine(3);
    let stored: Invoice[] = [];
    for (let round = 0; round < 40; round += 1) {
      await h.settle({ tolerateFaults: true, maxRounds: 5 });
      stored = await h.deps.invoices.getMany(invoices.map((i) => i.id));
      if (stored.every((i) => i.status === 'paid')) break;
    }
    expect(stored.map((i) => i.status)).toEqual(invoices.map(() => 'paid'));
    expect(stored.every((i) => i.payments.length === 1 && i.payments[0].state === 'credited')).toBe(true);
    expect((await h.balance(project.shopId, 'USDT_ERC20')).available).toBe(stored.reduce((acc, i) => acc + i.received, 0n));
    const faults = proxy.stats.faults;
    expect(faults.timeout + faults.http5xx + faults.truncated).toBeGreaterThan(10);
  }, 240_000);
});
