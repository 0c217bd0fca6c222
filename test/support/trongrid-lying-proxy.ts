/**
 * A lying TronGrid: an HTTP proxy in front of the TronGrid simulator that forwards every request
 * and lets a test rewrite the answer of chosen endpoints (a node that lags, sits on another fork,
 * or answers half a block), the way one node of TronGrid's load-balanced pool can. The chain
 * itself stays the simulator's; only what the adapter is told changes. node:http only.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** Returns the answer to send instead of the true one; undefined sends the true one. */
export type Lie = (path: string, request: Record<string, unknown>, answer: unknown) => unknown;

export type LyingProxy = { url: string; lie: Lie | null; stop(): Promise<void> };

const BODY_BYTES_MAX = 1_000_000;

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > BODY_BYTES_MAX) throw new Error('body too large');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

export async function startLyingProxy(target: string): Promise<LyingProxy> {
  const proxy: LyingProxy = { url: '', lie: null, stop: async () => {} };
  const server: Server = createServer((req, res) => {
    (async () => {
      const text = await readBody(req);
      const path = new URL(req.url ?? '/', 'http://proxy').pathname;
      const upstream = await fetch(`${target}${req.url ?? '/'}`, { method: req.method, headers: { 'content-type': 'application/json' }, body: req.method === 'POST' ? text : undefined });
      const answerText = await upstream.text();
      let out = answerText;
      if (upstream.ok && proxy.lie) {
        const request = text.trim() === '' ? {} : (JSON.parse(text) as Record<string, unknown>);
        const lied = proxy.lie(path, request, JSON.parse(answerText));
        if (lied !== undefined) out = JSON.stringify(lied);
      }
      res.writeHead(upstream.status, { 'content-type': upstream.headers.get('content-type') ?? 'application/json' });
      res.end(out);
    })().catch((e: unknown) => {
      if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' });
      res.end(String(e));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  proxy.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  proxy.stop = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return proxy;
}
