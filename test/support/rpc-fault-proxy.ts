/**
 * A JSON-RPC fault simulator: an HTTP proxy in front of a real node (the devnet) that, for a
 * seeded fraction of requests, behaves like a flaky public RPC provider instead of forwarding:
 *
 * - `timeout`: never answers; the socket is closed after `timeoutMs` (the client gives up first
 *   if its own timeout is shorter);
 * - `http5xx`: answers 502 or 503, as a provider's load balancer does;
 * - `truncated`: answers 200 with the real upstream body cut in the middle (invalid JSON).
 *
 * Everything else (batch bodies included) is forwarded and answered verbatim. Decisions come
 * from a PRNG seeded by `seed`, so a run with the same request order injects the same faults.
 * node:http only.
 */
import { createServer, type IncomingMessage, request, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { seededRandom } from '../../lib/local/simulators/seeded-random';

export const FAULT_KINDS = ['timeout', 'http5xx', 'truncated'] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

export type RpcFaultProxyOptions = {
  /** Upstream JSON-RPC URL (http://). */
  target: string;
  /** Probability in [0, 1] that a request gets a fault instead of the real answer. */
  faultRate: number;
  seed?: number;
  /** How long a `timeout` fault holds the socket before closing it. Default 3000. */
  timeoutMs?: number;
  /** Answer every batch (array) body with a JSON-RPC error, as providers without batch support do. */
  refuseBatches?: boolean;
};

export type RpcFaultProxyStats = { requests: number; faults: Record<FaultKind, number> };

export type RpcFaultProxy = {
  url: string;
  stats: RpcFaultProxyStats;
  setFaultRate(rate: number): void;
  stop(): Promise<void>;
};

export const DEFAULT_FAULT_TIMEOUT_MS = 3_000;
/** Request bodies above this are refused with 413: a limit on everything, even in tests. */
export const MAX_PROXY_BODY_BYTES = 5 * 1024 * 1024;
const UPSTREAM_TIMEOUT_MS = 10_000;


function checkRate(rate: number): number {
  if (!(rate >= 0 && rate <= 1)) throw new Error(`faultRate must be within [0, 1], got ${rate}`);
  return rate;
}

function readBody(req: IncomingMessage): Promise<Buffer | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_PROXY_BODY_BYTES) {
        resolve(null);
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

type Upstream = { status: number; contentType: string | undefined; body: Buffer };

function forward(target: URL, body: Buffer): Promise<Upstream> {
  return new Promise((resolve, reject) => {
    const req = request(
      target,
      { method: 'POST', headers: { 'content-type': 'application/json', 'content-length': body.length }, timeout: UPSTREAM_TIMEOUT_MS },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 502, contentType: res.headers['content-type'], body: Buffer.concat(chunks) }));
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`upstream did not answer within ${UPSTREAM_TIMEOUT_MS} ms`)));
    req.on('error', reject);
    req.end(body);
  });
}

function send(res: ServerResponse, status: number, body: Buffer | string, contentType = 'application/json') {
  const buf = typeof body === 'string' ? Buffer.from(body) : body;
  res.writeHead(status, { 'content-type': contentType, 'content-length': buf.length });
  res.end(buf);
}

/** Starts the simulator on a free 127.0.0.1 port. */
export async function startRpcFaultProxy(options: RpcFaultProxyOptions): Promise<RpcFaultProxy> {
  const target = new URL(options.target);
  if (target.protocol !== 'http:') throw new Error(`the fault proxy forwards to http:// targets only, got ${options.target}`);
  let faultRate = checkRate(options.faultRate);
  const timeoutMs = options.timeoutMs ?? DEFAULT_FAULT_TIMEOUT_MS;
  const random = seededRandom(options.seed ?? 1);
  const stats: RpcFaultProxyStats = { requests: 0, faults: { timeout: 0, http5xx: 0, truncated: 0 } };
  const hanging = new Set<NodeJS.Timeout>();

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const body = await readBody(req);
    if (body === null) return send(res, 413, 'request body too large', 'text/plain');
    stats.requests += 1;
    if (options.refuseBatches && body.toString('utf8').trimStart().startsWith('[')) {
      return send(res, 200, JSON.stringify({ jsonrpc: '2.0', id: null, error: { code: -32600, message: 'batch requests are not supported' } }));
    }
    // Draw both numbers for every request so the fault sequence does not depend on faultRate changes.
    const roll = random();
    const kind = FAULT_KINDS[Math.floor(random() * FAULT_KINDS.length)];
    const fault: FaultKind | null = roll < faultRate ? kind : null;
    if (fault) stats.faults[fault] += 1;

    if (fault === 'timeout') {
      const timer = setTimeout(() => {
        hanging.delete(timer);
        req.socket.destroy();
      }, timeoutMs);
      hanging.add(timer);
      return;
    }
    if (fault === 'http5xx') {
      const status = random() < 0.5 ? 502 : 503;
      return send(res, status, status === 502 ? 'Bad Gateway (simulated)' : 'Service Unavailable (simulated)', 'text/plain');
    }
    let upstream: Upstream;
    try {
      upstream = await forward(target, body);
    } catch (e) {
      // A real upstream failure, not an injected one: say so plainly.
      return send(res, 502, `upstream error: ${e instanceof Error ? e.message : String(e)}`, 'text/plain');
    }
    if (fault === 'truncated') {
      // Any strict prefix of a JSON object or array is invalid JSON.
      const cut = upstream.body.subarray(0, Math.max(1, Math.floor(upstream.body.length / 2)));
      return send(res, 200, cut, upstream.contentType);
    }
    return send(res, upstream.status, upstream.body, upstream.contentType);
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      if (!res.headersSent) send(res, 500, `fault proxy error: ${String(e)}`, 'text/plain');
      else res.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    stats,
    setFaultRate: (rate) => {
      faultRate = checkRate(rate);
    },
    stop: () =>
      new Promise<void>((resolve) => {
        for (const timer of hanging) clearTimeout(timer);
        hanging.clear();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
