/**
 * The customer routes through their real handlers: the status poll answers with an ETag and 304,
 * shows nothing of the merchant, pages carry the security headers, assets resolve, a missing
 * invoice is a page (not an envelope), and public routes are rate-limited per client.
 */
import { randomBytes } from 'node:crypto';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { ASSET_DIR } from '../../functions/kit/assets';
import { rateClient } from '../../shared/app/rate-limits';
import { call, callRaw, newProject, useTestGateway } from '../support/gateway';

let apiKey: string;
let shopId: string;

beforeAll(async () => {
  await useTestGateway({ RATE_LIMIT_BROWSE_PER_MINUTE: '1000', RATE_LIMIT_CREATE_PER_MINUTE: '3' });
  ({ apiKey, shopId } = await newProject({ notificationUrl: null }));
});

async function chosenInvoice() {
  const created = await call('invoice.create', { apiKey, body: { shop_id: shopId, amount: 10, currency: 'USD', email: 'payer@example.com', order_id: 'ORDER-7' } });
  const uuid = (created.body.result as { uuid: string }).uuid;
  const chosen = await call('api.invoice.select', { apiKey: null, pathParameters: { invoiceId: uuid }, body: { currency: 'USDT_ERC20' }, sourceIp: uuid } as never);
  expect(chosen.status).toBe(200);
  return uuid;
}

describe('GET /api/public/invoices/{id}', () => {
  it('answers the payer status with an ETag, then 304 while nothing changed; never merchant data', async () => {
    const uuid = await chosenInvoice();
    const first = await callRaw('public.invoice.status', { pathParameters: { invoiceId: uuid } });
    expect(first.status).toBe(200);
    const status = JSON.parse(first.text);
    expect(status).toMatchObject({ id: uuid, state: 'waiting', currency: 'USDT_ERC20', amount_to_pay: '10', remaining: '10', progress: null });
    for (const secret of ['payer@example.com', apiKey, shopId, 'notification', 'balance']) expect(first.text).not.toContain(secret);
    expect(first.headers.etag).toMatch(/^W\/"[\w-]+"$/);
    const again = await callRaw('public.invoice.status', { pathParameters: { invoiceId: uuid }, headers: { 'if-none-match': first.headers.etag } });
    expect(again.status).toBe(304);
    expect(again.text).toBe('');
  });

  it('answers an unknown or malformed id with the envelope, never a stack', async () => {
    const unknown = await call('public.invoice.status', { pathParameters: { invoiceId: 'INV-ZZZZZZZZ' } });
    expect(unknown.status).toBe(400);
    expect(unknown.body.status).toBe('error');
    const bad = await call('public.invoice.status', { pathParameters: { invoiceId: '../../etc' } });
    expect(bad.status).toBe(400);
  });
});

describe('pages and assets', () => {
  it('serves the payment page with a strict CSP and no framing; a missing invoice is a page', async () => {
    const uuid = await chosenInvoice();
    const pageOut = await callRaw('page.pay', { pathParameters: { invoiceId: uuid } });
    expect(pageOut.status).toBe(200);
    expect(pageOut.headers['content-type']).toContain('text/html');
    const csp = pageOut.headers['content-security-policy'];
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).toContain("frame-ancestors 'none'");
    expect(pageOut.headers['x-content-type-options']).toBe('nosniff');
    expect(pageOut.headers['referrer-policy']).toBe('no-referrer');
    // Gzipped for a browser that accepts it (API Gateway's HTTP APIs do not compress); the QR is a few KB.
    const plain = await callRaw('page.pay_qr', { pathParameters: { invoiceId: uuid } });
    const zipped = await callRaw('page.pay_qr', { pathParameters: { invoiceId: uuid }, headers: { 'accept-encoding': 'gzip, br' } });
    expect(zipped.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(Buffer.from(zipped.text, 'base64')).toString()).toBe(plain.text);
    const missing = await callRaw('page.pay', { pathParameters: { invoiceId: 'INV-ZZZZZZZZ' } });
    expect(missing.headers['content-type']).toContain('text/html');
    expect(missing.text).toContain('<h1>');
  });

  it('serves the QR code of what is due, the stylesheet and the currency icons; refuses paths outside the folder', async () => {
    const uuid = await chosenInvoice();
    const qr = await callRaw('page.pay_qr', { pathParameters: { invoiceId: uuid } });
    expect(qr.status).toBe(200);
    expect(qr.text).toContain('<svg');
    const icon = await callRaw('page.asset', { pathParameters: { file: 'icons/usdt.svg' } });
    expect(icon.status).toBe(200);
    expect(icon.headers['content-type']).toBe('image/svg+xml');
    for (const file of ['../../package.json', '..%2F..%2Fpackage.json', 'icons/../../x.svg', 'nope.css']) {
      const refused = await callRaw('page.asset', { pathParameters: { file } });
      expect(refused.status, file).toBe(404);
    }
  });

  it('keeps no memory of names it did not find, so a scan of random names cannot grow an instance', async () => {
    // Observable from outside: a file that appears after a miss is served, so the miss was not cached.
    const name = `zz-probe-${randomBytes(4).toString('hex')}.css`;
    const asset = () => callRaw('page.asset', { pathParameters: { file: name } });
    expect((await asset()).status).toBe(404);
    writeFileSync(join(ASSET_DIR, name), 'p{}');
    try {
      expect((await asset()).status).toBe(200);
    } finally {
      rmSync(join(ASSET_DIR, name), { force: true });
    }
  });
});

describe('POST /pay/{id}: the choice without script', () => {
  it('takes the form post through the select use case and answers with the page again; a refused choice comes back flagged', async () => {
    const created = await call('invoice.create', { apiKey, body: { shop_id: shopId, amount: 10, currency: 'USD' } });
    const uuid = (created.body.result as { uuid: string }).uuid;
    const id = uuid.slice(4);
    const post = (body: Record<string, string>) => callRaw('page.pay_choose', { pathParameters: { invoiceId: uuid }, body, contentType: 'application/x-www-form-urlencoded' });
    const refused = await post({ currency: 'NOPE', locale: 'de' });
    expect(refused.status).toBe(303);
    expect(refused.headers.location).toBe(`/pay/${id}?locale=de&choice=failed`);
    const shown = await callRaw('page.pay', { pathParameters: { invoiceId: uuid }, query: { locale: 'de', choice: 'failed' } });
    expect(shown.text).toMatch(/<p class="form-error" role="alert">[^<]+<\/p>/);
    const chosen = await post({ currency: 'USDT_ERC20', locale: 'en' });
    expect(chosen.status).toBe(303);
    expect(chosen.headers.location).toBe(`/pay/${id}?locale=en`);
    const status = JSON.parse((await callRaw('public.invoice.status', { pathParameters: { invoiceId: uuid } })).text);
    expect(status).toMatchObject({ state: 'waiting', currency: 'USDT_ERC20' });
  });
});

describe('rate limits', () => {
  it('refuses a client past its creation limit with 429 and Retry-After, while another client still gets through', async () => {
    const created = await call('invoice.create', { apiKey, body: { shop_id: shopId, amount: 10, currency: 'USD' } });
    const uuid = (created.body.result as { uuid: string }).uuid;
    const select = (ip: string) => callRaw('api.invoice.select', { pathParameters: { invoiceId: uuid }, body: { currency: 'USDT_ERC20' }, sourceIp: ip });
    for (let i = 0; i < 3; i += 1) expect((await select('203.0.113.9')).status).toBe(200);
    const refused = await select('203.0.113.9');
    expect(refused.status).toBe(429);
    expect(refused.headers['retry-after']).toBe('60');
    expect(JSON.parse(refused.text)).toMatchObject({ status: 'error', result: { rate_limit: expect.any(String) } });
    expect((await select('203.0.113.10')).status).toBe(200);
  });

  it('counts an IPv6 client by its /64, so fresh addresses of one network do not reset its window', async () => {
    const created = await call('invoice.create', { apiKey, body: { shop_id: shopId, amount: 10, currency: 'USD' } });
    const uuid = (created.body.result as { uuid: string }).uuid;
    const select = (ip: string) => callRaw('api.invoice.select', { pathParameters: { invoiceId: uuid }, body: { currency: 'USDT_ERC20' }, sourceIp: ip });
    for (const ip of ['2001:db8:7:1::1', '2001:db8:7:1::2', '2001:0db8:0007:0001:ffff:ffff:ffff:ffff']) expect((await select(ip)).status, ip).toBe(200);
    expect((await select('2001:db8:7:1:abcd::9')).status).toBe(429);
    expect((await select('2001:db8:7:2::1')).status).toBe(200);
    expect(rateClient('::ffff:203.0.113.9')).toBe('203.0.113.9');
    expect(rateClient('::1')).toBe('0:0:0:0::/64');
    expect(rateClient('fe80::1%eth0')).toBe('fe80:0:0:0::/64');
  });
});
