/**
 * Combining price quotes from several sources into one safe rate. Pure: the adapters fetch and
 * cache, this decides. A rate is "USD per one unit" of a symbol (a crypto ticker or a fiat code).
 */
import { addRatio, compareRatio, multiply, type Ratio, ratio } from './money';
import type { Instant } from './time';

export type SourceSnapshot = { source: string; fetchedAt: Instant; usdPer: ReadonlyMap<string, Ratio> };

export type RatePolicy = {
  /** Quotes older than this are not used at all. */
  maxAgeMs: number;
  /** Two sources further apart than this (as a fraction, e.g. 0.05) are not trusted. */
  maxSpread: Ratio;
};

export type RateDecision =
  | { ok: true; rate: Ratio; sources: string[] }
  | { ok: false; reason: 'no_fresh_quote' | 'sources_disagree'; sources: string[] };

const median = (sorted: readonly Ratio[]): Ratio => {
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid] : multiply(addRatio(sorted[mid - 1], sorted[mid]), ratio(1n, 2n));
};

/**
 * Median of the fresh quotes that agree with each other. "Agree" means the whole group lies
 * within `maxSpread` (high <= low * (1 + spread)); the largest such group must be a strict
 * majority of the quotes, else the sources disagree and no rate is safe. With two sources this
 * asks the two quotes to agree with each other, not with their average.
 */
export function decideRate(symbol: string, snapshots: readonly SourceSnapshot[], policy: RatePolicy, now: Instant): RateDecision {
  const quotes = snapshots
    .filter((s) => now - s.fetchedAt <= policy.maxAgeMs)
    .flatMap((s) => {
      const r = s.usdPer.get(symbol);
      return r && r.num > 0n ? [{ source: s.source, rate: r }] : [];
    })
    .sort((a, b) => compareRatio(a.rate, b.rate));
  if (quotes.length === 0) return { ok: false, reason: 'no_fresh_quote', sources: [] };
  const widen = addRatio(ratio(1n, 1n), policy.maxSpread);
  let best = { from: 0, to: 0 };
  for (let from = 0, to = 0; from < quotes.length; from += 1) {
    to = Math.max(to, from);
    while (to + 1 < quotes.length && compareRatio(quotes[to + 1].rate, multiply(quotes[from].rate, widen)) <= 0) to += 1;
    if (to - from > best.to - best.from) best = { from, to };
  }
  const agreeing = quotes.slice(best.from, best.to + 1);
  if (agreeing.length * 2 <= quotes.length) return { ok: false, reason: 'sources_disagree', sources: quotes.map((q) => q.source) };
  return { ok: true, rate: median(agreeing.map((q) => q.rate)), sources: agreeing.map((q) => q.source) };
}
