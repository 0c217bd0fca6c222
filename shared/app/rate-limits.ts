/** Rate limits of the public routes: a fixed one-minute window per client and route class. */
import { MINUTE_MS } from '../domain/time';
import type { Deps } from '../ports';

/** Whether this request fits its client's window; counting it either way (a flood stays refused). */
export async function allowRequest(deps: Pick<Deps, 'rateCounters' | 'settings'>, limit: 'browse' | 'create', store: 'memory' | 'table', client: string, now: number): Promise<boolean> {
  const window = Math.floor(now / MINUTE_MS);
  const count = await deps.rateCounters[store].hit(limit, client, window, (window + 2) * MINUTE_MS);
  return count <= deps.settings.rateLimitsPerMinute[limit];
}
