/**
 * What is cheap to send stays cheap to handle (DESIGN §10): hostile 64 KiB bodies are refused by a
 * cap or decoded, always with the envelope; a caller without a valid key is refused before its body
 * is decoded at all; an over-long Idempotency-Key is refused rather than cut.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { RouteId } from '../../lib/manifest';
import { BODY_BYTES_MAX, FORM_ITEMS_PER_KEY_MAX, FORM_PAIRS_MAX } from '../../shared/api/cryptocloud/wire';
import { call, newProject, useTestGateway } from '../support/gateway';
import { HOSTILE_FORMS, OVER_PAIR_CAP } from '../support/hostile-forms';

const FORM = 'application/x-www-form-urlencoded';
const UNAUTHORIZED = { status: 'error', result: { authorization: 'Unauthorized request.' } };

let apiKey: string;
let shopId: string;

beforeAll(async () => {
  await useTestGateway();
  ({ apiKey, shopId } = await newProject());
});

describe('hostile form bodies', () => {
  it('every worst-case 64 KiB body gets a 400 in the envelope; bodies over the pair cap are refused by it', async () => {
    for (const [name, rawBody] of Object.entries(HOSTILE_FORMS)) {
      for (const [route, options] of [
        ['invoice.create', { apiKey }],
        // No key needed here: the body is decoded for anyone, so the caps are all that bound it.
        ['api.invoice.select', { pathParameters: { invoiceId: 'INV-ABCDEFGH' } }],
      ] as const) {
        const res = await call(route, { ...options, rawBody, contentType: FORM });
        expect(res.status, `${name} → ${route}`).toBe(400);
        expect(res.body.status).toBe('error');
        if (name in OVER_PAIR_CAP) expect(res.body.result, name).toEqual({ body: `Form body has more than ${FORM_PAIRS_MAX} fields` });
      }
    }
  });

  it('a key with too many values is a 400 that names it; a list just over the wire limit keeps the schema message', async () => {
    const ids = (n: number) => Array.from({ length: n }, (_, i) => `uuids[]=INV-${String(i).padStart(8, 'A')}`).join('&');
    const over = await call('invoice.info', { apiKey, rawBody: ids(FORM_ITEMS_PER_KEY_MAX + 1), contentType: FORM });
    expect([over.status, over.body.result]).toEqual([400, { body: `Form field 'uuids[]' has more than ${FORM_ITEMS_PER_KEY_MAX} values` }]);
    const slightlyOver = await call('invoice.info', { apiKey, rawBody: ids(101), contentType: FORM });
    expect([slightlyOver.status, slightlyOver.body.result]).toEqual([400, { uuids: 'Max 100 uuids per request; got 101.' }]);
  });
});

describe('authentication comes before the body', () => {
  // Each would fail decoding (so each is a 400 for a caller with a valid key): a 403 for a stranger
  // proves the body was never decoded.
  const undecodable: [string, { rawBody: string; contentType: string }][] = [
    ['over the pair cap', { rawBody: OVER_PAIR_CAP.nameless_repeated, contentType: FORM }],
    ['malformed JSON', { rawBody: `{"a":"${'x'.repeat(BODY_BYTES_MAX - 10)}`, contentType: 'application/json' }],
    ['over the size limit', { rawBody: 'a='.padEnd(BODY_BYTES_MAX + 1, 'x'), contentType: FORM }],
    ['of an unsupported type', { rawBody: '<xml/>', contentType: 'text/xml' }],
  ];

  it.each(undecodable)('a body %s gets the 403 without a valid key, and the 400 with one', async (_, body) => {
    const project: RouteId[] = ['invoice.create', 'invoice.info', 'api.invoice.attach_tx'];
    for (const route of project) {
      const pathParameters = { invoiceId: 'INV-ABCDEFGH' };
      for (const stranger of [{ apiKey: null }, { apiKey: 'not-a-key' }]) {
        const res = await call(route, { ...body, ...stranger, pathParameters });
        expect([res.status, res.body], route).toEqual([403, UNAUTHORIZED]);
      }
      const known = await call(route, { ...body, apiKey, pathParameters });
      expect(known.status, route).toBe(400);
      expect(known.body.result).not.toEqual(UNAUTHORIZED.result);
    }
    const admin = await call('admin.project.create', { ...body, headers: { authorization: 'Bearer not-the-admin-token-0123' } });
    expect([admin.status, admin.body]).toEqual([403, UNAUTHORIZED]);
  });
});

describe('Idempotency-Key', () => {
  const create = (key: string) => call('invoice.create', { apiKey, body: { shop_id: shopId, amount: 10 }, headers: { 'idempotency-key': key } });

  it('over 255 characters is refused in the envelope, not cut to a key another request may hold', async () => {
    const longest = 'k'.repeat(255);
    const first = await create(longest);
    expect(first.status).toBe(200);
    for (const tooLong of [`${longest}x`, `${longest}y`]) {
      const res = await create(tooLong);
      expect([res.status, res.body]).toEqual([400, { status: 'error', result: { idempotency: 'Idempotency-Key is 256 characters long; at most 255 are allowed' } }]);
    }
  });
});
