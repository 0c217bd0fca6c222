/** The CryptoCloud v2 endpoints through their real handlers and a real DynamoDB Local table. */
import { beforeAll, describe, expect, it } from 'vitest';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { makeDocumentClient } from '../../shared/adapters/dynamo/client';
import { keys } from '../../shared/adapters/dynamo/keys';
import { ENABLED_CRYPTO_CODES } from '../../shared/domain/currencies';
import { aroundToday, ccDate, isoDate } from '../support/dates';
import { call, newProject, useTestGateway } from '../support/gateway';

let apiKey: string;
let shopId: string;

const TIMESTAMP = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.\d{6}$/;

async function create(body: Record<string, unknown> = {}, extra: Parameters<typeof call>[1] = {}) {
  return call('invoice.create', { apiKey, body: { shop_id: shopId, amount: 100, currency: 'USD', ...body }, ...extra });
}

beforeAll(async () => {
  await useTestGateway();
  ({ apiKey, shopId } = await newProject({ name: 'API shop', successUrl: 'https://shop.test/ok', failUrl: 'https://shop.test/fail' }));
});

describe('POST /v2/invoice/create', () => {
  it('answers the reference shape, with every field and the right nulls', async () => {
    const res = await create({ order_id: 'ORDER-1', email: 'buyer@example.com' });
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('success');
    const r = res.body.result as Record<string, unknown>;
    expect(r.uuid).toMatch(/^INV-[A-Z0-9]{8}$/);
    expect(r.created).toMatch(TIMESTAMP);
    expect(r.expiry_date).toMatch(TIMESTAMP);
    const lifetimeMs = Date.parse(`${String(r.expiry_date).replace(' ', 'T')}Z`) - Date.parse(`${String(r.created).replace(' ', 'T')}Z`);
    expect(lifetimeMs).toBe(24 * 3600 * 1000);
    expect(r).toMatchObject({
      address: '',
      side_commission: 'merchant',
      side_commission_cc: 'merchant',
      amount: 100,
      amount_usd: 100,
      amount_in_fiat: 100,
      type_payments: 'crypto',
      fiat_currency: 'USD',
      status: 'created',
      is_email_required: false,
      invoice_id: null,
      test_mode: true,
    });
    expect(r.link).toBe(`https://pay.test/pay/${String(r.uuid).slice(4)}`);
    const project = r.project as Record<string, unknown>;
    expect(project).toMatchObject({ id: expect.any(Number), name: 'API shop', logo: null });
    expect(project.success).toBe(`https://shop.test/ok?order_id=ORDER-1&invoice_uuid=${r.uuid}`);
    const currency = r.currency as Record<string, unknown>;
    for (const key of ['id', 'code', 'fullcode', 'network', 'name', 'is_email_required', 'stablecoin', 'icon_base', 'icon_network', 'icon_qr', 'order']) {
      expect(currency).toHaveProperty(key);
    }
    expect(Number.isInteger(currency.id)).toBe(true);
  });

  it('prices in any of the 25 fiat codes, converting through the rate source', async () => {
    const res = await create({ amount: 10.5, currency: 'EUR' });
    expect(res.status).toBe(200);
    expect(res.body.result).toMatchObject({ amount_in_fiat: 10.5, fiat_currency: 'EUR', amount_usd: 11.34 });
    const jpy = await create({ amount: '1500', currency: 'jpy' });
    expect(jpy.body.result).toMatchObject({ amount_in_fiat: 1500, fiat_currency: 'JPY' });
  });

  it('with cryptocurrency returns the deposit address and the crypto amount, rounded up', async () => {
    const res = await create({ amount: 100, add_fields: { cryptocurrency: 'ETH' } });
    const r = res.body.result as Record<string, unknown>;
    expect(r.address).toMatch(/^0x[0-9a-fA-F]{40}$/);
    // 100 USD at 3000 USD/ETH = 0.0333… ETH, rounded up at 8 decimals.
    expect(r.amount).toBe(0.03333334);
    expect((r.currency as Record<string, unknown>).fullcode).toBe('ETH');
    const second = await create({ amount: 100, add_fields: { cryptocurrency: 'USDT_ERC20' } });
    const s = second.body.result as Record<string, unknown>;
    expect(s.amount).toBe(100);
    expect(s.address).not.toBe(r.address);
  });

  it('honours time_to_pay and available_currencies', async () => {
    const res = await create({ add_fields: { time_to_pay: { hours: 1, minutes: 30 }, available_currencies: ['USDT_ERC20', 'USDC_BASE'] } });
    const r = res.body.result as Record<string, unknown>;
    const lifetimeMs = Date.parse(`${String(r.expiry_date).replace(' ', 'T')}Z`) - Date.parse(`${String(r.created).replace(' ', 'T')}Z`);
    expect(lifetimeMs).toBe(90 * 60 * 1000);
    const info = await call('invoice.info', { apiKey, body: { uuids: [r.uuid] } });
    const list = (info.body.result as Record<string, unknown>[])[0].currency_list as { fullcode: string }[];
    expect(list.map((c) => c.fullcode)).toEqual(['USDT_ERC20', 'USDC_BASE']);
  });

  it('accepts form bodies, PHP brackets, flattened add_fields and odd add_fields values', async () => {
    const form = await create({}, { contentType: 'application/x-www-form-urlencoded', rawBody: `shop_id=${shopId}&amount=25.5&currency=USD&order_id=F1&add_fields=time_to_pay&add_fields=available_currencies` });
    expect(form.status).toBe(200);
    expect(form.body.result).toMatchObject({ amount_in_fiat: 25.5 });
    const brackets = await create({}, { contentType: 'application/x-www-form-urlencoded', rawBody: `shop_id=${shopId}&amount=5&add_fields[time_to_pay][hours]=2&add_fields[cryptocurrency]=USDT_ERC20` });
    expect(brackets.status).toBe(200);
    expect(brackets.body.result).toMatchObject({ amount: 5 });
    expect((brackets.body.result as { address: string }).address).toMatch(/^0x/);
    const flattened = await create({ available_currencies: '[USDT_ERC20, ETH]', cryptocurrency: null, time_to_pay: null, add_fields: 'x', query: { locale: 'ru' } });
    expect(flattened.status).toBe(200);
  });

  it('ignores unknown fields and takes the locale from ?locale= or the body into the payment link', async () => {
    const res = await create({ whatever: { nested: true }, query: { locale: 'en' } }, { query: { locale: 'ru' } });
    expect(res.status).toBe(200);
    expect((res.body.result as { link: string }).link).toMatch(/\/pay\/[A-Z0-9]{8}\?lang=ru$/);
    const body = await create({ query: { locale: 'de' } });
    expect((body.body.result as { link: string }).link).toMatch(/\?lang=de$/);
    const none = await create({ locale: '<x>' });
    expect((none.body.result as { link: string }).link).not.toContain('lang=');
    // Without a locale in the request, the project's own setting applies.
    const ru = await newProject({ name: 'RU shop', locale: 'ru' });
    const projectDefault = await call('invoice.create', { apiKey: ru.apiKey, body: { shop_id: ru.shopId, amount: 1 } });
    expect((projectDefault.body.result as { link: string }).link).toMatch(/\?lang=ru$/);
  });

  it.each([
    [{ amount: undefined }, 'amount', 'amount not passed.'],
    [{ amount: 'abc' }, 'amount', 'Invalid value amount'],
    [{ amount: 0 }, 'amount', 'greater than 0'],
    [{ amount: -5 }, 'amount', 'greater than 0'],
    [{ amount: 1_000_000_001 }, 'amount', 'must not exceed'],
    [{ amount: true }, 'amount', 'Invalid value amount'],
    [{ currency: 'XYZ' }, 'currency', "Invalid account currency specified. Available currencies 'USD'"],
    [{ shop_id: undefined }, 'shop_id', 'shop_id not passed.'],
    [{ shop_id: 'SOMEONEELSE12345' }, 'shop_id', 'does not belong'],
    [{ add_fields: { cryptocurrency: 'DOGE' } }, 'cryptocurrency', "Unknown cryptocurrency 'DOGE'"],
    [{ add_fields: { cryptocurrency: 'USDT_TRC20' } }, 'cryptocurrency', 'not enabled'],
    [{ add_fields: { available_currencies: ['BTC'] } }, 'available_currencies', 'enabled in this project'],
    [{ add_fields: { time_to_pay: { hours: 'x' } } }, 'time_to_pay', 'time_to_pay must be'],
    [{ amount: 0.001 }, 'amount', 'smallest invoice'],
  ])('refuses %j with a 400 naming %s', async (patch, field, message) => {
    const body: Record<string, unknown> = { shop_id: shopId, amount: 100, currency: 'USD', ...patch };
    for (const [k, v] of Object.entries(body)) if (v === undefined) delete body[k];
    const res = await call('invoice.create', { apiKey, body });
    expect(res.status).toBe(400);
    expect(res.body.status).toBe('error');
    expect(String((res.body.result as Record<string, string>)[field])).toContain(message);
  });

  it('refuses a body over the size limit, a wrong Content-Type and broken JSON with the envelope', async () => {
    const big = await create({ order_id: 'x'.repeat(70_000) });
    expect(big.status).toBe(400);
    expect(big.body.result).toHaveProperty('body');
    const xml = await call('invoice.create', { apiKey, contentType: 'text/xml', rawBody: '<invoice/>' });
    expect(xml.status).toBe(400);
    expect((xml.body.result as Record<string, string>).content_type).toContain("Unsupported Content-Type 'text/xml'");
    const broken = await call('invoice.create', { apiKey, rawBody: '{"amount": 1' });
    expect(broken.status).toBe(400);
    expect((broken.body.result as Record<string, string>).body).toContain('not valid JSON');
  });

  it('answers 403 with the authorization envelope for a missing or wrong key', async () => {
    for (const key of [null, 'tgk_wrong']) {
      const res = await call('invoice.create', { apiKey: key, body: { shop_id: shopId, amount: 1 } });
      expect(res.status).toBe(403);
      expect(res.body).toEqual({ status: 'error', result: { authorization: 'Unauthorized request.' } });
    }
    const bearer = await call('invoice.create', { headers: { authorization: 'Basic abc' }, body: {} });
    expect(bearer.status).toBe(403);
  });

  it('replays an Idempotency-Key with the same body and refuses it with another', async () => {
    const key = `order-${Date.now()}`;
    const first = await create({ amount: 42, order_id: 'I-1' }, { headers: { 'idempotency-key': key } });
    const again = await create({ order_id: 'I-1', amount: 42 }, { headers: { 'idempotency-key': key } });
    expect(first.status).toBe(200);
    expect((again.body.result as { uuid: string }).uuid).toBe((first.body.result as { uuid: string }).uuid);
    const other = await create({ amount: 43, order_id: 'I-1' }, { headers: { 'idempotency-key': key } });
    expect(other.status).toBe(400);
    expect((other.body.result as Record<string, string>).idempotency).toContain('different request body');
    const [a, b] = await Promise.all([
      create({ amount: 7 }, { headers: { 'idempotency-key': `${key}-race` } }),
      create({ amount: 7 }, { headers: { 'idempotency-key': `${key}-race` } }),
    ]);
    expect((a.body.result as { uuid: string }).uuid).toBe((b.body.result as { uuid: string }).uuid);
  });
});

describe('info, list, cancel, statistics, balance', () => {
  it('info accepts both id forms, a singular uuid, omits unknown ids and caps at 100', async () => {
    const made = (await create({ order_id: 'INFO-1' })).body.result as { uuid: string };
    const short = made.uuid.slice(4);
    const both = await call('invoice.info', { apiKey, body: { uuids: [made.uuid, short.toLowerCase(), 'ZZZZZZZZ'], shop_id: shopId } });
    expect(both.status).toBe(200);
    const rows = both.body.result as Record<string, unknown>[];
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ uuid: made.uuid, order_id: 'INFO-1', invoice_status: 'start', step: 1, date_finished: null, amount_in_crypto: null, tx_list: [], received: 0 });
    const single = await call('invoice.info', { apiKey, body: { uuid: short } });
    expect((single.body.result as unknown[]).length).toBe(1);
    const tooMany = await call('invoice.info', { apiKey, body: { uuids: Array.from({ length: 101 }, () => short) } });
    expect(tooMany.status).toBe(400);
    expect(String((tooMany.body.result as Record<string, string>).uuids)).toContain('Max 100');
    const bad = await call('invoice.info', { apiKey, body: { uuids: ['nope!'] } });
    expect(bad.status).toBe(400);
  });

  it('strict parsers get strings, never null, where they parse strings', async () => {
    const made = (await create()).body.result as { uuid: string };
    const row = ((await call('invoice.info', { apiKey, body: { uuids: [made.uuid] } })).body.result as Record<string, unknown>[])[0];
    for (const field of ['address', 'expiry_date', 'order_id', 'type_payments']) expect(typeof row[field]).toBe('string');
    expect(typeof ((row.currency as Record<string, unknown>).network as Record<string, unknown>).icon).toBe('string');
    expect(typeof (row.project as Record<string, unknown>).fail).toBe('string');
  });

  it('a list body sent to /info is answered as a list', async () => {
    const res = await call('invoice.info', { apiKey, body: { ...aroundToday(), offset: 0, limit: 5 } });
    expect(res.status).toBe(200);
    expect((res.body.result as unknown[]).length).toBe(5);
  });

  it('list pages newest first with offset and limit, in JSON and form', async () => {
    const all = await call('invoice.list', { apiKey, body: { ...aroundToday(), limit: 5000 } });
    const rows = all.body.result as { created: string }[];
    expect(rows.length).toBeGreaterThan(10);
    const sorted = [...rows].sort((a, b) => (a.created < b.created ? 1 : -1));
    expect(rows.map((r) => r.created)).toEqual(sorted.map((r) => r.created));
    // `limit` is a count from `offset`, so no reading of the docs misses a record.
    const page = await call('invoice.list', { apiKey, contentType: 'application/x-www-form-urlencoded', body: { ...aroundToday(), offset: '2', limit: '5' } });
    expect((page.body.result as { uuid: string }[]).map((r) => r.uuid)).toEqual((rows as unknown as { uuid: string }[]).slice(2, 7).map((r) => r.uuid));
    const deep = await call('invoice.list', { apiKey, body: { ...aroundToday(), offset: 10_001 } });
    expect(deep.status).toBe(400);
    expect(deep.body.result).toHaveProperty('offset');
    const iso = await call('invoice.list', { apiKey, body: { start: isoDate(-1), end: ccDate(1) } });
    expect((iso.body.result as unknown[]).length).toBe(10);
  });

  it.each([
    [{ start: '32.01.2026', end: '01.02.2026' }, 'start'],
    [{ start: '2026/01/01', end: '01.02.2026' }, 'start'],
    [{ end: '01.02.2026' }, 'start'],
    [{ start: '02.02.2026', end: '01.02.2026' }, 'end'],
    [{ start: '01.01.2020', end: '01.01.2026' }, 'end'],
  ])('list and statistics refuse bad dates %j', async (body, field) => {
    for (const route of ['invoice.list', 'invoice.statistics'] as const) {
      const res = await call(route, { apiKey, body });
      expect(res.status).toBe(400);
      expect(res.body.result).toHaveProperty(field);
    }
  });

  it('cancel works only in created, with CryptoCloud’s messages', async () => {
    const made = (await create()).body.result as { uuid: string };
    const ok = await call('invoice.cancel', { apiKey, body: { uuid: made.uuid.slice(4) } });
    expect(ok.body).toEqual({ status: 'success', result: ['ok'] });
    const again = await call('invoice.cancel', { apiKey, body: { uuid: made.uuid } });
    expect(again.status).toBe(400);
    expect(again.body.result).toEqual({ validate_error: 'Invoice is not created' });
    const missing = await call('invoice.cancel', { apiKey, body: {} });
    expect(missing.body.result).toEqual({ validate_error: 'uuid is required' });
    const row = ((await call('invoice.info', { apiKey, body: { uuids: [made.uuid] } })).body.result as Record<string, unknown>[])[0];
    expect(row.status).toBe('canceled');
    expect(row.date_finished).toMatch(TIMESTAMP);
  });

  it('another project cannot see or cancel an invoice', async () => {
    const made = (await create()).body.result as { uuid: string };
    const other = await newProject({ name: 'Other' });
    const info = await call('invoice.info', { apiKey: other.apiKey, body: { uuids: [made.uuid] } });
    expect(info.body.result).toEqual([]);
    const cancel = await call('invoice.cancel', { apiKey: other.apiKey, body: { uuid: made.uuid } });
    expect(cancel.status).toBe(400);
    expect(String((cancel.body.result as Record<string, string>).validate_error)).toContain('not found');
  });

  it('statistics count and sum from the stored invoices', async () => {
    const fresh = await newProject({ name: 'Stats' });
    const mk = (amount: number) => call('invoice.create', { apiKey: fresh.apiKey, body: { shop_id: fresh.shopId, amount } });
    const a = (await mk(10)).body.result as { uuid: string };
    await mk(20.5);
    await call('invoice.cancel', { apiKey: fresh.apiKey, body: { uuid: a.uuid } });
    const stats = await call('invoice.statistics', { apiKey: fresh.apiKey, contentType: 'application/x-www-form-urlencoded', body: { ...aroundToday(), shop_id: fresh.shopId } });
    expect(stats.body.result).toEqual({
      count: { all: 2, created: 1, partial: 0, paid: 0, overpaid: 0, canceled: 1 },
      amount: { all: 30.5, created: 20.5, partial: 0, paid: 0, overpaid: 0, canceled: 10 },
    });
  });

  it('balance lists every enabled currency at zero until payments exist, with an empty body', async () => {
    for (const contentType of ['application/json', 'application/x-www-form-urlencoded', null]) {
      const res = await call('wallet.balance', { apiKey, contentType, rawBody: '' });
      expect(res.status).toBe(200);
      const rows = res.body.result as Record<string, unknown>[];
      expect(rows.length).toBe(ENABLED_CRYPTO_CODES.length);
      expect(rows.every((r) => r.balance_crypto === 0 && r.balance_usd === 0 && r.available_balance === 0)).toBe(true);
      expect(rows[0].currency).toHaveProperty('obj_network');
    }
  });

  it('balance reads the ledger’s balance projection, valued at the current rate', async () => {
    const fresh = await newProject({ name: 'Ledger' });
    const db = makeDocumentClient({ region: 'us-east-1', endpoint: process.env.DYNAMODB_ENDPOINT });
    await db.send(new PutCommand({ TableName: process.env.TABLE_NAME, Item: { ...keys.balance(fresh.shopId, 'ETH'), type: 'balance', code: 'ETH', total: 1_500_000_000_000_000_000n, available: 500_000_000_000_000_000n } }));
    const res = await call('wallet.balance', { apiKey: fresh.apiKey });
    const eth = (res.body.result as { currency: { code: string }; balance_crypto: number; balance_usd: number; available_balance: number; available_balance_usd: number }[]).find((r) => r.currency.code === 'ETH');
    expect(eth).toMatchObject({ balance_crypto: 1.5, balance_usd: 4500, available_balance: 0.5, available_balance_usd: 1500 });
  });

});
