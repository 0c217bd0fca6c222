/**
 * A load-balanced JSON-RPC provider in front of a real node (the devnet): some HTTP requests are
 * answered by a node that lags `lagHead` (its head is that block; it knows no later one), as a
 * provider's pool serves requests from nodes at different heights. The lagging node answers as
 * nodes do (anvil included): `eth_getLogs` up to a `toBlock` it does not have yet is clamped to
 * its head (an empty or short list, no error); later blocks' headers and receipts are null.
 * `mangleBatch` rewrites the answer array of a batch (drop, reorder, break one), as buggy
 * providers do. node:http only; the lagging view is computed from the real node's answers.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

type Call = { jsonrpc: '2.0'; id: unknown; method: string; params: unknown[] };
type Answer = { jsonrpc: '2.0'; id: unknown; result?: unknown; error?: { code: number; message: string } };

export type LaggingRpcProxy = {
  url: string;
  /** The lagging node's head; null: every node is current. */
  lagHead: number | null;
  /** Which requests the lagging node serves (the calls of one HTTP request): default, those holding an `eth_getLogs`. */
  routeToLagging: (calls: Call[]) => boolean;
  /** Rewrites a batch answer (an array); default: as is. */
  mangleBatch: ((answers: Answer[], calls: Call[]) => unknown) | null;
  /** Runs before a request is answered (the world moving between a client's calls); may clear itself. */
  beforeAnswer: ((calls: Call[]) => Promise<void>) | null;
  /** HTTP requests the lagging node served. */
  laggingServed: number;
  stop(): Promise<void>;
};

async function upstream(target: string, call: Call): Promise<Answer> {
  const res = await fetch(target, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(call) });
  return (await res.json()) as Answer;
}

const num = (v: unknown): number | null => (typeof v === 'string' && v.startsWith('0x') ? Number(v) : null);

/** One call as a node whose head is `lagHead` answers it. */
async function laggingAnswer(target: string, call: Call, lagHead: number): Promise<Answer> {
  const hex = `0x${lagHead.toString(16)}`;
  if (call.method === 'eth_blockNumber') return { jsonrpc: '2.0', id: call.id, result: hex };
  if (call.method === 'eth_getBlockByNumber') {
    const [tag, full] = call.params as [string, boolean];
    if (tag === 'latest') return upstream(target, { ...call, params: [hex, full] });
    const n = num(tag);
    if (n !== null && n > lagHead) return { jsonrpc: '2.0', id: call.id, result: null };
  }
  if (call.method === 'eth_getLogs') {
    const [filter] = call.params as [{ fromBlock?: string; toBlock?: string }];
    const from = num(filter.fromBlock);
    const to = num(filter.toBlock);
    if (from !== null && from > lagHead) return { jsonrpc: '2.0', id: call.id, result: [] };
    if (to !== null && to > lagHead) return upstream(target, { ...call, params: [{ ...filter, toBlock: hex }] });
  }
  if (call.method === 'eth_getTransactionReceipt') {
    const answer = await upstream(target, call);
    const n = num((answer.result as { blockNumber?: string } | null)?.blockNumber);
    return n !== null && n > lagHead ? { ...answer, result: null } : answer;
  }
  return upstream(target, call);
}

export async function startLaggingRpcProxy(target: string): Promise<LaggingRpcProxy> {
  const proxy: LaggingRpcProxy = {
    url: '',
    lagHead: null,
    routeToLagging: (calls) => calls.some((c) => c.method === 'eth_getLogs'),
    mangleBatch: null,
    beforeAnswer: null,
    laggingServed: 0,
    stop: async () => {},
  };
  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Call | Call[];
    const calls = Array.isArray(body) ? body : [body];
    if (proxy.beforeAnswer) await proxy.beforeAnswer(calls);
    const lagHead = proxy.lagHead;
    const lagging = lagHead !== null && proxy.routeToLagging(calls);
    if (lagging) proxy.laggingServed += 1;
    const answers = await Promise.all(calls.map((c) => (lagging ? laggingAnswer(target, c, lagHead) : upstream(target, c))));
    const out = Array.isArray(body) ? (proxy.mangleBatch ? proxy.mangleBatch(answers, calls) : answers) : answers[0];
    const text = JSON.stringify(out);
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
    res.end(text);
  };
  const server = createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      if (!res.headersSent) res.writeHead(502).end(String(e));
      else res.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  proxy.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  proxy.stop = () =>
    new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  return proxy;
}
