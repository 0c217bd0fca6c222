/**
 * Static wallets through their real handlers, no chain: CryptoCloud's create (reference §1.8: the
 * answer's shape, idempotency, every bad input a 400 envelope), the native API (list with paging
 * and the identify filter, show with receipts and strays, block, unblock, another project's
 * wallet) and its admin twin, and receipts in info, list and statistics. The money path itself
 * (transfers on a devnet, credits, postbacks) is test/integration/static-wallets.test.ts.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { RouteId } from '../../lib/manifest';
import { presentWalletTotals } from '../../shared/api/native/static-wallets';
import { parseStaticWalletId, type StaticWalletId } from '../../shared/domain/ids';
import type { Project } from '../../shared/domain/project';
import { IDENTIFY_LENGTH_MAX } from '../../shared/domain/static-wallet';
import type { Deps } from '../../shared/ports';
import { aroundToday } from '../support/dates';
import { ADMIN_TOKEN, type CallOptions, call, callRaw, newProject, useTestGateway } from '../support/gateway';
import { usdtTransferTo, writeReceipt } from '../support/static-receipts';

let deps: Deps;
let project: Project;
let apiKey: string;
let otherKey: string;

beforeAll(async () => {
  ({ deps } = await useTestGateway());
  ({ project, apiKey } = await newProject({ name: 'Top-ups' }));
  ({ apiKey: otherKey } = await newProject({ name: 'Someone else' }));
});

type Wire = Record<string, unknown>;
type Created = { currency: Wire & { code: string; obj_network: Wire }; address: string; uuid: string };
type Listed = { static_wallets: (Wire & { uuid: string; identify: string })[]; next_cursor: string | null };

const create = (body: unknown, key = apiKey, options: CallOptions = {}) => call('invoice.static_create', { apiKey: key, body, ...options });

async function createWallet(identify: string, currency = 'USDT_ERC20', key = apiKey, shopId = project.shopId): Promise<Created> {
  const res = await create({ shop_id: shopId, currency, identify }, key);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body.result as Created;
}

const get = (route: RouteId, options: CallOptions = {}, key = apiKey) => call(route, { apiKey: key, contentType: null, ...options });
const asAdmin = (route: RouteId, options: CallOptions = {}) => call(route, { contentType: null, ...options, headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });

describe('POST /v2/invoice/static/create (reference §1.8)', () => {
  it("answers the reference's shape: the WalletCurrency object with obj_network, the address and a 32-character uppercase uuid", async () => {
    const res = await create({ shop_id: project.shopId, currency: 'usdt_erc20', identify: 'customer-42' });
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('success');
    const r = res.body.result as Created;
    expect(Object.keys(r).sort()).toEqual(['address', 'currency', 'uuid']);
    expect(r.uuid).toMatch(/^[A-Z0-9]{32}$/);
    expect(r.address).toMatch(/^0x[0-9a-fA-F]{40}$/);
    expect(Object.keys(r.currency).sort()).toEqual(['code', 'enable', 'icon_base', 'icon_network', 'icon_qr', 'id', 'is_email_required', 'name', 'obj_network', 'order', 'short_code', 'stablecoin'].sort());
    expect(r.currency).toMatchObject({ code: 'USDT_ERC20', short_code: 'USDT', stablecoin: true, enable: true, is_email_required: false });
    expect(Object.keys(r.currency.obj_network).sort()).toEqual(['code', 'fullname', 'icon', 'id']);
    expect(r.currency.obj_network).toMatchObject({ code: 'ERC20' });
  });

  it('is idempotent: the same project, currency and identify give the same wallet, concurrent calls too; another identify or currency, another address', async () => {
    const first = await createWallet('repeat-me');
    expect(await createWallet('repeat-me')).toEqual(first);
    // Spaces around the id are not part of it; a form post is the same request.
    expect(await createWallet('  repeat-me ')).toEqual(first);
    const form = await create({ shop_id: project.shopId, currency: 'USDT_ERC20', identify: 'repeat-me' }, apiKey, { contentType: 'application/x-www-form-urlencoded' });
    expect(form.body.result).toEqual(first);
    const burst = await Promise.all(Array.from({ length: 20 }, () => createWallet('burst-42')));
    expect(new Set(burst.map((w) => w.uuid)).size).toBe(1);
    expect(new Set(burst.map((w) => w.address)).size).toBe(1);
    const other = await createWallet('repeat-me-too');
    const eth = await createWallet('repeat-me', 'ETH');
    expect(new Set([first.address, other.address, eth.address]).size).toBe(3);
    expect(eth.currency.code).toBe('ETH');
    // A number is a customer id too (some SDKs send their user ids as numbers).
    expect(await createWallet(42 as unknown as string)).toEqual(await createWallet('42'));
  });

  it('refuses bad input with the envelope\'s 400, naming the field', async () => {
    const cases: [unknown, Record<string, string>][] = [
      [{ shop_id: project.shopId, currency: 'ETH' }, { identify: 'identify not passed: send your customer id.' }],
      [{ shop_id: project.shopId, currency: 'ETH', identify: '' }, { identify: 'identify not passed: send your customer id.' }],
      [{ shop_id: project.shopId, currency: 'ETH', identify: '   ' }, { identify: 'identify is empty.' }],
      [{ shop_id: project.shopId, currency: 'ETH', identify: 'x'.repeat(IDENTIFY_LENGTH_MAX + 1) }, { identify: `identify is ${IDENTIFY_LENGTH_MAX + 1} characters long; at most ${IDENTIFY_LENGTH_MAX} are allowed.` }],
      [{ shop_id: project.shopId, currency: 'ETH', identify: 'line\nbreak' }, { identify: 'identify must not contain control characters (newlines, tabs).' }],
      [{ shop_id: project.shopId, currency: 'ETH', identify: 'a\u0000b' }, { identify: 'identify must not contain control characters (newlines, tabs).' }],
      [{ shop_id: project.shopId, currency: 'ETH', identify: { id: 42 } }, { identify: 'identify must be text (your customer id).' }],
      [{ shop_id: project.shopId, currency: 'ETH', identify: ['a', 'b'] }, { identify: 'identify must be text (your customer id).' }],
      [{ shop_id: project.shopId, identify: 'c1' }, { currency: 'currency not passed. Use a crypto code such as USDT_TRC20 or ETH.' }],
      [{ shop_id: project.shopId, currency: 5, identify: 'c1' }, { currency: 'currency not passed. Use a crypto code such as USDT_TRC20 or ETH.' }],
      [{ currency: 'ETH', identify: 'c1' }, { shop_id: 'shop_id not passed.' }],
      [{ shop_id: 'SomeoneElsesShop', currency: 'ETH', identify: 'c1' }, { shop_id: "shop_id 'SomeoneElsesShop' does not belong to this API key" }],
    ];
    for (const [body, result] of cases) {
      const res = await create(body);
      expect(res.status, JSON.stringify(body).slice(0, 80)).toBe(400);
      expect(res.body, JSON.stringify(body).slice(0, 80)).toEqual({ status: 'error', result });
    }
    const unknown = await create({ shop_id: project.shopId, currency: 'DOGE', identify: 'c1' });
    expect(unknown.status).toBe(400);
    expect((unknown.body.result as Record<string, string>).currency).toMatch(/^Unknown currency 'DOGE'\. Available: .*USDT_ERC20/);
    // Each problem of a request is named at once.
    const several = await create({ shop_id: project.shopId, currency: '', identify: '' });
    expect(Object.keys(several.body.result as object).sort()).toEqual(['currency', 'identify']);
  });

  it('refuses a currency the project has not enabled, naming those it has', async () => {
    const { project: ethOnly, apiKey: key } = await newProject({ name: 'ETH only', enabledCurrencies: ['ETH'] });
    const res = await create({ shop_id: ethOnly.shopId, currency: 'USDT_ERC20', identify: 'c1' }, key);
    expect(res.status).toBe(400);
    expect(res.body.result).toEqual({ currency: "Currency 'USDT_ERC20' is not enabled in this project. Enabled: ETH" });
    expect((await create({ shop_id: ethOnly.shopId, currency: 'ETH', identify: 'c1' }, key)).status).toBe(200);
  });

  it('refuses a 64 KB body before reading it, and a wrong key before anything', async () => {
    const huge = await create({ shop_id: project.shopId, currency: 'ETH', identify: 'x'.repeat(64 * 1024) });
    expect(huge.status).toBe(400);
    expect(huge.body).toEqual({ status: 'error', result: { body: `Request body exceeds ${64 * 1024} bytes` } });
    const unauthorized = await create({ shop_id: project.shopId, currency: 'ETH', identify: 'c1' }, 'not-a-key');
    expect(unauthorized.status).toBe(403);
    expect(unauthorized.body.result).toEqual({ authorization: 'Unauthorized request.' });
  });
});

describe('native API /api/static-wallets', () => {
  it('lists a project\'s wallets oldest first, page by page, and filters by identify', async () => {
    const { project: shop, apiKey: key } = await newProject({ name: 'Paged' });
    const made: Created[] = [];
    for (const identify of ['alice', 'bob', 'carol', 'dave']) made.push(await createWallet(identify, 'USDT_ERC20', key, shop.shopId));
    made.push(await createWallet('alice', 'ETH', key, shop.shopId));

    const first = await get('api.static_wallet.list', { query: { limit: '2' } }, key);
    expect(first.status).toBe(200);
    const p1 = first.body.result as Listed;
    expect(p1.static_wallets.map((w) => w.identify)).toEqual(['alice', 'bob']);
    expect(p1.static_wallets[0]).toEqual({
      uuid: made[0].uuid,
      shop_id: shop.shopId,
      identify: 'alice',
      currency: 'USDT_ERC20',
      network: 'ERC20',
      address: made[0].address,
      blocked: false,
      blocked_at: null,
      created: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      page_url: `https://pay.test/wallet/${made[0].uuid}`,
    });
    const seen = [...p1.static_wallets];
    let cursor = p1.next_cursor;
    for (let page = 0; cursor && page < 5; page += 1) {
      const next = (await get('api.static_wallet.list', { query: { limit: '2', cursor } }, key)).body.result as Listed;
      seen.push(...next.static_wallets);
      cursor = next.next_cursor;
    }
    expect(cursor).toBeNull();
    expect(seen.map((w) => w.uuid)).toEqual(made.map((w) => w.uuid));

    const alice = (await get('api.static_wallet.list', { query: { identify: 'alice' } }, key)).body.result as Listed;
    expect(alice.static_wallets.map((w) => w.currency).sort()).toEqual(['ETH', 'USDT_ERC20']);
    expect(alice.next_cursor).toBeNull();
    const nobody = (await get('api.static_wallet.list', { query: { identify: 'nobody' } }, key)).body.result as Listed;
    expect(nobody.static_wallets).toEqual([]);
    // Another project's list is its own.
    const theirs = (await get('api.static_wallet.list', { query: { identify: 'alice' } }, otherKey)).body.result as Listed;
    expect(theirs.static_wallets).toEqual([]);
  });

  it('refuses a bad limit, cursor or identify filter with the envelope', async () => {
    for (const limit of ['0', '101', 'ten', '2.5', '-1']) {
      const res = await get('api.static_wallet.list', { query: { limit } });
      expect(res.status, limit).toBe(400);
      expect(res.body.result, limit).toEqual({ limit: 'limit must be a whole number from 1 to 100.' });
    }
    for (const bad of ['x'.repeat(401), 'MjAyNi0xMi0wMlQxNTo1ODowNS45NzBa#A1']) {
      // Too long, or cut at a `#` by a client that did not URL-encode it: refused, never read as "from the start" (a loop).
      const cursor = await get('api.static_wallet.list', { query: { cursor: bad } });
      expect(cursor.body.result).toEqual({ cursor: 'cursor must be the next_cursor of the previous page.' });
    }
    const identify = await get('api.static_wallet.list', { query: { identify: 'a\tb' } });
    expect(identify.status).toBe(400);
    expect(identify.body.result).toEqual({ identify: 'identify must not contain control characters (newlines, tabs).' });
    // A cursor that is not one starts over, as for donations.
    expect((await get('api.static_wallet.list', { query: { cursor: 'garbage' } })).status).toBe(200);
  });

  it('shows a wallet with its totals, its receipts newest first (page by page) and the transfers kept for review', async () => {
    const wallet = await createWallet('shown-customer');
    const empty = await get('api.static_wallet.show', { pathParameters: { walletId: wallet.uuid } });
    expect(empty.status).toBe(200);
    expect(empty.body.result).toMatchObject({
      uuid: wallet.uuid,
      identify: 'shown-customer',
      address: wallet.address,
      totals: { receipts: 0, received: '0', net: '0', last_credited_at: null },
      receipts: [],
      next_cursor: null,
      strays: { count: 0, items: [] },
    });

    const t0 = Date.now() - 60_000;
    const older = await writeReceipt(deps, wallet.uuid, 12_500_000n, { paid: true, at: t0 });
    const newer = await writeReceipt(deps, wallet.uuid, 40_000_000n, { at: t0 + 1000 });
    const stray = { ...usdtTransferTo(wallet.address, 7n), contract: `0x${'9'.repeat(40)}` };
    await deps.payments.recordStray({ owner: { kind: 'static_wallet', walletId: wallet.uuid as StaticWalletId }, transfer: stray, reason: 'unrecognized_token', code: null, seenAt: t0 });

    // Lower case is the same wallet: ids are matched as CryptoCloud's, case-blind.
    const shown = await get('api.static_wallet.show', { pathParameters: { walletId: wallet.uuid.toLowerCase() } });
    const r = shown.body.result as { receipts: Wire[]; strays: { count: number; items: Wire[] }; next_cursor: string | null };
    expect(r.receipts.map((x) => x.invoice_id)).toEqual([`INV-${newer.id}`, `INV-${older.id}`]);
    expect(r.receipts[0]).toEqual({
      invoice_id: `INV-${newer.id}`,
      status: 'created',
      payment_status: null,
      amount: '40',
      fee: '0',
      net: '0',
      tx_hash: null,
      confirmations: 0,
      required_confirmations: null,
      created: new Date(t0 + 1000).toISOString(),
      credited_at: null,
      blocked: false,
    });
    expect(r.receipts[1]).toMatchObject({ invoice_id: `INV-${older.id}`, status: 'paid', payment_status: 'credited', amount: '12.5', confirmations: 1, tx_hash: older.payments[0].transfer.txHash, credited_at: new Date(t0).toISOString(), blocked: false });
    expect(r.strays).toEqual({
      count: 1,
      items: [{ tx_hash: stray.txHash, log_index: 0, currency: null, token_contract: stray.contract, amount: null, amount_units: '7', reason: 'unrecognized_token', block_number: stray.blockNumber, seen_at: new Date(t0).toISOString() }],
    });

    const page1 = (await get('api.static_wallet.show', { pathParameters: { walletId: wallet.uuid }, query: { limit: '1' } })).body.result as { receipts: Wire[]; next_cursor: string };
    expect(page1.receipts.map((x) => x.invoice_id)).toEqual([`INV-${newer.id}`]);
    const page2 = (await get('api.static_wallet.show', { pathParameters: { walletId: wallet.uuid }, query: { limit: '1', cursor: page1.next_cursor } })).body.result as { receipts: Wire[] };
    expect(page2.receipts.map((x) => x.invoice_id)).toEqual([`INV-${older.id}`]);
    const badLimit = await get('api.static_wallet.show', { pathParameters: { walletId: wallet.uuid }, query: { limit: '500' } });
    expect(badLimit.body.result).toEqual({ limit: 'limit must be a whole number from 1 to 100.' });
  });

  it('presents totals as exact decimals in the wallet\'s currency', () => {
    expect(presentWalletTotals('USDT_ERC20', { receipts: 3, received: 57_500_001n, net: 56_000_000n, lastCreditedAt: Date.UTC(2026, 0, 2) })).toEqual({
      receipts: 3,
      received: '57.500001',
      net: '56',
      last_credited_at: '2026-01-02T00:00:00.000Z',
    });
    expect(presentWalletTotals('ETH', { receipts: 1, received: 1n, net: 0n, lastCreditedAt: null })).toMatchObject({ received: '0.000000000000000001', net: '0' });
  });

  it('blocks and unblocks a wallet; both are idempotent, and later receipts are flagged', async () => {
    const wallet = await createWallet('to-block');
    const blocked = await call('api.static_wallet.block', { apiKey, pathParameters: { walletId: wallet.uuid } });
    expect(blocked.status).toBe(200);
    expect(blocked.body.result).toMatchObject({ uuid: wallet.uuid, blocked: true, blocked_at: expect.stringMatching(/Z$/) });
    const again = await call('api.static_wallet.block', { apiKey, pathParameters: { walletId: wallet.uuid } });
    expect(again.body.result).toEqual(blocked.body.result);
    const flagged = await writeReceipt(deps, wallet.uuid, 5_000_000n);
    expect(flagged.facts.walletBlocked).toBe(true);
    const shown = (await get('api.static_wallet.show', { pathParameters: { walletId: wallet.uuid } })).body.result as { blocked: boolean; receipts: Wire[] };
    expect(shown.blocked).toBe(true);
    expect(shown.receipts[0]).toMatchObject({ invoice_id: `INV-${flagged.id}`, blocked: true });
    const listed = (await get('api.static_wallet.list', { query: { identify: 'to-block' } })).body.result as Listed;
    expect(listed.static_wallets[0]).toMatchObject({ blocked: true });

    const unblocked = await call('api.static_wallet.unblock', { apiKey, pathParameters: { walletId: wallet.uuid } });
    expect(unblocked.body.result).toMatchObject({ blocked: false, blocked_at: null });
    expect((await call('api.static_wallet.unblock', { apiKey, pathParameters: { walletId: wallet.uuid } })).body.result).toMatchObject({ blocked: false });
    expect((await writeReceipt(deps, wallet.uuid, 5_000_000n)).facts.walletBlocked).toBeUndefined();
    // The CryptoCloud create still answers the same wallet, blocked or not.
    expect(await createWallet('to-block')).toEqual(wallet);
  });

  it("answers another project's wallet exactly like a missing one, on every route", async () => {
    const wallet = await createWallet('private-customer');
    const missing = `${'Z'.repeat(31)}0`;
    for (const walletId of [wallet.uuid, missing]) {
      for (const route of ['api.static_wallet.show', 'api.static_wallet.block', 'api.static_wallet.unblock'] as const) {
        const res = await call(route, { apiKey: otherKey, contentType: null, pathParameters: { walletId } });
        expect(res.status, `${route} ${walletId}`).toBe(404);
        expect(res.body, route).toEqual({ status: 'error', result: { uuid: `No static wallet ${walletId} in this project` } });
      }
    }
    const malformed = await get('api.static_wallet.show', { pathParameters: { walletId: 'INV-ABCDEFGH' } });
    expect(malformed.status).toBe(404);
    // Nothing changed for the owner.
    expect(((await get('api.static_wallet.show', { pathParameters: { walletId: wallet.uuid } })).body.result as Wire).blocked).toBe(false);
    expect((await get('api.static_wallet.list', {}, 'not-a-key')).status).toBe(403);
  });
});

describe('receipts are invoices: info, list and statistics show them', () => {
  it('with order_id = identify, the receipt\'s own INV id, and the wallet it came through', async () => {
    const { project: shop, apiKey: key } = await newProject({ name: 'Receipts' });
    const res = await create({ shop_id: shop.shopId, currency: 'USDT_ERC20', identify: 'player-7' }, key);
    const wallet = res.body.result as Created;
    const receipt = await writeReceipt(deps, wallet.uuid, 25_000_000n, { paid: true });

    const info = await call('invoice.info', { apiKey: key, body: { uuids: [`INV-${receipt.id}`] } });
    expect((info.body.result as Wire[])[0]).toMatchObject({
      uuid: `INV-${receipt.id}`,
      order_id: 'player-7',
      status: 'paid',
      address: wallet.address,
      amount_paid: 25,
      static_wallet: { uuid: wallet.uuid, identify: 'player-7' },
    });
    const listed = await call('invoice.list', { apiKey: key, body: aroundToday() });
    expect((listed.body.result as Wire[]).map((i) => i.uuid)).toContain(`INV-${receipt.id}`);
    const stats = await call('invoice.statistics', { apiKey: key, body: aroundToday() });
    expect(stats.body.result).toMatchObject({ count: { all: 1, paid: 1 }, amount: { paid: 25 } });
    // An ordinary invoice carries no static_wallet field.
    const plain = await call('invoice.create', { apiKey: key, body: { shop_id: shop.shopId, amount: 10 } });
    const plainInfo = await call('invoice.info', { apiKey: key, body: { uuids: [(plain.body.result as Wire).uuid] } });
    expect((plainInfo.body.result as Wire[])[0]).not.toHaveProperty('static_wallet');
    // A receipt records money already sent: it cannot be canceled.
    const cancel = await call('invoice.cancel', { apiKey: key, body: { uuid: `INV-${receipt.id}` } });
    expect(cancel.status).toBe(400);
    // Its `link` leads the customer to the wallet's page, not to a one-payment page naming the customer id.
    const page = await callRaw('page.pay', { pathParameters: { invoiceId: receipt.id }, contentType: null });
    expect(page).toMatchObject({ status: 302, text: '' });
    expect(page.headers.location).toBe(`/wallet/${wallet.uuid}`);
    // Nor does it have a QR code (with its amount) or a status poll of its own.
    // (answered as for an unknown invoice: the page's 404, the poll's envelope 400).
    expect((await callRaw('page.pay_qr', { pathParameters: { invoiceId: receipt.id }, contentType: null })).status).toBe(404);
    const poll = await call('public.invoice.status', { pathParameters: { invoiceId: receipt.id }, contentType: null });
    expect(poll).toMatchObject({ status: 400, body: { status: 'error', result: { validate_error: `Invoice INV-${receipt.id} not found` } } });
  });
});

describe('admin /admin/projects/{shopId}/static-wallets (the CLI)', () => {
  it('runs the same use cases for the shop in the path: create is the same wallet as /v2/invoice/static/create', async () => {
    const native = await createWallet('admin-customer');
    const made = await asAdmin('admin.static_wallet.create', { contentType: 'application/json', pathParameters: { shopId: project.shopId }, body: { currency: 'USDT_ERC20', identify: 'admin-customer' } });
    expect(made.status).toBe(200);
    expect(made.body.result).toMatchObject({ uuid: native.uuid, address: native.address, identify: 'admin-customer', currency: 'USDT_ERC20' });
    const bad = await asAdmin('admin.static_wallet.create', { contentType: 'application/json', pathParameters: { shopId: project.shopId }, body: { currency: 'USDT_ERC20', identify: 'a\nb' } });
    expect(bad.body).toEqual({ status: 'error', result: { identify: 'identify must not contain control characters (newlines, tabs).' } });

    const listed = (await asAdmin('admin.static_wallet.list', { pathParameters: { shopId: project.shopId }, query: { identify: 'admin-customer' } })).body.result as Listed;
    expect(listed.static_wallets.map((w) => w.uuid)).toEqual([native.uuid]);
    const shown = await asAdmin('admin.static_wallet.show', { pathParameters: { shopId: project.shopId, walletId: native.uuid } });
    expect(shown.body.result).toMatchObject({ uuid: native.uuid, totals: { receipts: 0 }, receipts: [] });
    expect((await asAdmin('admin.static_wallet.block', { pathParameters: { shopId: project.shopId, walletId: native.uuid } })).body.result).toMatchObject({ blocked: true });
    expect((await asAdmin('admin.static_wallet.unblock', { pathParameters: { shopId: project.shopId, walletId: native.uuid } })).body.result).toMatchObject({ blocked: false });

    // The wallet belongs to its project: named under another shop it is not found.
    const { shopId: elsewhere } = await newProject({ name: 'Elsewhere' });
    expect((await asAdmin('admin.static_wallet.show', { pathParameters: { shopId: elsewhere, walletId: native.uuid } })).status).toBe(404);
    const unknown = await asAdmin('admin.static_wallet.list', { pathParameters: { shopId: 'NoSuchShop000000' } });
    expect(unknown.status).toBe(404);
    expect(unknown.body.result).toEqual({ shop_id: 'Project NoSuchShop000000 not found' });
    expect((await call('admin.static_wallet.list', { contentType: null, pathParameters: { shopId: project.shopId } })).status).toBe(403);
    expect(parseStaticWalletId(native.uuid).ok).toBe(true);
  });
});
