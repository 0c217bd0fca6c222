/** Rate limits of the public routes: a fixed one-minute window per client and route class. */
import { MINUTE_MS } from '../domain/time';
import type { Deps } from '../ports';

/** Whether this request fits its client's window; counting it either way (a flood stays refused). */
export async function allowRequest(deps: Pick<Deps, 'rateCounters' | 'settings'>, limit: 'browse' | 'create', store: 'memory' | 'table', client: string, now: number): Promise<boolean> {
  const window = Math.floor(now / MINUTE_MS);
  const count = await deps.rateCounters[store].hit(limit, client, window, (window + 2) * MINUTE_MS);
  return count <= deps.settings.rateLimitsPerMinute[limit];
}

/**
 * Whom a limit counts: an IPv4 address as it is, an IPv6 address by its /64. One subscriber gets a
 * whole /64 (2^64 addresses), so counting single IPv6 addresses would give each client an endless
 * supply of fresh windows. IPv4-mapped addresses (`::ffff:a.b.c.d`) count as their IPv4 address.
 */
export function rateClient(sourceIp: string): string {
  const ip = sourceIp.trim().toLowerCase().replace(/%.*$/, '');
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/.exec(ip);
  if (mapped) return mapped[1];
  if (!ip.includes(':')) return ip;
  const [head, tail] = ip.split('::', 2);
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups = tail === undefined ? left : [...left, ...Array<string>(Math.max(0, 8 - left.length - right.length)).fill('0'), ...right];
  return `${groups
    .slice(0, 4)
    .map((g) => g.replace(/^0+(?=.)/, ''))
    .join(':')}::/64`;
}
