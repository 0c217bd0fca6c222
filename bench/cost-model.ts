/**
 * The cost model's counts (issue 15 §1), measured on the local runtime's real parts: DynamoDB
 * Local, anvil, the local SQS engine, the real HTTP host, queue consumers and workflow host, each
 * handler the one Lambda would run. Per invoice (created → paid → credited → postback delivered),
 * per sweep and per withdrawal:
 * - Lambda invocations and GB-s: every handler call is wrapped (the hosts take a loader), timed,
 *   and multiplied by its function's memory from lib/manifest.ts;
 * - DynamoDB read and write units: every DocumentClient request is sent with
 *   `ReturnConsumedCapacity: TOTAL` and the units DynamoDB Local answers are summed (requests are
 *   counted too, for an item-size-free cross-check);
 * - SQS requests: sends, deletes, visibility changes and the receives that returned messages (an
 *   idle consumer's empty polls are the fixed long-polling, estimated in the pricing);
 * - Step Functions state transitions: the states each execution of the workflow host entered;
 * - RPC calls: requests to the devnet's endpoint;
 * - log bytes: what the handlers wrote to stdout (CloudWatch ingestion).
 * The watcher's own cost is the watcher bench's (measureWatcherModes); its passes here are not
 * counted, except the observations it sends (they are the invoice's).
 * The result is priced by bench/cost-model-pricing.ts and rendered as the README's table.
 */
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { SQSClient } from '@aws-sdk/client-sqs';
import type { Server } from 'node:http';
import { fundsOutDeps } from '../functions/kit/chain-senders';
import '../functions/kit/chain-senders-evm';
import { runtime, watcherDeps } from '../functions/kit/deps';
import { type HttpGroup, httpGroups, type QueueId, queues as queueSpecs, queueUrlEnv, type ScheduleId, schedules, type WorkflowId, workflows } from '../lib/manifest';
import { Wallet } from 'ethers';
import { evmAccountXpub } from '../lib/local/dev-defaults';
import { devnetPay, mine } from '../lib/local/engines/devnet';
import { freePort } from '../lib/local/engines/dynamodb';
import { createHttpHost } from '../lib/local/http-host';
import { type SqsHandler, startQueueConsumers } from '../lib/local/queue-host';
import { startWorkflowHost, type WorkerHandler } from '../lib/local/workflow-host';
import { sha256Hex } from '../shared/adapters/ids';
import { watchPass, WatchSet } from '../shared/app/chain-watcher';
import { createProject } from '../shared/app/projects';
import { requestWithdrawal } from '../shared/app/withdrawals';
import type { ChainDeployment } from '../shared/domain/chains';
import { startReceiver } from '../test/support/postback-receiver';
import { AWS_PRICES, type CostInputs, type Counts, PLACEHOLDER_WATCHER_MODES, priceCostModel, renderCostMarkdown, type WatcherModes, ZERO } from './cost-model-pricing';
import { startEvmBenchEngines } from './watcher';

const INVOICES = 4;
/** The payment page is opened once and polled every 5 s while the customer pays (about a minute): the poll's counts times this. */
const STATUS_POLLS_PER_INVOICE = 12;
const INVOICE_USD = 50;

type Meter = Counts & { dynamoRequests: number; paused: boolean; sqsOnly: boolean };
const meter: Meter = { ...ZERO, dynamoRequests: 0, paused: true, sqsOnly: false };
const snapshot = (): Counts => ({ ...ZERO, ...Object.fromEntries(Object.keys(ZERO).map((k) => [k, meter[k as keyof Counts]])) });
const minus = (a: Counts, b: Counts, per = 1): Counts => Object.fromEntries(Object.keys(ZERO).map((k) => [k, (a[k as keyof Counts] - b[k as keyof Counts]) / per])) as Counts;

type Capacity = { CapacityUnits?: number; ReadCapacityUnits?: number; WriteCapacityUnits?: number; TableName?: string };
const READS = /^(Get|BatchGet|Query|Scan|TransactGet)/;

/** Wraps the AWS SDK clients the adapters use, and fetch (RPC), and stdout (logs). */
function installMeters(rpcUrl: string) {
  const docSend = DynamoDBDocumentClient.prototype.send;
  DynamoDBDocumentClient.prototype.send = async function (this: DynamoDBDocumentClient, command: { constructor: { name: string }; input: Record<string, unknown> }, ...rest: unknown[]) {
    const counting = !meter.paused && !meter.sqsOnly;
    if (counting) command.input.ReturnConsumedCapacity = 'TOTAL';
    const out = (await (docSend as (...a: unknown[]) => Promise<Record<string, unknown>>).call(this, command, ...rest)) as { ConsumedCapacity?: Capacity | Capacity[] };
    if (counting) {
      meter.dynamoRequests += 1;
      const used = ([] as Capacity[]).concat(out.ConsumedCapacity ?? []);
      const name = command.constructor.name;
      const units = used.reduce((n, c) => n + (c.CapacityUnits ?? 0), 0);
      // No capacity answered (DynamoDB Local leaves some out): one unit per request, the floor.
      const counted = units > 0 ? units : 1;
      if (READS.test(name)) meter.dynamoReadUnits += counted;
      else meter.dynamoWriteUnits += counted;
    }
    return out;
  } as typeof docSend;
  const sqsSend = SQSClient.prototype.send;
  SQSClient.prototype.send = async function (this: SQSClient, command: { constructor: { name: string } }, ...rest: unknown[]) {
    const out = (await (sqsSend as (...a: unknown[]) => Promise<{ Messages?: unknown[] }>).call(this, command, ...rest)) as { Messages?: unknown[] };
    if (!meter.paused) {
      const name = command.constructor.name;
      // An empty receive is the consumer idling: the fixed long-polling, priced apart.
      if (name !== 'ReceiveMessageCommand' || (out.Messages?.length ?? 0) > 0) meter.sqsRequests += 1;
    }
    return out;
  } as typeof sqsSend;
  const realFetch = globalThis.fetch;
  globalThis.fetch = (async (input: Parameters<typeof fetch>[0], init?: Parameters<typeof fetch>[1]) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    if (!meter.paused && !meter.sqsOnly && url.startsWith(rpcUrl)) meter.rpcCalls += 1;
    return realFetch(input, init);
  }) as typeof fetch;
  const write = process.stdout.write.bind(process.stdout);
  process.stdout.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
    if (!meter.paused) meter.logBytes += typeof chunk === 'string' ? Buffer.byteLength(chunk) : chunk.byteLength;
    // The handlers' log lines are counted, not shown: the bench prints JSON.
    if (process.env.BENCH_SHOW_LOGS) return write(chunk as string, ...(rest as []));
    return true;
  }) as typeof process.stdout.write;
}

/** One Lambda invocation of `memoryMb`, timed. */
async function invoked<T>(memoryMb: number, run: () => Promise<T>): Promise<T> {
  const started = performance.now();
  try {
    return await run();
  } finally {
    if (!meter.paused && !meter.sqsOnly) {
      meter.lambdaInvocations += 1;
      meter.lambdaGbSeconds += ((performance.now() - started) / 1000) * (memoryMb / 1024);
    }
  }
}

type Loaded = { handler: (...args: unknown[]) => Promise<unknown> };
const load = async (entry: string) => ((await import(`../${entry}`)) as Loaded).handler;

const until = async (what: string, check: () => Promise<boolean>, timeoutMs = 60_000) => {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`bench: ${what} did not happen within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
};

export async function costModelFigures(watchers: WatcherModes = PLACEHOLDER_WATCHER_MODES): Promise<Record<string, unknown>> {
  // A key of its own: anvil's mnemonic derives the devnet's funded accounts (the payer among them) as deposit addresses.
  const mnemonic = Wallet.createRandom().mnemonic?.phrase ?? '';
  const engines = await startEvmBenchEngines({ MNEMONIC: mnemonic, EVM_XPUB: evmAccountXpub(mnemonic), POSTBACK_ALLOW_LOOPBACK: 'true', LOG_LEVEL: 'info', RPC_TIMEOUT_MS: '2000' });
  installMeters(engines.devnet.rpcUrl);
  const receiver = await startReceiver();
  const miner = { timer: null as NodeJS.Timeout | null };
  let server: Server | null = null;
  let consumers: { stop(): Promise<void> } | null = null;
  let host: ReturnType<typeof startWorkflowHost> | null = null;
  try {
    const { deps } = runtime();
    server = createHttpHost({ loadGroup: async (group: HttpGroup) => {
      const handler = await load(httpGroups[group].entry);
      return (async (...args: unknown[]) => {
        if (!meter.paused) meter.httpRequests += 1;
        return invoked(httpGroups[group].memoryMb, () => handler(...args));
      }) as never;
    } });
    const port = await freePort();
    await new Promise<void>((ok) => server?.listen(port, '127.0.0.1', () => ok()));
    const base = `http://127.0.0.1:${port}`;
    consumers = startQueueConsumers(
      process.env.SQS_ENDPOINT ?? '',
      (Object.entries(queueSpecs) as [QueueId, (typeof queueSpecs)[QueueId]][]).flatMap(([id, spec]) => {
        const consumer = spec.consumer;
        if (!consumer) return [];
        return [{ queueUrl: process.env[queueUrlEnv(id)] ?? '', batchSize: consumer.batchSize, load: async () => {
          const handler = (await load(consumer.entry)) as SqsHandler;
          return ((event, context) => invoked(consumer.memoryMb, () => handler(event, context))) as SqsHandler;
        } }];
      }),
    );
    const workers = Object.fromEntries(
      await Promise.all((Object.keys(workflows) as WorkflowId[]).map(async (id) => {
        const { entry, memoryMb } = workflows[id].worker;
        const handler = await load(entry);
        return [id, ((event, context) => invoked(memoryMb, () => handler(event, context))) as WorkerHandler];
      })),
    ) as Record<WorkflowId, WorkerHandler>;
    host = startWorkflowHost({ waitMs: 100, retryDelayMs: 100, workers });

    const made = await createProject(deps, sha256Hex, { name: 'Cost bench', patch: { testMode: false, notificationUrl: receiver.url }, now: deps.clock.now() });
    if (!made.ok) throw new Error('bench: project');
    const { project, keys } = made.value;
    const hot = (await fundsOutDeps()).senders('ethereum').hotAddress();
    await devnetPay(engines.devnet.rpcUrl, engines.devnet.payerPrivateKey, { token: null, to: hot, amount: 10n ** 19n });
    const deployment = deps.chains.find((c) => c.chain === 'ethereum') as ChainDeployment;
    const watcher = watcherDeps('ethereum');
    const watchSet = new WatchSet('ethereum', runtime().chainState);
    const api = async (method: string, path: string, body?: unknown) => {
      const res = await fetch(`${base}${path}`, { method, headers: { authorization: `Token ${keys.apiKey}`, 'content-type': 'application/json' }, ...(body ? { body: JSON.stringify(body) } : {}) });
      return res;
    };
    /** Watcher passes: not the invoice's cost (the watcher bench prices them), except the observations they send. */
    const watch = async () => {
      meter.sqsOnly = true;
      try {
        await mine(engines.devnet.rpcUrl, 1);
        const pass = await watchPass(watcher, deployment, watchSet);
        if (process.env.BENCH_DEBUG) process.stderr.write(`pass ${JSON.stringify(pass)}\n`);
      } finally {
        meter.sqsOnly = false;
      }
    };

    // A warm-up invoice (cold imports, connections), not counted.
    const one = async (counted: boolean) => {
      meter.paused = !counted;
      const res = await api('POST', '/v2/invoice/create', { shop_id: project.shopId, amount: INVOICE_USD, currency: 'USD', add_fields: { cryptocurrency: 'USDT_ERC20' } });
      const created = ((await res.json()) as { result: { uuid: string; address: string; amount: number } }).result;
      const shortId = created.uuid.slice(4);
      await (await fetch(`${base}/pay/${shortId}`)).text();
      const pollBefore = snapshot();
      await (await fetch(`${base}/api/public/invoices/${shortId}`)).text();
      const poll = minus(snapshot(), pollBefore);
      await devnetPay(engines.devnet.rpcUrl, engines.devnet.payerPrivateKey, { token: engines.devnet.tokens.USDT_ERC20, to: created.address, amount: BigInt(Math.round(created.amount * 1e6)) });
      await until('paid and postback', async () => {
        await watch();
        if (process.env.BENCH_DEBUG) process.stderr.write(`received ${JSON.stringify(receiver.received.map((r) => r.fields))}\n`);
        return receiver.received.some((r) => r.fields.invoice_id === shortId && r.fields.status === 'success');
      });
      meter.paused = true;
      return poll;
    };
    // The watcher's first pass starts its checkpoint at the head: before any payment.
    await watch();
    await one(false);
    const before = snapshot();
    let poll = ZERO;
    for (let i = 0; i < INVOICES; i += 1) poll = await one(true);
    const flow = minus(snapshot(), before, INVOICES);
    // The page polls beyond the one measured.
    const perInvoice = Object.fromEntries(Object.keys(ZERO).map((k) => [k, flow[k as keyof Counts] + poll[k as keyof Counts] * (STATUS_POLLS_PER_INVOICE - 1)])) as Counts;

    // Sweeps: the invoices' deposits, planned by the real planner and swept by the workflow.
    miner.timer = setInterval(() => void mine(engines.devnet.rpcUrl, 1).catch(() => {}), 200);
    const sweepBefore = snapshot();
    meter.paused = false;
    const planner = await load(schedules['sweep-planner'].entry);
    await invoked(schedules['sweep-planner'].memoryMb, () => planner({}, {}));
    const sweeps = host.host.executions().filter((e) => e.workflow === 'sweep');
    for (const e of sweeps) await host.host.waitFor('sweep', e.name, 120_000);
    const sweepTransitions = host.host.executions().filter((e) => e.workflow === 'sweep').reduce((n, e) => n + e.states.length, 0);
    meter.sfnTransitions += sweepTransitions;
    meter.paused = true;
    const perSweep = minus(snapshot(), sweepBefore, Math.max(1, sweeps.length));

    // A withdrawal of what the invoices credited: the API's request (one invocation of the invoices function) and its workflow.
    const withdrawalBefore = snapshot();
    meter.paused = false;
    const w = await invoked(httpGroups.invoices.memoryMb, () =>
      requestWithdrawal(deps, project, { code: 'USDT_ERC20', toAddress: engines.devnet.payerAddress, walletId: null, amount: '10', source: 'native_api', idempotency: null }, deps.clock.now()),
    );
    meter.httpRequests += 1;
    if (!w.ok) throw new Error(`bench: withdrawal ${JSON.stringify(w.error)}`);
    const done = await host.host.waitFor('withdrawal', w.value.id, 120_000);
    meter.sfnTransitions += done.states.length;
    meter.paused = true;
    const perWithdrawal = minus(snapshot(), withdrawalBefore);
    if (miner.timer) clearInterval(miner.timer);

    // The schedules' idle runs: each once, times its runs a month (the watchers are the watcher bench's).
    const fixedPerMonth = { ...ZERO };
    const scheduleRuns: Record<string, Counts> = {};
    for (const id of Object.keys(schedules) as ScheduleId[]) {
      const spec = schedules[id];
      if ('perChain' in spec && spec.perChain) continue;
      const handler = await load(spec.entry);
      const s0 = snapshot();
      meter.paused = false;
      await invoked(spec.memoryMb, () => handler({}, {}));
      meter.paused = true;
      const run = minus(snapshot(), s0);
      scheduleRuns[id] = run;
      const runsPerMonth = (730 * 60) / spec.rateMinutes;
      for (const k of Object.keys(ZERO) as (keyof Counts)[]) fixedPerMonth[k] += run[k] * runsPerMonth;
    }

    const inputs: CostInputs = {
      perInvoice,
      perSweep,
      perWithdrawal,
      sweepsPerInvoice: 1,
      withdrawalsPerInvoice: 0.1,
      fixedPerMonth,
      watchers,
      chains: ['ethereum', 'bsc', 'arbitrum', 'optimism', 'base', 'tron'],
      busyMinutesPerInvoice: 15,
      pollingQueues: Object.values(queueSpecs).filter((q) => q.consumer).length,
      secrets: 4,
      alarms: 12,
      bytesPerInvoiceStored: 8_000,
      averageInvoiceUsd: INVOICE_USD,
      hostedPercent: { low: 0.4, high: 1.9 },
    };
    const model = priceCostModel(inputs);
    const rounded = (c: Counts) => Object.fromEntries(Object.entries(c).map(([k, v]) => [k, Math.round(v * 1000) / 1000]));
    return {
      counts: {
        method: 'handlers invoked through the local hosts and timed; DynamoDB units from ReturnConsumedCapacity TOTAL (one unit per request where DynamoDB Local answered none)',
        per_invoice: rounded(perInvoice),
        per_status_poll: rounded(poll),
        per_sweep: rounded(perSweep),
        sweeps_measured: sweeps.length,
        per_withdrawal: rounded(perWithdrawal),
        schedule_idle_run: Object.fromEntries(Object.entries(scheduleRuns).map(([k, v]) => [k, rounded(v)])),
        invoices_measured: INVOICES,
      },
      // Re-priced without a rerun: bench/cost-model-render.ts (with the watcher's measured modes, once wired).
      inputs,
      model,
      prices_as_of: AWS_PRICES.asOf,
      markdown: renderCostMarkdown(model),
    };
  } finally {
    meter.paused = true;
    if (miner.timer) clearInterval(miner.timer);
    await host?.stop();
    await consumers?.stop();
    server?.closeAllConnections();
    await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
    await receiver.stop();
    await engines.stop();
  }
}
