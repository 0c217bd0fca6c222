/**
 * POS links and the widget's create route through their real handlers: a POS token opens only its
 * own project, currency and maximum, and nothing once revoked; widget invoices come only from the
 * project's listed origins, which alone may read the answer; both are capped and rate-limited.
 */
import type { AddressInfo } from 'node:net';
import { beforeAll, describe, expect, it } from 'vitest';
import { run } from '../../lib/cli/main';
import { createHttpHost } from '../../lib/local/http-host';
import type { RouteId } from '../../lib/manifest';
import { ADMIN_TOKEN, type CallOptions, call, callRaw, newProject, useTestGateway } from '../support/gateway';

const asAdmin = (route: RouteId, options: CallOptions = {}) => call(route, { ...options, headers: { authorization: `Bearer ${ADMIN_TOKEN}`, ...options.headers } });
const SHOP_ORIGIN = 'https://shop.example';

let shopId: string;
let apiKey: string;

beforeAll(async () => {
  await useTestGateway({ RATE_LIMIT_BROWSE_PER_MINUTE: '1000', RATE_LIMIT_CREATE_PER_MINUTE: '1000' });
  ({ shopId, apiKey } = await newProject({ widgetOrigins: [SHOP_ORIGIN] }));
});

type PosLinkJson = { id: string; url: string; label: string | null; currency: string; fiat: string; max: string; revoked_at: string | null };

async function newPosLink(body: Record<string, unknown> = {}) {
  const made = await asAdmin('admin.pos.create', { pathParameters: { shopId }, body: { currency: 'USDT_ERC20', fiat: 'EUR', max: '500', label: 'Front desk', ...body } });
  expect(made.status, JSON.stringify(made.body)).toBe(201);
  const link = made.body.result as PosLinkJson;
  return { link, token: link.url.split('/pos/')[1] };
}

const sell = (token: string, body: Record<string, unknown>, sourceIp = '198.51.100.20') => callRaw('public.pos.invoice_create', { pathParameters: { token }, body, sourceIp });

describe('POS links', () => {
  it('creates a link whose token is long, random and stored only as a hash; the list never shows it', async () => {
    const { link, token } = await newPosLink();
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(link).toMatchObject({ id: expect.stringMatching(/^pos_[0-9a-f]{12}$/), label: 'Front desk', currency: 'USDT_ERC20', fiat: 'EUR', max: '500', revoked_at: null });
    const listed = await asAdmin('admin.pos.list', { pathParameters: { shopId } });
    expect(JSON.stringify(listed.body)).not.toContain(token);
    expect((listed.body.result as PosLinkJson[]).map((l) => l.id)).toContain(link.id);
  });

  it('refuses a currency the project does not accept and a max finer than the fiat allows', async () => {
    const bad = await asAdmin('admin.pos.create', { pathParameters: { shopId }, body: { currency: 'DOGE', max: '10' } });
    expect(bad.status).toBe(400);
    const fine = await asAdmin('admin.pos.create', { pathParameters: { shopId }, body: { currency: 'USDT_ERC20', fiat: 'EUR', max: '10.005' } });
    expect(fine.status).toBe(400);
    expect(fine.body.result).toMatchObject({ max: expect.any(String) });
  });

  it('sells within the maximum, in the link currency only, with a pos order id; the page shows the terminal', async () => {
    const { link, token } = await newPosLink({ max: '25.50' });
    const sold = await sell(token, { amount: '25.50', currency: 'ETH', cryptocurrency: 'BTC', shop_id: 'other' });
    expect(sold.status, sold.text).toBe(201);
    const sale = JSON.parse(sold.text).result;
    expect(sale).toMatchObject({ invoice_id: expect.stringMatching(/^INV-/), currency: 'USDT_ERC20', address: expect.stringMatching(/^0x[0-9a-fA-F]{40}$/), link: expect.stringContaining('/pay/') });
    // 25.50 EUR at 1.08 USD each, in a USD stablecoin.
    expect(sale.amount).toBe('27.54');
    const info = await call('invoice.info', { apiKey, body: { uuids: [sale.invoice_id] } });
    const invoice = (info.body.result as { order_id: string; currency: { code: string }; amount_in_fiat: number }[])[0];
    expect(invoice.order_id).toBe(`pos:${link.id}:1`);
    const second = JSON.parse((await sell(token, { amount: 1 })).text).result;
    const again = (await call('invoice.info', { apiKey, body: { uuids: [second.invoice_id] } })).body.result as { order_id: string }[];
    expect(again[0].order_id).toBe(`pos:${link.id}:2`);

    const page = await callRaw('page.pos', { pathParameters: { token } });
    expect(page.status).toBe(200);
    expect(page.text).toContain('inputmode="decimal"');
    expect(page.headers['content-security-policy']).toContain("frame-ancestors 'none'");
  });

  it('refuses an amount over the maximum, zero, or finer than a cent', async () => {
    const { token } = await newPosLink({ max: '500' });
    const over = await sell(token, { amount: '500.01' });
    expect(over.status).toBe(400);
    expect(over.text).toContain('maximum of 500 EUR');
    expect((await sell(token, { amount: '0' })).status).toBe(400);
    expect((await sell(token, { amount: '1.001' })).status).toBe(400);
    expect((await sell(token, { amount: '500' })).status).toBe(201);
  });

  it('answers an unknown, malformed or revoked token with 404, and its page with the 404 page', async () => {
    const { link, token } = await newPosLink();
    const revoked = await asAdmin('admin.pos.revoke', { pathParameters: { shopId, posId: link.id } });
    expect(revoked.status).toBe(200);
    expect(revoked.body.result).toMatchObject({ id: link.id, revoked_at: expect.any(String) });
    for (const t of [token, 'A'.repeat(43), 'short', '../../etc']) {
      const refused = await sell(t, { amount: '1' });
      expect(refused.status, t).toBe(404);
      expect(JSON.parse(refused.text)).toMatchObject({ status: 'error', result: { token: expect.any(String) } });
      const page = await callRaw('page.pos', { pathParameters: { token: t } });
      expect(page.status, t).toBe(404);
      expect(page.headers['content-type']).toContain('text/html');
    }
    expect((await asAdmin('admin.pos.revoke', { pathParameters: { shopId, posId: 'pos_000000000000' } })).status).toBe(404);
  });
});

describe('tollgate pos', () => {
  it('creates a link (printed once, first), lists it without the secret, and revokes it by id', async () => {
    const host = createHttpHost();
    await new Promise<void>((ready) => host.listen(0, '127.0.0.1', ready));
    const url = `http://127.0.0.1:${(host.address() as AddressInfo).port}`;
    const cli = async (...args: string[]) => {
      let printed = '';
      await run([...args, '--endpoint', url, '--admin-token', ADMIN_TOKEN], {}, (s) => {
        printed += s;
      });
      return printed;
    };
    try {
      const printed = await cli('pos', 'create', '--shop', shopId, '--currency', 'USDT_ERC20', '--fiat', 'EUR', '--max', '500', '--label', 'Front desk');
      expect(printed).toMatch(/^https:\/\/pay\.test\/pos\/[A-Za-z0-9_-]{43}\n/);
      expect(printed).toContain('shown once');
      const listed = JSON.parse(await cli('pos', 'list', '--shop', shopId, '--json')) as PosLinkJson[];
      const mine = listed.find((l) => l.label === 'Front desk' && printed.includes(l.id));
      expect(mine).toBeDefined();
      expect(JSON.stringify(listed)).not.toContain(printed.split('/pos/')[1].slice(0, 43));
      const revoked = JSON.parse(await cli('pos', 'revoke', '--shop', shopId, '--id', String(mine?.id), '--json'));
      expect(revoked.revoked_at).not.toBeNull();
      await expect(cli('pos', 'create', '--shop', shopId, '--currency', 'USDT_ERC20')).rejects.toThrow(/needs --max/);
    } finally {
      host.close();
    }
  });
});

const widget = (body: Record<string, unknown>, origin: string | null, sourceIp = '198.51.100.30') =>
  callRaw('public.widget.invoice_create', { contentType: 'application/x-www-form-urlencoded', body, headers: origin ? { origin } : {}, sourceIp });

describe('widget invoices', () => {
  it('creates an invoice for a listed origin, readable by that origin only', async () => {
    const made = await widget({ shop_id: shopId, amount: '25', currency: 'EUR', order_id: '123' }, SHOP_ORIGIN);
    expect(made.status, made.text).toBe(201);
    expect(made.headers['access-control-allow-origin']).toBe(SHOP_ORIGIN);
    expect(made.headers.vary).toBe('Origin');
    const result = JSON.parse(made.text).result;
    expect(result).toMatchObject({ invoice_id: expect.stringMatching(/^INV-/), link: expect.stringContaining('/pay/'), address: null, amount: '25', currency: 'EUR' });
    const info = await call('invoice.info', { apiKey, body: { uuids: [result.invoice_id] } });
    // Marked as the widget's: a visitor's invoice never carries an order id the merchant's API invoices use.
    expect((info.body.result as { order_id: string }[])[0].order_id).toBe('widget:123');
    // Its payment page may be framed by the listed origin only; other pages by none.
    const pay = await callRaw('page.pay', { pathParameters: { invoiceId: result.invoice_id } });
    expect(pay.headers['content-security-policy']).toContain(`frame-ancestors ${SHOP_ORIGIN}`);
    expect((await callRaw('page.widget_script')).headers['content-security-policy']).toBeUndefined();
  });

  it('refuses a project without widget origins, an unlisted origin and a missing one; refusals carry no data', async () => {
    const { shopId: plain } = await newProject({});
    const off = await widget({ shop_id: plain, amount: '5' }, SHOP_ORIGIN);
    expect(off.status).toBe(403);
    expect(JSON.parse(off.text).result).toHaveProperty('shop_id');
    for (const origin of ['https://evil.example', 'https://shop.example.evil.example', 'http://shop.example', null]) {
      const refused = await widget({ shop_id: shopId, amount: '5' }, origin);
      expect(refused.status, String(origin)).toBe(403);
      expect(refused.headers['access-control-allow-origin']).not.toBe(origin);
      expect(JSON.parse(refused.text)).toEqual({ status: 'error', result: { origin: expect.any(String) } });
    }
  });

  it('caps the amount at 10,000 USD at the current rate and validates the currency', async () => {
    expect((await widget({ shop_id: shopId, amount: '10000', currency: 'USD' }, SHOP_ORIGIN)).status).toBe(201);
    const over = await widget({ shop_id: shopId, amount: '9300', currency: 'EUR' }, SHOP_ORIGIN);
    expect(over.status).toBe(400);
    expect(JSON.parse(over.text).result).toHaveProperty('amount');
    const fiat = await widget({ shop_id: shopId, amount: '5', currency: 'XYZ' }, SHOP_ORIGIN);
    expect(fiat.status).toBe(400);
    expect(JSON.parse(fiat.text).result).toHaveProperty('currency');
  });

  it('serves /widget.js as cacheable JavaScript with its labels filled in', async () => {
    const script = await callRaw('page.widget_script');
    expect(script.status).toBe(200);
    expect(script.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(script.headers['cache-control']).toContain('max-age');
    expect(script.text).toContain('Pay with crypto');
    expect(script.text).not.toContain('/*MESSAGES*/');
  });
});

describe('rate limits of the public create routes', () => {
  it('answers 429 past the create limit, with the refusal still readable cross-origin', async () => {
    await useTestGateway({ RATE_LIMIT_BROWSE_PER_MINUTE: '1000', RATE_LIMIT_CREATE_PER_MINUTE: '2' });
    ({ shopId } = await newProject({ widgetOrigins: [SHOP_ORIGIN] }));
    const { token } = await newPosLink();
    const ip = '203.0.113.44';
    expect((await widget({ shop_id: shopId, amount: '5' }, SHOP_ORIGIN, ip)).status).toBe(201);
    expect((await sell(token, { amount: '5' }, ip)).status).toBe(201);
    const limited = await widget({ shop_id: shopId, amount: '5' }, SHOP_ORIGIN, ip);
    expect(limited.status).toBe(429);
    expect(limited.headers['access-control-allow-origin']).toBe('*');
    expect((await sell(token, { amount: '5' }, ip)).status).toBe(429);
  });
});
