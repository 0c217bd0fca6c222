/**
 * The watcher's running cost per chain, idle and busy (issue 15 §1), measured on the real devnet
 * (anvil) and DynamoDB Local and extrapolated explicitly to each EVM chain's block time (from the
 * registry, shared/domain/currencies.ts):
 *
 * - idle (no invoice waits for its payment): one invocation a minute that catches up a minute of
 *   blocks and returns. Measured: that invocation, after mining a minute's blocks of the chain.
 *   GB-s/hour = memory x (measured duration + HTTP requests x PROVIDER_LATENCY_MS) x 60.
 * - busy (an invoice waits): the invocation scans for its whole budget, a pass about every block
 *   time. GB-s/hour = memory x budget x 60. RPC calls/day = calls of a one-block pass (measured)
 *   x passes a day (86,400 s / the larger of the block time and the pass's duration).
 *
 * Each mode in both ways of reading: token logs only (no native-coin address shown: the headline
 * figures) and whole blocks (a native-coin invoice or static wallet live). RPC calls are counted
 * as providers bill them (a batch of N is N); HTTP requests beside them.
 */
import { performance } from 'node:perf_hooks';
import { runtime, watcherDeps } from '../functions/kit/deps';
import '../functions/kit/chains-evm';
import { schedules } from '../lib/manifest';
import { mine } from '../lib/local/engines/devnet';
import { createInvoice, ownInvoiceCommand } from '../shared/app/create-invoice';
import { runWatcher, watchPass, WatchSet } from '../shared/app/chain-watcher';
import { createProject } from '../shared/app/projects';
import { createStaticWallet } from '../shared/app/static-wallets';
import type { ChainDeployment } from '../shared/domain/chains';
import { CHAINS, type ChainId } from '../shared/domain/currencies';
import type { Clock } from '../shared/ports';
import { startEvmBenchEngines } from './watcher';
import { createHash } from 'node:crypto';

/** AWS Lambda x86, us-east-1 (published prices, 2025). */
export const LAMBDA_USD_PER_GB_SECOND = 0.0000166667;
export const LAMBDA_USD_PER_MILLION_REQUESTS = 0.2;
/** One invocation a minute (EventBridge's finest rate). */
const INVOCATIONS_PER_MONTH = 43_200;
const HOURS_PER_MONTH = 720;
/**
 * A hosted provider's round trip from Lambda in the same region (an assumption, not measured: the
 * devnet answers in about a millisecond). Added per HTTP request to the idle invocation's duration.
 */
export const PROVIDER_LATENCY_MS = 50;
/** The busy invocation's scanning budget: the 60 s timeout less the kit's 12 s margin. */
const BUSY_BUDGET_SECONDS = 48;
const REPEATS = 5;

export type ModeFigures = { gbSecondsPerHour: number; rpcCallsPerDay: number };
export type ChainModeFigures = { blockTimeSeconds: number; idle: ModeFigures; busy: ModeFigures };
/** The contract (bench/cost-model reads these), plus how each figure was reached. */
export type ChainModeDetail = ChainModeFigures & {
  memoryMb: number;
  usdPerMonth: { idle: number; busy: number };
  measured: {
    idle: { blocksPerInvocation: number; invocationMs: number; rpcCalls: number; httpRequests: number; passes: number };
    busy: { passMs: number; rpcCallsPerPass: number; httpRequestsPerPass: number; passesPerDay: number };
  };
  /** The same with a native-coin address watched (whole blocks read). */
  blocks: { idle: ModeFigures; busy: ModeFigures; measured: ChainModeDetail['measured'] };
};

const EVM_CHAINS = (Object.values(CHAINS) as (typeof CHAINS)[ChainId][]).filter((c) => c.family === 'evm' && c.enabled);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const round = (n: number, digits = 3) => Math.round(n * 10 ** digits) / 10 ** digits;
const usdPerMonth = (gbSecondsPerHour: number) => round(gbSecondsPerHour * HOURS_PER_MONTH * LAMBDA_USD_PER_GB_SECOND + (INVOCATIONS_PER_MONTH * LAMBDA_USD_PER_MILLION_REQUESTS) / 1e6, 4);

/** A clock the bench moves: sleeps advance it, so a busy invocation's loop is counted, not waited. */
function benchClock(at: number): Clock & { advance(ms: number): void } {
  let now = at;
  return { now: () => now, advance: (ms) => (now += ms) };
}

export async function measureWatcherModes(): Promise<Record<ChainId, ChainModeDetail>> {
  const { devnet, stop } = await startEvmBenchEngines();
  try {
    const { deps, chainState } = runtime();
    const deployment = deps.chains.find((d) => d.chain === 'ethereum') as ChainDeployment;
    const base = watcherDeps('ethereum');
    const reader = base.reader;
    const memoryGb = schedules['chain-watcher'].memoryMb / 1024;
    const made = await createProject(deps, (t) => createHash('sha256').update(t).digest('hex'), { name: 'Bench shop', patch: {}, now: Date.now() });
    if (!made.ok) throw new Error(JSON.stringify(made.error));
    const project = made.value.project;
    const watchSet = new WatchSet('ethereum', chainState);
    const counted = () => ({ calls: reader.calls, requests: reader.requests ?? reader.calls });

    /** One idle invocation after a minute of the chain's blocks. */
    async function idleInvocation(blocksPerMinute: number, at: number) {
      await mine(devnet.rpcUrl, blocksPerMinute);
      const clock = benchClock(at);
      const before = counted();
      const started = performance.now();
      const out = await runWatcher({ ...base, clock }, deployment, watchSet, BUSY_BUDGET_SECONDS * 1000, async (ms) => clock.advance(ms));
      const ms = performance.now() - started;
      if (out.mode !== 'idle') throw new Error(`expected an idle invocation, got ${out.mode}`);
      const after = counted();
      return { ms, calls: after.calls - before.calls, requests: after.requests - before.requests, passes: out.passes };
    }

    /** One busy pass over the block mined since the last. */
    async function busyPass(at: number) {
      await mine(devnet.rpcUrl, 1);
      const before = counted();
      const started = performance.now();
      await watchPass({ ...base, clock: benchClock(at) }, deployment, watchSet);
      const ms = performance.now() - started;
      const after = counted();
      return { ms, calls: after.calls - before.calls, requests: after.requests - before.requests };
    }

    /** Idle invocations at each chain's block time (a minute of its blocks each). */
    async function measureIdle(at: () => number) {
      const idle = {} as Record<ChainId, ChainModeDetail['measured']['idle']>;
      for (const chain of EVM_CHAINS) {
        const blocksPerMinute = Math.round(60_000 / chain.blockTimeMs);
        await idleInvocation(blocksPerMinute, at()); // warm: the first catches up what came before
        const runs = [];
        for (let i = 0; i < REPEATS; i += 1) runs.push(await idleInvocation(blocksPerMinute, at()));
        idle[chain.id] = { blocksPerInvocation: blocksPerMinute, invocationMs: round(median(runs.map((r) => r.ms)), 1), rpcCalls: median(runs.map((r) => r.calls)), httpRequests: median(runs.map((r) => r.requests)), passes: median(runs.map((r) => r.passes)) };
      }
      return idle;
    }

    async function busyFigures(at: () => number) {
      await busyPass(at());
      const runs = [];
      for (let i = 0; i < REPEATS * 2; i += 1) runs.push(await busyPass(at()));
      return { ms: median(runs.map((r) => r.ms)), calls: median(runs.map((r) => r.calls)), requests: median(runs.map((r) => r.requests)) };
    }

    function figures(chain: (typeof EVM_CHAINS)[number], idle: ChainModeDetail['measured']['idle'], busy: { ms: number; calls: number; requests: number }) {
      const blockTimeSeconds = chain.blockTimeMs / 1000;
      const idleSeconds = idle.invocationMs / 1000 + (idle.httpRequests * PROVIDER_LATENCY_MS) / 1000;
      const passSeconds = busy.ms / 1000 + (busy.requests * PROVIDER_LATENCY_MS) / 1000;
      const passesPerDay = Math.round(86_400 / Math.max(blockTimeSeconds, passSeconds));
      return {
        idle: { gbSecondsPerHour: round(memoryGb * idleSeconds * 60), rpcCallsPerDay: idle.rpcCalls * 1_440 },
        busy: { gbSecondsPerHour: round(memoryGb * BUSY_BUDGET_SECONDS * 60), rpcCallsPerDay: busy.calls * passesPerDay },
        measured: { idle, busy: { passMs: round(busy.ms, 1), rpcCallsPerPass: busy.calls, httpRequestsPerPass: busy.requests, passesPerDay } },
      };
    }

    // 1. Token logs only: no native-coin address was ever shown. Idle: nothing waits.
    const logsIdle = await measureIdle(() => Date.now());
    // 2. Busy: a USDT invoice waits for its payment (expires in an hour).
    const open = await createInvoice(deps, ownInvoiceCommand({ project, amount: { units: 1000n, scale: 2 }, fiat: 'USD', orderId: null, now: Date.now(), cryptocurrency: 'USDT_ERC20', lifetimeMs: 60 * 60_000 }));
    if (!open.ok) throw new Error(JSON.stringify(open.error));
    const logsBusy = await busyFigures(() => Date.now());
    // 3. A native-coin static wallet: whole blocks from now on. Idle again two hours later (the invoice expired).
    const wallet = await createStaticWallet(deps, project, { code: 'ETH', identify: 'bench', now: Date.now() });
    if (!wallet.ok) throw new Error(JSON.stringify(wallet.error));
    const later = () => Date.now() + 2 * 60 * 60_000;
    const blocksIdle = await measureIdle(later);
    const blocksBusy = await busyFigures(() => Date.now());

    const out = {} as Record<ChainId, ChainModeDetail>;
    for (const chain of EVM_CHAINS) {
      const logs = figures(chain, logsIdle[chain.id], logsBusy);
      const blocks = figures(chain, blocksIdle[chain.id], blocksBusy);
      out[chain.id] = {
        blockTimeSeconds: chain.blockTimeMs / 1000,
        idle: logs.idle,
        busy: logs.busy,
        memoryMb: schedules['chain-watcher'].memoryMb,
        usdPerMonth: { idle: usdPerMonth(logs.idle.gbSecondsPerHour), busy: usdPerMonth(logs.busy.gbSecondsPerHour) },
        measured: logs.measured,
        blocks: { idle: blocks.idle, busy: blocks.busy, measured: blocks.measured },
      };
    }
    return out;
  } finally {
    await stop();
  }
}

/** `npm run bench` (BENCH_ONLY=watcher-modes): per chain, GB-s per chain-hour, USD per chain-month and RPC calls per chain-day, idle and busy. */
export async function watcherModesBench(): Promise<Record<string, unknown>> {
  const figures = await measureWatcherModes();
  return {
    assumptions: {
      lambdaUsdPerGbSecond: LAMBDA_USD_PER_GB_SECOND,
      lambdaUsdPerMillionRequests: LAMBDA_USD_PER_MILLION_REQUESTS,
      invocationsPerMonth: INVOCATIONS_PER_MONTH,
      providerLatencyMsPerHttpRequest: PROVIDER_LATENCY_MS,
      busyBudgetSeconds: BUSY_BUDGET_SECONDS,
      memoryMb: schedules['chain-watcher'].memoryMb,
    },
    chains: figures,
  };
}
