/**
 * The whole gateway in one process (DESIGN §7): local DynamoDB, local queues, the scheduler and
 * the HTTP API on one port, all reading lib/manifest.ts and running the real handlers.
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { join, resolve } from 'node:path';
import { resetRuntime, runtime } from '../../functions/kit/deps';
import { sha256Hex } from '../../shared/adapters/ids';
import { createInvoice, ownInvoiceCommand } from '../../shared/app/create-invoice';
import { ensureDemoDonation } from '../../shared/app/donations';
import { createProject, updateProject } from '../../shared/app/projects';
import { invoiceUuid, parseInvoiceRef } from '../../shared/domain/ids';
import { payPath } from '../../shared/domain/invoice/invoice';
import { HOUR_MS } from '../../shared/domain/time';
import { servedCodes } from '../../shared/domain/chains';
import { type QueueId, type QueueSpec, queues as queueSpecs } from '../manifest';
import { type DevnetInfo, demoInvoicePath, demoPath, devnetChainSettings, devnetStatePath, hotWalletAddresses, type LocalSecrets, loadOrCreateSecrets, localEnvironment, lockPath, runtimePath } from './dev-defaults';
import { type Devnet, devnetPay, rpc, startDevnet } from './engines/devnet';
import { startTronDevnet, type TronDevnet } from './engines/tron';
import { type DynamoEngine, ensureTable, freePort, LOOPBACK_HOST, startDynamo } from './engines/dynamodb';
import { checkPort, portTaken, SetupProblem } from './engines/setup-advice';
import { chooseDevnetPort, keepDevnetPort } from './devnet-port';
import { type LocalQueues, startQueues } from './engines/queues';
import { createHttpHost } from './http-host';
import { demoListener, demoListenerUrl, isDemoListenerUrl } from './demo-listener';
import { type SqsHandler, startQueueConsumers } from './queue-host';
import { startSchedules } from './schedule-host';
import { startWorkflowHost } from './workflow-host';
import { testWallet } from './test-wallet';

export const LOCAL_TABLE_NAME = 'tollgate';
/** The devnet mines a block a second: the workflows' confirmation and top-up loops poll every 2 s, not 15. */
const LOCAL_LOOP_WAIT_MS = 2_000;

/** Settings a developer may override through the environment. */
const PASSTHROUGH = [
  'LOG_LEVEL',
  'LOG_FORMAT',
  'RATES_MODE',
  'RATES_COINBASE_URL',
  'RATES_BINANCE_URL',
  'RATES_EXCHANGERATE_URL',
  'RATE_LOCK_MINUTES',
  'PUBLIC_BASE_URL',
  'POSTBACK_TIMEOUT_MS',
  'POSTBACK_RETRY_FIRST_SECONDS',
  'POSTBACK_RETRY_MAX_SECONDS',
  'POSTBACK_ALLOW_LOOPBACK',
  'RATE_LIMIT_BROWSE_PER_MINUTE',
  'RATE_LIMIT_CREATE_PER_MINUTE',
];

/** The documented local override: postbacks may reach LAN addresses (lib/local only; README "Local runtime"). */
export const POSTBACK_ALLOW_PRIVATE_ENV = 'TOLLGATE_POSTBACK_ALLOW_PRIVATE';

/** Whether the override is on: 1/true on, unset/empty/0/false off, anything else a SetupProblem. */
export function postbackAllowPrivate(env: Record<string, string | undefined>): boolean {
  const value = (env[POSTBACK_ALLOW_PRIVATE_ENV] ?? '').trim().toLowerCase();
  if (value === '1' || value === 'true') return true;
  if (value === '' || value === '0' || value === 'false') return false;
  throw new SetupProblem('bad_setting', `${POSTBACK_ALLOW_PRIVATE_ENV}=${env[POSTBACK_ALLOW_PRIVATE_ENV]} is not understood.`, [`Set ${POSTBACK_ALLOW_PRIVATE_ENV}=1 to let postbacks reach LAN addresses, or unset it.`]);
}

/** What the HTTP API's port advice says to do. */
const HTTP_PORT_CHOICE = 'PORT=<port> npm start   (PORT=0 picks any free port)';

export type DemoProject = { shop_id: string; api_key: string; secret_key: string };
export type DemoInvoice = { uuid: string; link: string; created: boolean };

export type Gateway = {
  url: string;
  port: number;
  /** The address the HTTP API listens on. */
  host: string;
  dataDir: string;
  demo: DemoProject;
  adminToken: string;
  createdDemo: boolean;
  /** A waiting test invoice of the demo project, so the payment page can be tried at once. */
  demoInvoice: DemoInvoice;
  /** The demo project's donation page (`/donate/demo`), made on the first start. */
  demoDonationLink: string;
  devnet: DevnetInfo;
  /** Said once at start: a devnet port that moved, the private-address override. */
  notices: string[];
  stop(): Promise<void>;
};

/** Waits (bounded) for an orphaned engine to exit after SIGTERM, then SIGKILLs it. */
function stopOrphanEngine(pid: number): void {
  process.kill(pid, 'SIGTERM');
  const deadline = Date.now() + 5_000;
  while (isAlive(pid) && Date.now() < deadline) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 50);
  if (isAlive(pid)) process.kill(pid, 'SIGKILL');
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * Two gateways on one data folder would corrupt the engine's files: the first takes a lock file
 * (created exclusively, so two starting at once cannot both win); a lock left by a dead process
 * is taken over.
 */
function claimDataDir(dataDir: string): () => void {
  mkdirSync(dataDir, { recursive: true });
  const path = lockPath(dataDir);
  for (let attempt = 0; attempt < 2; attempt += 1) {
    try {
      writeFileSync(path, JSON.stringify({ pid: process.pid }), { flag: 'wx' });
      return () => rmSync(path, { force: true });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      const holder = JSON.parse(readFileSync(path, 'utf8') || '{}') as { pid?: number; enginePid?: number; devnetPid?: number };
      if (holder.pid && isAlive(holder.pid)) {
        const url = existsSync(runtimePath(dataDir)) ? (JSON.parse(readFileSync(runtimePath(dataDir), 'utf8')) as { url?: string }).url : 'starting';
        throw new Error(`another gateway (pid ${holder.pid}, ${url}) already uses ${dataDir}; stop it or set TOLLGATE_DATA_DIR to another folder`);
      }
      // The gateway died without stopping (kill -9): its database engine may still hold the files.
      for (const pid of [holder.enginePid, holder.devnetPid]) if (pid && isAlive(pid)) stopOrphanEngine(pid);
      rmSync(path, { force: true });
    }
  }
  throw new Error(`could not lock ${dataDir}`);
}

export async function startGateway(options: {
  dataDir: string;
  port: number;
  /**
   * The address the HTTP API listens on; loopback unless a caller opens it on purpose (`HOST`).
   * The engines behind it (DynamoDB Local, the queues, the devnet) always stay on loopback.
   */
  host?: string;
  env?: Record<string, string | undefined>;
  inMemory?: boolean;
  /** Seconds per devnet block (default 1); null mines one block per transaction. */
  devnetBlockTimeSeconds?: number | null;
  /** Milliseconds per block of the TronGrid simulator (default 3000, Tron's slot); null mines only on request. */
  tronBlockIntervalMs?: number | null;
  /** DynamoDB Local's port (TOLLGATE_DYNAMODB_PORT); any free port by default. */
  dynamoPort?: number;
  /** The devnet's RPC port (TOLLGATE_DEVNET_PORT); by default the one kept in the data folder (devnet-port.ts). */
  devnetPort?: number;
}): Promise<Gateway> {
  const dataDir = resolve(options.dataDir);
  const host = options.host ?? LOOPBACK_HOST;
  const userEnv = options.env ?? {};
  const allowPrivate = postbackAllowPrivate(userEnv);
  // A gateway already on this folder is said first (it is the likeliest holder of the port too).
  const release = claimDataDir(dataDir);
  let secrets: LocalSecrets;
  let port: number;
  try {
    // Before any engine starts: a taken HTTP port is said at once, not after the engines' start.
    if (options.port !== 0) {
      const check = await checkPort(options.port, host);
      if (check !== 'free') throw portTaken({ port: options.port, host, what: 'the HTTP API', choose: HTTP_PORT_CHOICE, denied: check === 'denied' });
    }
    secrets = loadOrCreateSecrets(dataDir);
    // The port is fixed before the handlers' environment, which carries it in payment links.
    port = options.port === 0 ? await freePort() : options.port;
  } catch (e) {
    release();
    throw e;
  }
  let dynamo: DynamoEngine | null = null;
  let queues: LocalQueues | null = null;
  let devnet: Devnet | null = null;
  let tron: TronDevnet | null = null;
  let consumers: { stop(): Promise<void> } | null = null;
  let server: Server | null = null;
  let schedules: ReturnType<typeof startSchedules> | null = null;
  let workflowHost: ReturnType<typeof startWorkflowHost> | null = null;
  const notices: string[] = [];
  const stop = async () => {
    schedules?.stop();
    // Running executions are aborted (an in-memory runner: they do not survive a restart).
    await workflowHost?.stop();
    server?.closeAllConnections();
    await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
    await consumers?.stop();
    await queues?.stop();
    await devnet?.stop();
    await tron?.stop();
    await dynamo?.stop();
    rmSync(runtimePath(dataDir), { force: true });
    release();
  };
  try {
    dynamo = await startDynamo({ ...(options.inMemory ? {} : { dataDir: join(dataDir, 'dynamodb') }), ...(options.dynamoPort !== undefined ? { port: options.dynamoPort } : {}) });
    writeFileSync(lockPath(dataDir), JSON.stringify({ pid: process.pid, enginePid: dynamo.pid }));
    // A kept chain keeps its port too, so a wallet pointed at it keeps working; tests take any port.
    const devnetPort: { port?: number; note: string | null } = options.inMemory ? { port: options.devnetPort, note: null } : await chooseDevnetPort(dataDir, options.devnetPort);
    if (devnetPort.note) notices.push(devnetPort.note);
    const devnetOptions = {
      blockTimeSeconds: options.devnetBlockTimeSeconds === undefined ? 1 : options.devnetBlockTimeSeconds,
      ...(options.inMemory ? {} : { stateFile: devnetStatePath(dataDir) }),
    };
    devnet = await startDevnet({ ...devnetOptions, ...(devnetPort.port !== undefined ? { port: devnetPort.port } : {}) }).catch(async (e: unknown) => {
      // Taken between the check and anvil's bind (another start racing for 8545): any free port,
      // said at start. A port the person asked for is theirs to change.
      if (!(e instanceof SetupProblem && e.code === 'port_taken') || options.devnetPort !== undefined || devnetPort.port === undefined) throw e;
      const port = await freePort();
      notices.push(`The devnet's RPC port ${devnetPort.port} was taken as it started, so it listens on ${port} this time: http://${LOOPBACK_HOST}:${port} (chain id 31337).`);
      devnetPort.note = notices.at(-1) ?? null;
      return startDevnet({ ...devnetOptions, port });
    });
    // The port moved only because the kept one was taken: keep the old one for the next start.
    if (!options.inMemory && devnetPort.note === null) keepDevnetPort(dataDir, Number(new URL(devnet.rpcUrl).port));
    writeFileSync(lockPath(dataDir), JSON.stringify({ pid: process.pid, enginePid: dynamo.pid, devnetPid: devnet.pid }));
    tron = await startTronDevnet({ blockIntervalMs: options.tronBlockIntervalMs });
    await ensureTable(dynamo.endpoint, LOCAL_TABLE_NAME);
    queues = await startQueues();
    const chains = devnetChainSettings({ rpcUrl: devnet.rpcUrl, tokens: devnet.tokens, disperseContract: devnet.disperseContract }, { apiUrl: tron.apiUrl, tokens: tron.tokens });
    const env = localEnvironment({
      port,
      tableName: LOCAL_TABLE_NAME,
      dynamoEndpoint: dynamo.endpoint,
      sqsEndpoint: queues.endpoint,
      queueUrls: queues.urls,
      chains,
      secrets,
      overrides: {
        ...Object.fromEntries(PASSTHROUGH.map((k) => [k, userEnv[k]])),
        // The override reaches the handlers only this way (never from the shell's POSTBACK_ALLOW_PRIVATE).
        ...(allowPrivate ? { POSTBACK_ALLOW_LOOPBACK: 'true', POSTBACK_ALLOW_PRIVATE: 'true' } : {}),
      },
    });
    Object.assign(process.env, env);
    resetRuntime();
    await moveTronCheckpointToNewChain(tron);
    await fundHotWallets(secrets.mnemonic, devnet, tron);

    const { demo, created } = await ensureDemoProject(dataDir, port);
    const demoInvoice = await ensureDemoInvoice(dataDir, demo.shop_id);
    const demoDonation = await ensureDemoDonation(runtime().deps, demo.shop_id, runtime().deps.clock.now());
    const listener = demoListener(async () => {
      const { deps } = runtime();
      const project = await deps.projects.get(demo.shop_id);
      return project ? deps.cipher.decrypt(project.secretKeyCipher) : demo.secret_key;
    });
    const devnetInfo: DevnetInfo = {
      rpc_url: devnet.rpcUrl,
      chain_id: devnet.chainId,
      chain: 'ethereum',
      codes: servedCodes(runtime().deps.chains),
      tokens: { ...devnet.tokens, ...tron.tokens },
      payer_private_key: devnet.payerPrivateKey,
      payer_address: devnet.payerAddress,
      disperse_contract: devnet.disperseContract,
      tron: { api_url: tron.apiUrl, payer_address: tron.payerAddress, payer_private_key: tron.payerPrivateKey, tokens: { ...tron.tokens } },
    };
    // Before anything that may start an execution (routes, schedules): deps.workflows finds it registered.
    workflowHost = startWorkflowHost({ waitMs: LOCAL_LOOP_WAIT_MS, log: runtime().deps.log.child({ host: 'workflows' }) });
    const payFromTestWallet = testWallet(devnetInfo);
    server = createHttpHost({ extra: async (req, url, body) => (await listener(req, url, body)) ?? payFromTestWallet(req, url) });
    const listening = server;
    await new Promise<void>((ok, fail) => {
      listening.once('error', (e: NodeJS.ErrnoException) =>
        fail(e.code === 'EADDRINUSE' || e.code === 'EACCES' ? portTaken({ port, host, what: 'the HTTP API', choose: HTTP_PORT_CHOICE, denied: e.code === 'EACCES' }) : e),
      );
      listening.listen(port, host, () => ok());
    });
    const log = runtime().deps.log;
    if (allowPrivate) {
      const note = `${POSTBACK_ALLOW_PRIVATE_ENV}=1: postbacks may go to LAN addresses (10/8, 172.16/12, 192.168/16, fc00::/7) and loopback. Link-local (169.254/16, cloud metadata) and every other non-public range stay refused. Local runtime only.`;
      notices.push(note);
      log.warn('local.postback_private_allowed', { note });
    }
    consumers = startQueueConsumers(
      queues.endpoint,
      (Object.entries(queueSpecs) as [QueueId, QueueSpec][]).flatMap(([id, spec]) => {
        const consumer = spec.consumer;
        if (!consumer || !queues) return [];
        return [{ queueUrl: queues.urls[id].url, batchSize: consumer.batchSize, load: async () => ((await import(/* @vite-ignore */ `../../${consumer.entry}`)) as { handler: SqsHandler }).handler }];
      }),
      (e) => log.error('queue.poll_fault', { error: String(e) }),
    );
    schedules = startSchedules({ chains: runtime().deps.chains.map((c) => c.chain), onError: (id, e) => log.error('schedule.fault', { schedule: id, error: String(e) }) });
    const url = `http://localhost:${port}`;
    writeFileSync(runtimePath(dataDir), JSON.stringify({ pid: process.pid, url, port, startedAt: new Date().toISOString(), devnet: devnetInfo }, null, 2));
    return { url, port, host, dataDir, demo, adminToken: secrets.adminToken, createdDemo: created, demoInvoice, demoDonationLink: `${runtime().deps.settings.publicBaseUrl}/donate/${demoDonation.slug}`, devnet: devnetInfo, notices, stop };
  } catch (e) {
    await stop().catch(() => {});
    throw e;
  }
}

/** Native coin for fees at least, so sweeps and withdrawals can pay gas: ETH from the devnet payer, TRX from the simulator. */
const HOT_WALLET_ETH_WEI = 10n * 10n ** 18n;
const HOT_WALLET_TRX_SUN = 10_000n * 1_000_000n;

async function fundHotWallets(mnemonic: string, devnet: Devnet, tron: TronDevnet): Promise<void> {
  const hot = hotWalletAddresses(mnemonic);
  // The devnet's state survives restarts; fund only a wallet below half its float.
  const eth = BigInt(await rpc<string>(devnet.rpcUrl, 'eth_getBalance', [hot.evm, 'latest']));
  if (eth < HOT_WALLET_ETH_WEI / 2n) await devnetPay(devnet.rpcUrl, devnet.payerPrivateKey, { token: null, to: hot.evm, amount: HOT_WALLET_ETH_WEI - eth });
  // The simulator's chain is new at every start.
  tron.simulator.fund(hot.tron, HOT_WALLET_TRX_SUN);
  runtime().deps.log.info('local.hot_wallets', { evm: hot.evm, tron: hot.tron, note: 'fee reserves funded from the devnet payer and the TronGrid simulator' });
}

/**
 * The TronGrid simulator keeps its chain in memory, so each start is a new Tron chain, while the
 * table keeps the Tron watcher's checkpoint of the previous one. Left alone, the watcher would
 * take the missing blocks for a reorg deeper than its window: it would report its last 256 blocks
 * orphaned (reversing the Tron payments credited in them) and then scan nothing until the new
 * chain grew past the old height. Instead the checkpoint moves to the new chain's head, as a new
 * deployment's would start: what the old chain credited stays in the ledger; a payment still
 * pending on it is withdrawn once the new chain reaches its height (another block is there).
 */
async function moveTronCheckpointToNewChain(tron: TronDevnet): Promise<void> {
  const { chainState, deps } = runtime();
  const stored = await chainState.get('tron');
  const last = stored?.recent.at(-1);
  if (!stored || !last) return;
  const held = tron.simulator.info();
  const blockThere = last.number <= held.head.number ? ((await (await fetch(`${tron.apiUrl}/wallet/getblockbynum`, { method: 'POST', body: JSON.stringify({ num: last.number }) })).json()) as { blockID?: string }) : {};
  if (blockThere.blockID === last.hash) return; // the same chain: nothing to move
  const head = { number: held.head.number, hash: held.head.blockID };
  const moved = await chainState.save({ chain: 'tron', cursor: head.number, cursorTime: null, recent: [head], head, headAt: deps.clock.now(), version: stored.version + 1 }, stored.version);
  deps.log.info('local.tron_new_chain', { note: 'the TronGrid simulator started a new chain; the Tron watcher starts at its head', previousCursor: stored.cursor, cursor: head.number, moved });
}

/**
 * The demo project is created once per data folder. Its keys are kept in the data folder (local
 * convenience only; a deployed stack shows a secret exactly once).
 */
async function ensureDemoProject(dataDir: string, port: number): Promise<{ demo: DemoProject; created: boolean }> {
  const path = demoPath(dataDir);
  const { deps } = runtime();
  if (existsSync(path)) {
    const demo = JSON.parse(readFileSync(path, 'utf8')) as DemoProject;
    // Its postbacks follow the demo listener to this start's port, unless the URL was changed.
    const project = await deps.projects.get(demo.shop_id);
    if (project && isDemoListenerUrl(project.settings.notificationUrl) && project.settings.notificationUrl !== demoListenerUrl(port)) {
      await updateProject(deps, demo.shop_id, { notificationUrl: demoListenerUrl(port) });
    }
    return { demo, created: false };
  }
  const made = await createProject(deps, sha256Hex, { name: 'Demo shop', patch: { notificationUrl: demoListenerUrl(port) }, now: deps.clock.now() });
  if (!made.ok) throw new Error(`could not create the demo project: ${JSON.stringify(made.error)}`);
  const demo = { shop_id: made.value.project.shopId, api_key: made.value.keys.apiKey, secret_key: made.value.keys.secretKey };
  writeFileSync(path, JSON.stringify(demo, null, 2), { mode: 0o600 });
  return { demo, created: true };
}

/** A demo invoice kept for reuse must still have this long to run, or a new one is made. */
const DEMO_INVOICE_TIME_LEFT_MIN_MS = HOUR_MS;

/**
 * The demo payment page: a 10 USD test invoice of the demo project, kept in the data folder and
 * reused while it waits for payment; once paid, canceled or nearly expired, the next start makes another.
 */
async function ensureDemoInvoice(dataDir: string, shopId: string): Promise<DemoInvoice> {
  const path = demoInvoicePath(dataDir);
  const { deps } = runtime();
  const now = deps.clock.now();
  const link = (invoice: Parameters<typeof payPath>[0]) => `${deps.settings.publicBaseUrl}${payPath(invoice)}`;
  const kept = existsSync(path) ? parseInvoiceRef((JSON.parse(readFileSync(path, 'utf8')) as { uuid?: string }).uuid ?? '') : null;
  const previous = kept?.ok ? await deps.invoices.get(kept.value) : null;
  if (previous && previous.shopId === shopId && previous.status === 'created' && previous.expiresAt - now > DEMO_INVOICE_TIME_LEFT_MIN_MS) {
    return { uuid: invoiceUuid(previous.id), link: link(previous), created: false };
  }
  const project = await deps.projects.get(shopId);
  if (!project) throw new Error(`the demo project ${shopId} is missing from the table`);
  const made = await createInvoice(deps, ownInvoiceCommand({ project, amount: { units: 10n, scale: 0 }, fiat: 'USD', orderId: 'DEMO', description: 'Tollgate demo payment (test mode: no real funds move)', locale: 'en', now }));
  if (!made.ok) throw new Error(`could not create the demo invoice: ${JSON.stringify(made.error)}`);
  const uuid = invoiceUuid(made.value.id);
  writeFileSync(path, JSON.stringify({ uuid }, null, 2));
  return { uuid, link: link(made.value), created: true };
}
