/**
 * Static wallet receipts end to end on EVM, on real parts: anvil, DynamoDB Local, the SQS engine,
 * the real watcher and crediting consumer, the real postback sender posting to a local HTTP
 * receiver, and the real CryptoCloud handlers (info, list, statistics). Every transfer to a
 * customer's address is its own paid receipt: one credit, one journal entry, one postback with
 * `order_id` = identify, the receipt's `invoice_id` and that transfer's amount; the wallet's
 * totals follow. A blocked wallet's receipts are credited, flagged and announced on their own.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setStaticWalletBlocked } from '../../shared/app/static-wallets';
import { invoiceUuid } from '../../shared/domain/ids';
import type { Invoice } from '../../shared/domain/invoice/invoice';
import { aroundToday } from '../support/dates';
import { call, newProject } from '../support/gateway';
import { type Harness, usePaymentsHarness } from '../support/payments-harness';
import { type Receiver, startReceiver } from '../support/postback-receiver';
import { byInvoice, createWallet, expectReceipts, LOCAL_POSTBACKS_ENV, postbacksFor, receiptsOf, skipFundedDevnetAccounts, startPostbackSender } from '../support/static-wallets';

const USDT = (n: number) => BigInt(Math.round(n * 1e6));
const ETH = (n: number) => BigInt(Math.round(n * 1e6)) * 10n ** 12n;
/** Reads of a postback log waiting for the sender's delivery record: 5 s at the most. */
const LOG_READS_MAX = 100;
const LOG_READ_INTERVAL_MS = 50;

let h: Harness;
let receiver: Receiver;
let sender: { stop(): Promise<void> };

beforeAll(async () => {
  h = await usePaymentsHarness({ env: LOCAL_POSTBACKS_ENV });
  receiver = await startReceiver();
  sender = startPostbackSender(h.queues);
  await skipFundedDevnetAccounts(h.deps);
  await h.settle();
}, 60_000);

afterAll(async () => {
  await sender?.stop();
  await receiver?.stop();
  await h?.stop();
});

/** A live project (not test mode) whose postbacks go to the receiver, as JSON. */
const liveShop = () => newProject({ partialTolerance: 'none', testMode: false, notificationUrl: receiver.url, postbackFormat: 'json' });

/** Mines to the devnet's depth (3) and lets the watcher and crediting settle. */
async function confirm() {
  await h.settle();
  await h.mine(3);
  await h.settle();
}

describe('three transfers of different amounts to one static address', () => {
  it('USDT_ERC20: three credited receipts, three postbacks, in info, list and statistics; journal, balance and totals right', async () => {
    const shop = await liveShop();
    const wallet = await createWallet(shop.apiKey, shop.shopId, 'customer-42', 'USDT_ERC20');
    const before = (await h.balance(shop.shopId, 'USDT_ERC20')).available;
    const amounts = [USDT(5), USDT(12.5), USDT(40)];
    for (const amount of amounts) await h.pay(wallet.address, amount);
    await confirm();
    await expectReceipts(h, receiver, shop, wallet, 'customer-42', amounts, before);
    const stats = await call('invoice.statistics', { apiKey: shop.apiKey, body: aroundToday() });
    // The project has only these receipts: three paid invoices worth 57.50 USD.
    expect(stats.body.result).toMatchObject({ count: { all: 3, paid: 3, created: 0 }, amount: { paid: 57.5 } });
  });

  it('ETH (the native coin): the same, amounts in wei', async () => {
    const shop = await liveShop();
    const wallet = await createWallet(shop.apiKey, shop.shopId, 'eth-customer', 'ETH');
    expect(wallet.address).not.toBe('');
    const before = (await h.balance(shop.shopId, 'ETH')).available;
    const amounts = [ETH(0.01), ETH(0.025), ETH(0.1)];
    for (const amount of amounts) await h.pay(wallet.address, amount, null);
    await confirm();
    const receipts = await expectReceipts(h, receiver, shop, wallet, 'eth-customer', amounts, before);
    // Valued at the rate of first sight (3000 USD/ETH), not at a market rate: each paid in full.
    expect(receipts.every((r) => r.payments[0].valuedUsdPerUnit === null)).toBe(true);
    const stats = await call('invoice.statistics', { apiKey: shop.apiKey, body: aroundToday() });
    expect(stats.body.result).toMatchObject({ count: { all: 3, paid: 3 }, amount: { paid: 405 } });
  });
});

describe('a blocked wallet', () => {
  it('still credits a receipt, flags it walletBlocked and sends the native static_wallet.blocked_receipt webhook besides the success postback; after unblock, receipts are plain', async () => {
    const shop = await liveShop();
    const wallet = await createWallet(shop.apiKey, shop.shopId, 'suspicious', 'USDT_ERC20');
    const blocked = await setStaticWalletBlocked(h.deps, { shopId: shop.shopId, id: wallet.uuid, blocked: true, now: Date.now() });
    expect(blocked).toMatchObject({ ok: true, value: { blocked: true } });
    const before = (await h.balance(shop.shopId, 'USDT_ERC20')).available;

    await h.pay(wallet.address, USDT(7));
    await confirm();
    const [first] = await receiptsOf(h.deps, wallet.uuid);
    expect(first).toMatchObject({ status: 'paid', facts: { walletBlocked: true }, amountPaid: USDT(7) });
    expect(first.payments[0].state).toBe('credited');
    expect((await h.balance(shop.shopId, 'USDT_ERC20')).available - before).toBe(first.received);
    const posted = await postbacksFor(receiver, byInvoice([first.id]), 2);
    const kinds = posted.map((p) => p.fields.event).sort();
    expect(kinds).toEqual(['invoice.paid', 'static_wallet.blocked_receipt']);
    const success = posted.find((p) => p.fields.event === 'invoice.paid');
    expect(success?.fields).toMatchObject({ status: 'success', order_id: 'suspicious', static_wallet: { uuid: wallet.uuid, blocked: true } });
    const native = posted.find((p) => p.fields.event === 'static_wallet.blocked_receipt');
    expect(native?.fields).toMatchObject({ status: 'blocked', invoice_id: first.id, order_id: 'suspicious', amount_crypto: 7, static_wallet: { uuid: wallet.uuid, identify: 'suspicious', blocked: true } });
    expect(native?.headers['tollgate-event']).toBe('static_wallet.blocked_receipt');

    const unblocked = await setStaticWalletBlocked(h.deps, { shopId: shop.shopId, id: wallet.uuid, blocked: false, now: Date.now() });
    expect(unblocked).toMatchObject({ ok: true, value: { blocked: false, blockedAt: null } });
    await h.pay(wallet.address, USDT(8));
    await confirm();
    const second = (await receiptsOf(h.deps, wallet.uuid)).find((r) => r.id !== first.id) as Invoice;
    expect(second).toMatchObject({ status: 'paid', amountPaid: USDT(8), facts: {} });
    const [plain] = await postbacksFor(receiver, byInvoice([second.id]), 1);
    expect(plain.fields).toMatchObject({ event: 'invoice.paid', static_wallet: { blocked: false } });
    // The receiver has the postback before the sender has written its delivery: read the log until it has (bounded).
    type Logged = { event: string; delivered: boolean }[];
    let events: Logged = [];
    for (let attempt = 0; attempt < LOG_READS_MAX && !events.some((e) => e.delivered); attempt += 1) {
      if (attempt > 0) await new Promise((r) => setTimeout(r, LOG_READ_INTERVAL_MS));
      const log = await call('api.invoice.postbacks', { apiKey: shop.apiKey, pathParameters: { invoiceId: invoiceUuid(second.id) }, contentType: null });
      events = (log.body.result as { events: Logged }).events;
    }
    expect(events).toEqual([expect.objectContaining({ event: 'invoice.paid', delivered: true })]);
    expect(await h.deps.staticWallets.totals(wallet.uuid)).toMatchObject({ receipts: 2, received: USDT(15) });
  });
});

describe('a test-mode project', () => {
  it('credits real transfers as receipts marked test_mode; a receipt cannot be confirmed without payment (it would make the real money a duplicate)', async () => {
    const shop = await newProject({ partialTolerance: 'none', notificationUrl: receiver.url, postbackFormat: 'json' });
    expect(shop.project.settings.testMode).toBe(true);
    const wallet = await createWallet(shop.apiKey, shop.shopId, 'tester', 'USDT_ERC20');
    const before = (await h.balance(shop.shopId, 'USDT_ERC20')).available;
    await h.pay(wallet.address, USDT(9));
    await h.settle();
    const [pending] = await receiptsOf(h.deps, wallet.uuid);
    expect(pending).toMatchObject({ status: 'created', testMode: true, payments: [{ state: 'pending' }] });
    const refused = await call('invoice.test_confirm', { apiKey: shop.apiKey, body: { uuid: invoiceUuid(pending.id) } });
    expect(refused).toMatchObject({ status: 400, body: { status: 'error', result: { validate_error: expect.stringContaining('receipt of static wallet') } } });
    expect((await h.invoice(pending.id)).version).toBe(pending.version);

    await h.mine(3);
    await h.settle();
    const paid = await h.invoice(pending.id);
    expect(paid).toMatchObject({ status: 'paid', facts: {}, payments: [{ state: 'credited', classification: 'payment' }] });
    expect((await h.balance(shop.shopId, 'USDT_ERC20')).available - before).toBe(paid.received);
    const [posted] = await postbacksFor(receiver, byInvoice([paid.id]), 1);
    expect(posted.fields).toMatchObject({ status: 'success', confirmed_via: 'payment', test_mode: true, order_id: 'tester', amount_crypto: 9 });
    const refusedAfter = await call('invoice.test_confirm', { apiKey: shop.apiKey, body: { uuid: invoiceUuid(paid.id) } });
    expect(refusedAfter.status).toBe(400);
  });
});
