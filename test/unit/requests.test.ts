import { describe, expect, it } from 'vitest';
import { CreateInvoiceRequest, fieldErrors, InvoiceInfoRequest, looksLikeList, parseCurrencyList, pickLocale } from '../../shared/api/cryptocloud/requests';
import { decodeBody, decodeForm, FORM_DEPTH_MAX, FORM_ITEMS_PER_KEY_MAX, FORM_PAIRS_MAX } from '../../shared/api/cryptocloud/wire';
import { parseRequestDate } from '../../shared/domain/time';
import { AT_CAPS, OVER_PAIR_CAP, SINGLE_PAIR } from '../support/hostile-forms';

describe('form bodies', () => {
  it('nests PHP brackets and collects repeated keys', () => {
    expect(decodeForm('a=1&add_fields[time_to_pay][hours]=2&add_fields[available_currencies][]=ETH&add_fields[available_currencies][]=BNB&k=x&k=y')).toEqual({
      ok: true,
      value: { a: '1', add_fields: { time_to_pay: { hours: '2' }, available_currencies: ['ETH', 'BNB'] }, k: ['x', 'y'] },
    });
  });

  it('never writes through __proto__ or inherited names', () => {
    const out = decodeForm('__proto__[cryptocurrency]=ETH&constructor[prototype][x]=1&a[__proto__][b]=1&toString=x&hasOwnProperty[a]=1');
    expect(out).toEqual({ ok: true, value: { toString: 'x', hasOwnProperty: { a: '1' } } });
    expect(({} as Record<string, unknown>).cryptocurrency).toBeUndefined();
  });

  it('refuses hostile nesting instead of recursing into it', () => {
    expect(decodeForm(`a${'[x]'.repeat(20_000)}=1`)).toEqual({ ok: false, error: { kind: 'too_deep', depthMax: 5 } });
    expect(decodeBody('application/json', `{"a":${'['.repeat(30_000)}${']'.repeat(30_000)}}`)).toEqual({ ok: false, error: { kind: 'too_deep', depthMax: 32 } });
  });

  it('decodes by content type and treats an empty body as {}', () => {
    expect(decodeBody('application/json; charset=utf-8', '{"a":1}')).toEqual({ ok: true, value: { a: 1 } });
    expect(decodeBody('application/json', '')).toEqual({ ok: true, value: {} });
    expect(decodeBody(undefined, 'a=1')).toEqual({ ok: true, value: { a: '1' } });
    expect(decodeBody('application/json', '[1]')).toEqual({ ok: false, error: { kind: 'not_an_object' } });
    expect(decodeBody('multipart/form-data', 'x')).toEqual({ ok: false, error: { kind: 'content_type', contentType: 'multipart/form-data' } });
  });
});

describe('hostile form bodies (64 KiB)', () => {
  const values = (n: number, key: string) => Array.from({ length: n }, (_, i) => `${key}=${i}`).join('&');

  it.each(Object.entries(OVER_PAIR_CAP))('refuses %s by its pair count, before decoding a pair', (_, body) => {
    expect(decodeForm(body)).toEqual({ ok: false, error: { kind: 'too_many_pairs', pairsMax: FORM_PAIRS_MAX } });
  });

  it('takes exactly FORM_PAIRS_MAX pairs; empty && runs are not pairs', () => {
    const distinct = `&&${Array.from({ length: FORM_PAIRS_MAX }, (_, i) => `k${i}=${i}`).join('&&&')}&&`;
    const out = decodeForm(distinct);
    expect(out.ok && Object.keys(out.value).length).toBe(FORM_PAIRS_MAX);
    expect(decodeForm(`${distinct}&x=1`)).toEqual({ ok: false, error: { kind: 'too_many_pairs', pairsMax: FORM_PAIRS_MAX } });
  });

  it('caps the values of one key, repeated or appended, and names the key', () => {
    for (const key of ['uuids', 'uuids[]', 'add_fields[available_currencies][]']) {
      const full = decodeForm(values(FORM_ITEMS_PER_KEY_MAX, key));
      expect(full.ok).toBe(true);
      expect(JSON.stringify(full).match(/"\d+"/g)).toHaveLength(FORM_ITEMS_PER_KEY_MAX);
      expect(decodeForm(values(FORM_ITEMS_PER_KEY_MAX + 1, key))).toEqual({ ok: false, error: { kind: 'too_many_items', key, itemsMax: FORM_ITEMS_PER_KEY_MAX } });
    }
    const longKey = `k${'x'.repeat(5000)}`;
    const out = decodeForm(values(FORM_ITEMS_PER_KEY_MAX + 1, longKey));
    expect(!out.ok && out.error.kind === 'too_many_items' && out.error.key).toBe(longKey.slice(0, 64));
  });

  it('decodes the largest bodies under the caps in full', () => {
    const deep = decodeForm(AT_CAPS.distinct_deep_paths);
    expect(deep.ok && Object.keys(deep.value.a as object)).toHaveLength(FORM_PAIRS_MAX);
    const lists = decodeForm(AT_CAPS.full_lists);
    expect(lists.ok && Object.values(lists.value).map((v) => (v as unknown[]).length)).toEqual(Array(FORM_PAIRS_MAX / FORM_ITEMS_PER_KEY_MAX).fill(FORM_ITEMS_PER_KEY_MAX));
    const escaped = decodeForm(AT_CAPS.escaped);
    expect(escaped.ok && escaped.value.k0).toEqual([expect.stringMatching(/^A+$/)]);
  });

  it('scans one huge key without trouble, and keeps odd keys whole as before', () => {
    expect(decodeForm(SINGLE_PAIR.ampersands)).toEqual({ ok: true, value: {} });
    expect(decodeForm(SINGLE_PAIR.deep_brackets)).toEqual({ ok: false, error: { kind: 'too_deep', depthMax: FORM_DEPTH_MAX } });
    expect(decodeForm(SINGLE_PAIR.open_brackets)).toMatchObject({ ok: true });
    const long = decodeForm(SINGLE_PAIR.one_long_segment);
    expect(long.ok && Object.keys(long.value.a as object).map((k) => k.length)).toEqual([SINGLE_PAIR.one_long_segment.length - 'a[]=1'.length]);
    expect(decodeForm('[a]=1&b[c=2&d]=3&e[f]g=4&h[i[j]]=5&=6&k[][x]=7&k[]=8')).toEqual({
      ok: true,
      value: { '[a]': '1', 'b[c': '2', 'd]': '3', 'e[f]g': '4', 'h[i[j]]': '5', '': '6', k: ['7', '8'] },
    });
  });
});

describe('create request', () => {
  const parse = (body: unknown) => CreateInvoiceRequest.safeParse(body);

  it('reads add_fields, flattened fields and odd encodings', () => {
    const out = parse({ shop_id: 's', amount: '100.5', add_fields: { time_to_pay: "{'hours': 1, 'minutes': 0}", available_currencies: '[ETH, USDT_ERC20]' } });
    expect(out.success && out.data).toMatchObject({ amount: { units: 1005n, scale: 1 }, fiat: 'USD', lifetimeMs: 3_600_000, availableCurrencies: ['ETH', 'USDT_ERC20'], cryptocurrency: null });
    const flat = parse({ shop_id: 's', amount: 1, add_fields: ['time_to_pay'], cryptocurrency: 'usdt_erc20', order_id: 'None' });
    expect(flat.success && flat.data).toMatchObject({ cryptocurrency: 'USDT_ERC20', orderId: null, lifetimeMs: null });
  });

  it('reports every bad field at once, under its name', () => {
    const out = parse({ amount: 'x', currency: 'ABC', email: 'nope' });
    expect(out.success).toBe(false);
    if (!out.success) expect(Object.keys(fieldErrors(out.error)).sort()).toEqual(['amount', 'currency', 'email', 'shop_id']);
  });

  it('parses currency lists in every shape clients send', () => {
    expect(parseCurrencyList(['eth', 'BNB'])).toEqual(['ETH', 'BNB']);
    expect(parseCurrencyList('[BTC, ETH]')).toEqual(['BTC', 'ETH']);
    expect(parseCurrencyList('["USDT_ERC20"]')).toEqual(['USDT_ERC20']);
    expect(parseCurrencyList(null)).toBeNull();
  });
});

describe('other requests', () => {
  it('picks the locale from the query, the body query or the body; junk counts as none', () => {
    expect(pickLocale({ locale: 'ru' }, {})).toBe('ru');
    expect(pickLocale({ locale: '' }, { query: { locale: 'de' } })).toBe('de');
    expect(pickLocale({}, { locale: '<script>' })).toBeNull();
    expect(pickLocale({}, {})).toBeNull();
  });

  it('detects list-shaped bodies sent to /info', () => {
    expect(looksLikeList({ start: '01.01.2026', end: '02.01.2026' })).toBe(true);
    expect(looksLikeList({ uuids: ['X'] })).toBe(false);
  });

  it('info takes ids in both forms and a JSON-ish string list', () => {
    const out = InvoiceInfoRequest.safeParse({ uuids: '["INV-ABCDEFGH", "12345678"]' });
    expect(out.success && out.data.ids).toEqual(['ABCDEFGH', '12345678']);
  });

  it.each([
    ['01.02.2026', Date.UTC(2026, 1, 1)],
    ['1.2.2026', Date.UTC(2026, 1, 1)],
    ['2026-02-01', Date.UTC(2026, 1, 1)],
    ['31.02.2026', null],
    ['2026/02/01', null],
    ['', null],
  ])('date %s', (text, at) => {
    expect(parseRequestDate(text)).toBe(at);
  });
});
