/** Runs the manifest's schedules locally, never overlapping a run with itself. */
import { type ScheduleId, schedules } from '../manifest';

type ScheduledHandler = (event: unknown, context: unknown) => Promise<unknown>;

export function startSchedules(options: { onError?: (id: ScheduleId, e: unknown) => void } = {}): { stop(): void; runNow(id: ScheduleId): Promise<unknown> } {
  const timers: NodeJS.Timeout[] = [];
  const running = new Map<ScheduleId, Promise<unknown>>();
  const run = (id: ScheduleId) => {
    const inflight = running.get(id);
    if (inflight) return inflight;
    const p = (async () => {
      const mod = (await import(`../../${schedules[id].entry}`)) as { handler: ScheduledHandler };
      return mod.handler({ source: 'aws.events', 'detail-type': 'Scheduled Event', time: new Date().toISOString(), detail: {} }, {});
    })()
      .catch((e) => options.onError?.(id, e))
      .finally(() => running.delete(id));
    running.set(id, p);
    return p;
  };
  for (const id of Object.keys(schedules) as ScheduleId[]) {
    const t = setInterval(() => void run(id), schedules[id].localEverySeconds * 1000);
    t.unref();
    timers.push(t);
  }
  return { stop: () => timers.forEach(clearInterval), runNow: run };
}
