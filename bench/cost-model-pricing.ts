/**
 * The running cost model, pure: counts the bench measured (bench/cost-model.ts) priced with AWS's
 * published prices into a monthly cost at a given invoice volume, beside what a hosted gateway's
 * percentage would take. `renderCostMarkdown` turns the result into the README's table, so the
 * lead regenerates it from the bench's JSON (`BENCH_ONLY=cost-model npm run bench`).
 */
import type { ChainId } from '../shared/domain/currencies';

/** AWS list prices, us-east-1, as published on the pricing pages on this date (context-15.md). */
export const AWS_PRICES = {
  asOf: '2025-06-01',
  region: 'us-east-1',
  /** Every function is arm64 (lib/infra/tollgate-function.ts). */
  lambdaPerGbSecond: 0.0000133334,
  lambdaPerMillionRequests: 0.2,
  /** On-demand, after the November 2024 price cut. */
  dynamoPerMillionWriteUnits: 0.625,
  dynamoPerMillionReadUnits: 0.125,
  dynamoStoragePerGbMonth: 0.25,
  dynamoPitrPerGbMonth: 0.2,
  sqsPerMillionRequests: 0.4,
  sfnPerThousandTransitions: 0.025,
  secretPerMonth: 0.4,
  secretsPer10kCalls: 0.05,
  alarmPerMonth: 0.1,
  logsIngestPerGb: 0.5,
  httpApiPerMillionRequests: 1.0,
} as const;

/** What one unit of work (an invoice, a sweep, a withdrawal) costs in each billed dimension. */
export type Counts = {
  lambdaInvocations: number;
  lambdaGbSeconds: number;
  dynamoReadUnits: number;
  dynamoWriteUnits: number;
  /** Sends, receives that returned messages, deletes, visibility changes. */
  sqsRequests: number;
  sfnTransitions: number;
  /** API Gateway requests (the HTTP API bills each). */
  httpRequests: number;
  /** Chain endpoint requests (not priced: providers' plans differ; shown for the RPC budget). */
  rpcCalls: number;
  /** Log bytes written (CloudWatch ingestion). */
  logBytes: number;
};

export const ZERO: Counts = { lambdaInvocations: 0, lambdaGbSeconds: 0, dynamoReadUnits: 0, dynamoWriteUnits: 0, sqsRequests: 0, sfnTransitions: 0, httpRequests: 0, rpcCalls: 0, logBytes: 0 };

/** One watcher mode of one chain: the shape bench/watcher-modes.ts `measureWatcherModes()` returns. */
export type WatcherMode = { gbSecondsPerHour: number; rpcCallsPerDay: number };
export type WatcherModes = Partial<Record<ChainId, { blockTimeSeconds: number; idle: WatcherMode; busy: WatcherMode }>>;

/**
 * PLACEHOLDER watcher figures until the lead wires `measureWatcherModes()` (bench/watcher-modes.ts,
 * the watcher helper's): idle = one short pass a minute (about 0.3 s at 256 MB), busy = today's
 * loop (50 s of every minute at 512 MB). Marked so the README cannot quote them by mistake.
 */
export const PLACEHOLDER_WATCHER_MODES: WatcherModes & { placeholder: true } = {
  placeholder: true,
  ...Object.fromEntries(
    (['ethereum', 'bsc', 'arbitrum', 'optimism', 'base', 'polygon', 'tron'] as const).map((chain) => [
      chain,
      { blockTimeSeconds: 0, idle: { gbSecondsPerHour: 60 * 0.3 * 0.25, rpcCallsPerDay: 1_440 * 3 }, busy: { gbSecondsPerHour: 60 * 50 * 0.5, rpcCallsPerDay: 0 } },
    ]),
  ),
};

export type CostInputs = {
  perInvoice: Counts;
  perSweep: Counts;
  perWithdrawal: Counts;
  /** Every invoice has its own address: one sweep each when its amount is worth its fee. */
  sweepsPerInvoice: number;
  /** Payout items (withdrawals) per invoice: how much of the money leaves through the API. */
  withdrawalsPerInvoice: number;
  /** Per month, whatever the volume: the schedules' idle runs, each measured once. */
  fixedPerMonth: Counts;
  watchers: WatcherModes;
  /** The chains served (each has a watcher). */
  chains: ChainId[];
  /** How long one invoice keeps its chain's watcher busy (a customer paying): its page open, its payment awaited. */
  busyMinutesPerInvoice: number;
  /** Lambda event source mappings long-poll their queue even when idle: queues with a consumer × pollers. */
  pollingQueues: number;
  secrets: number;
  alarms: number;
  /** Table size and log volume at this volume are small; priced from these. */
  bytesPerInvoiceStored: number;
  averageInvoiceUsd: number;
  hostedPercent: { low: number; high: number };
};

const HOURS_PER_MONTH = 730;
/** An idle event source mapping keeps about 5 long polls (20 s each) open: 15 requests a minute. */
const IDLE_POLLS_PER_QUEUE_MONTH = 5 * 3 * 60 * HOURS_PER_MONTH;

const add = (a: Counts, b: Counts, times = 1): Counts => {
  const out = { ...a };
  for (const k of Object.keys(out) as (keyof Counts)[]) out[k] = a[k] + b[k] * times;
  return out;
};

/** USD per month of `counts`, by dimension. */
export function priceCounts(c: Counts): Record<'lambda' | 'dynamodb' | 'sqs' | 'stepFunctions' | 'apiGateway' | 'logs', number> {
  const p = AWS_PRICES;
  return {
    lambda: c.lambdaGbSeconds * p.lambdaPerGbSecond + (c.lambdaInvocations / 1e6) * p.lambdaPerMillionRequests,
    dynamodb: (c.dynamoWriteUnits / 1e6) * p.dynamoPerMillionWriteUnits + (c.dynamoReadUnits / 1e6) * p.dynamoPerMillionReadUnits,
    sqs: (c.sqsRequests / 1e6) * p.sqsPerMillionRequests,
    stepFunctions: (c.sfnTransitions / 1e3) * p.sfnPerThousandTransitions,
    apiGateway: (c.httpRequests / 1e6) * p.httpApiPerMillionRequests,
    logs: (c.logBytes / 1e9) * p.logsIngestPerGb,
  };
}

const sum = (r: Record<string, number>) => Object.values(r).reduce((a, b) => a + b, 0);
const cents = (n: number) => Math.round(n * 100) / 100;

export type VolumeCost = {
  invoicesPerMonth: number;
  totalUsd: number;
  perInvoiceUsd: number;
  breakdownUsd: Record<string, number>;
  rpcCallsPerMonth: number;
  hostedUsd: { low: number; high: number };
};

export type CostModel = { prices: typeof AWS_PRICES; assumptions: Record<string, unknown>; idlePerChainMonthUsd: Partial<Record<ChainId, number>>; busyPerChainHourUsd: Partial<Record<ChainId, number>>; fixedUsd: Record<string, number>; volumes: VolumeCost[] };

/** The monthly cost at each volume. */
export function priceCostModel(inputs: CostInputs, volumes: readonly number[] = [1_000, 10_000, 100_000]): CostModel {
  const p = AWS_PRICES;
  const watcherUsd = (gbs: number) => gbs * p.lambdaPerGbSecond + (60 / 1e6) * p.lambdaPerMillionRequests;
  const idlePerChainMonthUsd: Partial<Record<ChainId, number>> = {};
  const busyPerChainHourUsd: Partial<Record<ChainId, number>> = {};
  for (const chain of inputs.chains) {
    const w = inputs.watchers[chain];
    if (!w) continue;
    idlePerChainMonthUsd[chain] = cents(watcherUsd(w.idle.gbSecondsPerHour) * HOURS_PER_MONTH);
    busyPerChainHourUsd[chain] = Math.round((watcherUsd(w.busy.gbSecondsPerHour) - watcherUsd(w.idle.gbSecondsPerHour)) * 10_000) / 10_000;
  }
  const fixedUsd = {
    watchersIdle: sum(idlePerChainMonthUsd as Record<string, number>),
    schedules: sum(priceCounts(inputs.fixedPerMonth)),
    queuePolling: ((inputs.pollingQueues * IDLE_POLLS_PER_QUEUE_MONTH) / 1e6) * p.sqsPerMillionRequests,
    secrets: inputs.secrets * p.secretPerMonth,
    alarms: inputs.alarms * p.alarmPerMonth,
  };
  const fixed = sum(fixedUsd);
  const out: VolumeCost[] = volumes.map((n) => {
    const work = add(add(add(ZERO, inputs.perInvoice, n), inputs.perSweep, n * inputs.sweepsPerInvoice), inputs.perWithdrawal, n * inputs.withdrawalsPerInvoice);
    const variable = priceCounts(work);
    // Busy watcher time: the chains share the invoices; a chain cannot be busier than every hour.
    const chains = inputs.chains.filter((c) => inputs.watchers[c]);
    const busyHoursPerChain = Math.min(HOURS_PER_MONTH, (n * inputs.busyMinutesPerInvoice) / 60 / Math.max(1, chains.length));
    const watchersBusy = chains.reduce((total, c) => total + (busyPerChainHourUsd[c] ?? 0) * busyHoursPerChain, 0);
    const storage = ((n * inputs.bytesPerInvoiceStored) / 1e9) * (p.dynamoStoragePerGbMonth + p.dynamoPitrPerGbMonth);
    const breakdownUsd = Object.fromEntries(Object.entries({ ...fixedUsd, ...variable, watchersBusy, storage }).map(([k, v]) => [k, cents(v)]));
    const total = fixed + sum(variable) + watchersBusy + storage;
    const rpc = work.rpcCalls + chains.reduce((t, c) => t + ((inputs.watchers[c]?.idle.rpcCallsPerDay ?? 0) * 30.4), 0);
    const hosted = n * inputs.averageInvoiceUsd;
    return {
      invoicesPerMonth: n,
      totalUsd: cents(total),
      perInvoiceUsd: Math.round((total / n) * 10_000) / 10_000,
      breakdownUsd,
      rpcCallsPerMonth: Math.round(rpc),
      hostedUsd: { low: cents((hosted * inputs.hostedPercent.low) / 100), high: cents((hosted * inputs.hostedPercent.high) / 100) },
    };
  });
  return {
    prices: p,
    assumptions: {
      averageInvoiceUsd: inputs.averageInvoiceUsd,
      hostedPercent: inputs.hostedPercent,
      sweepsPerInvoice: inputs.sweepsPerInvoice,
      withdrawalsPerInvoice: inputs.withdrawalsPerInvoice,
      busyMinutesPerInvoice: inputs.busyMinutesPerInvoice,
      chains: inputs.chains,
      watcherFigures: 'placeholder' in inputs.watchers ? 'PLACEHOLDER (bench/watcher-modes.ts not wired yet)' : 'measured',
    },
    idlePerChainMonthUsd,
    busyPerChainHourUsd,
    fixedUsd: Object.fromEntries(Object.entries(fixedUsd).map(([k, v]) => [k, cents(v)])),
    volumes: out,
  };
}

const usd = (n: number) => `${n.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })} USD`;

/** The README's "Running cost" table from the model. */
export function renderCostMarkdown(model: CostModel): string {
  const { assumptions: a } = model;
  const hosted = a.hostedPercent as { low: number; high: number };
  const rows = model.volumes.map(
    (v) => `| ${v.invoicesPerMonth.toLocaleString('en-US')} | ${usd(v.totalUsd)} | ${v.perInvoiceUsd.toFixed(4)} USD | ${usd(v.hostedUsd.low)} – ${usd(v.hostedUsd.high)} |`,
  );
  const idle = Object.entries(model.idlePerChainMonthUsd).map(([c, v]) => `${c} ${usd(v)}`).join(', ');
  return [
    `| invoices a month | Tollgate on AWS | per invoice | hosted gateway at ${hosted.low}–${hosted.high} % (average invoice ${a.averageInvoiceUsd} USD) |`,
    '|---:|---:|---:|---:|',
    ...rows,
    '',
    `Fixed part (any volume): ${Object.entries(model.fixedUsd).map(([k, v]) => `${k} ${usd(v)}`).join(', ')}. Idle watcher per chain-month: ${idle}${a.watcherFigures === 'measured' ? '' : ' (PLACEHOLDER figures)'}.`,
    `AWS list prices, ${model.prices.region}, as of ${model.prices.asOf}; network fees (gas) and RPC provider plans are not included.`,
  ].join('\n');
}
