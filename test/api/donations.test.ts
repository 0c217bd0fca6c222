/**
 * Donation pages through their real handlers: the native API (create, list, show with totals,
 * patch), its admin twin, the public page and the keyless donate endpoint (bounds, closed pages,
 * escaping, the form post without script, the per-client rate limit).
 */
import { runtime } from '../../functions/kit/deps';
import { beforeAll, describe, expect, it } from 'vitest';
import type { RouteId } from '../../lib/manifest';
import { parseInvoiceRef } from '../../shared/domain/ids';
import { creditPayment, recordTransfer } from '../../shared/domain/invoice/payments';
import { transferKey } from '../../shared/domain/transfers';
import { ADMIN_TOKEN, type CallOptions, call, callRaw, newProject, useTestGateway } from '../support/gateway';

let apiKey: string;
let shopId: string;
let otherKey: string;
let ipCounter = 0;
/** Every public call gets its own client address unless a test is about the limit. */
const nextIp = () => {
  ipCounter += 1;
  return `198.51.100.${ipCounter}`;
};

beforeAll(async () => {
  await useTestGateway({ RATE_LIMIT_BROWSE_PER_MINUTE: '1000', RATE_LIMIT_CREATE_PER_MINUTE: '3' });
  ({ apiKey, shopId } = await newProject({ name: 'Owl rescue' }));
  ({ apiKey: otherKey } = await newProject({ name: 'Someone else' }));
});

let slugCounter = 0;
const slugs = (base: string) => {
  slugCounter += 1;
  return `${base}-${Date.now().toString(36)}-${slugCounter}`;
};

async function createPage(body: Record<string, unknown>, key = apiKey) {
  const res = await call('api.donation.create', { apiKey: key, body });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.result as Record<string, unknown> & { slug: string };
}

const donate = (slug: string, body: unknown, options: { sourceIp?: string; contentType?: string } = {}) =>
  callRaw('public.donation.invoice', { pathParameters: { slug }, body, sourceIp: options.sourceIp ?? nextIp(), contentType: options.contentType });
const page = (slug: string) => callRaw('page.donate', { pathParameters: { slug }, sourceIp: nextIp() });

describe('native API /api/donations', () => {
  it('creates, lists, shows (with empty totals) and patches a page', async () => {
    const slug = slugs('owls');
    const made = await createPage({ slug, title: 'Save the owls', description: 'Nest boxes.', presets: [5, 10, 25], min_amount: '2', max_amount: 500, currency: 'eur', cryptocurrencies: 'USDT_ERC20,ETH' });
    expect(made).toMatchObject({ slug, shop_id: shopId, link: `https://pay.test/donate/${slug}`, currency: 'EUR', presets: ['5', '10', '25'], min_amount: '2', max_amount: '500', cryptocurrencies: ['USDT_ERC20', 'ETH'], enabled: true });

    const listed = await call('api.donation.list', { apiKey, contentType: null });
    expect((listed.body.result as { donations: { slug: string }[] }).donations.map((d) => d.slug)).toContain(slug);

    const shown = await call('api.donation.show', { apiKey, contentType: null, pathParameters: { slug } });
    expect(shown.body.result).toMatchObject({ slug, totals: { count: 0, by_currency: {}, usd: '0.00', complete: true } });

    const patched = await call('api.donation.update', { apiKey, pathParameters: { slug }, body: { title: 'Save more owls', enabled: false } });
    expect(patched.status).toBe(200);
    expect(patched.body.result).toMatchObject({ title: 'Save more owls', enabled: false, presets: ['5', '10', '25'] });
  });

  it('pages through a project\'s pages with a cursor', async () => {
    const { apiKey: key } = await newProject({ name: 'Many pages' });
    for (const n of [1, 2, 3]) await createPage({ slug: slugs(`p${n}`), title: `Page ${n}` }, key);
    const first = await call('api.donation.list', { apiKey: key, contentType: null, query: { limit: '2' } });
    const r1 = first.body.result as { donations: unknown[]; next_cursor: string };
    expect(r1.donations).toHaveLength(2);
    const second = await call('api.donation.list', { apiKey: key, contentType: null, query: { limit: '2', cursor: r1.next_cursor } });
    const r2 = second.body.result as { donations: { title: string }[]; next_cursor: string | null };
    expect(r2.donations.map((d) => d.title)).toEqual(['Page 3']);
  });

  it('answers every bad field in one 400 envelope, named as the client sent it', async () => {
    const res = await call('api.donation.create', {
      apiKey,
      body: { slug: 'No Good', title: '', logo_url: 'http://x.example/a.png', presets: ['1', '999999'], currency: 'XYZ', min_amount: '0', max_amount: 'x', cryptocurrencies: ['DOGE'] },
    });
    expect(res.status).toBe(400);
    expect(Object.keys(res.body.result as object).sort()).toEqual(['cryptocurrencies', 'currency', 'logo_url', 'max_amount', 'min_amount', 'presets', 'slug', 'title']);
    const typed = await call('api.donation.create', { apiKey, body: { slug: 'typed-wrong', title: 5, collect_name: 'maybe' } });
    expect(typed.status).toBe(400);
    expect(Object.keys(typed.body.result as object).sort()).toEqual(['collect_name', 'title']);
  });

  it('refuses a slug that is taken, by this project or another', async () => {
    const slug = slugs('taken');
    await createPage({ slug, title: 'Mine' });
    const again = await call('api.donation.create', { apiKey: otherKey, body: { slug, title: 'Theirs' } });
    expect(again.status).toBe(400);
    expect(again.body.result).toEqual({ slug: `slug '${slug}' is already taken; choose another` });
  });

  it("answers another project's page exactly like a missing one", async () => {
    const slug = slugs('private');
    await createPage({ slug, title: 'Mine' });
    const theirs = await call('api.donation.show', { apiKey: otherKey, contentType: null, pathParameters: { slug } });
    const missing = await call('api.donation.show', { apiKey: otherKey, contentType: null, pathParameters: { slug: `${slug}-nope` } });
    expect(theirs.status).toBe(404);
    expect(missing.status).toBe(404);
    expect(Object.keys(theirs.body.result as object)).toEqual(['slug']);
    const patched = await call('api.donation.update', { apiKey: otherKey, pathParameters: { slug }, body: { enabled: false } });
    expect(patched.status).toBe(404);
    const bad = await call('api.donation.show', { apiKey, contentType: null, pathParameters: { slug: '#' } });
    expect(bad.status).toBe(404);
  });
});

describe('admin /admin/projects/{shopId}/donations (the CLI)', () => {
  const asAdmin = (route: RouteId, options: CallOptions = {}) => call(route, { ...options, headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
  it('runs the same use cases for the shop in the path; an unknown shop is a 404', async () => {
    const slug = slugs('admin');
    const made = await asAdmin('admin.donation.create', { pathParameters: { shopId }, body: { slug, title: 'From the CLI', presets: '5,10' } });
    expect(made.status).toBe(201);
    const shown = await asAdmin('admin.donation.show', { contentType: null, pathParameters: { shopId, slug } });
    expect(shown.body.result).toMatchObject({ slug, presets: ['5', '10'], totals: { count: 0 } });
    const off = await asAdmin('admin.donation.update', { pathParameters: { shopId, slug }, body: { enabled: 'false' } });
    expect(off.body.result).toMatchObject({ enabled: false });
    const listed = await asAdmin('admin.donation.list', { contentType: null, pathParameters: { shopId } });
    expect(JSON.stringify(listed.body.result)).toContain(slug);
    const unknown = await asAdmin('admin.donation.list', { contentType: null, pathParameters: { shopId: 'NoSuchShop000000' } });
    expect(unknown.status).toBe(404);
    const noToken = await call('admin.donation.list', { contentType: null, pathParameters: { shopId } });
    expect(noToken.status).toBe(403);
  });
});

describe('the donor: /donate/{slug} and POST /api/public/donations/{slug}/invoices', () => {
  it('creates an invoice through the normal path, marked as the page\'s, and counts it once it is paid', async () => {
    const slug = slugs('gift');
    await createPage({ slug, title: 'Gifts', min_amount: 2, max_amount: 100, cryptocurrencies: ['USDT_ERC20'] });
    const res = await donate(slug, { amount: '12.5', name: 'Ann', message: 'Keep going' });
    expect(res.status).toBe(201);
    const { result } = JSON.parse(res.text) as { result: { invoice_id: string; link: string } };
    expect(result.link).toBe(`https://pay.test/pay/${result.invoice_id.slice(4)}`);

    const info = await call('invoice.info', { apiKey, body: { uuids: [result.invoice_id] } });
    expect((info.body.result as Record<string, unknown>[])[0]).toMatchObject({ order_id: `donation:${slug}:1`, amount_in_fiat: 12.5, fiat_currency: 'USD', donation: { slug, name: 'Ann', message: 'Keep going' } });
    const id = parseInvoiceRef(result.invoice_id);
    const stored = id.ok ? await runtime().deps.invoices.get(id.value) : null;
    expect(stored).toMatchObject({ donation: { slug, name: 'Ann', message: 'Keep going' }, description: 'Gifts', availableCurrencies: ['USDT_ERC20'] });

    // A second, unpaid donation is not counted. The first is paid as crediting would leave it
    // (the whole flow, chain included, is the browser test's).
    await donate(slug, { amount: 3 });
    const chosen = await callRaw('api.invoice.select', { pathParameters: { invoiceId: result.invoice_id }, body: { currency: 'USDT_ERC20' }, sourceIp: nextIp() });
    expect(chosen.status).toBe(200);
    const { deps } = runtime();
    const waiting = id.ok ? await deps.invoices.get(id.value) : null;
    if (!waiting?.selection) throw new Error('no offer');
    const now = Date.now();
    const transfer = { chain: 'ethereum' as const, txHash: `0x${'c'.repeat(64)}`, logIndex: 0, blockNumber: 1, blockHash: `0x${'b'.repeat(64)}`, blockTime: now, contract: null, from: `0x${'1'.repeat(40)}`, to: waiting.selection.address, amount: waiting.selection.amountToPay };
    const seen = recordTransfer(waiting, { transfer, code: 'USDT_ERC20', finality: { blocks: 1 }, source: 'watcher', now }).invoice;
    const credited = creditPayment(seen, { key: transferKey(transfer), blockHash: transfer.blockHash, confirmations: 1, toleranceUnits: 0n, now });
    if (!credited.ok) throw new Error(JSON.stringify(credited.error));
    expect(credited.value.invoice.status).toBe('paid');
    expect(await deps.invoices.save(credited.value.invoice, waiting.version)).toBe(true);
    const shown = await call('api.donation.show', { apiKey, contentType: null, pathParameters: { slug } });
    expect(shown.body.result).toMatchObject({ totals: { count: 1, by_currency: { USDT_ERC20: '12.5' }, usd: '12.50', complete: true } });
  });

  it('refuses amounts outside the page\'s bounds, more decimals than its currency, and a closed or unknown page', async () => {
    const slug = slugs('bounds');
    await createPage({ slug, title: 'Bounds', min_amount: 5, max_amount: 50 });
    for (const amount of ['4.99', '50.01', '10.001', 'ten']) {
      const refused = await donate(slug, { amount });
      expect(refused.status, amount).toBe(400);
      expect(JSON.parse(refused.text).result).toEqual({ amount: 'amount must be from 5 to 50 USD' });
    }
    const missing = await donate(slug, {});
    expect(JSON.parse(missing.text).result).toEqual({ amount: 'amount is required, e.g. 10' });
    await call('api.donation.update', { apiKey, pathParameters: { slug }, body: { enabled: false } });
    const closed = await donate(slug, { amount: 10 });
    expect(closed.status).toBe(400);
    expect(JSON.parse(closed.text).result).toEqual({ validate_error: `Donation page '${slug}' is not accepting donations` });
    expect((await donate('no-such-page', { amount: 10 })).status).toBe(404);
  });

  it('renders the page with every user text inert, and a closed page without the form', async () => {
    const slug = slugs('xss');
    await createPage({ slug, title: '<script>alert(1)</script>Owls', description: 'Hello <img src=x onerror=alert(2)>\n\n"quotes" & more', presets: [5], logo_url: 'https://cdn.example/logo.png?a="b"' });
    const html = (await page(slug)).text;
    expect(html).not.toContain('<script>alert');
    expect(html).not.toContain('<img src=x');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;Owls');
    expect(html).toContain('&lt;img src=x onerror=alert(2)&gt;');
    expect(html).toContain('src="https://cdn.example/logo.png?a=&quot;b&quot;"');
    expect(html).toContain('/assets/donate.js');

    // The donor's message is stored as sent and never markup where it is shown (the payment page).
    const res = await donate(slug, { amount: 5, name: '<b>Eve</b>', message: '<script>alert(3)</script>' });
    const { invoice_id } = JSON.parse(res.text).result as { invoice_id: string };
    const pay = await callRaw('page.pay', { pathParameters: { invoiceId: invoice_id }, sourceIp: nextIp() });
    expect(pay.status).toBe(200);
    expect(pay.text).not.toContain('<script>alert');
    expect(pay.text).not.toContain('<b>Eve');

    await call('api.donation.update', { apiKey, pathParameters: { slug }, body: { enabled: false } });
    const closed = await page(slug);
    expect(closed.status).toBe(200);
    expect(closed.text).toContain('This page is not accepting donations');
    expect(closed.text).not.toContain('donate-form');
    expect((await page('no-such-page')).status).toBe(404);
    expect((await page('UPPER')).status).toBe(404);
  });

  it('answers a form post without script with a page that moves on to the payment page', async () => {
    const slug = slugs('form');
    await createPage({ slug, title: 'Form', presets: [7] });
    const res = await donate(slug, { preset: '7', amount: '', name: 'Bo' }, { contentType: 'application/x-www-form-urlencoded' });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toContain('text/html');
    const link = /http-equiv="refresh" content="0;url=(https:\/\/pay\.test\/pay\/[0-9A-Z]{8})"/.exec(res.text)?.[1];
    expect(link).toBeDefined();
    expect(res.text).toContain(`href="${link}"`);
  });

  it('limits donations per client address (429), while another client still gets through', async () => {
    const slug = slugs('limit');
    await createPage({ slug, title: 'Limit' });
    const ip = '203.0.113.77';
    for (let i = 0; i < 3; i += 1) expect((await donate(slug, { amount: 5 }, { sourceIp: ip })).status).toBe(201);
    const refused = await donate(slug, { amount: 5 }, { sourceIp: ip });
    expect(refused.status).toBe(429);
    expect(refused.headers['retry-after']).toBe('60');
    expect((await donate(slug, { amount: 5 }, { sourceIp: '203.0.113.78' })).status).toBe(201);
  });
});
