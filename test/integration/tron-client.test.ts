/**
 * The TronGrid client against real local HTTP servers that fail on purpose (a fault server, not a
 * TronGrid simulator): 429, 503, a hang past the timeout, then a valid getnowblock. Checks the
 * rotation over URLs and keys (which key header each attempt carried), giving up, and that a
 * node error is not retried. Sleep and jitter are injected, so the test waits for nothing.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import * as z from 'zod';
import { TronChainReader } from '../../shared/adapters/chains/tron/tron-reader';
import { TronGridClient, type TronGridClientOptions, TronGridError, type TronGridRetryInfo } from '../../shared/adapters/chains/tron/trongrid-client';

const KEYS = ['key-one-0f3a', 'key-two-9b1c'];
const TIMEOUT_MS = 300;
const BLOCK_ID = `${(56_241_020).toString(16).padStart(16, '0')}${'ab'.repeat(24)}`;
/** A getnowblock answer in java-tron's shape (a block without transactions has no `transactions` key). */
const NOW_BLOCK = {
  blockID: BLOCK_ID,
  block_header: {
    raw_data: { number: 56_241_020, txTrieRoot: '0'.repeat(64), witness_address: `41${'22'.repeat(20)}`, parentHash: `${(56_241_019).toString(16).padStart(16, '0')}${'cd'.repeat(24)}`, version: 30, timestamp: 1_700_000_000_000 },
    witness_signature: 'ee'.repeat(65),
  },
};

type Fault = { status: number; body?: unknown; headers?: Record<string, string> } | 'hang' | 'ok';
type Seen = { server: 'A' | 'B'; path: string; key: string | undefined; body: unknown };

/** Answers come from one shared script, in request order, whichever server gets the request. */
let script: Fault[] = [];
let seen: Seen[] = [];
/** Requests left hanging, ended after each test. */
let hung: ServerResponse[] = [];
const servers: Server[] = [];
const urls: string[] = [];

function faultServer(name: 'A' | 'B') {
  return async (req: IncomingMessage, res: ServerResponse) => {
    let text = '';
    for await (const chunk of req) text += chunk;
    seen.push({ server: name, path: req.url ?? '', key: req.headers['tron-pro-api-key'] as string | undefined, body: JSON.parse(text || 'null') });
    const fault = script.shift() ?? { status: 500 };
    if (fault === 'hang') {
      hung.push(res); // never answers; destroyed after the test
      return;
    }
    const [status, body, headers] = fault === 'ok' ? [200, NOW_BLOCK, {}] : [fault.status, fault.body ?? { message: 'fault' }, fault.headers ?? {}];
    // No keep-alive: each attempt opens its own connection, so one test's sockets cannot fail the next.
    res.writeHead(status, { 'content-type': 'application/json', connection: 'close', ...headers }).end(JSON.stringify(body));
  };
}

beforeAll(async () => {
  for (const name of ['A', 'B'] as const) {
    const server = createServer(faultServer(name));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    servers.push(server);
    urls.push(`http://127.0.0.1:${(server.address() as AddressInfo).port}/${name.toLowerCase()}`);
  }
});

afterEach(() => {
  for (const res of hung) res.destroy();
  hung = [];
  script = [];
  seen = [];
});

afterAll(async () => {
  for (const s of servers) s.closeAllConnections();
  await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
});

function client(extra: Partial<TronGridClientOptions> = {}) {
  const sleeps: number[] = [];
  const retries: TronGridRetryInfo[] = [];
  const c = new TronGridClient({
    urls,
    apiKeys: KEYS,
    timeoutMs: TIMEOUT_MS,
    attempts: 5,
    backoffFirstMs: 100,
    backoffMaxMs: 300,
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    random: () => 1, // the top of the jitter band: the full capped delay
    onRetry: (info) => retries.push(info),
    ...extra,
  });
  return { c, sleeps, retries };
}

describe('TronGrid client', () => {
  it('retries 429, 503 and a timeout, rotating URL and key each time, and stays on the pair that answered', async () => {
    script = [{ status: 429, headers: { 'retry-after': '1' } }, { status: 503 }, 'hang', 'ok', 'ok'];
    const { c, sleeps, retries } = client();
    const reader = new TronChainReader('tron', c);

    const head = await reader.head();

    expect(head).toEqual({ number: 56_241_020, hash: BLOCK_ID });
    expect(seen.map((s) => [s.server, s.path, s.key])).toEqual([
      ['A', '/a/wallet/getnowblock', KEYS[0]],
      ['B', '/b/wallet/getnowblock', KEYS[1]],
      ['A', '/a/wallet/getnowblock', KEYS[0]],
      ['B', '/b/wallet/getnowblock', KEYS[1]],
    ]);
    expect(seen.every((s) => JSON.stringify(s.body) === '{}')).toBe(true);
    expect(retries.map((r) => [r.attempt, r.status])).toEqual([
      [1, 429],
      [2, 503],
      [3, null],
    ]);
    expect(retries[2].error).toMatch(/timeout after 300 ms/);
    // Retry-After (1 s) outranks the first backoff step; then 200, then the 300 ms cap.
    expect(sleeps).toEqual([1000, 200, 300]);
    expect(retries.map((r) => r.delayMs)).toEqual(sleeps);
    expect(reader.calls).toBe(4);
    for (const r of retries) expect(JSON.stringify(r)).not.toMatch(/key-(one|two)/);

    await reader.head();
    expect(seen.at(-1)).toMatchObject({ server: 'B', key: KEYS[1] });
    expect(reader.calls).toBe(5);
  });

  it('gives up after `attempts` with an error naming the chain and the last status, never a key', async () => {
    script = [{ status: 429 }, { status: 502 }, { status: 429 }, 'ok'];
    const { c } = client({ attempts: 3 });

    const failure = await c.post('/wallet/getnowblock', {}, z.unknown()).catch((e: unknown) => e);

    expect(failure).toBeInstanceOf(Error);
    const message = (failure as Error).message;
    expect(message).toMatch(/^tron: TronGrid \/wallet\/getnowblock failed after 3 attempts over 2 URL\(s\); last: HTTP 429$/);
    for (const key of KEYS) expect(message).not.toContain(key);
    expect(seen.map((s) => s.key)).toEqual([KEYS[0], KEYS[1], KEYS[0]]);
    expect(c.calls).toBe(3);
  });

  it('throws a node error ({"Error": ...} with HTTP 200) at once, without retrying', async () => {
    script = [{ status: 200, body: { Error: 'class java.lang.NumberFormatException : For input string: "x"' } }, 'ok'];
    const { c, retries } = client();

    const failure = await c.post('/wallet/getblockbynum', { num: 'x' }, z.unknown()).catch((e: unknown) => e);

    expect(failure).toBeInstanceOf(TronGridError);
    expect((failure as Error).message).toMatch(/NumberFormatException/);
    expect(c.calls).toBe(1);
    expect(retries).toEqual([]);
    expect(seen).toHaveLength(1);
  });

  it('retries an answer that does not match the schema, and fails at once on a plain 400', async () => {
    script = [{ status: 200, body: { blockID: 'not-hex' } }, 'ok'];
    const { c, retries } = client();
    const reader = new TronChainReader('tron', c);
    expect((await reader.head()).hash).toBe(BLOCK_ID);
    expect(retries[0].error).toMatch(/malformed \/wallet\/getnowblock answer: blockID/);

    script = [{ status: 400 }, 'ok'];
    await expect(c.post('/wallet/getnowblock', {}, z.unknown())).rejects.toThrow(/answered HTTP 400/);
    expect(seen).toHaveLength(3);
  });

  it('reads URLs and keys lazily from a source, once, and reads again after a failed read', async () => {
    let reads = 0;
    const source = async () => {
      reads += 1;
      if (reads === 1) throw new Error('secret unreachable');
      return { urls: [urls[1]], apiKeys: [KEYS[1]] };
    };
    const { c } = client({ urls: source, apiKeys: undefined });
    expect(reads).toBe(0);

    await expect(c.post('/wallet/getnowblock', {}, z.unknown())).rejects.toThrow(/secret unreachable/);
    script = ['ok', 'ok'];
    await c.post('/wallet/getnowblock', {}, z.unknown());
    await c.post('/wallet/getnowblock', {}, z.unknown());

    expect(reads).toBe(2);
    expect(seen.map((s) => [s.server, s.key])).toEqual([
      ['B', KEYS[1]],
      ['B', KEYS[1]],
    ]);
  });

  it('sends no key header when no key is configured', async () => {
    script = ['ok'];
    const { c } = client({ apiKeys: [] });
    await c.post('/wallet/getnowblock', {}, z.unknown());
    expect(seen[0].key).toBeUndefined();
  });
});
