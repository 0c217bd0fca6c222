/**
 * Tron watcher and crediting figures (issue 11), on the TronGrid simulator and DynamoDB Local:
 * - TronGrid calls per scanned 100-block range with 1, 100 and 10,000 watched deposit addresses
 *   (target: flat, ratio <= 1.1), per endpoint;
 * - blocks scanned per second (a 2,000-block backlog);
 * - time from the solidifying block to the invoice being `paid`, p50/p99: the schedule's next
 *   watcher pass, the observations queue (the local SQS engine) and the real crediting Lambda
 *   handler fed by the local event source mapping. A deployed watcher polls about once per block
 *   (3 s on Tron), so it adds up to one block time of waiting on top (half of it at p50).
 */
import { randomBytes } from 'node:crypto';
import { BatchWriteCommand } from '@aws-sdk/lib-dynamodb';
import '../functions/kit/chains-tron';
import { resetRuntime, runtime, watcherDeps } from '../functions/kit/deps';
import { accountXpub, DEVNET_RATES } from '../lib/local/dev-defaults';
import { ANVIL_MNEMONIC } from '../lib/local/engines/devnet';
import { ensureTable, startDynamo } from '../lib/local/engines/dynamodb';
import { startQueues } from '../lib/local/engines/queues';
import { type SqsHandler, startQueueConsumers } from '../lib/local/queue-host';
import { DEFAULT_SOLIDIFY_DEPTH, SIMULATED_TOKENS, startTronGridSimulator } from '../lib/local/simulators/trongrid-simulator';
import { tronHexToBase58 } from '../lib/local/simulators/trongrid/encoding';
import { queueEnvironment, queues as queueSpecs } from '../lib/manifest';
import { makeDocumentClient } from '../shared/adapters/dynamo/client';
import { keys } from '../shared/adapters/dynamo/keys';
import { sha256Hex } from '../shared/adapters/ids';
import { watchPass, WatchSet } from '../shared/app/chain-watcher';
import { createProject } from '../shared/app/projects';
import type { ChainDeployment } from '../shared/domain/chains';
import { workOffBacklog } from './watcher';
import { isoTime } from '../shared/domain/time';
import { createTestInvoice } from '../test/support/builders';

const RANGE = 100;
/** Transfers in each measured range: half USDT (each a block that needs its info read), half TRX. */
const TRANSFERS_PER_RANGE = 10;
const BACKLOG_BLOCKS = 2_000;
const WATCHED = [1, 100, 10_000] as const;
const round = (n: number) => Math.round(n * 1000) / 1000;
const percentile = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)];
};
const randomTronAddress = () => tronHexToBase58(`41${randomBytes(20).toString('hex')}`);

/** Its own engines, table, queues and simulator; all of them stopped at the end. */
async function withTronRuntime<T>(run: (env: Awaited<ReturnType<typeof setUp>>) => Promise<T>): Promise<T> {
  const dynamo = await startDynamo();
  const queues = await startQueues();
  const sim = await startTronGridSimulator({ blockIntervalMs: null, solidifyDepth: DEFAULT_SOLIDIFY_DEPTH, log: () => {} });
  try {
    return await run(await setUp(dynamo.endpoint, queues, sim));
  } finally {
    await sim.close();
    await queues.stop();
    await dynamo.stop();
  }
}

async function setUp(dynamoEndpoint: string, queues: Awaited<ReturnType<typeof startQueues>>, sim: Awaited<ReturnType<typeof startTronGridSimulator>>) {
  const table = `bench_${randomBytes(4).toString('hex')}`;
  await ensureTable(dynamoEndpoint, table);
  const tokens = { USDT_TRC20: SIMULATED_TOKENS.USDT.address, USDD_TRC20: SIMULATED_TOKENS.USDD.address };
  Object.assign(process.env, {
    TABLE_NAME: table,
    DYNAMODB_ENDPOINT: dynamoEndpoint,
    SQS_ENDPOINT: queues.endpoint,
    ...queueEnvironment(queues.urls),
    PUBLIC_BASE_URL: 'http://localhost',
    TRON_XPUB: accountXpub(ANVIL_MNEMONIC, 'tron'),
    RATES_MODE: 'fixed',
    RATES_FIXED_JSON: JSON.stringify(DEVNET_RATES),
    PROJECT_SECRETS_KEY: randomBytes(32).toString('base64'),
    CHAINS_JSON: JSON.stringify({ tron: { rpcUrls: [sim.url], devnet: true, tokens, confirmations: { normal: { tag: 'solidified' } } } }),
    LOG_LEVEL: 'error',
  });
  delete process.env.EVM_CHAINS_JSON;
  resetRuntime();
  const { deps, chainState } = runtime();
  const deployment = deps.chains.find((d) => d.chain === 'tron') as ChainDeployment;
  const watcher = watcherDeps('tron');
  return { table, deps, chainState, deployment, watcher, reader: watcher.reader, sim, queues, db: makeDocumentClient({ region: 'us-east-1', endpoint: dynamoEndpoint }) };
}

type Env = Awaited<ReturnType<typeof setUp>>;

/** Moves the watcher's checkpoint to `start`, so its next pass scans from `start + 1`. */
async function checkpointAt(env: Env, start: number) {
  const head = await env.reader.head();
  const cp = await env.chainState.get('tron');
  const hash = (await env.reader.blockHash(start)) ?? '';
  await env.chainState.save({ chain: 'tron', cursor: start, cursorTime: null, recent: [{ number: start, hash }], head, headAt: Date.now(), version: (cp?.version ?? 0) + 1 }, cp?.version ?? 0);
}

const pathCounts = (requests: Record<string, number>) => ({ ...requests });
const delta = (after: Record<string, number>, before: Record<string, number>) =>
  Object.fromEntries(Object.entries(after).flatMap(([path, n]) => (n - (before[path] ?? 0) > 0 ? [[path, n - (before[path] ?? 0)]] : [])));

export async function tronScanFigures() {
  return withTronRuntime(async (env) => {
    const { sim, reader, watcher, deployment, chainState } = env;
    const claimed: string[] = [];
    /** Watched as the allocator writes them: both indexes, so the watcher's full load and its refresh see them. */
    const claimUpTo = async (n: number) => {
      const now = Date.now();
      const items = [];
      while (claimed.length < n) {
        const address = randomTronAddress();
        claimed.push(address);
        items.push({
          ...keys.address('tron', address),
          ...keys.watchIndex('tron', isoTime(now), address),
          ...keys.watchUntilIndex('tron', isoTime(now + 86_400_000), address),
          type: 'address',
          chain: 'tron',
          address,
          invoiceId: 'BENCH',
          claimedAt: now,
          watchUntil: now + 86_400_000,
        });
      }
      for (let i = 0; i < items.length; i += 25) {
        await env.db.send(new BatchWriteCommand({ RequestItems: { [env.table]: items.slice(i, i + 25).map((Item) => ({ PutRequest: { Item } })) } }));
      }
    };

    const callsPerRange: Record<string, number> = {};
    const callsPerEndpoint: Record<string, Record<string, number>> = {};
    const observations: Record<string, number> = {};
    const watchedLoaded: Record<string, number> = {};
    for (const open of WATCHED) {
      await claimUpTo(open);
      // A range with traffic: USDT and TRX transfers, one per block, to strangers and to one watched address.
      for (let i = 0; i < TRANSFERS_PER_RANGE; i += 1) {
        const to = i === 0 ? claimed[0] : randomTronAddress();
        sim.transfer({ to, amount: 1_000n, token: i % 2 === 0 ? 'USDT' : undefined, mine: true });
      }
      sim.mine(RANGE - TRANSFERS_PER_RANGE);
      await checkpointAt(env, sim.info().head.number - RANGE);
      const watchSet = new WatchSet('tron', chainState);
      await watchSet.refresh(Date.now());
      watchedLoaded[`open_${open}`] = watchSet.size;
      const before = reader.calls;
      const requestsBefore = pathCounts(sim.requests);
      const pass = await watchPass(watcher, deployment, watchSet);
      if (pass.scanned !== RANGE) throw new Error(`expected a ${RANGE}-block pass, scanned ${pass.scanned}`);
      callsPerRange[`open_${open}`] = reader.calls - before;
      callsPerEndpoint[`open_${open}`] = delta(sim.requests, requestsBefore);
      observations[`open_${open}`] = pass.observations;
    }

    // Throughput: a backlog worked off pass after pass (a transfer every 10th block, alternating USDT and TRX).
    for (let i = 0; i < BACKLOG_BLOCKS; i += 10) {
      sim.transfer({ to: randomTronAddress(), amount: 1_000n, token: (i / 10) % 2 === 0 ? 'USDT' : undefined, mine: true });
      sim.mine(9);
    }
    await checkpointAt(env, sim.info().head.number - BACKLOG_BLOCKS);
    const watchSet = new WatchSet('tron', chainState);
    const callsBefore = reader.calls;
    const { scanned, seconds } = await workOffBacklog(watcher, deployment, watchSet);
    const values = Object.values(callsPerRange);
    return {
      trongrid_calls_per_100_block_range: callsPerRange,
      trongrid_calls_per_endpoint: callsPerEndpoint,
      trongrid_calls_ratio_max_to_min: round(Math.max(...values) / Math.min(...values)),
      trongrid_calls_target_ratio_max: 1.1,
      transfers_per_range: TRANSFERS_PER_RANGE,
      watched_addresses_loaded: watchedLoaded,
      observations_per_range: observations,
      blocks_scanned: scanned,
      blocks_per_second: round(scanned / seconds),
      trongrid_calls_per_1000_blocks_backlog: round(((reader.calls - callsBefore) / scanned) * 1000),
    };
  });
}

/**
 * Solidifying block → `paid`: each payment is seen first (pending), then the block that
 * solidifies it is mined and the clock starts; the watcher's next pass reports it due, and the
 * crediting handler (behind the local event source mapping) credits it.
 */
export async function tronSolidifiedToPaid(payments: number) {
  return withTronRuntime(async (env) => {
    const { sim, watcher, deployment, chainState, deps } = env;
    const made = await createProject(deps, sha256Hex, { name: 'Tron bench shop', patch: {}, now: deps.clock.now() });
    if (!made.ok) throw new Error(JSON.stringify(made.error));
    const project = made.value.project;
    const crediting: Promise<SqsHandler> = import('../functions/queues/crediting').then((m) => m.handler as unknown as SqsHandler);
    const consumer = startQueueConsumers(env.queues.endpoint, [{ queueUrl: env.queues.urls.observations.url, batchSize: queueSpecs.observations.consumer?.batchSize ?? 10, load: () => crediting }]);
    const watchSet = new WatchSet('tron', chainState);
    const latencies: number[] = [];
    const passMs: number[] = [];
    const until = async (done: () => Promise<boolean>, what: string) => {
      for (const deadline = Date.now() + 30_000; Date.now() < deadline; await new Promise((r) => setTimeout(r, 5))) if (await done()) return;
      throw new Error(`timed out waiting for ${what}`);
    };
    try {
      await watchPass(watcher, deployment, watchSet);
      for (let i = 0; i < payments; i += 1) {
        const invoice = await createTestInvoice(deps, project, { amount: { units: 500n, scale: 2 }, cryptocurrency: i % 2 === 0 ? 'USDT_TRC20' : 'TRX' });
        const s = invoice.selection;
        if (!s) throw new Error('no selection');
        sim.transfer({ to: s.address, amount: s.amountToPay, token: s.code === 'TRX' ? undefined : 'USDT', mine: true });
        await watchPass(watcher, deployment, watchSet);
        await until(async () => ((await deps.invoices.get(invoice.id))?.payments.length ?? 0) > 0, 'the payment to be seen');
        sim.mine(DEFAULT_SOLIDIFY_DEPTH - 1);
        await watchPass(watcher, deployment, watchSet);
        const t0 = performance.now();
        sim.mine(1); // the solidifying block
        await watchPass(watcher, deployment, watchSet);
        passMs.push(performance.now() - t0);
        await until(async () => (await deps.invoices.get(invoice.id))?.status === 'paid', 'paid');
        latencies.push(performance.now() - t0);
      }
    } finally {
      await consumer.stop();
    }
    return {
      payments: latencies.length,
      solidify_depth: DEFAULT_SOLIDIFY_DEPTH,
      solidified_to_paid_p50_ms: round(percentile(latencies, 50)),
      solidified_to_paid_p99_ms: round(percentile(latencies, 99)),
      watcher_pass_p50_ms: round(percentile(passMs, 50)),
      note: 'processing only: a deployed watcher polls about once per 3 s block, adding up to one block time',
    };
  });
}

/** `BENCH_ONLY=tron` runs both through bench/stages.ts; `tsx bench/tron.ts` prints them alone. */
if (process.argv[1] && import.meta.filename === process.argv[1]) {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
  const scan = await tronScanFigures();
  const latency = await tronSolidifiedToPaid(Number(process.env.BENCH_TRON_PAYMENTS ?? 20));
  process.stdout.write(`${JSON.stringify({ tron: { ...scan, ...latency } }, null, 2)}\n`);
}
