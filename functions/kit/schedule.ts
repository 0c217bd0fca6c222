/** The scheduled-job pipeline: one bounded run, one summary log line, faults rethrown. */
import middy from '@middy/core';
import type { Deps } from '../../shared/ports';
import type { ScheduleId } from '../../lib/manifest';
import { runtime } from './deps';

/** What a scheduled run may read of its invocation: the rule's input and the time left. */
export type ScheduleInvocation = { event: Record<string, unknown>; remainingMs: number | null };

export function schedule<S extends object>(id: ScheduleId, run: (deps: Deps, now: number, invocation: ScheduleInvocation) => Promise<S>) {
  return middy<unknown, S>().handler(async (event, context) => {
    const { deps } = runtime();
    const started = performance.now();
    const log = deps.log.child({ schedule: id });
    try {
      const remaining = (context as { getRemainingTimeInMillis?: () => number } | undefined)?.getRemainingTimeInMillis;
      const invocation = { event: (event && typeof event === 'object' ? event : {}) as Record<string, unknown>, remainingMs: typeof remaining === 'function' ? remaining() : null };
      const summary = await run(deps, deps.clock.now(), invocation);
      // Idle runs are the common case; keep them out of the info stream.
      const idle = 'due' in summary && summary.due === 0;
      log[idle ? 'debug' : 'info']('schedule.run', { ...summary, ms: Math.round(performance.now() - started) });
      return summary;
    } catch (e) {
      log.error('schedule.fault', { error: e instanceof Error ? e.message : String(e), stack: e instanceof Error ? e.stack : undefined });
      throw e;
    }
  });
}
