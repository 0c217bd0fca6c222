/** The scheduled-job pipeline: one bounded run, one summary log line, faults rethrown. */
import middy from '@middy/core';
import type { Deps } from '../../shared/ports';
import type { ScheduleId } from '../../lib/manifest';
import { runtime } from './deps';

export function schedule<S extends object>(id: ScheduleId, run: (deps: Deps, now: number) => Promise<S>) {
  return middy<unknown, S>().handler(async () => {
    const { deps } = runtime();
    const started = performance.now();
    const log = deps.log.child({ schedule: id });
    try {
      const summary = await run(deps, deps.clock.now());
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
