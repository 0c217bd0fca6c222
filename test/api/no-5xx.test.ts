/** Whatever a client sends, every v2 route answers 200, 400 or 403 with the envelope: never a 5xx. */
import { beforeAll, describe, expect, it } from 'vitest';
import type { RouteId } from '../../lib/manifest';
import { call, newProject, useTestGateway } from '../support/gateway';

const ROUTES: RouteId[] = ['invoice.create', 'invoice.info', 'invoice.list', 'invoice.cancel', 'invoice.statistics', 'invoice.test_confirm', 'wallet.balance'];
const ODD_VALUES: unknown[] = [null, true, -1, 0, 1e308, -1e-308, '', ' ', 'None', '0x1f', '1e400', 'NaN', '💸', 'x'.repeat(5000), [], [null], {}, { a: { b: { c: [] } } }, ['INV-ABCDEFGH'], '01.01.2026', 'INV-', 2.5];
const FIELDS = ['shop_id', 'amount', 'currency', 'order_id', 'email', 'add_fields', 'uuid', 'uuids', 'start', 'end', 'offset', 'limit', 'time_to_pay', 'available_currencies', 'cryptocurrency', 'query', 'locale'];

function lcg(seed: number) {
  let x = seed;
  return () => {
    x = (x * 1103515245 + 12345) % 2 ** 31;
    return x;
  };
}

let apiKey: string;
let shopId: string;

beforeAll(async () => {
  await useTestGateway();
  ({ apiKey, shopId } = await newProject());
});

describe('hostile input', () => {
  it('400 bodies of random shapes to every route get an envelope and no stack', async () => {
    const rnd = lcg(7);
    for (let i = 0; i < 400; i += 1) {
      const route = ROUTES[rnd() % ROUTES.length];
      const body: Record<string, unknown> = { shop_id: rnd() % 3 === 0 ? ODD_VALUES[rnd() % ODD_VALUES.length] : shopId };
      for (let f = 0; f < 1 + (rnd() % 5); f += 1) body[FIELDS[rnd() % FIELDS.length]] = ODD_VALUES[rnd() % ODD_VALUES.length];
      const form = rnd() % 4 === 0;
      const res = await call(route, {
        apiKey,
        ...(form ? { contentType: 'application/x-www-form-urlencoded', rawBody: new URLSearchParams(Object.entries(body).map(([k, v]): [string, string] => [k, String(v)])).toString() } : { body }),
      });
      expect([200, 400], `${route} ${JSON.stringify(body).slice(0, 200)} → ${res.status} ${JSON.stringify(res.body).slice(0, 300)}`).toContain(res.status);
      expect(['success', 'error']).toContain(res.body.status);
      expect(JSON.stringify(res.body)).not.toMatch(/\bat .+\.(ts|js):\d+|TypeError|ReferenceError/);
    }
  });

  it('raw garbage bodies under every content type', async () => {
    const bodies = ['{', 'null', '[]', '"str"', '\u0000\u0001', '%%%', 'a[b][c][d][e]=1&a=2', 'amount[]=1&amount[]=2', '{"__proto__":{"x":1}}'];
    for (const route of ROUTES) {
      for (const rawBody of bodies) {
        for (const contentType of ['application/json', 'application/x-www-form-urlencoded', 'text/plain', null]) {
          const res = await call(route, { apiKey, rawBody, contentType });
          expect([200, 400], `${route} ${contentType} ${JSON.stringify(rawBody)}`).toContain(res.status);
        }
      }
    }
  });
});
