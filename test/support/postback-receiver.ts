/**
 * A merchant's postback listener, for real: an HTTP server on 127.0.0.1 that records each
 * postback (verified with the demo listener's checks: jose for the JWT, the README's recipe for
 * the Tollgate-Signature header) and answers as the test scripts it (status codes, or hanging).
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parsePostbackBody } from '../../lib/local/demo-listener';

export { verifySignature, verifyToken } from '../../lib/local/demo-listener';

export type Received = {
  at: number;
  path: string;
  headers: IncomingHttpHeaders;
  raw: string;
  /** Form fields or JSON, with a form's `invoice_info` JSON string decoded. */
  fields: Record<string, unknown>;
  format: 'json' | 'form';
};

export type Answer = { status: number; body?: string; headers?: Record<string, string> } | 'hang';

export async function startReceiver(answer: (n: number, r: Received) => Answer = () => ({ status: 200, body: '{"message":"Postback received"}' })) {
  const received: Received[] = [];
  let connections = 0;
  const hanging = new Set<() => void>();
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      const r: Received = { at: Date.now(), path: req.url ?? '', headers: req.headers, raw, ...parsePostbackBody(raw, req.headers['content-type']) };
      received.push(r);
      const a = answer(received.length, r);
      if (a === 'hang') {
        hanging.add(() => res.destroy());
        return;
      }
      res.writeHead(a.status, { 'content-type': 'text/plain', ...a.headers });
      res.end(a.body ?? '');
    });
  });
  server.on('connection', () => {
    connections += 1;
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', () => ok()));
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    url: `http://127.0.0.1:${port}/postback`,
    received,
    connections: () => connections,
    /** Resolves when `n` postbacks have arrived (or rejects after `timeoutMs`). */
    async waitFor(n: number, timeoutMs = 20_000): Promise<Received[]> {
      const until = Date.now() + timeoutMs;
      while (received.length < n) {
        if (Date.now() > until) throw new Error(`receiver: ${received.length} of ${n} postbacks after ${timeoutMs} ms`);
        await new Promise((r) => setTimeout(r, 25));
      }
      return received.slice(0, n);
    },
    stop: async () => {
      for (const end of hanging) end();
      server.closeAllConnections();
      await new Promise<void>((ok) => server.close(() => ok()));
    },
  };
}

export type Receiver = Awaited<ReturnType<typeof startReceiver>>;
