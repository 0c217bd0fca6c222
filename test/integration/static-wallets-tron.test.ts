/**
 * Static wallets on Tron, on real parts: the TronGrid simulator, DynamoDB Local, the SQS engine,
 * the real Tron reader, watcher and crediting consumer (the same code as on EVM), the real
 * postback sender and a local receiver. Receipts of USDT_TRC20 and TRX are credited once each at
 * solidification and posted back; duplicate deliveries make no second receipt; a fork before
 * solidification withdraws a pending receipt, and one that re-includes the transaction brings it
 * back to the same receipt; wrong tokens and dust are strays. With finality by depth, a fork
 * deeper than the depth reverses a credited receipt and lowers the wallet's totals.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handleObservation } from '../../shared/app/crediting';
import type { Invoice } from '../../shared/domain/invoice/invoice';
import type { Observation } from '../../shared/domain/transfers';
import { aroundToday } from '../support/dates';
import { call, newProject } from '../support/gateway';
import { type TronHarness, useTronHarness } from '../support/payments-harness';
import { type Receiver, startReceiver } from '../support/postback-receiver';
import { prng, repeatAndShuffle } from '../support/random';
import { type CreatedWallet, createWallet, expectReceipts, journalOf, LOCAL_POSTBACKS_ENV, receiptsOf, startPostbackSender } from '../support/static-wallets';

const USDT = (n: number) => BigInt(Math.round(n * 1e6));
const TRX = (n: number) => BigInt(Math.round(n * 1e6));

describe('Tron, finality by solidification', () => {
  let h: TronHarness;
  let receiver: Receiver;
  let sender: { stop(): Promise<void> };
  let shop: Awaited<ReturnType<typeof newProject>>;

  beforeAll(async () => {
    h = await useTronHarness({ env: LOCAL_POSTBACKS_ENV });
    receiver = await startReceiver();
    sender = startPostbackSender(h.queues);
    shop = await newProject({ partialTolerance: 'none', testMode: false, notificationUrl: receiver.url, postbackFormat: 'json' });
    await h.settle();
  }, 60_000);

  afterAll(async () => {
    await sender?.stop();
    await receiver?.stop();
    await h?.stop();
  });

  const strays = (wallet: CreatedWallet) => h.deps.payments.strays({ kind: 'static_wallet', walletId: wallet.uuid });

  it('three USDT_TRC20 and three TRX transfers to two addresses of one customer: six credited receipts, postbacks delivered, in info, list and statistics', async () => {
    const usdt = await createWallet(shop.apiKey, shop.shopId, 'tron-customer', 'USDT_TRC20');
    const trx = await createWallet(shop.apiKey, shop.shopId, 'tron-customer', 'TRX');
    expect(usdt.address).toMatch(/^T[1-9A-HJ-NP-Za-km-z]{33}$/);
    expect(trx.address).not.toBe(usdt.address);
    const before = { usdt: (await h.balance(shop.shopId, 'USDT_TRC20')).available, trx: (await h.balance(shop.shopId, 'TRX')).available };
    const usdtAmounts = [USDT(5), USDT(12.5), USDT(40)];
    const trxAmounts = [TRX(20), TRX(44), TRX(150)];
    for (const amount of usdtAmounts) h.pay(usdt.address, amount, 'USDT', { mine: false });
    for (const amount of trxAmounts) h.pay(trx.address, amount, 'TRX', { mine: false });
    h.mine(1);
    await h.settle();
    // Seen, not yet solidified: six pending receipts, nothing credited.
    const pending = [...(await receiptsOf(h.deps, usdt.uuid)), ...(await receiptsOf(h.deps, trx.uuid))];
    expect(pending.map((r) => [r.status, r.payments.map((p) => p.state)])).toEqual(pending.map(() => ['created', ['pending']]));
    expect(await h.deps.staticWallets.totals(usdt.uuid)).toMatchObject({ receipts: 0 });
    h.solidify();
    await h.settle();
    await expectReceipts(h, receiver, shop, usdt, 'tron-customer', usdtAmounts, before.usdt);
    await expectReceipts(h, receiver, shop, trx, 'tron-customer', trxAmounts, before.trx);
    const stats = await call('invoice.statistics', { apiKey: shop.apiKey, body: aroundToday() });
    // 57.50 USD of USDT and 214 TRX at 0.25 USD = 53.50 USD.
    expect(stats.body.result).toMatchObject({ count: { all: 6, paid: 6 }, amount: { paid: 111 } });
  });

  it('every observation delivered 1-5 times, shuffled, to four consumers at once: one receipt and one credit per transfer; all of them again change nothing', async () => {
    const wallet = await createWallet(shop.apiKey, shop.shopId, 'tron-dup', 'USDT_TRC20');
    const txids = [3, 4.5, 9, 21].map((n) => h.pay(wallet.address, USDT(n), 'USDT', { mine: false }).txHash);
    h.mine(1);
    const delivered: Observation[] = [];
    const deliver = (o: Observation[]) => {
      delivered.push(...o);
      return repeatAndShuffle<Observation>(prng(11))(o);
    };
    await h.settle({ deliver, concurrency: 4 });
    h.solidify();
    await h.settle({ deliver, concurrency: 4 });
    const receipts = await receiptsOf(h.deps, wallet.uuid);
    expect(receipts).toHaveLength(4);
    expect(new Set(receipts.map((r) => r.payments[0].transfer.txHash))).toEqual(new Set(txids));
    expect(receipts.every((r) => r.status === 'paid' && r.payments.length === 1 && r.payments[0].state === 'credited' && r.payments[0].credits === 1)).toBe(true);
    expect(await h.deps.staticWallets.totals(wallet.uuid)).toMatchObject({ receipts: 4, received: USDT(37.5) });

    const versions = receipts.map((r) => r.version);
    const journal = (await journalOf(shop.shopId, 'USDT_TRC20')).length;
    for (const o of repeatAndShuffle<Observation>(prng(12))([...delivered, ...delivered])) await handleObservation(h.deps, o);
    expect((await receiptsOf(h.deps, wallet.uuid)).map((r) => r.version)).toEqual(versions);
    expect((await journalOf(shop.shopId, 'USDT_TRC20')).length).toBe(journal);
  });

  it('a fork before solidification withdraws a pending receipt; a fork that re-includes the transaction brings it back to the same receipt, credited once', async () => {
    const wallet = await createWallet(shop.apiKey, shop.shopId, 'tron-fork', 'TRX');
    const before = (await h.balance(shop.shopId, 'TRX')).available;
    const dropped = h.pay(wallet.address, TRX(30), 'TRX');
    h.mine(1);
    await h.settle();
    const [lost] = await receiptsOf(h.deps, wallet.uuid);
    expect(lost.payments).toMatchObject([{ state: 'pending', transfer: { txHash: dropped.txHash } }]);
    expect(h.sim.fork({ depth: 3, reinclude: false }).dropped).toContain(dropped.txHash);
    await h.settle();
    h.solidify();
    await h.settle();
    expect(await h.invoice(lost.id)).toMatchObject({ status: 'created', amountPaid: 0n, payments: [{ state: 'orphaned' }] });
    expect(await h.deps.staticWallets.totals(wallet.uuid)).toMatchObject({ receipts: 0, received: 0n });
    expect((await h.balance(shop.shopId, 'TRX')).available).toBe(before);

    const moved = h.pay(wallet.address, TRX(60), 'TRX');
    h.mine(1);
    await h.settle();
    const seen = (await receiptsOf(h.deps, wallet.uuid)).find((r) => r.id !== lost.id) as Invoice;
    expect(seen.payments).toMatchObject([{ state: 'pending', transfer: { txHash: moved.txHash } }]);
    const fork = h.sim.fork({ depth: 3, reinclude: true });
    expect(fork.reincluded).toEqual([moved.txHash]);
    await h.settle();
    h.solidify();
    await h.settle();
    const receipts = await receiptsOf(h.deps, wallet.uuid);
    expect(receipts.map((r) => r.id).sort()).toEqual([lost.id, seen.id].sort());
    const back = await h.invoice(seen.id);
    expect(back).toMatchObject({ status: 'paid', amountPaid: TRX(60), payments: [{ state: 'credited', credits: 1, transfer: { txHash: moved.txHash } }] });
    expect(back.payments[0].transfer.blockHash).not.toBe(seen.payments[0].transfer.blockHash);
    expect(await h.deps.staticWallets.totals(wallet.uuid)).toMatchObject({ receipts: 1, received: TRX(60), net: back.received });
    expect((await h.balance(shop.shopId, 'TRX')).available - before).toBe(back.received);
  });

  it('USDD (served), a look-alike token and dust are strays under the wallet: no receipt, no credit', async () => {
    const wallet = await createWallet(shop.apiKey, shop.shopId, 'tron-strays', 'USDT_TRC20');
    const trxWallet = await createWallet(shop.apiKey, shop.shopId, 'tron-strays', 'TRX');
    const lookAlike = h.sim.deployToken('Tether USD', 10n ** 15n);
    const before = await Promise.all(['USDT_TRC20', 'USDD_TRC20', 'TRX'].map((c) => h.balance(shop.shopId, c)));
    h.pay(wallet.address, 10n * 10n ** 18n, 'USDD', { mine: false });
    h.sim.transfer({ to: wallet.address, amount: USDT(10), token: lookAlike, mine: false });
    h.pay(wallet.address, TRX(50), 'TRX', { mine: false });
    // Network fees: 1.4 USD for USDT_TRC20, 0.3 USD (1.2 TRX) for TRX.
    h.pay(wallet.address, USDT(1.39), 'USDT', { mine: false });
    h.pay(trxWallet.address, TRX(1.19), 'TRX', { mine: false });
    h.mine(1);
    h.solidify();
    await h.settle();
    expect(await receiptsOf(h.deps, wallet.uuid)).toEqual([]);
    expect(await receiptsOf(h.deps, trxWallet.uuid)).toEqual([]);
    const kept = await strays(wallet);
    expect(kept.count).toBe(4);
    expect(kept.kept.map((s) => [s.reason, s.code]).sort()).toEqual([
      ['dust', 'USDT_TRC20'],
      ['other_currency', 'TRX'],
      ['other_currency', 'USDD_TRC20'],
      ['unrecognized_token', null],
    ]);
    expect(await strays(trxWallet)).toMatchObject({ count: 1, kept: [{ reason: 'dust', code: 'TRX', transfer: { amount: TRX(1.19) } }] });
    expect(await Promise.all(['USDT_TRC20', 'USDD_TRC20', 'TRX'].map((c) => h.balance(shop.shopId, c)))).toEqual(before);
  });
});

describe('Tron, finality by depth ({ normal: { blocks: 3 } })', () => {
  let h: TronHarness;
  let shop: Awaited<ReturnType<typeof newProject>>;

  beforeAll(async () => {
    // Solidification 6 behind: a credit at depth 3 happens well before it, and a fork can still undo it.
    h = await useTronHarness({ confirmations: { normal: { blocks: 3 } }, solidifyDepth: 6 });
    shop = await newProject({ partialTolerance: 'none', testMode: false });
    // A few blocks first: a fork must not reach the genesis block.
    h.mine(5);
    await h.settle();
  }, 60_000);
  afterAll(async () => h?.stop());

  it('a fork deeper than the depth reverses a credited receipt with a compensating entry and lowers the totals; a credited one the fork moves to another block stays one credit on its receipt', async () => {
    const wallet = await createWallet(shop.apiKey, shop.shopId, 'tron-deep', 'USDT_TRC20');
    const before = await h.balance(shop.shopId, 'USDT_TRC20');
    const gone = h.pay(wallet.address, USDT(10));
    h.mine(2);
    await h.settle();
    const [receipt] = await receiptsOf(h.deps, wallet.uuid);
    expect(receipt).toMatchObject({ status: 'paid', payments: [{ state: 'credited', transfer: { txHash: gone.txHash } }] });
    expect(await h.deps.staticWallets.totals(wallet.uuid)).toMatchObject({ receipts: 1, received: USDT(10) });
    await h.postbackJobs();

    h.sim.fork({ depth: 4, reinclude: false });
    await h.settle();
    h.mine(3);
    await h.settle();
    const reversed = await h.invoice(receipt.id);
    expect(reversed).toMatchObject({ status: 'paid', amountPaid: 0n, received: 0n, facts: { reversed: true }, payments: [{ state: 'reversed' }] });
    const key = reversed.payments[0].key;
    expect((await journalOf(shop.shopId, 'USDT_TRC20')).filter((e) => e.ref === key).map((e) => e.kind).sort()).toEqual(['payment.credit', 'payment.reversal']);
    expect(await h.deps.staticWallets.totals(wallet.uuid)).toMatchObject({ receipts: 0, received: 0n, net: 0n });
    expect(await h.balance(shop.shopId, 'USDT_TRC20')).toEqual(before);
    expect((await h.postbackJobs()).filter((j) => j.invoiceId === receipt.id).map((j) => j.kind)).toEqual(['payment.reversed']);

    // A credited transfer that a fork moves to another block stays one credit on the same receipt.
    const stays = h.pay(wallet.address, USDT(15));
    h.mine(2);
    await h.settle();
    const credited = (await receiptsOf(h.deps, wallet.uuid)).find((r) => r.id !== receipt.id) as Invoice;
    expect(credited.payments).toMatchObject([{ state: 'credited', transfer: { txHash: stays.txHash } }]);
    expect(h.sim.fork({ depth: 4, reinclude: true }).reincluded).toEqual([stays.txHash]);
    // Crediting follows the credit into its new block only once the watcher has scanned it: until then the message fails and comes back.
    const retried: Observation[] = [];
    const handle = async (o: Observation) => {
      try {
        await handleObservation(h.deps, o);
      } catch {
        retried.push(o);
      }
    };
    await h.settle({ handle });
    h.mine(3);
    await h.settle({ handle });
    for (const o of retried.splice(0)) await handleObservation(h.deps, o);
    await h.settle();
    const receipts = await receiptsOf(h.deps, wallet.uuid);
    expect(receipts).toHaveLength(2);
    const now = await h.invoice(credited.id);
    expect(now.payments).toHaveLength(1);
    expect(now).toMatchObject({ status: 'paid', amountPaid: USDT(15), payments: [{ state: 'credited', transfer: { txHash: stays.txHash } }] });
    expect(await h.deps.staticWallets.totals(wallet.uuid)).toMatchObject({ receipts: 1, received: USDT(15), net: now.received });
    expect((await h.balance(shop.shopId, 'USDT_TRC20')).available - before.available).toBe(now.received);
  });
});
