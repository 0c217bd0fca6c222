/**
 * A JSON body whose Content-Type is missing or wrong, as a newcomer sends it (`curl -d '{...}'`
 * without -H says application/x-www-form-urlencoded), through the real handlers and the real
 * local HTTP host. No Content-Type: the body is sniffed and accepted as JSON (some HTTP
 * libraries and plugins omit it). A declared type that is not JSON: a 400 in the envelope that
 * names the Content-Type header, never "shop_id not passed".
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttpHost } from '../../lib/local/http-host';
import { decodeBody } from '../../shared/api/cryptocloud/wire';
import { call, newProject, useTestGateway } from '../support/gateway';

let apiKey: string;
let shopId: string;
let server: Server;
let base: string;

beforeAll(async () => {
  await useTestGateway();
  ({ apiKey, shopId } = await newProject({ name: 'Content-Type shop' }));
  server = createHttpHost();
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', () => ok()));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server?.closeAllConnections();
  await new Promise<void>((ok) => (server ? server.close(() => ok()) : ok()));
});

const json = () => JSON.stringify({ shop_id: shopId, amount: 10, currency: 'USD' });
const HEADER_ADVICE = /The body is JSON but the Content-Type header says '(.+)'; send the header 'Content-Type: application\/json'/;

describe('decodeBody', () => {
  it('tells a JSON object under a non-JSON type apart, and leaves real form bodies alone', () => {
    expect(decodeBody('application/x-www-form-urlencoded', '{"shop_id":"S"}')).toEqual({ ok: false, error: { kind: 'json_mislabeled', contentType: 'application/x-www-form-urlencoded' } });
    expect(decodeBody('text/plain;charset=UTF-8', ' {"a":1}')).toEqual({ ok: false, error: { kind: 'json_mislabeled', contentType: 'text/plain' } });
    expect(decodeBody(undefined, '{"a":1}')).toEqual({ ok: true, value: { a: 1 } });
    expect(decodeBody('application/x-www-form-urlencoded', 'shop_id=S&amount=1')).toEqual({ ok: true, value: { shop_id: 'S', amount: '1' } });
    // Not JSON after all: a form body like any other (its one odd key is then ignored).
    expect(decodeBody('application/x-www-form-urlencoded', '{broken=1')).toEqual({ ok: true, value: { '{broken': '1' } });
    expect(decodeBody('text/xml', '<a/>')).toEqual({ ok: false, error: { kind: 'content_type', contentType: 'text/xml' } });
  });
});

describe('a JSON body without its Content-Type', () => {
  it('under a form Content-Type (curl -d without -H): 400 naming the header, not "shop_id not passed"', async () => {
    const res = await call('invoice.create', { apiKey, rawBody: json(), contentType: 'application/x-www-form-urlencoded' });
    expect(res.status).toBe(400);
    expect(res.body.status).toBe('error');
    const result = res.body.result as Record<string, string>;
    expect(Object.keys(result)).toEqual(['content_type']);
    expect(result.content_type).toMatch(HEADER_ADVICE);
    expect(result.content_type).toContain("-H 'Content-Type: application/json'");
  });

  it('with no Content-Type at all: accepted as JSON', async () => {
    const res = await call('invoice.create', { apiKey, rawBody: json(), contentType: null });
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('success');
  });

  it('through the local HTTP host, as curl and fetch send it', async () => {
    const post = (headers: Record<string, string>, body: string | Uint8Array) => fetch(`${base}/v2/invoice/create`, { method: 'POST', headers: { authorization: `Token ${apiKey}`, ...headers }, body });
    // curl -d '{...}': curl's default type.
    const curl = await post({ 'content-type': 'application/x-www-form-urlencoded' }, json());
    expect(curl.status).toBe(400);
    expect(((await curl.json()) as { result: { content_type: string } }).result.content_type).toMatch(HEADER_ADVICE);
    // fetch with a string body and no header: text/plain.
    const plain = await post({}, json());
    expect(plain.status).toBe(400);
    expect(((await plain.json()) as { result: { content_type: string } }).result.content_type).toContain("says 'text/plain'");
    // Bytes and no header: no Content-Type at all, sniffed as JSON.
    const bare = await post({}, new TextEncoder().encode(json()));
    expect(bare.status).toBe(200);
    // And the form a CryptoCloud client sends still works.
    const form = await post({ 'content-type': 'application/x-www-form-urlencoded' }, `shop_id=${shopId}&amount=10&currency=USD`);
    expect(form.status).toBe(200);
  });
});
