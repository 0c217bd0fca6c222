/** Runs the manifest's schedules locally, never overlapping a run with itself. */
import { CHAINS, type ChainId } from '../../shared/domain/currencies';
import { type ScheduleId, type ScheduleSpec, schedules } from '../manifest';

type ScheduledHandler = (event: unknown, context: unknown) => Promise<unknown>;

export function startSchedules(options: { chains: readonly string[]; onError?: (id: ScheduleId, e: unknown) => void }): { stop(): void; runNow(id: ScheduleId, chain?: string): Promise<unknown> } {
  const timers: NodeJS.Timeout[] = [];
  const running = new Map<string, Promise<unknown>>();
  const run = (id: ScheduleId, chain?: string) => {
    const key = `${id}:${chain ?? ''}`;
    const inflight = running.get(key);
    if (inflight) return inflight;
    const p = (async () => {
      const mod = (await import(/* @vite-ignore */ `../../${schedules[id].entry}`)) as { handler: ScheduledHandler };
      // Like the EventBridge rule: a per-chain schedule's event is its input, `{"chain": ...}`.
      const event = chain ? { chain } : { source: 'aws.events', 'detail-type': 'Scheduled Event', time: new Date().toISOString(), detail: {} };
      return mod.handler(event, {});
    })()
      .catch((e) => options.onError?.(id, e))
      .finally(() => running.delete(key));
    running.set(key, p);
    return p;
  };
  for (const [id, spec] of Object.entries(schedules) as [ScheduleId, ScheduleSpec][]) {
    const family = spec.perChain;
    for (const chain of family ? options.chains.filter((c) => Object.hasOwn(CHAINS, c) && CHAINS[c as ChainId].family === family) : [undefined]) {
      const t = setInterval(() => void run(id, chain), spec.localEverySeconds * 1000);
      t.unref();
      timers.push(t);
    }
  }
  return { stop: () => timers.forEach(clearInterval), runNow: run };
}
