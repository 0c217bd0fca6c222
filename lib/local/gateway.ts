/**
 * The whole gateway in one process (DESIGN §7): local DynamoDB, local queues, the scheduler and
 * the HTTP API on one port, all reading lib/manifest.ts and running the real handlers.
 */
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { join, resolve } from 'node:path';
import { resetRuntime, runtime } from '../../functions/kit/deps';
import { sha256Hex } from '../../shared/adapters/ids';
import { createProject } from '../../shared/app/projects';
import { type DynamoEngine, ensureTable, startDynamo } from './engines/dynamodb';
import { type LocalQueues, startQueues } from './engines/queues';
import { demoPath, loadOrCreateSecrets, localEnvironment, runtimePath } from './dev-defaults';
import { createHttpHost } from './http-host';
import { serveIcon } from './icons';
import { startSchedules } from './schedule-host';

export const LOCAL_TABLE_NAME = 'tollgate';

/** Settings a developer may override through the environment. */
const PASSTHROUGH = ['LOG_LEVEL', 'RATES_MODE', 'RATES_COINBASE_URL', 'RATES_BINANCE_URL', 'RATES_EXCHANGERATE_URL', 'RATE_LOCK_MINUTES', 'PUBLIC_BASE_URL'];

export type DemoProject = { shop_id: string; api_key: string; secret_key: string };

export type Gateway = {
  url: string;
  port: number;
  dataDir: string;
  demo: DemoProject;
  adminToken: string;
  createdDemo: boolean;
  stop(): Promise<void>;
};

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Two gateways on one data folder would corrupt the engine's files: refuse the second. */
function claimDataDir(dataDir: string): void {
  const path = runtimePath(dataDir);
  if (!existsSync(path)) return;
  const running = JSON.parse(readFileSync(path, 'utf8')) as { pid?: number; url?: string };
  if (running.pid && running.pid !== process.pid && isAlive(running.pid)) {
    throw new Error(`another gateway (pid ${running.pid}, ${running.url}) already uses ${dataDir}; stop it or set TOLLGATE_DATA_DIR to another folder`);
  }
}

export async function startGateway(options: { dataDir: string; port: number; env?: Record<string, string | undefined>; inMemory?: boolean }): Promise<Gateway> {
  const dataDir = resolve(options.dataDir);
  const userEnv = options.env ?? {};
  claimDataDir(dataDir);
  const secrets = loadOrCreateSecrets(dataDir);
  let dynamo: DynamoEngine | null = null;
  let queues: LocalQueues | null = null;
  let server: Server | null = null;
  let schedules: ReturnType<typeof startSchedules> | null = null;
  const stop = async () => {
    schedules?.stop();
    await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
    await queues?.stop();
    await dynamo?.stop();
    rmSync(runtimePath(dataDir), { force: true });
  };
  try {
    dynamo = await startDynamo(options.inMemory ? {} : { dataDir: join(dataDir, 'dynamodb') });
    await ensureTable(dynamo.endpoint, LOCAL_TABLE_NAME);
    queues = await startQueues();
    const env = localEnvironment({
      port: options.port,
      tableName: LOCAL_TABLE_NAME,
      dynamoEndpoint: dynamo.endpoint,
      sqsEndpoint: queues.endpoint,
      queueUrls: { postbacks: queues.urls.postbacks.url },
      secrets,
      overrides: Object.fromEntries(PASSTHROUGH.map((k) => [k, userEnv[k]])),
    });
    Object.assign(process.env, env);
    resetRuntime();

    const { demo, created } = await ensureDemoProject(dataDir);
    server = createHttpHost({ extra: serveIcon });
    const listening = server;
    await new Promise<void>((ok, fail) => {
      listening.once('error', fail);
      listening.listen(options.port, () => ok());
    });
    const address = listening.address();
    const port = typeof address === 'object' && address ? address.port : options.port;
    schedules = startSchedules({ onError: (id, e) => runtime().deps.log.error('schedule.fault', { schedule: id, error: String(e) }) });
    const url = `http://localhost:${port}`;
    writeFileSync(runtimePath(dataDir), JSON.stringify({ pid: process.pid, url, port, startedAt: new Date().toISOString() }, null, 2));
    return { url, port, dataDir, demo, adminToken: secrets.adminToken, createdDemo: created, stop };
  } catch (e) {
    await stop().catch(() => {});
    throw e;
  }
}

/**
 * The demo project is created once per data folder. Its keys are kept in the data folder (local
 * convenience only; a deployed stack shows a secret exactly once).
 */
async function ensureDemoProject(dataDir: string): Promise<{ demo: DemoProject; created: boolean }> {
  const path = demoPath(dataDir);
  if (existsSync(path)) return { demo: JSON.parse(readFileSync(path, 'utf8')) as DemoProject, created: false };
  const { deps } = runtime();
  const made = await createProject(deps, sha256Hex, { name: 'Demo shop', patch: {}, now: deps.clock.now() });
  if (!made.ok) throw new Error(`could not create the demo project: ${JSON.stringify(made.error)}`);
  const demo = { shop_id: made.value.project.shopId, api_key: made.value.keys.apiKey, secret_key: made.value.keys.secretKey };
  writeFileSync(path, JSON.stringify(demo, null, 2), { mode: 0o600 });
  return { demo, created: true };
}
