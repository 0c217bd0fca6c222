/**
 * The go-live probe and postbacks share GuardedTransport: a hostile notification URL must not hold
 * the admin function past its deadline, fill its memory, follow a redirect inward, or reach a
 * name that resolves inward. Real HTTP servers on loopback (allowed here as the local runtime does).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GuardedTransport } from '../../shared/adapters/http/guarded-transport';
import { RESPONSE_SNIPPET_BYTES } from '../../shared/domain/postbacks';

let server: Server;
let base = '';
let bytesSent = 0;
let redirectedHit = false;

beforeAll(async () => {
  server = createServer((req, res) => {
    if (req.url === '/drip') {
      // Headers at once, then one byte every 50 ms forever: only the deadline ends it.
      res.writeHead(200, { 'content-type': 'text/plain' });
      const timer = setInterval(() => res.write('x'), 50);
      res.on('close', () => clearInterval(timer));
      return;
    }
    if (req.url === '/huge') {
      res.writeHead(200, { 'content-type': 'text/plain' });
      const chunk = Buffer.alloc(64 * 1024, 0x61);
      const pump = () => {
        while (bytesSent < 512 * 1024 * 1024) {
          bytesSent += chunk.length;
          if (!res.write(chunk)) return void res.once('drain', pump);
        }
        res.end();
      };
      res.on('close', () => {});
      pump();
      return;
    }
    if (req.url === '/redirect') {
      res.writeHead(307, { location: `${base}/inside` }).end();
      return;
    }
    if (req.url === '/inside') redirectedHit = true;
    res.writeHead(200).end('ok');
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', () => ok()));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((ok) => server.close(() => ok())));

const probe = { body: 'status=check', headers: { 'content-type': 'application/x-www-form-urlencoded' } };

describe('go-live probe through the guarded transport', () => {
  const loopback = new GuardedTransport({ allowLoopback: true });

  it('a body that trickles forever is cut at the deadline', async () => {
    const r = await loopback.post({ url: `${base}/drip`, timeoutMs: 400, ...probe });
    expect(r.kind).toBe('timeout');
    expect(r.latencyMs).toBeLessThan(2_000);
  });

  it('a huge body is read only up to the snippet: the connection is closed long before the server is done', async () => {
    const r = await loopback.post({ url: `${base}/huge`, timeoutMs: 5_000, ...probe });
    expect(r).toMatchObject({ kind: 'answered', status: 200 });
    if (r.kind === 'answered') expect(Buffer.byteLength(r.snippet)).toBeLessThanOrEqual(RESPONSE_SNIPPET_BYTES);
    await new Promise((ok) => setTimeout(ok, 200));
    expect(bytesSent).toBeLessThan(64 * 1024 * 1024);
  });

  it('a redirect to an inside address is an answer, never followed', async () => {
    const r = await loopback.post({ url: `${base}/redirect`, timeoutMs: 2_000, ...probe });
    expect(r).toMatchObject({ kind: 'answered', status: 307 });
    expect(redirectedHit).toBe(false);
  });

  it('on a deployed policy, names resolving to metadata, loopback or LAN (any of their answers) are refused before connecting', async () => {
    const deployed = (answers: string[]) => new GuardedTransport({ allowLoopback: false }, async () => answers);
    for (const answers of [['169.254.169.254'], ['93.184.216.34', '127.0.0.1'], ['::ffff:10.0.0.5'], ['fd00:ec2::254'], ['64:ff9b::a9fe:a9fe'], ['0.0.0.0']]) {
      const r = await deployed(answers).post({ url: 'http://shop.example/cb', timeoutMs: 1_000, ...probe });
      expect(r.kind, answers.join(',')).toBe('refused');
    }
    const creds = await deployed(['93.184.216.34']).post({ url: 'http://user:pass@shop.example/cb', timeoutMs: 1_000, ...probe });
    expect(creds).toMatchObject({ kind: 'refused' });
  });
});
