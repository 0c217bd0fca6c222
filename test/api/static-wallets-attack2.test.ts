/**
 * Attacks on a static wallet's `identify` through the real create handler (no chain needed): the
 * customer id is the wallet's key (one customer, one currency, one address) and is echoed as
 * `order_id` in every postback (reference §1.8), so two customers must never share a wallet and
 * the id echoed must be the one sent. Each test here fails on the code it was written against.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { call, newProject, useTestGateway } from '../support/gateway';

let shop: Awaited<ReturnType<typeof newProject>>;

beforeAll(async () => {
  await useTestGateway();
  shop = await newProject({ name: 'Top-ups' });
});

type Created = { uuid: string; address: string };
type Listed = { static_wallets: { uuid: string; identify: string }[] };

/** The create call with `identify` written into the JSON text as given: a number's digits reach the parser exactly as a client sent them. */
const createRaw = (identifyJson: string) =>
  call('invoice.static_create', { apiKey: shop.apiKey, rawBody: `{"shop_id":${JSON.stringify(shop.shopId)},"currency":"USDT_ERC20","identify":${identifyJson}}` });

const listed = async () => ((await call('api.static_wallet.list', { apiKey: shop.apiKey, contentType: null, query: { limit: '100' } })).body.result as Listed).static_wallets;

describe('identify sent as a JSON number', () => {
  // What an attacker gains: shops whose customer ids are 64-bit integers (Snowflake-style ids, PHP
  // ints) send them as JSON numbers, which create accepts ("a number is a customer id too"). Past
  // 2^53 the parsed number is rounded, so neighbouring customers (ids within 256 of each other
  // around 1.2e18) get one and the same deposit address, and every postback's order_id is the
  // rounded id, which names neither of them, or names whichever customer owns the rounded id: an
  // attacker who signs up next to a victim is shown the victim's address, or gets the victim's
  // deposits credited to himself. Either refuse a number that is not a safe integer (a 400 that says
  // to send the id as a string) or keep the digits as sent.
  it('two customers whose ids differ are never given the same wallet, and the id is echoed as sent', async () => {
    const alice = await createRaw('1234567890123456789');
    const mallory = await createRaw('1234567890123456790');
    if (alice.status === 400 || mallory.status === 400) {
      // Refused with the envelope (the fix that keeps ids exact by asking for strings).
      expect(alice.body.status).toBe('error');
      return;
    }
    expect(alice.status).toBe(200);
    expect(mallory.status).toBe(200);
    const [a, m] = [alice.body.result as Created, mallory.body.result as Created];
    expect(m.address, 'two customers, one deposit address').not.toBe(a.address);
    expect((await listed()).find((w) => w.uuid === a.uuid)?.identify).toBe('1234567890123456789');
  });
});

describe('identify that is not well-formed Unicode', () => {
  // What an attacker gains: the identify lookup is keyed by sha256 of the text, and Node hashes a
  // string as UTF-8, turning every lone surrogate into U+FFFD. So 'bob\uD800', 'bob\uDBFF' and
  // 'bob\uFFFD' (three different customer ids; a UTF-16 cut of an emoji name leaves the first
  // kind) are one wallet, and the wallet keeps the first caller's text: the second customer is
  // shown the first one's address and their deposits are posted back under the first one's id.
  // The stored lone surrogate is also no valid JSON text for strict parsers (PHP's json_decode
  // refuses it) and comes out as U+FFFD in form postbacks. Refuse it: identify.isWellFormed().
  it('is refused with the envelope, or kept apart: distinct ids never collapse into one wallet', async () => {
    const first = await createRaw('"bob\\ud800"');
    const second = await createRaw('"bob\\udbff"');
    const third = await createRaw('"bob\\ufffd"');
    if (first.status === 400) {
      expect(first.body).toMatchObject({ status: 'error', result: { identify: expect.any(String) } });
      expect(second.status).toBe(400);
      return;
    }
    const uuids = [first, second, third].map((r) => (r.body.result as Created).uuid);
    expect(new Set(uuids).size, 'three customer ids, one wallet').toBe(3);
  });
});
