/**
 * A chain watcher schedule of one family (the rule's input names the chain). On Lambda, busy (an
 * invoice waits for its payment) it keeps scanning for most of the invocation and leaves a margin
 * before the timeout; idle it catches up and returns (shared/app/chain-watcher.ts `runWatcher`).
 * The local runtime asks for one pass. The family's entry imports its adapter, so its bundle carries only that one.
 */
import type { ScheduleId } from '../../lib/manifest';
import { runWatcher, WatchSet } from '../../shared/app/chain-watcher';
import type { ChainFamily, ChainId } from '../../shared/domain/currencies';
import { watcherDeps } from './deps';
import { schedule } from './schedule';

/** Left unused at the end of an invocation, so a slow last pass still ends before the timeout. */
const TIMEOUT_MARGIN_MS = 12_000;

/** Warm between invocations, per runtime: a rebuilt runtime (another table, in tests and the bench) starts a fresh set. */
const watchSets = new WeakMap<object, Map<ChainId, WatchSet>>();
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export const chainWatcherHandler = (id: ScheduleId, family: ChainFamily) =>
  schedule(id, async (deps, _now, { event, remainingMs }) => {
    const chain = String(event.chain ?? '') as ChainId;
    const deployment = deps.chains.find((d) => d.chain === chain);
    if (!deployment || deployment.family !== family) {
      deps.log.warn('watcher.chain_not_configured', { chain, family, configured: deps.chains.filter((d) => d.family === family).map((d) => d.chain) });
      return { chain, due: 0, skipped: 'not configured' };
    }
    const watcher = watcherDeps(chain);
    const ofRuntime = watchSets.get(watcher.watched) ?? new Map<ChainId, WatchSet>();
    watchSets.set(watcher.watched, ofRuntime);
    let watchSet = ofRuntime.get(chain);
    if (!watchSet) {
      watchSet = new WatchSet(chain, watcher.watched);
      ofRuntime.set(chain, watchSet);
    }
    const budgetMs = remainingMs === null ? 0 : Math.max(0, remainingMs - TIMEOUT_MARGIN_MS);
    const callsBefore = watcher.reader.calls;
    const requestsBefore = watcher.reader.requests ?? callsBefore;
    const out = await runWatcher(watcher, deployment, watchSet, budgetMs, sleep);
    // `due` drives the run log's level: quiet passes log at debug (the mode line is at info).
    // RPC calls as providers bill them (a batch of N is N); HTTP requests (a batch is one).
    const rpcCalls = watcher.reader.calls - callsBefore;
    return { chain, ...out, rpcCalls, rpcRequests: (watcher.reader.requests ?? watcher.reader.calls) - requestsBefore, due: out.reported + out.failures };
  });
