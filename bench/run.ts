/**
 * `npm run bench`: invoice-create latency and throughput over the local HTTP path (1 and 16
 * concurrent clients) against the same DynamoDB Local engine's bare PutItem. Prints JSON.
 * Target: create p50 / PutItem p50 <= 2.0.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { makeDocumentClient } from '../shared/adapters/dynamo/client';
import { freePort } from '../lib/local/engines/dynamodb';
import { LOCAL_TABLE_NAME, startGateway } from '../lib/local/gateway';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

const WARMUP_REQUESTS = 200;
const SEQUENTIAL_REQUESTS = 600;
const CONCURRENT_REQUESTS = 2_000;
const CONCURRENCY = 16;

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
const round = (n: number) => Math.round(n * 1000) / 1000;

async function measure(total: number, concurrency: number, op: (i: number) => Promise<void>) {
  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < total) {
        const i = next++;
        const t = performance.now();
        await op(i);
        latencies.push(performance.now() - t);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return { requests: total, concurrency, p50_ms: round(percentile(latencies, 50)), p99_ms: round(percentile(latencies, 99)), throughput_per_s: round(total / seconds) };
}

async function main() {
  const dataDir = mkdtempSync(join(tmpdir(), 'tollgate-bench-'));
  const gateway = await startGateway({ dataDir, port: await freePort(), inMemory: true, env: { LOG_LEVEL: 'warn' } });
  try {
    const { demo, url } = gateway;
    const body = JSON.stringify({ shop_id: demo.shop_id, amount: 49.99, currency: 'USD', order_id: 'bench' });
    const create = async () => {
      const res = await fetch(`${url}/v2/invoice/create`, { method: 'POST', headers: { authorization: `Token ${demo.api_key}`, 'content-type': 'application/json' }, body });
      if (res.status !== 200) throw new Error(`create answered ${res.status}: ${await res.text()}`);
      await res.arrayBuffer();
    };
    const db = makeDocumentClient({ region: 'us-east-1', endpoint: process.env.DYNAMODB_ENDPOINT });
    // A bare PutItem of an item the size of an invoice, on the same engine and table.
    const filler = 'x'.repeat(1_200);
    const put = async (i: number) => {
      await db.send(new PutCommand({ TableName: LOCAL_TABLE_NAME, Item: { pk: `BENCH#${i}-${Math.random()}`, sk: 'BENCH', filler } }));
    };

    await measure(WARMUP_REQUESTS, 4, create);
    await measure(WARMUP_REQUESTS, 4, put);
    const putSequential = await measure(SEQUENTIAL_REQUESTS, 1, put);
    const createSequential = await measure(SEQUENTIAL_REQUESTS, 1, create);
    const putConcurrent = await measure(CONCURRENT_REQUESTS, CONCURRENCY, put);
    const createConcurrent = await measure(CONCURRENT_REQUESTS, CONCURRENCY, create);
    const ratio = round(createSequential.p50_ms / putSequential.p50_ms);
    process.stdout.write(
      `${JSON.stringify(
        {
          bench: 'invoice-create',
          node: process.version,
          invoice_create: { clients_1: createSequential, clients_16: createConcurrent },
          baseline_put_item: { clients_1: putSequential, clients_16: putConcurrent },
          ratio_create_p50_to_put_item_p50: ratio,
          ratio_16_clients: round(createConcurrent.p50_ms / putConcurrent.p50_ms),
          target_ratio_max: 2.0,
          target_met: ratio <= 2.0,
        },
        null,
        2,
      )}\n`,
    );
  } finally {
    await gateway.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((e) => {
  process.stderr.write(`bench failed: ${e instanceof Error ? e.stack : String(e)}\n`);
  process.exit(1);
});
