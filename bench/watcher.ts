/**
 * Watcher and crediting figures (issue: EVM payments), on anvil and DynamoDB Local:
 * - RPC calls per scanned 100-block range with 1, 100 and 10,000 watched deposit addresses
 *   (target: flat, ratio <= 1.1);
 * - blocks scanned per second on the devnet;
 * - time from the confirming block to the invoice being `paid`, p50/p99, through the whole local
 *   runtime (interval mining every second, the watcher schedule, the SQS poller, the HTTP API).
 */
import { BatchWriteCommand } from '@aws-sdk/lib-dynamodb';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { resetRuntime, runtime, watcherDeps } from '../functions/kit/deps';
// The bench drives the watcher directly, not through the entry that registers the EVM reader.
import '../functions/kit/chains-evm';
import { devnetChainSettings, DEVNET_RATES, evmAccountXpub } from '../lib/local/dev-defaults';
import { ensureTable, freePort, startDynamo } from '../lib/local/engines/dynamodb';
import { ANVIL_MNEMONIC, devnetPay, mine, rpc, startDevnet } from '../lib/local/engines/devnet';
import { startQueues } from '../lib/local/engines/queues';
import { queueEnvironment } from '../lib/manifest';
import { startGateway } from '../lib/local/gateway';
import { startReceiver } from '../test/support/postback-receiver';
import { makeDocumentClient } from '../shared/adapters/dynamo/client';
import { keys } from '../shared/adapters/dynamo/keys';
import { type WatcherDeps, watchPass, WatchSet } from '../shared/app/chain-watcher';
import type { ChainDeployment } from '../shared/domain/chains';
import { isoTime } from '../shared/domain/time';

const RANGE = 100;
const round = (n: number) => Math.round(n * 1000) / 1000;
const percentile = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)];
};

/**
 * A watcher bench's own engines (DynamoDB Local with a fresh table, anvil mining only when told,
 * the local SQS engine) and the runtime's environment pointing at them; `stop` stops them all.
 */
/** `env`: more settings for the stage (merged last). */
export async function startEvmBenchEngines(env: Record<string, string> = {}) {
  const dynamo = await startDynamo();
  const devnet = await startDevnet({ blockTimeSeconds: null });
  const queues = await startQueues();
  const table = `bench_${randomBytes(4).toString('hex')}`;
  const stop = async () => {
    await queues.stop();
    await devnet.stop();
    await dynamo.stop();
  };
  try {
    await ensureTable(dynamo.endpoint, table);
  } catch (e) {
    await stop();
    throw e;
  }
  Object.assign(process.env, {
    TABLE_NAME: table,
    DYNAMODB_ENDPOINT: dynamo.endpoint,
    SQS_ENDPOINT: queues.endpoint,
    ...queueEnvironment(queues.urls),
    PUBLIC_BASE_URL: 'http://localhost',
    EVM_XPUB: evmAccountXpub(ANVIL_MNEMONIC),
    RATES_MODE: 'fixed',
    RATES_FIXED_JSON: JSON.stringify(DEVNET_RATES),
    PROJECT_SECRETS_KEY: randomBytes(32).toString('base64'),
    EVM_CHAINS_JSON: JSON.stringify(devnetChainSettings({ rpcUrl: devnet.rpcUrl, tokens: devnet.tokens })),
    LOG_LEVEL: 'error',
    ...env,
  });
  resetRuntime();
  return { dynamo, devnet, table, stop };
}

/** Its own engines, table and environment; all of them stopped at the end. */
export async function scanFigures() {
  const { dynamo, devnet, table, stop } = await startEvmBenchEngines();
  try {
    const { deps, chainState } = runtime();
    const deployment = deps.chains[0] as ChainDeployment;
    const watcher = watcherDeps('ethereum');
    const reader = watcher.reader;
    const db = makeDocumentClient({ region: 'us-east-1', endpoint: dynamo.endpoint });

    let claimed = 0;
    const claimUpTo = async (n: number) => {
      const now = Date.now();
      const items = [];
      for (; claimed < n; claimed += 1) {
        const address = `0x${randomBytes(20).toString('hex')}`;
        items.push({ ...keys.address('ethereum', address), ...keys.watchIndex('ethereum', isoTime(now), address), ...keys.watchUntilIndex('ethereum', isoTime(now + 86_400_000), address), type: 'address', chain: 'ethereum', address, invoiceId: 'BENCH', claimedAt: now, watchUntil: now + 86_400_000 });
      }
      for (let i = 0; i < items.length; i += 25) {
        await db.send(new BatchWriteCommand({ RequestItems: { [table]: items.slice(i, i + 25).map((Item) => ({ PutRequest: { Item } })) } }));
      }
    };

    // A range with real traffic in it: token and ETH transfers, to strangers.
    const stranger = `0x${'b'.repeat(40)}`;
    const callsPerRange: Record<string, number> = {};
    for (const open of [1, 100, 10_000]) {
      await claimUpTo(open);
      for (let i = 0; i < 10; i += 1) await devnetPay(devnet.rpcUrl, devnet.payerPrivateKey, { token: i % 2 ? null : devnet.tokens.USDT_ERC20, to: stranger, amount: 1000n });
      await mine(devnet.rpcUrl, RANGE - 10);
      const head = await reader.head();
      const start = head.number - RANGE;
      const startHash = (await reader.blockHash(start)) ?? '';
      const cp = await chainState.get('ethereum');
      await chainState.save({ chain: 'ethereum', cursor: start, cursorTime: null, recent: [{ number: start, hash: startHash }], head, headAt: Date.now(), version: (cp?.version ?? 0) + 1 }, cp?.version ?? 0);
      const watchSet = new WatchSet('ethereum', chainState);
      await watchSet.refresh(Date.now());
      const before = reader.calls;
      const pass = await watchPass(watcher, deployment, watchSet);
      if (pass.scanned !== RANGE) throw new Error(`expected a ${RANGE}-block pass, scanned ${pass.scanned}`);
      callsPerRange[`open_${open}`] = reader.calls - before;
    }

    // Throughput: a 2,000-block backlog worked off pass after pass.
    const backlog = 2_000;
    await mine(devnet.rpcUrl, backlog);
    const head = await reader.head();
    const start = head.number - backlog;
    const cp = await chainState.get('ethereum');
    await chainState.save({ chain: 'ethereum', cursor: start, cursorTime: null, recent: [{ number: start, hash: (await reader.blockHash(start)) ?? '' }], head, headAt: Date.now(), version: (cp?.version ?? 0) + 1 }, cp?.version ?? 0);
    const watchSet = new WatchSet('ethereum', chainState);
    const { scanned, seconds } = await workOffBacklog(watcher, deployment, watchSet);
    const values = Object.values(callsPerRange);
    return {
      rpc_calls_per_100_block_range: callsPerRange,
      rpc_calls_ratio_max_to_min: round(Math.max(...values) / Math.min(...values)),
      rpc_calls_target_ratio_max: 1.1,
      watched_addresses: claimed,
      blocks_scanned: scanned,
      blocks_per_second: round(scanned / seconds),
    };
  } finally {
    await stop();
  }
}

/** Confirming block → `paid`, and → the postback received by the shop, through the whole local runtime. */
export async function confirmToPaid(payments: number) {
  const dataDir = mkdtempSync(join(tmpdir(), 'tollgate-bench-'));
  const gateway = await startGateway({ dataDir, port: await freePort(), inMemory: true, env: { LOG_LEVEL: 'warn' } });
  const receiver = await startReceiver();
  try {
    await fetch(`${gateway.url}/admin/projects/${gateway.demo.shop_id}`, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${gateway.adminToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ notification_url: receiver.url }),
    });
    const api = async (path: string, body: unknown) => {
      const res = await fetch(`${gateway.url}${path}`, { method: 'POST', headers: { authorization: `Token ${gateway.demo.api_key}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
      return ((await res.json()) as { result: Record<string, unknown> & Record<string, unknown>[] }).result;
    };
    const confirmations = 3;
    const latencies: number[] = [];
    const postbackLatencies: number[] = [];
    const one = async () => {
      const created = await api('/v2/invoice/create', { shop_id: gateway.demo.shop_id, amount: 5, currency: 'USD', add_fields: { cryptocurrency: 'USDT_ERC20' } });
      const { txHash } = await devnetPay(gateway.devnet.rpc_url, gateway.devnet.payer_private_key, { token: gateway.devnet.tokens.USDT_ERC20, to: String(created.address), amount: 5_000_000n });
      const receipt = await rpc<{ blockNumber: string }>(gateway.devnet.rpc_url, 'eth_getTransactionReceipt', [txHash]);
      const confirming = Number(receipt.blockNumber) + confirmations - 1;
      let confirmedAt = 0;
      let confirmedAtWall = 0;
      for (;;) {
        const now = performance.now();
        if (!confirmedAt && Number(await rpc<string>(gateway.devnet.rpc_url, 'eth_blockNumber')) >= confirming) {
          confirmedAt = now;
          confirmedAtWall = Date.now();
        }
        if (confirmedAt) {
          const info = await api('/v2/invoice/merchant/info', { uuids: [created.uuid] });
          if (info[0]?.status === 'paid') {
            latencies.push(performance.now() - confirmedAt);
            break;
          }
        }
        await new Promise((r) => setTimeout(r, 25));
      }
      const shortId = String(created.uuid).slice(4);
      for (let i = 0; i < 400; i += 1) {
        const got = receiver.received.find((r) => r.fields.invoice_id === shortId);
        if (got) return void postbackLatencies.push(got.at - confirmedAtWall);
        await new Promise((r) => setTimeout(r, 25));
      }
    };
    // A few at a time, as a shop's checkout would see them.
    for (let i = 0; i < payments; i += 5) await Promise.all(Array.from({ length: Math.min(5, payments - i) }, one));
    return {
      payments: latencies.length,
      block_time_ms: 1000,
      confirmations,
      confirm_to_paid_p50_ms: round(percentile(latencies, 50)),
      confirm_to_paid_p99_ms: round(percentile(latencies, 99)),
      postbacks_received: postbackLatencies.length,
      confirm_to_postback_p50_ms: round(percentile(postbackLatencies, 50)),
      confirm_to_postback_p99_ms: round(percentile(postbackLatencies, 99)),
    };
  } finally {
    await receiver.stop();
    await gateway.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** Watcher passes until it has caught up with the head: the blocks scanned and the seconds it took. */
export async function workOffBacklog(watcher: WatcherDeps, deployment: ChainDeployment, watchSet: WatchSet): Promise<{ scanned: number; seconds: number }> {
  const t0 = performance.now();
  let scanned = 0;
  for (;;) {
    const pass = await watchPass(watcher, deployment, watchSet);
    scanned += pass.scanned;
    if (pass.caughtUp) break;
  }
  return { scanned, seconds: (performance.now() - t0) / 1000 };
}
