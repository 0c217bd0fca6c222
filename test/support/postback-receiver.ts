/**
 * A merchant's postback listener, for real: an HTTP server on 127.0.0.1 that verifies each
 * postback the way a shop would, with jose for the JWT and the README's recipe for the
 * Tollgate-Signature header, and answers as the test scripts it (status codes, or hanging).
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { jwtVerify } from 'jose';
import { parseSignatureHeader } from '../../shared/domain/postbacks';

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

/** Verifies a Tollgate-Signature header against `secret`, as the README shows merchants. */
export function verifySignature(header: string | undefined, rawBody: string, secret: string, nowSeconds: number, toleranceSeconds = 300): boolean {
  const parsed = parseSignatureHeader(header ?? '');
  if (!parsed || Math.abs(nowSeconds - parsed.t) > toleranceSeconds) return false;
  const expected = createHmac('sha256', secret).update(`${parsed.t}.${rawBody}`).digest();
  return parsed.signatures.some((s) => {
    const got = Buffer.from(s, 'hex');
    return got.length === expected.length && timingSafeEqual(got, expected);
  });
}

/** The JWT's claims when it verifies with `secret` (HS256, unexpired), else the reason. */
export async function verifyToken(token: unknown, secret: string): Promise<{ ok: true; claims: Record<string, unknown> } | { ok: false; reason: string }> {
  try {
    const { payload } = await jwtVerify(String(token), new TextEncoder().encode(secret), { algorithms: ['HS256'] });
    return { ok: true, claims: payload };
  } catch (e) {
    return { ok: false, reason: e instanceof Error ? e.message : String(e) };
  }
}

export async function startReceiver(answer: (n: number, r: Received) => Answer = () => ({ status: 200, body: '{"message":"Postback received"}' })) {
  const received: Received[] = [];
  let connections = 0;
  const hanging = new Set<() => void>();
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      const form = (req.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded');
      let fields: Record<string, unknown> = {};
      try {
        fields = form ? Object.fromEntries(new URLSearchParams(raw)) : (JSON.parse(raw) as Record<string, unknown>);
        if (form && typeof fields.invoice_info === 'string') fields.invoice_info = JSON.parse(fields.invoice_info);
      } catch {
        fields = {};
      }
      const r: Received = { at: Date.now(), path: req.url ?? '', headers: req.headers, raw, fields, format: form ? 'form' : 'json' };
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
