/**
 * `npm run bench` runs each stage in a process of its own (bench/isolate.ts): a later stage sees
 * none of an earlier one's module state or environment, and whatever a stage leaves running
 * (timers, spawned engines) is reported and killed with its process group. Before, all stages
 * shared one process and the latency stage's watcher kept using an earlier stage's stopped engine.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runIsolated } from '../../bench/isolate';

const FIXTURE = join(import.meta.dirname, '..', 'support', 'bench-fixture-stages.ts');
/** Short enough for a test, long enough for a tsx process to start on a busy 2-core machine. */
const EXIT_GRACE_MS = 3_000;

/** Running, not merely a zombie waiting to be reaped (this container's init may be slow to). */
const running = (pid: number) => {
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
};

/** A killed process takes a moment to go. */
async function gone(pid: number, withinMs = 5_000): Promise<boolean> {
  for (const until = Date.now() + withinMs; Date.now() < until; await new Promise((r) => setTimeout(r, 50))) if (!running(pid)) return true;
  return false;
}

describe('bench stages', () => {
  it('a stage starts clean after one that left state, a timer and a process behind; the leftovers are reported and killed', async () => {
    const leaky = await runIsolated(FIXTURE, 'leaky', { exitGraceMs: EXIT_GRACE_MS });
    expect(leaky.error).toBeNull();
    const sleeperPid = leaky.figures?.sleeperPid as number;
    expect(sleeperPid).toBeGreaterThan(0);
    expect(leaky.leftovers.length).toBeGreaterThan(0);
    expect(await gone(sleeperPid)).toBe(true);

    const orphan = await runIsolated(FIXTURE, 'orphan', { exitGraceMs: EXIT_GRACE_MS });
    expect(orphan.leftovers).toEqual([expect.stringMatching(/still running: sleep \(pid \d+\)/)]);
    expect(await gone(orphan.figures?.sleeperPid as number)).toBe(true);

    const clean = await runIsolated(FIXTURE, 'clean', { exitGraceMs: EXIT_GRACE_MS });
    expect(clean).toEqual({ figures: { sawState: null, sawEnv: null }, error: null, leftovers: [] });
  }, 60_000);

  it('a stage that never ends is stopped at its timeout, and one that throws reports the error', async () => {
    const hung = await runIsolated(FIXTURE, 'hangs', { timeoutMs: 8_000, exitGraceMs: EXIT_GRACE_MS });
    expect(hung.figures).toBeNull();
    expect(hung.error).toMatch(/timed out after 8000 ms/);
    const thrown = await runIsolated(FIXTURE, 'throws', { exitGraceMs: EXIT_GRACE_MS });
    expect(thrown.figures).toBeNull();
    expect(thrown.error).toMatch(/the engine did not start/);
    expect(thrown.leftovers).toEqual([]);
  }, 60_000);
});
