/**
 * Mass payouts on Tron (the TronGrid simulator): no disperse contract there, so every item is its
 * own TRC-20 transfer ('each' legs), paid by the payout batch workflow (local host, real worker)
 * from the hot wallet. A batch fully paid; a batch with an item the chain reverts (the hot wallet
 * short of the token for it), which fails with its hold released while the rest are paid. The
 * books and the chain agree afterwards.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fundsOutDeps } from '../../functions/kit/chain-senders';
import '../../functions/kit/chain-senders-tron';
import { reconciliationReaders } from '../../functions/kit/reconciliation';
import { hotWalletAddresses } from '../../lib/local/dev-defaults';
import { reconcile } from '../../shared/app/reconciliation';
import type { Withdrawal } from '../../shared/domain/withdrawal';
import type { ChainSender } from '../../shared/ports/funds-out';
import { newProject, TEST_MNEMONIC } from '../support/gateway';
import { type TronHarness, useTronHarness } from '../support/payments-harness';
import { queueTestBatch, testFee } from '../support/payout-batch-builder';
import { useWorkflows } from '../support/workflows';

const TRX = 1_000_000n;
const USDT = (n: number) => BigInt(Math.round(n * 1e6));
const FEE = testFee('tron', 'USDT_TRC20');
/** What the hot wallet holds of the token: enough for the small items, not for the big one. */
const HOT_USDT = USDT(100);

let h: TronHarness;
let sender: ChainSender;
let miner: ReturnType<typeof setInterval> | null = null;
const shops: string[] = [];
const flow = useWorkflows({ waitSeconds: 0 });

beforeAll(async () => {
  h = await useTronHarness({ env: { MNEMONIC: TEST_MNEMONIC, HOT_WALLETS_JSON: JSON.stringify({ tron: hotWalletAddresses(TEST_MNEMONIC).tron }) } });
  sender = (await fundsOutDeps()).senders('tron');
  h.sim.fund(sender.hotAddress(), 2_000n * TRX);
  h.sim.fund(sender.hotAddress(), HOT_USDT, 'USDT');
  h.sim.mine(1);
  await h.settle();
  // Finality (solidified) needs blocks: the simulator mines only when told to.
  miner = setInterval(() => h.sim.mine(1), 100);
}, 60_000);

afterAll(async () => {
  if (miner) clearInterval(miner);
  await h?.stop();
});

/** A project with `usd` of USDT_TRC20 credited by a real payment. */
async function fundedShop(usd: number) {
  const shop = await newProject({ testMode: false, partialTolerance: 'none' });
  const invoice = await h.invoiceFor(shop.project, 'USDT_TRC20', usd);
  h.pay(invoice.selection?.address as string, invoice.selection?.amountToPay as bigint, 'USDT');
  for (let i = 0; i < 30 && (await h.deps.ledger.balance(shop.shopId, 'USDT_TRC20')).available === 0n; i++) {
    h.solidify();
    await h.settle();
  }
  shops.push(shop.shopId);
  return { ...shop, start: await h.deps.ledger.balance(shop.shopId, 'USDT_TRC20') };
}

/** A fresh Tron address (a deposit address of a throwaway invoice is as good as any). */
async function newAddress(): Promise<string> {
  const { project } = await newProject({});
  return (await h.invoiceFor(project, 'USDT_TRC20', 1)).selection?.address as string;
}

async function paid(batchId: string) {
  const run = await flow.waitFor(batchId, 'payout_batch', 120_000);
  const batch = await h.deps.payoutBatches.get(batchId);
  return { run, batch, items: await h.deps.payoutBatches.items(batch?.itemIds ?? []) };
}

const holdOf = (items: readonly Withdrawal[]) => items.reduce((sum, w) => sum + w.holdAmount, 0n);

describe('a Tron batch (one TRC-20 transfer per item)', () => {
  it('pays every item: confirmed, on chain, settled, nothing held, the batch completed', async () => {
    const shop = await fundedShop(200);
    const to = [await newAddress(), await newAddress(), await newAddress()];
    const { batch } = await queueTestBatch(h.deps, shop.shopId, to.map((address, i) => ({ code: 'USDT_TRC20', chain: 'tron', to: address, amount: USDT(5 + i), fee: FEE })));
    const done = await paid(batch.id);
    expect(done.run.status, JSON.stringify(done.run.error)).toBe('succeeded');
    expect(done.batch?.status).toBe('completed');
    expect(done.items.map((w) => w.status)).toEqual(['confirmed', 'confirmed', 'confirmed']);
    for (const w of done.items) expect(await sender.balanceOf(w.toAddress, 'USDT_TRC20')).toBe(w.sendAmount);
    expect((await h.deps.payoutBatches.legs(batch.id)).map((l) => [l.kind, l.status])).toEqual([['each', 'settled']]);
    const end = await h.deps.ledger.balance(shop.shopId, 'USDT_TRC20');
    expect(end.held).toBe(0n);
    expect(end.available).toBe(shop.start.available - holdOf(done.items));
  }, 180_000);

  it('an item the chain reverts (the hot wallet short of the token for it) fails with its hold released; the others are paid', async () => {
    const shop = await fundedShop(300);
    const to = [await newAddress(), await newAddress(), await newAddress()];
    const amounts = [USDT(10), USDT(200), USDT(10)];
    const { batch } = await queueTestBatch(h.deps, shop.shopId, to.map((address, i) => ({ code: 'USDT_TRC20', chain: 'tron', to: address, amount: amounts[i], fee: FEE })));
    const done = await paid(batch.id);
    expect(done.run.status, JSON.stringify(done.run.error)).toBe('succeeded');
    expect(done.batch?.status).toBe('completed');
    expect(done.items.map((w) => w.status)).toEqual(['confirmed', 'failed', 'confirmed']);
    expect(done.items[1].reason).toMatch(/reverted/);
    expect(await sender.balanceOf(to[1], 'USDT_TRC20')).toBe(0n);
    for (const i of [0, 2]) expect(await sender.balanceOf(to[i], 'USDT_TRC20')).toBe(amounts[i]);
    const end = await h.deps.ledger.balance(shop.shopId, 'USDT_TRC20');
    expect(end.held).toBe(0n);
    expect(end.available).toBe(shop.start.available - holdOf([done.items[0], done.items[2]]));
  }, 180_000);
});

describe('after both batches', () => {
  it('reconciliation finds no drift, and nothing is held', async () => {
    for (const shopId of shops) expect((await h.deps.ledger.balance(shopId, 'USDT_TRC20')).held, shopId).toBe(0n);
    const report = await reconcile(h.deps, reconciliationReaders());
    expect(report.balanceDrifts).toEqual([]);
    expect(report.assets.filter((a) => a.verdict === 'shortfall')).toEqual([]);
    expect(report.drift).toBe(false);
  }, 60_000);
});
