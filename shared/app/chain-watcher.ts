/**
 * The chain watcher: reports what the chain says and nothing else (DESIGN §2). One pass
 * 1. checks that the checkpoint's block is still canonical, rewinding to the fork point and
 *    withdrawing what orphaned blocks held when it is not;
 * 2. scans the next range of blocks for transfers into watched addresses;
 * 3. sends the observations, and only then moves the cursor (it never passes a block it has not
 *    reported);
 * 4. tells the crediting consumer which pending transfers reached their depth on the canonical
 *    chain, and which sit in blocks that are gone.
 */
import { addressKey } from '../domain/chain-families';
import type { ChainDeployment } from '../domain/chains';
import type { ChainId } from '../domain/currencies';
import { depthAt, LATE_PAYMENT_WATCH_MS } from '../domain/invoice/payments';
import { WATCHED_FOR_GOOD } from '../domain/static-wallet';
import type { Instant } from '../domain/time';
import { type Observation, observationMessage } from '../domain/transfers';
import type { BlockRef, ChainAdapter, Checkpoint, CheckpointStore, Clock, Logger, NativeWatch, PaymentStore, PaymentWaits, Queue, TransferRecord, WatchedAddressSource } from '../ports';
import { chainHeights } from './chain-heights';
import { reportStuckWork, WORK_STUCK_AFTER_MS } from './work-queues';

export const WATCHER_LIMITS = {
  /** Blocks per pass reading every block; a backlog is worked off pass after pass without sleeping. */
  rangeMax: 100,
  /**
   * Blocks per pass reading token logs only (no native-coin address watched): a pass then costs
   * 4 calls whatever its length. With only the registry's contracts, a minute of Arbitrum (240
   * blocks) is one range; with every token (`logScan: 'all'`) answers grow with the range, and
   * providers refuse large ones (the reader halves those), so it stays at rangeMax.
   */
  logsRangeMax: 1_000,
  /** Passes of an idle invocation at most: enough to catch up a minute of the fastest chain, and bounded when far behind. */
  idlePassesMax: 10,
  /** Deposit addresses whose invoice has not expired read per mode check; more than this: busy without reading on. */
  openInvoicesChecked: 500,
  /** Recent block hashes kept in the checkpoint: the deepest reorg found without RPC walks. */
  recentKept: 256,
  /** Due transfers reported per pass; the next pass continues after the last, so stuck ones never block the rest. */
  confirmationsPerPass: 500,
  orphanedBlocksPerMessage: 50,
};

export type WatcherDeps = {
  clock: Clock;
  log: Logger;
  reader: ChainAdapter;
  checkpoints: CheckpointStore;
  watched: WatchedAddressSource;
  payments: Pick<PaymentStore, 'dueForConfirmation'>;
  queue: Pick<Queue, 'sendMany'>;
  /** Whether native-coin addresses are watched: full blocks, or token logs only. */
  native: NativeWatch;
  /** Whether an invoice on the chain waits for its payment: busy or idle. */
  waits: PaymentWaits;
};

/**
 * The value a forever-watched address keeps in the watch set: a small integer V8 stores in the
 * map entry itself, where a watch end in ms would be a heap number of its own per address.
 */
const FOREVER = -1;
const watchEnd = (watchUntil: Instant): number => (watchUntil >= WATCHED_FOR_GOOD ? FOREVER : watchUntil);

/**
 * What a chain's watcher keeps warm between passes: its deposit addresses, and where the
 * confirmation pass left off.
 *
 * Addresses: one map, address -> watch end (FOREVER for static wallets' addresses), so matching
 * stays one map lookup per address seen in a block, whatever the size of the set. It is loaded in
 * full at a cold start, then kept up to date at a cost that follows the blocks and the new
 * claims, not the addresses held:
 * - every refresh re-reads the claims of the last few minutes, not only the newer ones: claims
 *   from concurrent API functions commit out of order and the index lags, so a strict "since the
 *   last one seen" would skip some and lose their payments. This is how new addresses, static
 *   ones included, come in;
 * - every RELOAD_MS a reload reads the addresses whose watch ends (invoices') from the last reload
 *   on: the live ones bound any drift, the ones that ended since are dropped from memory. The
 *   forever ones, the part that grows, are not re-read: they never end;
 * - every FULL_RELOAD_MS the forever ones are re-read too, to bound their drift as well.
 * A reload never walks the set: what ended is found by the index, not by a scan of the map.
 */
export class WatchSet {
  private readonly until = new Map<string, number>();
  private newestClaim: number | null = null;
  private lastReload: number | null = null;
  private lastFullReload = Number.NEGATIVE_INFINITY;
  /**
   * Where the next confirmation pass starts in the due queue (null: at the oldest). Kept in
   * memory: a cold start begins again at the oldest, which only delays, never skips.
   */
  confirmationCursor: string | null = null;

  static readonly OVERLAP_MS = 5 * 60_000;
  static readonly RELOAD_MS = 15 * 60_000;
  /** Hours: a 100,000-address read is seconds of a pass; cold starts read everything anyway. */
  static readonly FULL_RELOAD_MS = 6 * 60 * 60_000;

  constructor(
    private readonly chain: ChainId,
    private readonly source: WatchedAddressSource,
  ) {}

  async refresh(now: number): Promise<void> {
    if (this.newestClaim === null || now - this.lastFullReload >= WatchSet.FULL_RELOAD_MS) {
      // Everything still watched: new claims are in it, so no claims read is needed.
      await this.reload(now, null);
      this.lastFullReload = now;
    } else {
      // Claims first: the reload below does not read the forever ones, so new static addresses come in here.
      for (const c of await this.source.claimedSince(this.chain, this.newestClaim - WatchSet.OVERLAP_MS)) {
        if (c.watchUntil > now) this.until.set(c.address, watchEnd(c.watchUntil));
        this.newestClaim = Math.max(this.newestClaim, c.claimedAt);
      }
      if (now - (this.lastReload ?? now) < WatchSet.RELOAD_MS) return;
      await this.reload(now, WATCHED_FOR_GOOD);
    }
    // Later refreshes re-read the claims from OVERLAP_MS before this reload on, so a burst of
    // claims is re-read for one reload period at most.
    this.newestClaim = Math.max(this.newestClaim ?? now, now);
  }

  /**
   * Reads the addresses whose watch ends after the last reload and before `before`: sets the live
   * ones, drops the ones that ended since. Every entry was live when it was set, at or after the
   * last reload, so this finds every one that has ended. Entries still live are kept even when the
   * index has not shown them yet: a claim read by the last refresh stays.
   */
  private async reload(now: number, before: number | null): Promise<void> {
    for await (const a of this.source.watchEndingBetween(this.chain, Math.min(this.lastReload ?? now, now), before)) {
      if (a.watchUntil > now) this.until.set(a.address, watchEnd(a.watchUntil));
      else this.until.delete(a.address);
    }
    this.lastReload = now;
  }

  /** Addresses whose invoice is paid, canceled or expired: final, so never read again (until a cold start). */
  private readonly settled = new Set<string>();
  /** The native-coin mark last read (see NativeWatch); undefined before the first read. */
  nativeUntil: number | null | undefined = undefined;

  /**
   * Whether an invoice on this chain waits for its payment: an invoice address whose watch ends
   * more than the late-payment window from now (its invoice has not expired) and whose invoice is
   * `created` or `partial`. Static wallets (watched for good) and expired invoices' late-payment
   * watch are not read: the index span starts after them. One keys-only query (empty when idle)
   * plus, only for unexpired invoices not known settled, two batch reads.
   */
  async awaitingPayment(now: number, waits: PaymentWaits): Promise<{ waiting: number; open: number }> {
    const open: string[] = [];
    for await (const a of this.source.watchEndingBetween(this.chain, now + LATE_PAYMENT_WATCH_MS, WATCHED_FOR_GOOD)) {
      if (a.watchUntil >= WATCHED_FOR_GOOD || this.settled.has(a.address)) continue;
      open.push(a.address);
      if (open.length >= WATCHER_LIMITS.openInvoicesChecked) return { waiting: open.length, open: open.length };
    }
    if (open.length === 0) return { waiting: 0, open: 0 };
    const states = await waits.invoiceStates(this.chain, open, now);
    let waiting = 0;
    for (const a of open) {
      const state = states.get(a);
      if (state === 'waiting') waiting += 1;
      else if (state === 'settled') this.settled.add(a);
    }
    return { waiting, open: open.length };
  }

  matcher(now: number): (address: string) => boolean {
    return (address) => {
      const until = this.until.get(addressKey(this.chain, address));
      return until === FOREVER || (until ?? 0) > now;
    };
  }

  get size() {
    return this.until.size;
  }
}

export type PassResult = { scanned: number; observations: number; lagBlocks: number; caughtUp: boolean; reorg: boolean; confirmed: number; reads: ScanReads | null };

/** How a pass read the chain: every block (a native-coin address is watched), or token logs only (null: it read no range). */
export type ScanReads = 'blocks' | 'logs';

/**
 * Whether native value transfers must be read: the chain serves its native coin and the mark says
 * an address shown for it may still be paid. Read after the head, so an address shown after this
 * read is paid in a later block (NativeWatch). A checkpoint from before the mark: its chain's old
 * native addresses are unknown, so blocks, always.
 */
async function scanReads(deps: WatcherDeps, deployment: ChainDeployment, watchSet: WatchSet, now: number, cp: Checkpoint): Promise<ScanReads> {
  if (deployment.family !== 'evm') return 'blocks';
  if (!deployment.currencies.some((c) => c.contract === null)) return 'logs';
  if (cp.nativeMarkTrusted !== true) return 'blocks';
  // A mark in the future stays true until then (it never goes down): no read needed.
  if (typeof watchSet.nativeUntil === 'number' && watchSet.nativeUntil > now) return 'blocks';
  watchSet.nativeUntil = (await deps.native.until(deployment.chain)) ?? 0;
  return watchSet.nativeUntil > now ? 'blocks' : 'logs';
}

const scannedContracts = (d: ChainDeployment): string[] | 'all' => (d.logScan === 'all' ? 'all' : d.currencies.flatMap((c) => (c.contract ? [c.contract] : [])));

const toMessages = (observations: Observation[]) => observations.map(observationMessage);

function orphanMessages(chain: ChainId, blocks: BlockRef[]): Observation[] {
  const out: Observation[] = [];
  for (let i = 0; i < blocks.length; i += WATCHER_LIMITS.orphanedBlocksPerMessage) {
    out.push({ kind: 'blocks.orphaned', chain, blocks: blocks.slice(i, i + WATCHER_LIMITS.orphanedBlocksPerMessage) });
  }
  return out;
}

/** Walks back through the recent hashes to the newest block both forks share. */
async function findForkPoint(reader: ChainAdapter, recent: BlockRef[]): Promise<{ fork: number; orphaned: BlockRef[]; deeperThanWindow: boolean }> {
  for (let i = recent.length - 1; i >= 0; i -= 1) {
    if ((await reader.blockHash(recent[i].number)) === recent[i].hash) return { fork: recent[i].number, orphaned: recent.slice(i + 1), deeperThanWindow: false };
  }
  return { fork: (recent[0]?.number ?? 0) - 1, orphaned: recent, deeperThanWindow: true };
}

async function initialCheckpoint(deps: WatcherDeps, chain: ChainId, head: BlockRef): Promise<Checkpoint> {
  // A new deployment starts at the head; older blocks are reached with `tollgate chain rescan`.
  const start = head.number - 1;
  const hash = start >= 0 ? await deps.reader.blockHash(start) : null;
  // The chain's first checkpoint: every native address shown on it raised the mark (NativeWatch).
  return { chain, cursor: start, cursorTime: null, recent: hash ? [{ number: start, hash }] : [], head, headAt: deps.clock.now(), version: 0, nativeMarkTrusted: true };
}

export async function watchPass(deps: WatcherDeps, deployment: ChainDeployment, watchSet: WatchSet): Promise<PassResult> {
  const { reader, log } = deps;
  const chain = deployment.chain;
  const head = await reader.head();
  const stored = await deps.checkpoints.get(chain);
  const cp = stored ?? (await initialCheckpoint(deps, chain, head));
  const now = deps.clock.now();
  const result: PassResult = { scanned: 0, observations: 0, lagBlocks: head.number - cp.cursor, caughtUp: false, reorg: false, confirmed: 0, reads: null };

  // 1. Is our last block still canonical?
  const last = cp.recent.at(-1);
  if (last && (await reader.blockHash(last.number)) !== last.hash) {
    const { fork, orphaned, deeperThanWindow } = await findForkPoint(reader, cp.recent);
    if (deeperThanWindow) log.error('watcher.reorg_deeper_than_window', { chain, kept: cp.recent.length, rewoundTo: fork });
    await deps.queue.sendMany('observations', toMessages(orphanMessages(chain, orphaned)));
    // The fork block's time is not kept: unknown until the next scan, so the expirer waits a pass.
    const rewound: Checkpoint = { ...cp, cursor: fork, cursorTime: null, recent: cp.recent.filter((b) => b.number <= fork), head, headAt: now, version: cp.version + 1 };
    const saved = await deps.checkpoints.save(rewound, cp.version);
    log.warn('watcher.reorg', { chain, forkPoint: fork, orphanedBlocks: orphaned.length, from: orphaned[0]?.number, to: orphaned.at(-1)?.number, saved });
    return { ...result, reorg: true };
  }

  // 2 and 3. Scan, report, then advance.
  let next = cp;
  const from = cp.cursor + 1;
  const reads = from <= head.number ? await scanReads(deps, deployment, watchSet, now, cp) : null;
  const contracts = scannedContracts(deployment);
  const rangeMax = reads === 'logs' && contracts !== 'all' ? WATCHER_LIMITS.logsRangeMax : WATCHER_LIMITS.rangeMax;
  const to = Math.min(head.number, cp.cursor + rangeMax);
  if (from <= to) {
    result.reads = reads;
    await watchSet.refresh(now);
    const { blocks, transfers } = await reader.scan({ from, to }, watchSet.matcher(now), contracts, { native: reads !== 'logs', head });
    // Every block follows the one before it where both were read (logs mode reads some only: the
    // first, those with transfers, the last); the first must follow the checkpoint's block.
    const broken = blocks.find((b, i) => {
      const previous = i === 0 ? last : blocks[i - 1];
      return previous !== undefined && b.number === previous.number + 1 && b.parentHash !== previous.hash;
    });
    if (broken) {
      // The chain changed under the scan; the next pass sees the reorg at its first step.
      log.warn('watcher.chain_moved_during_scan', { chain, at: broken.number });
      return result;
    }
    const seen: Observation[] = transfers.map((transfer) => ({ kind: 'transfer.seen', transfer, source: 'watcher' }));
    await deps.queue.sendMany('observations', toMessages(seen));
    next = {
      ...cp,
      cursor: to,
      // The scan returns every block of the range, or (logs) some with `to` always: `to` is the last.
      cursorTime: blocks.at(-1)?.time ?? null,
      recent: [...cp.recent, ...blocks.map((b) => ({ number: b.number, hash: b.hash }))].slice(-WATCHER_LIMITS.recentKept),
      head,
      headAt: now,
      version: cp.version + 1,
    };
    if (!(await deps.checkpoints.save(next, stored ? cp.version : 0))) {
      log.warn('watcher.checkpoint_taken', { chain, note: 'another watcher advanced this chain; stopping this pass' });
      return result;
    }
    Object.assign(result, { scanned: to - from + 1, observations: seen.length, lagBlocks: head.number - to });
    if (seen.length > 0) log.info('watcher.transfers_seen', { chain, from, to, count: seen.length, reads: result.reads });
  } else if (!stored || cp.head.number !== head.number) {
    next = { ...cp, head, headAt: now, version: cp.version + 1 };
    if (!(await deps.checkpoints.save(next, stored ? cp.version : 0))) return result;
  }
  result.caughtUp = next.cursor >= head.number;

  // 4. Which pending transfers are deep enough, and still canonical?
  result.confirmed = await reportConfirmations(deps, deployment, head, next, watchSet);
  return result;
}

/**
 * A transfer reported due this long ago (by its block's depth at the chain's nominal block time)
 * and still pending is stuck: the crediting consumer keeps failing on it.
 */
const isStuck = (t: TransferRecord, head: BlockRef, deployment: ChainDeployment) => depthAt(t.blockNumber, head.number) * deployment.blockTimeMs > WORK_STUCK_AFTER_MS;

/**
 * Reports one page of the due queue, continuing where the previous pass stopped and starting
 * again at the oldest after the last: transfers that stay pending (the consumer keeps failing on
 * them) are re-reported once per round instead of hiding every transfer behind them.
 */
async function reportConfirmations(deps: WatcherDeps, deployment: ChainDeployment, head: BlockRef, cp: Checkpoint, watchSet: WatchSet): Promise<number> {
  const { reader } = deps;
  const heights = await chainHeights(reader, deployment, head.number);
  const page = await deps.payments.dueForConfirmation(deployment.chain, heights, WATCHER_LIMITS.confirmationsPerPass, watchSet.confirmationCursor);
  watchSet.confirmationCursor = page.next;
  const due = page.due;
  if (due.length === 0) return 0;
  const stuck = due.filter((t) => isStuck(t, head, deployment)).map((t) => t.key);
  reportStuckWork(deps.log, deps.clock.now(), 'confirmations', stuck, { chain: deployment.chain });
  const known = new Map(cp.recent.map((b) => [b.number, b.hash]));
  const canonical = async (n: number) => {
    if (!known.has(n)) known.set(n, (await reader.blockHash(n)) ?? '');
    return known.get(n);
  };
  const out: Observation[] = [];
  for (const t of due) {
    if ((await canonical(t.blockNumber)) === t.blockHash) {
      out.push({ kind: 'transfer.confirmed', chain: deployment.chain, key: t.key, blockNumber: t.blockNumber, blockHash: t.blockHash, confirmations: depthAt(t.blockNumber, head.number) });
    } else {
      out.push({ kind: 'blocks.orphaned', chain: deployment.chain, blocks: [{ number: t.blockNumber, hash: t.blockHash }] });
    }
  }
  await deps.queue.sendMany('observations', toMessages(out));
  return out.filter((o) => o.kind === 'transfer.confirmed').length;
}

/** Busy: a customer is paying. Idle: nothing waits; late payments and static wallets can wait a minute. */
export type WatcherMode = 'busy' | 'idle';

/**
 * One invocation (EventBridge fires once a minute). Busy while an invoice on the chain waits for
 * its payment: keeps scanning for most of the invocation, about once per block, so detection lags
 * one block, not one minute. Idle otherwise: catches up (a minute of blocks: one pass, a few on
 * the fastest chains when reading blocks) and returns, so an idle chain costs a second or so of
 * Lambda a minute instead of the whole budget. Passes that fail are logged and retried; the
 * invocation fails only when no pass succeeded, so the errors alarm fires.
 */
export async function runWatcher(deps: WatcherDeps, deployment: ChainDeployment, watchSet: WatchSet, budgetMs: number, sleep: (ms: number) => Promise<void>) {
  const started = deps.clock.now();
  const deadline = started + budgetMs;
  const { mode, waiting } = await watcherMode(deps, deployment, watchSet, started);
  let passes = 0;
  let failures = 0;
  let lastError = '';
  let last: PassResult | null = null;
  let reported = 0;
  do {
    try {
      last = await watchPass(deps, deployment, watchSet);
      passes += 1;
      reported += last.observations + last.confirmed;
      emitLagMetric(deps.log, deps.clock.now(), deployment, last.lagBlocks);
      if (!last.caughtUp && (mode === 'busy' ? !last.reorg : passes < WATCHER_LIMITS.idlePassesMax)) continue;
    } catch (e) {
      failures += 1;
      lastError = e instanceof Error ? e.message : String(e);
      deps.log.error('watcher.pass_failed', { chain: deployment.chain, error: lastError, failures });
    }
    // Idle: once caught up (or after its passes), the next invocation carries on.
    if (mode === 'idle' && (last?.caughtUp || passes + failures >= WATCHER_LIMITS.idlePassesMax)) break;
    const wait = Math.min(deployment.blockTimeMs, deadline - deps.clock.now());
    if (wait > 0) await sleep(wait);
  } while (deps.clock.now() + deployment.blockTimeMs < deadline);
  if (passes === 0 && failures > 0) throw new Error(`watcher for ${deployment.chain} made no successful pass: ${lastError}`);
  return { mode, waiting, reads: last?.reads ?? null, passes, failures, reported, lagBlocks: last?.lagBlocks ?? null, watched: watchSet.size };
}

/**
 * Decided once per invocation and logged at info (one line a minute per chain): which mode, how
 * many invoices wait. A failed check counts as busy: it costs a minute of Lambda, never latency.
 */
async function watcherMode(deps: WatcherDeps, deployment: ChainDeployment, watchSet: WatchSet, now: number): Promise<{ mode: WatcherMode; waiting: number | null }> {
  try {
    const { waiting, open } = await watchSet.awaitingPayment(now, deps.waits);
    const mode: WatcherMode = waiting > 0 ? 'busy' : 'idle';
    deps.log.info('watcher.mode', { chain: deployment.chain, mode, waiting, openInvoices: open, nativeUntil: watchSet.nativeUntil ?? null });
    return { mode, waiting };
  } catch (e) {
    deps.log.warn('watcher.mode', { chain: deployment.chain, mode: 'busy', error: e instanceof Error ? e.message : String(e), note: 'could not tell whether an invoice waits; scanning as if one did' });
    return { mode: 'busy', waiting: null };
  }
}

/** CloudWatch Embedded Metric Format: the log line is the metric, no API call needed. */
export const SCAN_LAG_METRIC = { namespace: 'Tollgate', name: 'ScanLagBlocks', dimension: 'Chain' } as const;

function emitLagMetric(log: Logger, at: Instant, deployment: ChainDeployment, lagBlocks: number) {
  log.info('watcher.lag', {
    _aws: {
      Timestamp: at,
      CloudWatchMetrics: [{ Namespace: SCAN_LAG_METRIC.namespace, Dimensions: [[SCAN_LAG_METRIC.dimension]], Metrics: [{ Name: SCAN_LAG_METRIC.name, Unit: 'Count' }] }],
    },
    [SCAN_LAG_METRIC.dimension]: deployment.chain,
    [SCAN_LAG_METRIC.name]: Math.max(0, lagBlocks),
  });
}

/** Re-reports transfers in a past range (`tollgate chain rescan`); crediting de-duplicates. */
export async function rescanRange(deps: WatcherDeps, deployment: ChainDeployment, watchSet: WatchSet, range: { from: number; to: number }) {
  await watchSet.refresh(deps.clock.now());
  const contracts = scannedContracts(deployment);
  let observations = 0;
  for (let from = range.from; from <= range.to; from += WATCHER_LIMITS.rangeMax) {
    const to = Math.min(range.to, from + WATCHER_LIMITS.rangeMax - 1);
    const { transfers } = await deps.reader.scan({ from, to }, watchSet.matcher(deps.clock.now()), contracts);
    await deps.queue.sendMany('observations', toMessages(transfers.map((transfer) => ({ kind: 'transfer.seen', transfer, source: 'watcher' }))));
    observations += transfers.length;
  }
  deps.log.info('watcher.rescan', { chain: deployment.chain, ...range, observations });
  return { observations };
}
