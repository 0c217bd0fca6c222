/**
 * The outbound transport's SSRF guard against a real listener on 127.0.0.1 that counts every TCP
 * connection: a refused target must be refused before any connection is made. Host names that
 * must resolve to chosen addresses go through a resolver stand-in (no DNS server runs here);
 * everything after resolution is the real socket path.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GuardedTransport, type Resolver } from '../../shared/adapters/http/guarded-transport';
import { type Receiver, startReceiver } from '../support/postback-receiver';

let listener: Receiver;
beforeAll(async () => {
  listener = await startReceiver();
});
afterAll(async () => {
  await listener?.stop();
});

/** A DNS answer per name, as an attacker's zone would give it. */
const zone: Record<string, string[]> = {
  'loopback.attacker.test': ['127.0.0.1'],
  'metadata.attacker.test': ['169.254.169.254'],
  'private.attacker.test': ['10.0.0.7'],
  'mixed.attacker.test': ['93.184.216.34', '192.168.0.10'],
  'v6.attacker.test': ['::ffff:127.0.0.1'],
  'shop.example.test': ['127.0.0.1'],
};
const resolver: Resolver = async (host) => {
  const answer = zone[host];
  if (!answer) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: 'ENOTFOUND' });
  return answer;
};

const strict = new GuardedTransport({ allowLoopback: false }, resolver);
const post = (transport: GuardedTransport, url: string) => transport.post({ url, body: 'status=success', headers: { 'content-type': 'application/x-www-form-urlencoded' }, timeoutMs: 2_000 });

describe('SSRF guard', () => {
  it.each([
    ['http://127.0.0.1:PORT/postback', /loopback/],
    ['http://localhost:PORT/postback', /localhost/],
    ['http://[::1]:PORT/postback', /loopback/],
    ['http://[::ffff:127.0.0.1]:PORT/postback', /loopback/],
    ['http://loopback.attacker.test:PORT/postback', /resolves to 127\.0\.0\.1 is a loopback/],
    ['http://v6.attacker.test:PORT/postback', /loopback/],
    ['http://metadata.attacker.test/latest/meta-data/', /169\.254\.169\.254 is a link-local/],
    ['http://169.254.169.254/latest/meta-data/', /link-local/],
    ['http://private.attacker.test/cb', /private/],
    ['http://mixed.attacker.test/cb', /192\.168\.0\.10 is a private/],
    ['http://10.1.2.3/cb', /private/],
    ['http://172.20.0.1/cb', /private/],
    ['http://192.168.1.1/cb', /private/],
    ['http://100.64.1.1/cb', /cgnat/],
    ['http://[fd00::1]/cb', /unique-local/],
    ['http://[fe80::1]/cb', /link-local/],
    ['http://0.0.0.0:PORT/cb', /unspecified/],
    ['ftp://shop.example.test/cb', /http or https/],
  ])('%s is refused before any connection', async (template, reason) => {
    const before = listener.connections();
    const out = await post(strict, template.replace('PORT', String(listener.port)));
    expect(out.kind).toBe('refused');
    if (out.kind === 'refused') expect(out.reason).toMatch(reason);
    expect(listener.connections()).toBe(before);
  });

  it('an unknown name is unreachable, with the DNS error, and is retried later like any failure', async () => {
    const out = await post(strict, 'https://nowhere.attacker.test/cb');
    expect(out).toMatchObject({ kind: 'unreachable' });
    if (out.kind === 'unreachable') expect(out.reason).toMatch(/ENOTFOUND/);
  });

  it('connects to the address it checked: the name is resolved once and the Host header keeps the name', async () => {
    // Loopback allowed (the local runtime's setting) so the listener can stand in for the shop.
    const local = new GuardedTransport({ allowLoopback: true }, resolver);
    const before = listener.received.length;
    const out = await post(local, `http://shop.example.test:${listener.port}/postback?x=1`);
    expect(out).toMatchObject({ kind: 'answered', status: 200 });
    const got = listener.received[before];
    expect(got.headers.host).toBe(`shop.example.test:${listener.port}`);
    expect(got.path).toBe('/postback?x=1');
    // Private and metadata addresses stay refused even with loopback allowed.
    expect((await post(local, 'http://metadata.attacker.test/')).kind).toBe('refused');
    expect((await post(local, 'http://private.attacker.test/')).kind).toBe('refused');
  });

  it('a name whose answer changes after the check (rebinding) still reaches only the checked address', async () => {
    let calls = 0;
    // First answer: the shop (loopback stands in for its public address); any later one: metadata.
    const rebinding: Resolver = async () => (calls++ === 0 ? ['127.0.0.1'] : ['169.254.169.254']);
    const local = new GuardedTransport({ allowLoopback: true }, rebinding);
    const out = await post(local, `http://rebind.attacker.test:${listener.port}/postback`);
    expect(out).toMatchObject({ kind: 'answered', status: 200 });
    expect(calls).toBe(1);
  });
});
