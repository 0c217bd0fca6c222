/**
 * What an attacker (or an unlucky customer) tries on a static wallet, on real parts: anvil with a
 * second served token (USDC_ERC20), DynamoDB Local, the SQS engine, the real watcher, crediting
 * and HTTP handlers. Wrong tokens and dust are kept apart under the wallet and never credited,
 * at a bounded cost; addresses are never shared with invoices; a receipt cannot be canceled or
 * re-quoted; attach-tx and forged messages cannot move a transfer onto another receipt or invent
 * one; a rate outage at first sight of a volatile-coin receipt is retried, never lost or dusted.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Devnet, startDevnet } from '../../lib/local/engines/devnet';
import { handleObservation } from '../../shared/app/crediting';
import { invoiceUuid } from '../../shared/domain/ids';
import type { Invoice } from '../../shared/domain/invoice/invoice';
import { STRAYS_KEPT_MAX } from '../../shared/domain/invoice/payments';
import type { Observation } from '../../shared/domain/transfers';
import type { RateSource } from '../../shared/ports/rates';
import { call, newProject } from '../support/gateway';
import type { Harness } from '../support/payments-harness';
import { type CreatedWallet, createWallet, receiptsOf, useStaticWalletShop } from '../support/static-wallets';
import { deploySpammer } from '../support/spam-contract';

/** anvil's third funded account: the spammer, apart from the payer's nonces. */
const SPAMMER_KEY = '0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a';
const USDT = (n: number) => BigInt(Math.round(n * 1e6));
const ETH = (n: number) => BigInt(Math.round(n * 1e6)) * 10n ** 12n;

let devnet: Devnet;
let usdc: string;
let h: Harness;
let shop: Awaited<ReturnType<typeof newProject>>;

beforeAll(async () => {
  devnet = await startDevnet({ blockTimeSeconds: null });
  // A second token this deployment serves (as USDC_ERC20): the payer holds it too.
  usdc = await devnet.deployFakeToken('USDC');
  ({ h, shop } = await useStaticWalletShop({ devnet: { ...devnet, tokens: { ...devnet.tokens, USDC_ERC20: usdc } as Devnet['tokens'] } }));
}, 60_000);

afterAll(async () => {
  await h?.stop();
  await devnet?.stop();
});

const strays = (wallet: CreatedWallet) => h.deps.payments.strays({ kind: 'static_wallet', walletId: wallet.uuid });
const balances = async () => Promise.all(['USDT_ERC20', 'USDC_ERC20', 'ETH'].map((code) => h.balance(shop.shopId, code)));

describe('wrong tokens to a static address', () => {
  it('another served token, the native coin and unknown contracts are kept as strays under the wallet: no receipt, no credit, no postback, counted once', async () => {
    const wallet = await createWallet(shop.apiKey, shop.shopId, 'wrong-tokens', 'USDT_ERC20');
    const ethWallet = await createWallet(shop.apiKey, shop.shopId, 'wrong-tokens', 'ETH');
    const fake = await h.devnet.deployFakeToken('USDT');
    const spammer = await deploySpammer(h.devnet.rpcUrl, SPAMMER_KEY);
    const before = await balances();
    await h.postbackJobs();
    try {
      await h.pay(wallet.address, USDT(10), usdc);
      await h.pay(wallet.address, ETH(0.01), null);
      await h.pay(wallet.address, USDT(10), fake);
      await spammer.spam(wallet.address, 5);
      await h.pay(ethWallet.address, USDT(10));
      await h.mine(5);
      await h.settle();
    } finally {
      spammer.stop();
    }
    expect(await receiptsOf(h.deps, wallet.uuid)).toEqual([]);
    expect(await receiptsOf(h.deps, ethWallet.uuid)).toEqual([]);
    const kept = await strays(wallet);
    expect(kept.count).toBe(8);
    const reasons = kept.kept.map((s) => [s.reason, s.code, s.transfer.contract]);
    expect(reasons).toEqual(
      expect.arrayContaining([
        ['other_currency', 'USDC_ERC20', usdc.toLowerCase()],
        ['other_currency', 'ETH', null],
        ['unrecognized_token', null, fake.toLowerCase()],
        ['unrecognized_token', null, spammer.address],
      ]),
    );
    expect(await strays(ethWallet)).toMatchObject({ count: 1, kept: [{ reason: 'other_currency', code: 'USDT_ERC20' }] });
    expect(await h.deps.staticWallets.totals(wallet.uuid)).toMatchObject({ receipts: 0, received: 0n });
    expect(await balances()).toEqual(before);
    expect(await h.postbackJobs()).toEqual([]);

    // Redelivered, each is known: nothing is counted twice, nothing is made.
    for (const s of kept.kept) await handleObservation(h.deps, { kind: 'transfer.seen', source: 'watcher', transfer: s.transfer });
    expect((await strays(wallet)).count).toBe(8);
    expect(await receiptsOf(h.deps, wallet.uuid)).toEqual([]);

    // attach-tx cannot turn one into a receipt either: there is no receipt to attach it to, and the wallet's address is no invoice's.
    const invoice = await h.invoiceFor(shop.project, 'USDT_ERC20', 10);
    const attached = await call('api.invoice.attach_tx', { apiKey: shop.apiKey, pathParameters: { invoiceId: invoiceUuid(invoice.id) }, body: { tx_hash: kept.kept[0].transfer.txHash } });
    expect(attached.status).toBe(400);

    // The wallet still takes its own token.
    await h.pay(wallet.address, USDT(6));
    await h.mine(3);
    await h.settle();
    expect((await receiptsOf(h.deps, wallet.uuid)).map((r) => [r.status, r.amountPaid])).toEqual([['paid', USDT(6)]]);
  });
});

describe('dust', () => {
  it('a transfer below the network fee is a stray "dust": no receipt, no credit, no postback; at the fee it is a receipt', async () => {
    const wallet = await createWallet(shop.apiKey, shop.shopId, 'dusty', 'USDT_ERC20');
    const ethWallet = await createWallet(shop.apiKey, shop.shopId, 'dusty', 'ETH');
    const before = await balances();
    await h.postbackJobs();
    // USDT_ERC20's network fee is 1.5 USD; ETH's 0.5 USD (1/6000 ETH at 3000 USD).
    await h.pay(wallet.address, USDT(1.49));
    await h.pay(ethWallet.address, ETH(0.0001), null);
    await h.mine(3);
    await h.settle();
    expect(await receiptsOf(h.deps, wallet.uuid)).toEqual([]);
    expect(await receiptsOf(h.deps, ethWallet.uuid)).toEqual([]);
    expect(await strays(wallet)).toMatchObject({ count: 1, kept: [{ reason: 'dust', code: 'USDT_ERC20', transfer: { amount: USDT(1.49) } }] });
    expect(await strays(ethWallet)).toMatchObject({ count: 1, kept: [{ reason: 'dust', code: 'ETH', transfer: { amount: ETH(0.0001) } }] });
    expect(await balances()).toEqual(before);
    expect(await h.postbackJobs()).toEqual([]);

    await h.pay(wallet.address, USDT(1.5));
    await h.mine(3);
    await h.settle();
    const [receipt] = await receiptsOf(h.deps, wallet.uuid);
    // The merchant bears the fee (its default side): the receipt is paid and nets nothing.
    expect(receipt).toMatchObject({ status: 'paid', amountPaid: USDT(1.5), received: 0n });
  });

  it(`many dust transfers cost bounded storage: ${STRAYS_KEPT_MAX} kept, the count grows`, async () => {
    const wallet = await createWallet(shop.apiKey, shop.shopId, 'dust-storm', 'USDT_ERC20');
    const DUST = STRAYS_KEPT_MAX + 6;
    for (let i = 0; i < DUST; i += 1) await h.pay(wallet.address, 1n + BigInt(i));
    await h.mine(3);
    await h.settle({ maxRounds: 100 });
    const kept = await strays(wallet);
    expect(kept.count).toBe(DUST);
    expect(kept.kept).toHaveLength(STRAYS_KEPT_MAX);
    expect(kept.kept.every((s) => s.reason === 'dust')).toBe(true);
    expect(await receiptsOf(h.deps, wallet.uuid)).toEqual([]);
    expect(await h.deps.staticWallets.totals(wallet.uuid)).toMatchObject({ receipts: 0 });
  }, 60_000);
});

describe('addresses', () => {
  it('static wallets and invoices created interleaved, concurrently, never share an address or a derivation index; each address has its one owner', async () => {
    const made = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        Promise.all([
          h.invoiceFor(shop.project, i % 2 ? 'ETH' : 'USDT_ERC20', 5),
          createWallet(shop.apiKey, shop.shopId, `interleaved-${i}`, 'USDT_ERC20'),
          createWallet(shop.apiKey, shop.shopId, `interleaved-${i}`, 'ETH'),
        ]),
      ),
    );
    const invoices = made.map(([invoice]) => invoice);
    const wallets = await Promise.all(made.flatMap(([, a, b]) => [a, b]).map(async (w) => (await h.deps.staticWallets.get(w.uuid)) as NonNullable<Awaited<ReturnType<typeof h.deps.staticWallets.get>>>));
    const slots = [...invoices.map((i) => ({ address: i.selection!.address.toLowerCase(), index: i.selection!.derivationIndex })), ...wallets.map((w) => ({ address: w.address.toLowerCase(), index: w.derivationIndex }))];
    expect(new Set(slots.map((s) => s.address)).size).toBe(slots.length);
    expect(new Set(slots.map((s) => s.index)).size).toBe(slots.length);
    for (const invoice of invoices) expect(await h.deps.payments.addressOwner('ethereum', invoice.selection!.address)).toEqual({ kind: 'invoice', invoiceId: invoice.id });
    for (const w of wallets) expect(await h.deps.payments.addressOwner('ethereum', w.address)).toEqual({ kind: 'static_wallet', walletId: w.id });
  });
});

describe('a receipt is a record of money sent', () => {
  it('cannot be canceled or re-quoted, pending or paid (the envelope 400); it is unchanged', async () => {
    const wallet = await createWallet(shop.apiKey, shop.shopId, 'no-cancel', 'USDT_ERC20');
    await h.pay(wallet.address, USDT(6));
    await h.settle();
    const [pending] = await receiptsOf(h.deps, wallet.uuid);
    expect(pending.status).toBe('created');
    const uuid = invoiceUuid(pending.id);
    const canceled = await call('invoice.cancel', { apiKey: shop.apiKey, body: { uuid } });
    expect(canceled).toMatchObject({ status: 400, body: { status: 'error', result: { validate_error: expect.any(String) } } });
    const requoted = await call('api.invoice.select', { pathParameters: { invoiceId: uuid }, body: { currency: 'ETH' } });
    expect(requoted).toMatchObject({ status: 400, body: { status: 'error', result: { validate_error: expect.stringContaining('receipt of static wallet') } } });
    const same = await call('api.invoice.select', { pathParameters: { invoiceId: uuid }, body: { currency: 'USDT_ERC20' } });
    expect(same.status).toBe(400);
    expect((await h.invoice(pending.id)).version).toBe(pending.version);

    await h.mine(3);
    await h.settle();
    expect((await h.invoice(pending.id)).status).toBe('paid');
    const late = await call('invoice.cancel', { apiKey: shop.apiKey, body: { uuid } });
    expect(late).toMatchObject({ status: 400, body: { status: 'error', result: { validate_error: expect.stringContaining('cannot be canceled') } } });
    expect(await h.invoice(pending.id)).toMatchObject({ status: 'paid', amountPaid: USDT(6) });
  });
});

describe('attach-tx', () => {
  it('a transfer to the wallet attached to an unrelated receipt gets its own receipt; an invoice, another wallet or another project cannot take it', async () => {
    const wallet = await createWallet(shop.apiKey, shop.shopId, 'attach-victim', 'USDT_ERC20');
    const other = await createWallet(shop.apiKey, shop.shopId, 'attach-other', 'USDT_ERC20');
    await h.pay(wallet.address, USDT(5));
    await h.pay(other.address, USDT(5));
    await h.mine(3);
    await h.settle();
    const [first] = await receiptsOf(h.deps, wallet.uuid);
    const [othersReceipt] = await receiptsOf(h.deps, other.uuid);
    expect(first.status).toBe('paid');

    // A second transfer the watcher misses (its checkpoint is moved past the block).
    const { txHash } = await h.pay(wallet.address, USDT(8));
    await h.mine(1);
    const head = await h.reader.head();
    const cp = await h.chainState.get('ethereum');
    await h.chainState.save({ ...cp!, cursor: head.number, recent: [head], head, version: cp!.version + 1 }, cp!.version);
    await h.settle();
    expect(await receiptsOf(h.deps, wallet.uuid)).toHaveLength(1);

    const invoice = await h.invoiceFor(shop.project, 'USDT_ERC20', 8);
    const onInvoice = await call('api.invoice.attach_tx', { apiKey: shop.apiKey, pathParameters: { invoiceId: invoiceUuid(invoice.id) }, body: { tx_hash: txHash } });
    expect(onInvoice.status).toBe(400);
    const onOtherWallet = await call('api.invoice.attach_tx', { apiKey: shop.apiKey, pathParameters: { invoiceId: invoiceUuid(othersReceipt.id) }, body: { tx_hash: txHash } });
    expect(onOtherWallet.status).toBe(400);
    const stranger = await newProject({ testMode: false });
    const foreign = await call('api.invoice.attach_tx', { apiKey: stranger.apiKey, pathParameters: { invoiceId: invoiceUuid(first.id) }, body: { tx_hash: txHash } });
    expect(foreign.status).toBe(400);
    await h.settle();
    expect(await receiptsOf(h.deps, wallet.uuid)).toHaveLength(1);

    // Attached to the wallet's first (paid) receipt, it pays the wallet's address: accepted, and crediting gives it its own receipt.
    const attached = await call('api.invoice.attach_tx', { apiKey: shop.apiKey, pathParameters: { invoiceId: invoiceUuid(first.id) }, body: { tx_hash: txHash } });
    expect(attached.status).toBe(202);
    await h.mine(2);
    await h.settle();
    const receipts = await receiptsOf(h.deps, wallet.uuid);
    expect(receipts).toHaveLength(2);
    const second = receipts.find((r) => r.id !== first.id) as Invoice;
    expect(second).toMatchObject({ status: 'paid', amountPaid: USDT(8), payments: [{ source: 'attach_tx', state: 'credited', transfer: { txHash } }] });
    const firstNow = await h.invoice(first.id);
    expect(firstNow).toMatchObject({ status: 'paid', amountPaid: USDT(5), facts: {} });
    expect(firstNow.payments).toHaveLength(1);
    expect(await h.invoice(invoice.id)).toMatchObject({ status: 'created', payments: [] });
    expect(await receiptsOf(h.deps, other.uuid)).toHaveLength(1);
    expect(await h.deps.staticWallets.totals(wallet.uuid)).toMatchObject({ receipts: 2, received: USDT(13) });
  });
});

describe('forged messages', () => {
  it('a transfer.seen for a transaction that does not exist, an inflated one, or one redirected to the wallet makes no receipt; the real one is credited at its real amount', async () => {
    const wallet = await createWallet(shop.apiKey, shop.shopId, 'forged', 'USDT_ERC20');
    const invoice = await h.invoiceFor(shop.project, 'USDT_ERC20', 7);
    const head = await h.reader.head();
    const base = { chain: 'ethereum' as const, logIndex: 0, blockNumber: head.number, blockHash: head.hash, blockTime: Date.now(), contract: h.devnet.tokens.USDT_ERC20.toLowerCase(), from: `0x${'1'.repeat(40)}`, to: wallet.address.toLowerCase() };
    await handleObservation(h.deps, { kind: 'transfer.seen', source: 'attach_tx', transfer: { ...base, txHash: `0x${'ab'.repeat(32)}`, amount: USDT(1000) } });
    expect(await receiptsOf(h.deps, wallet.uuid)).toEqual([]);

    // Real transfers the watcher has not reported yet; forged messages about them arrive first.
    const real = await h.pay(wallet.address, USDT(4));
    const toInvoice = await h.pay(invoice.selection!.address, USDT(7));
    const facts = await h.reader.transaction(real.txHash);
    const t = { ...base, txHash: real.txHash, blockNumber: facts!.blockNumber, blockHash: facts!.blockHash, amount: USDT(400) };
    const forged: Observation[] = [
      { kind: 'transfer.seen', source: 'watcher', transfer: t },
      { kind: 'transfer.seen', source: 'watcher', transfer: { ...t, txHash: toInvoice.txHash, amount: USDT(7) } },
      { kind: 'transfer.confirmed', chain: 'ethereum', key: `ethereum#${toInvoice.txHash}#0`, blockNumber: t.blockNumber, blockHash: t.blockHash, confirmations: 50 },
    ];
    for (const o of forged) await handleObservation(h.deps, o);
    expect(await receiptsOf(h.deps, wallet.uuid)).toEqual([]);
    expect(await strays(wallet)).toMatchObject({ count: 0 });

    await h.mine(3);
    await h.settle();
    const receipts = await receiptsOf(h.deps, wallet.uuid);
    expect(receipts.map((r) => [r.status, r.amountPaid])).toEqual([['paid', USDT(4)]]);
    expect(await h.invoice(invoice.id)).toMatchObject({ status: 'paid', amountPaid: USDT(7) });
  });
});

describe('a rate feed outage when a volatile-coin receipt is first seen', () => {
  it('fails the message (retried), records nothing (not dust, not a stray); when the rate is back the retried message makes and credits the receipt', async () => {
    const wallet = await createWallet(shop.apiKey, shop.shopId, 'rate-outage', 'ETH');
    const before = (await h.balance(shop.shopId, 'ETH')).available;
    await h.pay(wallet.address, ETH(0.02), null);
    await h.mine(3);
    const noRates: RateSource = { usdRates: async () => new Map() };
    const outage = { ...h.deps, rates: noRates };
    const failed: Observation[] = [];
    await h.settle({
      handle: async (o) => {
        try {
          await handleObservation(outage, o);
        } catch {
          failed.push(o); // left on the queue: SQS delivers it again
        }
      },
    });
    expect(failed.some((o) => o.kind === 'transfer.seen' && o.transfer.to.toLowerCase() === wallet.address.toLowerCase())).toBe(true);
    expect(await receiptsOf(h.deps, wallet.uuid)).toEqual([]);
    expect(await strays(wallet)).toMatchObject({ count: 0 });
    // Every redelivery during the outage fails the same way; nothing is half-made.
    for (const o of failed) await expect(handleObservation(outage, o)).rejects.toThrow(/no USD rate for ETH/);
    expect(await receiptsOf(h.deps, wallet.uuid)).toEqual([]);

    // The rate is back; the queue delivers the message again.
    for (const o of failed) await handleObservation(h.deps, o);
    await h.settle();
    const receipts = await receiptsOf(h.deps, wallet.uuid);
    expect(receipts.map((r) => [r.status, r.amountPaid])).toEqual([['paid', ETH(0.02)]]);
    expect(receipts[0].selection?.usdPerUnit).toBeDefined();
    expect((await h.balance(shop.shopId, 'ETH')).available - before).toBe(receipts[0].received);
  });
});
