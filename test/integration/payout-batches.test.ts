/**
 * Mass payouts end to end on the real devnet, table and workflow definition: shops credited by
 * real ETH payments (the real watcher and crediting), then batches paid by the payout batch
 * workflow (run by the local host with the real worker) from the hot wallet: ETH one transfer per
 * item ('each' legs: the chain's own coin), the test USDT through the disperse contract the devnet
 * engine deployed (one transaction for 200 recipients). A recipient contract that refuses ETH, a
 * token that refuses the zero address, a balance short for part of the batch, and every step run
 * twice; the books and the chain agree after all of it.
 */
import { Contract, ContractFactory, getAddress, hexlify, JsonRpcProvider, randomBytes, Wallet } from 'ethers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fundsOutDeps } from '../../functions/kit/chain-senders';
import '../../functions/kit/chain-senders-evm';
import { reconciliationReaders } from '../../functions/kit/reconciliation';
import { handler as realWorker } from '../../functions/tasks/payout-batch';
import { hotWalletAddresses } from '../../lib/local/dev-defaults';
import { approveBatch, createBatch } from '../../shared/app/payout-batches';
import { REFUSED_REASON } from '../../shared/app/payout-disperse-leg';
import { reconcile } from '../../shared/app/reconciliation';
import { formatDecimal, fromUnits } from '../../shared/domain/money';
import { payoutItemStatus } from '../../shared/domain/payout-batch';
import type { SettingsPatch } from '../../shared/domain/project';
import type { Withdrawal } from '../../shared/domain/withdrawal';
import { newProject, TEST_MNEMONIC } from '../support/gateway';
import { type Harness, usePaymentsHarness } from '../support/payments-harness';
import { queueTestBatch, testFee } from '../support/payout-batch-builder';
import { skipFundedDevnetAccounts } from '../support/static-wallets';
import { codeAt, enrol, STEP_MS, useManualClock } from '../support/second-factor';
import { useWorkflows } from '../support/workflows';

const ETH = (n: number) => BigInt(Math.round(n * 1e6)) * 10n ** 12n;
const FEE = testFee('ethereum', 'ETH');
const USDT = (n: number) => BigInt(Math.round(n * 1e6));
const USDT_FEE = testFee('ethereum', 'USDT_ERC20');
const ZERO = '0x0000000000000000000000000000000000000000';

/** Batches whose every step the worker runs twice in a row (a retried or duplicated Task): the second answer is the one passed on. */
const twice = new Set<string>();
async function worker(event: Record<string, unknown>): Promise<Record<string, unknown>> {
  if (twice.has(String(event.batchId))) await realWorker(event);
  return realWorker(event);
}

let h: Harness;
let stopMining: (() => void) | null = null;
let provider: JsonRpcProvider;
const shops: string[] = [];
const flow = useWorkflows({ waitSeconds: 0, workers: { payout_batch: worker } });

beforeAll(async () => {
  h = await usePaymentsHarness({ env: { MNEMONIC: TEST_MNEMONIC, HOT_WALLETS_JSON: JSON.stringify({ ethereum: hotWalletAddresses(TEST_MNEMONIC).evm }) } });
  await skipFundedDevnetAccounts(h.deps);
  await h.settle();
  provider = new JsonRpcProvider(h.devnet.rpcUrl, undefined, { staticNetwork: true });
  // The hot wallet: gas, and the tokens sweeps would have brought it.
  await h.fundHotWallet({ eth: ETH(5), usdt: USDT(10_000) });
  // Confirmations need blocks: the devnet mines only when told to.
  stopMining = h.keepMining();
}, 90_000);

afterAll(async () => {
  stopMining?.();
  provider?.destroy();
  await h?.stop();
});

/** A project with `usd` of ETH (or the test USDT) credited by a real payment. */
async function fundedShop(usd: number, code: 'ETH' | 'USDT_ERC20' = 'ETH', settings: SettingsPatch = {}) {
  const shop = await newProject({ testMode: false, partialTolerance: 'none', ...settings });
  const invoice = await h.invoiceFor(shop.project, code, usd);
  await h.pay(invoice.selection?.address as string, invoice.selection?.amountToPay as bigint, code === 'ETH' ? null : h.devnet.tokens.USDT_ERC20);
  for (let i = 0; i < 20 && (await h.deps.ledger.balance(shop.shopId, code)).available === 0n; i++) await h.settle();
  shops.push(shop.shopId);
  return { ...shop, start: await h.deps.ledger.balance(shop.shopId, code) };
}

async function usdtBalance(address: string): Promise<bigint> {
  const token = new Contract(h.devnet.tokens.USDT_ERC20, ['function balanceOf(address) view returns (uint256)'], provider);
  for (let attempt = 1; ; attempt++) {
    try {
      return (await token.balanceOf(address, { blockTag: 'latest' })) as bigint;
    } catch (e) {
      if (attempt >= 5) throw e;
      await new Promise((r) => setTimeout(r, 200));
    }
  }
}

/** The balance on chain; a read anvil answers empty while it mines (seen under load) is read again. */
async function ethBalance(address: string): Promise<bigint> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await provider.getBalance(address, 'latest');
    } catch (e) {
      if (attempt >= 5) throw e;
      await new Promise((r) => setTimeout(r, 200));
    }
  }
}

/**
 * A contract that refuses every call, a plain ETH transfer included: PUSH1 0 PUSH1 0 REVERT as its
 * whole code (init code: store those 5 bytes in memory and return them). No solc needed for it.
 */
async function deployRefuser(): Promise<string> {
  const wallet = new Wallet(h.devnet.payerPrivateKey, provider);
  const contract = await new ContractFactory([], '0x6460006000fd6000526005601bf3', wallet).deploy();
  await contract.waitForDeployment();
  const address = await contract.getAddress();
  expect(await provider.getCode(address)).toBe('0x60006000fd');
  return address;
}

async function paid(batchId: string) {
  const run = await flow.waitFor(batchId, 'payout_batch', 120_000);
  const batch = await h.deps.payoutBatches.get(batchId);
  const items = await h.deps.payoutBatches.items(batch?.itemIds ?? []);
  return { run, batch, items, byStatus: (s: string) => items.filter((w) => payoutItemStatus(w) === s) };
}

const holdOf = (items: readonly Withdrawal[]) => items.reduce((sum, w) => sum + w.holdAmount, 0n);

describe('a batch of ETH items (one transfer each)', () => {
  it('pays every item: confirmed, on chain, settled, nothing left held, the batch completed', async () => {
    const shop = await fundedShop(300);
    const to = Array.from({ length: 5 }, () => Wallet.createRandom().address);
    const { batch } = await queueTestBatch(h.deps, shop.shopId, to.map((address, i) => ({ code: 'ETH', chain: 'ethereum', to: address, amount: ETH(0.01 + i / 1000), fee: FEE })));
    const done = await paid(batch.id);
    expect(done.run.status, JSON.stringify(done.run.error)).toBe('succeeded');
    expect(done.batch?.status).toBe('completed');
    expect(done.items.map((w) => w.status)).toEqual(Array(5).fill('confirmed'));
    for (const w of done.items) expect(await ethBalance(w.toAddress)).toBe(w.sendAmount);
    // One transaction each, each at its own nonce.
    expect(new Set(done.items.map((w) => w.tx?.nonce)).size).toBe(5);
    const legs = await h.deps.payoutBatches.legs(batch.id);
    expect(legs.map((l) => [l.kind, l.status, l.itemIds.length])).toEqual([['each', 'settled', 5]]);
    const end = await h.deps.ledger.balance(shop.shopId, 'ETH');
    expect(end.held).toBe(0n);
    expect(end.available).toBe(shop.start.available - holdOf(done.items));
  }, 180_000);
});

describe('one item the chain refuses', () => {
  it('fails that item with its hold released; the others are paid', async () => {
    const shop = await fundedShop(300);
    const refuser = await deployRefuser();
    const good = [Wallet.createRandom().address, Wallet.createRandom().address];
    const { batch } = await queueTestBatch(h.deps, shop.shopId, [
      { code: 'ETH', chain: 'ethereum', to: good[0], amount: ETH(0.01), fee: FEE },
      { code: 'ETH', chain: 'ethereum', to: refuser, amount: ETH(0.01), fee: FEE },
      { code: 'ETH', chain: 'ethereum', to: good[1], amount: ETH(0.01), fee: FEE },
    ]);
    const done = await paid(batch.id);
    expect(done.run.status, JSON.stringify(done.run.error)).toBe('succeeded');
    expect(done.batch?.status).toBe('completed');
    expect(done.items.map((w) => w.status)).toEqual(['confirmed', 'failed', 'confirmed']);
    // The node refuses to estimate it (execution reverted); under interval mining anvil may answer a block-range error instead.
    expect(done.items[1].reason).toMatch(/eth_estimateGas/);
    expect(await ethBalance(refuser)).toBe(0n);
    for (const w of [done.items[0], done.items[2]]) expect(await ethBalance(w.toAddress)).toBe(w.sendAmount);
    const end = await h.deps.ledger.balance(shop.shopId, 'ETH');
    expect(end.held).toBe(0n);
    expect(end.available).toBe(shop.start.available - holdOf([done.items[0], done.items[2]]));
    // The nonce the refused item claimed was used up: a later batch still lands.
    const next = await queueTestBatch(h.deps, shop.shopId, [{ code: 'ETH', chain: 'ethereum', to: Wallet.createRandom().address, amount: ETH(0.001), fee: FEE }]);
    expect((await paid(next.batch.id)).items[0].status).toBe('confirmed');
  }, 180_000);
});

describe('a balance that covers only part of the batch', () => {
  it('fails the items it does not cover at their hold (nothing held, nothing sent) and pays the rest', async () => {
    const shop = await fundedShop(100);
    const available = shop.start.available;
    // Three of a third each, then a small one that still fits after the third is refused.
    const third = available / 3n - FEE;
    const to = Array.from({ length: 4 }, () => Wallet.createRandom().address);
    const amounts = [third, third, third + FEE, ETH(0.001)];
    const { batch } = await queueTestBatch(h.deps, shop.shopId, to.map((address, i) => ({ code: 'ETH', chain: 'ethereum', to: address, amount: amounts[i], fee: FEE })));
    const done = await paid(batch.id);
    expect(done.run.status, JSON.stringify(done.run.error)).toBe('succeeded');
    expect(done.items.map((w) => w.status)).toEqual(['confirmed', 'confirmed', 'failed', 'confirmed']);
    expect(done.items[2].reason).toContain('insufficient balance');
    expect(done.items[2].tx).toBeNull();
    expect(await ethBalance(to[2])).toBe(0n);
    for (const i of [0, 1, 3]) expect(await ethBalance(to[i])).toBe(amounts[i]);
    const end = await h.deps.ledger.balance(shop.shopId, 'ETH');
    expect(end.held).toBe(0n);
    expect(end.available).toBe(available - holdOf([done.items[0], done.items[1], done.items[3]]));
  }, 180_000);
});

describe('every step run twice', () => {
  it('moves nothing twice: one transfer per item, one hold, one settlement', async () => {
    const shop = await fundedShop(300);
    const to = Array.from({ length: 3 }, () => Wallet.createRandom().address);
    const { batch } = await queueTestBatch(h.deps, shop.shopId, to.map((address) => ({ code: 'ETH', chain: 'ethereum', to: address, amount: ETH(0.01), fee: FEE })), { start: false });
    twice.add(batch.id);
    await h.deps.workflows.start('payout_batch', batch.id, { batchId: batch.id });
    // Started again (a client retrying its creation): the same execution, nothing new.
    expect(await h.deps.workflows.start('payout_batch', batch.id, { batchId: batch.id })).toBe('already_started');
    const done = await paid(batch.id);
    expect(done.run.status, JSON.stringify(done.run.error)).toBe('succeeded');
    expect(done.items.map((w) => w.status)).toEqual(['confirmed', 'confirmed', 'confirmed']);
    for (const w of done.items) {
      expect(await ethBalance(w.toAddress)).toBe(w.sendAmount);
      // The hot wallet sent each recipient one transaction.
      expect(w.replaced).toEqual([]);
    }
    const end = await h.deps.ledger.balance(shop.shopId, 'ETH');
    expect(end.held).toBe(0n);
    expect(end.available).toBe(shop.start.available - holdOf(done.items));
    // Hold and Close again, after the fact: nothing moves.
    const { holdBatch, closeBatch } = await import('../../shared/app/payout-steps');
    const deps = { ...h.deps, ...(await fundsOutDeps()) };
    expect(await holdBatch(deps, batch.id)).toMatchObject({ state: 'held', legs: [{ batchId: batch.id, legId: `${batch.id}-L1` }] });
    expect(await closeBatch(deps, batch.id)).toMatchObject({ complete: true, counts: { confirmed: 3, failed: 0, queued: 0, sent: 0 } });
    expect(await h.deps.ledger.balance(shop.shopId, 'ETH')).toEqual(end);
  }, 180_000);
});

describe('a USDT batch through the disperse contract', () => {
  it('pays 200 recipients in ONE transaction; an item to the zero address is refused by the token and released', async () => {
    const shop = await fundedShop(300, 'USDT_ERC20');
    const recipients = Array.from({ length: 200 }, () => getAddress(hexlify(randomBytes(20))));
    const items = [...recipients.slice(0, 100).map((to, i) => ({ to, amount: USDT(1) + BigInt(i) })), { to: ZERO, amount: USDT(1) }, ...recipients.slice(100).map((to, i) => ({ to, amount: USDT(1) + BigInt(100 + i) }))];
    const { batch } = await queueTestBatch(h.deps, shop.shopId, items.map((it) => ({ code: 'USDT_ERC20', chain: 'ethereum', to: it.to, amount: it.amount, fee: USDT_FEE })));
    const done = await paid(batch.id);
    expect(done.run.status, JSON.stringify(done.run.error)).toBe('succeeded');
    expect(done.batch?.status).toBe('completed');
    const legs = await h.deps.payoutBatches.legs(batch.id);
    expect(legs.map((l) => [l.kind, l.status, l.itemIds.length])).toEqual([['disperse', 'settled', 201]]);
    const refused = done.items[100];
    expect(refused).toMatchObject({ toAddress: ZERO, status: 'failed', reason: REFUSED_REASON });
    const confirmed = done.items.filter((w) => w !== refused);
    expect(confirmed.map((w) => w.status)).toEqual(Array(200).fill('confirmed'));
    // One transaction paid them all: the leg's.
    expect(new Set(confirmed.map((w) => w.landed?.hash))).toEqual(new Set([legs[0].landed?.hash]));
    for (const w of confirmed) expect(await usdtBalance(w.toAddress), w.id).toBe(w.sendAmount);
    const end = await h.deps.ledger.balance(shop.shopId, 'USDT_ERC20');
    expect(end.held).toBe(0n);
    expect(end.available).toBe(shop.start.available - holdOf(confirmed));
  }, 240_000);
});

describe('a batch made through the use case the API calls', () => {
  it('is paid by the workflow; sent again (by its references, with no key) it answers the same batch and pays nobody twice', async () => {
    const shop = await fundedShop(100, 'USDT_ERC20');
    const recipients = Array.from({ length: 12 }, () => getAddress(hexlify(randomBytes(20))));
    const items = recipients.map((to, i) => ({ currency: 'USDT_ERC20', toAddress: to, amount: formatDecimal(fromUnits(USDT(2) + BigInt(i), 6)), reference: `e2e-${shop.shopId}-${i}` }));
    const first = await createBatch(h.deps, shop.project, { items, source: 'native_api', idempotency: null }, Date.now());
    if (!first.ok) throw new Error(JSON.stringify(first.error));
    const done = await paid(first.value.batch.id);
    expect(done.run.status, JSON.stringify(done.run.error)).toBe('succeeded');
    expect(done.items.map((w) => payoutItemStatus(w))).toEqual(Array(12).fill('confirmed'));
    const legs = await h.deps.payoutBatches.legs(first.value.batch.id);
    expect(legs.map((l) => l.kind)).toEqual(['disperse']);
    for (const w of done.items) expect(await usdtBalance(w.toAddress)).toBe(w.sendAmount);
    const afterFirst = await h.deps.ledger.balance(shop.shopId, 'USDT_ERC20');

    const again = await createBatch(h.deps, shop.project, { items, source: 'native_api', idempotency: null }, Date.now());
    if (!again.ok) throw new Error(JSON.stringify(again.error));
    expect(again.value.batch.id).toBe(first.value.batch.id);
    expect((await h.deps.withdrawals.listByProject(shop.shopId, { limit: 100, cursor: null })).items).toHaveLength(12);
    await h.mine(3);
    for (const w of done.items) expect(await usdtBalance(w.toAddress)).toBe(w.sendAmount);
    expect(await h.deps.ledger.balance(shop.shopId, 'USDT_ERC20')).toEqual(afterFirst);
  }, 240_000);
});

describe('a batch above the approval amount', () => {
  it('waits; a wrong and a replayed code are refused; the right code runs it, and it is paid', async () => {
    const shop = await fundedShop(100, 'USDT_ERC20', { payoutApprovalAboveUsd: '10' });
    const realClock = h.deps.clock;
    const clock = useManualClock(h.deps, Date.now());
    const items = Array.from({ length: 3 }, (_, i) => ({ currency: 'USDT_ERC20', toAddress: getAddress(hexlify(randomBytes(20))), amount: '6', reference: `approve-${shop.shopId}-${i}` }));
    let batchId = '';
    try {
      const factor = await enrol(shop.shopId, clock.now);
      const made = await createBatch(h.deps, shop.project, { items, source: 'native_api', idempotency: null }, clock.now());
      if (!made.ok) throw new Error(JSON.stringify(made.error));
      batchId = made.value.batch.id;
      expect(made.value.batch.status).toBe('awaiting_approval');
      const current = await codeAt(factor.secret, clock.now());
      const wrong = await approveBatch(h.deps, shop.project, batchId, `${(Number(current[0]) + 5) % 10}${current.slice(1)}`, clock.now());
      expect(wrong.ok).toBe(false);
      // The enrolment spent this step's code: the same code again is a replay.
      const replayed = await approveBatch(h.deps, shop.project, batchId, current, clock.now());
      expect(replayed.ok).toBe(false);
      expect(flow.host().executions().some((e) => e.name === batchId)).toBe(false);
      expect((await h.deps.ledger.balance(shop.shopId, 'USDT_ERC20')).held).toBe(0n);
      clock.advance(STEP_MS);
      const right = await approveBatch(h.deps, shop.project, batchId, await codeAt(factor.secret, clock.now()), clock.now());
      expect(right.ok, right.ok ? "" : JSON.stringify(right.error)).toBe(true);
    } finally {
      h.deps.clock = realClock;
    }
    const done = await paid(batchId);
    expect(done.run.status, JSON.stringify(done.run.error)).toBe('succeeded');
    expect(done.items.map((w) => w.status)).toEqual(['confirmed', 'confirmed', 'confirmed']);
    for (const w of done.items) expect(await usdtBalance(w.toAddress)).toBe(w.sendAmount);
  }, 240_000);
});

describe('after all of it', () => {
  it('reconciliation finds no drift, and no shop has anything held', async () => {
    expect(shops.length).toBeGreaterThan(0);
    for (const shopId of shops) for (const code of ['ETH', 'USDT_ERC20']) expect((await h.deps.ledger.balance(shopId, code)).held, `${shopId} ${code}`).toBe(0n);
    const report = await reconcile(h.deps, reconciliationReaders());
    expect(report.balanceDrifts).toEqual([]);
    expect(report.assets.filter((a) => a.verdict === 'shortfall')).toEqual([]);
    expect(report.drift).toBe(false);
  }, 60_000);
});
