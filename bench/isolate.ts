/**
 * Runs one bench stage in a process of its own and reports what it left behind. A stage that
 * shared the bench's process could inherit an earlier stage's module state (a cached runtime
 * whose clients point at stopped engines, the watcher schedule's address set, timers), which is
 * how `npm run bench` once hung in the latency stage. Its process group holds whatever it spawned
 * (anvil, DynamoDB Local), so nothing outlives the stage.
 */
import { fork } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** A stage running longer than this is stopped and reported as failed (the longest takes ~3 min). */
export const STAGE_TIMEOUT_MS = 10 * 60_000;
/** After it reports, a stage's process gets this long to exit by itself; one still alive left something open. */
export const STAGE_EXIT_GRACE_MS = 10_000;
/** How long a finished stage's group may take to empty (tsx's esbuild service exits after its node). */
const GROUP_DRAIN_MS = 3_000;
const GROUP_POLL_MS = 50;

export type StageReport = { ok: true; figures: Record<string, unknown> } | { ok: false; error: string };

export type StageOutcome = {
  figures: Record<string, unknown> | null;
  error: string | null;
  /** What the stage left running, killed with its process group. Empty for a clean stage. */
  leftovers: string[];
};

/** Process groups of stages now running, so an interrupted bench stops them too. */
const running = new Set<number>();

const killGroup = (pgid: number) => {
  try {
    process.kill(-pgid, 'SIGKILL');
  } catch {
    // The group is already empty.
  }
};

/**
 * Live processes of a group, by name. Zombies do not count: here PID 1 may never reap an orphan
 * (tsx's esbuild service outlives its node by a moment and is then reparented). Without /proc
 * (macOS) any member counts.
 */
function groupMembers(pgid: number): string[] {
  if (!existsSync('/proc')) {
    try {
      process.kill(-pgid, 0);
      return [`process group ${pgid}`];
    } catch {
      return [];
    }
  }
  return readdirSync('/proc').flatMap((pid) => {
    if (!/^\d+$/.test(pid)) return [];
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      const [state, , group] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      return Number(group) === pgid && state !== 'Z' ? [`${name} (pid ${pid})`] : [];
    } catch {
      return []; // It exited while we looked.
    }
  });
}

/** Members still alive once helpers that leave with their parent (esbuild) have had time to. */
async function survivors(pgid: number): Promise<string[]> {
  for (const until = Date.now() + GROUP_DRAIN_MS; ; await new Promise((r) => setTimeout(r, GROUP_POLL_MS))) {
    const members = groupMembers(pgid);
    if (members.length === 0 || Date.now() >= until) return members;
  }
}

/** Kills every running stage's process group (on SIGINT/SIGTERM of the bench). */
export function stopAllStages(): void {
  for (const pgid of running) killGroup(pgid);
  running.clear();
}

/**
 * Runs `STAGES[id].run()` of `modulePath` in a new process (its own process group) through
 * bench/stage-child.ts, and resolves once that process and everything it spawned are gone.
 */
export function runIsolated(modulePath: string, id: string, options: { timeoutMs?: number; exitGraceMs?: number } = {}): Promise<StageOutcome> {
  const timeoutMs = options.timeoutMs ?? STAGE_TIMEOUT_MS;
  const exitGraceMs = options.exitGraceMs ?? STAGE_EXIT_GRACE_MS;
  const child = fork(join(import.meta.dirname, 'stage-child.ts'), [modulePath, id], {
    execArgv: ['--import', 'tsx'],
    detached: true,
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const pgid = child.pid;
  if (pgid === undefined) return Promise.resolve({ figures: null, error: `stage ${id} did not start`, leftovers: [] });
  running.add(pgid);
  let report: StageReport | null = null;
  const leftovers: string[] = [];
  let timedOut = false;
  let grace: NodeJS.Timeout | undefined;
  const deadline = setTimeout(() => {
    timedOut = true;
    killGroup(pgid);
  }, timeoutMs);
  child.on('message', (message) => {
    report = message as StageReport;
    grace = setTimeout(() => {
      leftovers.push(`its process was still alive ${exitGraceMs} ms after reporting (open handles or timers)`);
      killGroup(pgid);
    }, exitGraceMs);
  });
  return new Promise((resolve) => {
    child.once('exit', async (code, signal) => {
      clearTimeout(deadline);
      clearTimeout(grace);
      const left = await survivors(pgid);
      if (left.length > 0) {
        leftovers.push(`processes it spawned were still running: ${left.join(', ')}`);
        killGroup(pgid);
      }
      running.delete(pgid);
      const got = report as StageReport | null;
      const error = timedOut
        ? `stage ${id} timed out after ${timeoutMs} ms`
        : !got
          ? `stage ${id} exited (${signal ?? `code ${code}`}) before reporting`
          : got.ok
            ? null
            : got.error;
      resolve({ figures: got?.ok ? got.figures : null, error, leftovers });
    });
  });
}
