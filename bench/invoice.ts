/**
 * Invoice-create latency and throughput over the local HTTP path (1 and 16 concurrent clients)
 * against the same DynamoDB Local engine's bare PutItem. The gateway runs here; the load comes
 * from a separate process (bench/load.ts), as a shop's client would. Target: create p50 /
 * PutItem p50 <= 2.0.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort } from '../lib/local/engines/dynamodb';
import { LOCAL_TABLE_NAME, startGateway } from '../lib/local/gateway';

type Figures = { requests: number; concurrency: number; p50_ms: number; p99_ms: number; throughput_per_s: number };
const round = (n: number) => Math.round(n * 1000) / 1000;

export async function invoiceCreateBench() {
  const dataDir = mkdtempSync(join(tmpdir(), 'tollgate-bench-'));
  const gateway = await startGateway({ dataDir, port: await freePort(), inMemory: true, env: { LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'warn' } });
  try {
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'load.ts')], {
      env: {
        ...process.env,
        BENCH_URL: gateway.url,
        BENCH_API_KEY: gateway.demo.api_key,
        BENCH_SHOP_ID: gateway.demo.shop_id,
        BENCH_DYNAMODB: process.env.DYNAMODB_ENDPOINT,
        BENCH_TABLE: LOCAL_TABLE_NAME,
      },
      maxBuffer: 1 << 20,
    });
    const f = JSON.parse(stdout) as Record<'createSequential' | 'createConcurrent' | 'putSequential' | 'putConcurrent' | 'hop', Figures>;
    const ratio = round(f.createSequential.p50_ms / f.putSequential.p50_ms);
    const ratio16 = round(f.createConcurrent.p50_ms / f.putConcurrent.p50_ms);
    return {
      invoice_create: { clients_1: f.createSequential, clients_16: f.createConcurrent },
      baseline_put_item: { clients_1: f.putSequential, clients_16: f.putConcurrent },
      http_hop_health_p50_ms: f.hop.p50_ms,
      ratio_create_p50_to_put_item_p50: ratio,
      ratio_16_clients: ratio16,
      target_ratio_max: 2.0,
      target_met: ratio <= 2.0,
    };
  } finally {
    await gateway.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
