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

const withinSpread = (value: Ratio, center: Ratio, spread: Ratio): boolean => {
  const one = ratio(1n, 1n);
  const upper = multiply(center, addRatio(one, spread));
  const lower = multiply(center, addRatio(one, ratio(-spread.num, spread.den)));
  return compareRatio(value, upper) <= 0 && compareRatio(value, lower) >= 0;
};

/**
 * Median of the fresh quotes. Quotes further than `maxSpread` from the median are dropped as
 * outliers; if that leaves no strict majority, the sources disagree and no rate is safe.
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
  const center = median(quotes.map((q) => q.rate));
  const agreeing = quotes.filter((q) => withinSpread(q.rate, center, policy.maxSpread));
  const sources = agreeing.map((q) => q.source);
  if (agreeing.length * 2 <= quotes.length) return { ok: false, reason: 'sources_disagree', sources: quotes.map((q) => q.source) };
  return { ok: true, rate: median(agreeing.map((q) => q.rate)), sources };
}
