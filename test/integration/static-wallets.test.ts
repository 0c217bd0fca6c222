/**
 * Static wallets on real parts (anvil, DynamoDB Local, the real watcher and crediting consumer,
 * the real handlers): every transfer to a customer's permanent address becomes its own paid
 * receipt invoice, credited once, posted back with `order_id` = `identify`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StaticWalletId } from '../../shared/domain/ids';
import type { Project } from '../../shared/domain/project';
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

type Created = { currency: { code: string; obj_network: { code: string } }; address: string; uuid: string };

async function createWallet(identify: string, currency = 'USDT_ERC20') {
  const res = await call('invoice.static_create', { apiKey, body: { shop_id: project.shopId, currency, identify } });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body.result as Created;
}

describe('a static wallet on the devnet', () => {
  it('credits three transfers of different amounts as three paid receipts, each posted back with order_id = identify', async () => {
    const wallet = await createWallet('customer-42');
    expect(wallet.uuid).toMatch(/^[A-Z0-9]{32}$/);
    expect(wallet.currency).toMatchObject({ code: 'USDT_ERC20' });
    const before = await h.balance(project.shopId, 'USDT_ERC20');
    for (const amount of [5, 12.5, 40]) await h.pay(wallet.address, USDT(amount));
    await h.settle();
    await h.mine(3);
    await h.settle();
    const view = await h.deps.staticWallets.totals(wallet.uuid as StaticWalletId);
    expect(view).toMatchObject({ receipts: 3, received: USDT(57.5) });
    const ids = (await h.deps.staticWallets.receipts(wallet.uuid as StaticWalletId, 10, null)).ids;
    const receipts = await h.deps.invoices.getMany(ids);
    expect(receipts.map((r) => r.status)).toEqual(['paid', 'paid', 'paid']);
    expect(receipts.every((r) => r.orderId === 'customer-42')).toBe(true);
    const after = await h.balance(project.shopId, 'USDT_ERC20');
    expect(after.available - before.available).toBe(view.net);
    const jobs = (await h.postbackJobs()).filter((j) => ids.includes(j.invoiceId as never));
    expect(jobs.filter((j) => j.kind === 'invoice.paid')).toHaveLength(3);
  });

  it('answers the same wallet to a repeated and to 20 concurrent creates; another identify gets another address', async () => {
    const first = await createWallet('repeat-me');
    const again = await createWallet('repeat-me');
    expect(again).toEqual(first);
    const burst = await Promise.all(Array.from({ length: 20 }, () => createWallet('burst')));
    expect(new Set(burst.map((w) => w.uuid)).size).toBe(1);
    const other = await createWallet('someone-else');
    expect(other.address).not.toBe(first.address);
  });
});
