/**
 * The RateSource used by the app: several price sources, each behind a timeout, a cache and a
 * circuit breaker, combined by the pure median rule in shared/domain/rates.ts.
 *
 *   fetch ok ──────────────► snapshot cached (fresh for cacheTtlMs, usable until maxAgeMs)
 *   fetch fails ───────────► keep the old snapshot while it is younger than maxAgeMs
 *   breakerFailuresMax fails in a row ──► source skipped for breakerCooldownMs, then one probe
 *
 * Two more guards, because one bad source must not set a price alone:
 * - each quote carries the time its source says the price was made; a quote older than the
 *   source's limit (or from further in the future than clock skew explains) is not used;
 * - a symbol that only one source prices right now is priced only within
 *   `singleSourceBandPercent` of the last price two or more sources agreed on (recently);
 *   without such a price, or outside the band, there is no rate.
 */
import { addRatio, compareRatio, multiply, parseDecimal, ratio, ratioOf, type Ratio } from '../../domain/money';
import { decideRate, type RateDecision, type RatePolicy, type SourceSnapshot } from '../../domain/rates';
import type { Logger, RateSource } from '../../ports';
import type { PriceQuote, PriceSource } from './sources';

export type RateServiceOptions = {
  timeoutMs: number;
  cacheTtlMs: number;
  /** How long a fetched snapshot is used, and how old a source's own price may be by default. */
  maxAgeMs: number;
  maxSpreadPercent: string;
  breakerFailuresMax: number;
  breakerCooldownMs: number;
  /** How far (percent) a lone source may be from the last agreed price. */
  singleSourceBandPercent: string;
  /** An agreed price older than this no longer vouches for a lone source. */
  agreedPriceAgeMaxMs: number;
  /** How far in the future a source's price time may be (clocks differ a little). */
  clockSkewMaxMs: number;
};

/** A lone source may move the price at most this far from the last agreed one. */
export const SINGLE_SOURCE_BAND_PERCENT = '2';
/** An hour: past it the market may have moved more than the band, so the anchor is void. */
export const AGREED_PRICE_AGE_MAX_MS = 60 * 60_000;
export const PRICE_CLOCK_SKEW_MAX_MS = 60_000;

export const RATE_SERVICE_DEFAULTS: RateServiceOptions = {
  timeoutMs: 2_000,
  cacheTtlMs: 30_000,
  maxAgeMs: 5 * 60_000,
  maxSpreadPercent: '3',
  breakerFailuresMax: 3,
  breakerCooldownMs: 60_000,
  singleSourceBandPercent: SINGLE_SOURCE_BAND_PERCENT,
  agreedPriceAgeMaxMs: AGREED_PRICE_AGE_MAX_MS,
  clockSkewMaxMs: PRICE_CLOCK_SKEW_MAX_MS,
};

type Fetched = { fetchedAt: number; quotes: ReadonlyMap<string, PriceQuote> };
type SourceState = { fetched: Fetched | null; failures: number; openUntil: number; inflight: Promise<void> | null };

/** A percentage option as a fraction (`'2'` → 2/100). The options are code, so a bad one is a bug. */
const percentRatio = (text: string): Ratio => {
  const parsed = parseDecimal(text);
  if (!parsed.ok) throw new Error(`rate service option is not a percentage: ${text}`);
  const r = ratioOf(parsed.value);
  return ratio(r.num, r.den * 100n);
};

export class MedianRateService implements RateSource {
  private readonly state = new Map<string, SourceState>();
  private readonly policy: RatePolicy;
  private readonly band: Ratio;
  /** Per symbol, the last rate two or more sources agreed on, and when. Per process, in memory. */
  private readonly agreed = new Map<string, { rate: Ratio; atMs: number }>();

  constructor(
    private readonly sources: readonly PriceSource[],
    private readonly log: Logger,
    private readonly options: RateServiceOptions = RATE_SERVICE_DEFAULTS,
    private readonly nowMs: () => number = Date.now,
  ) {
    this.policy = { maxAgeMs: options.maxAgeMs, maxSpread: percentRatio(options.maxSpreadPercent) };
    this.band = percentRatio(options.singleSourceBandPercent);
    for (const s of sources) this.state.set(s.name, { fetched: null, failures: 0, openUntil: 0, inflight: null });
  }

  private async refresh(source: PriceSource, st: SourceState): Promise<void> {
    const started = this.nowMs();
    try {
      const quotes = await source.fetchUsdRates(AbortSignal.timeout(this.options.timeoutMs));
      if (quotes.size === 0) throw new Error('answer had no usable rates');
      st.fetched = { fetchedAt: this.nowMs(), quotes };
      st.failures = 0;
    } catch (e) {
      st.failures += 1;
      if (st.failures >= this.options.breakerFailuresMax) st.openUntil = this.nowMs() + this.options.breakerCooldownMs;
      this.log.warn('rates.source_failed', { source: source.name, failures: st.failures, breakerOpen: st.openUntil > this.nowMs(), error: String(e), ms: this.nowMs() - started });
    }
  }

  private async ensureFresh(source: PriceSource): Promise<Fetched | null> {
    const st = this.state.get(source.name);
    if (!st) return null;
    const now = this.nowMs();
    const fresh = st.fetched && now - st.fetched.fetchedAt < this.options.cacheTtlMs;
    if (!fresh && st.openUntil <= now) {
      // Concurrent requests share one fetch per source.
      st.inflight ??= this.refresh(source, st).finally(() => {
        st.inflight = null;
      });
      await st.inflight;
    }
    return st.fetched;
  }

  /** The source's quotes for `symbols` whose own price time is current; the others are logged. */
  private currentQuotes(source: PriceSource, fetched: Fetched, symbols: readonly string[], now: number): SourceSnapshot {
    const ageMax = source.priceAgeMaxMs ?? this.options.maxAgeMs;
    const usdPer = new Map<string, Ratio>();
    const stale: { symbol: string; ageMs: number }[] = [];
    for (const symbol of symbols) {
      const q = fetched.quotes.get(symbol);
      if (!q) continue;
      const ageMs = now - q.madeAtMs;
      if (ageMs <= ageMax && ageMs >= -this.options.clockSkewMaxMs) usdPer.set(symbol, q.usdPer);
      else stale.push({ symbol, ageMs });
    }
    if (stale.length > 0) this.log.warn('rates.stale_quotes', { source: source.name, ageMaxMs: ageMax, stale });
    return { source: source.name, fetchedAt: fetched.fetchedAt, usdPer };
  }

  /** A rate only one source gave stands only near the last agreed rate (see the file comment). */
  private checkLoneSource(symbol: string, decision: RateDecision & { ok: true }, now: number): RateDecision {
    const anchor = this.agreed.get(symbol);
    if (!anchor || now - anchor.atMs > this.options.agreedPriceAgeMaxMs) {
      this.log.warn('rates.single_source_refused', { symbol, source: decision.sources[0], why: 'no recent price agreed by two sources to check it against' });
      return { ok: false, reason: 'no_fresh_quote', sources: decision.sources };
    }
    const one = ratio(1n, 1n);
    const high = multiply(anchor.rate, addRatio(one, this.band));
    const low = multiply(anchor.rate, ratio(this.band.den - this.band.num, this.band.den));
    if (compareRatio(decision.rate, low) >= 0 && compareRatio(decision.rate, high) <= 0) return decision;
    this.log.warn('rates.single_source_refused', { symbol, source: decision.sources[0], why: 'outside the band around the last agreed price', agreedAgeMs: now - anchor.atMs });
    return { ok: false, reason: 'sources_disagree', sources: decision.sources };
  }

  async usdRates(symbols: readonly string[]): Promise<ReadonlyMap<string, RateDecision>> {
    const fetched = await Promise.all(this.sources.map(async (s) => ({ source: s, fetched: await this.ensureFresh(s) })));
    const now = this.nowMs();
    const snapshots = fetched.flatMap(({ source, fetched: f }) => (f ? [this.currentQuotes(source, f, symbols, now)] : []));
    const out = new Map<string, RateDecision>();
    for (const symbol of symbols) {
      let decision = decideRate(symbol, snapshots, this.policy, now);
      if (decision.ok && decision.sources.length >= 2) this.agreed.set(symbol, { rate: decision.rate, atMs: now });
      else if (decision.ok) decision = this.checkLoneSource(symbol, decision, now);
      if (!decision.ok) this.log.warn('rates.unavailable', { symbol, reason: decision.reason, sources: decision.sources });
      out.set(symbol, decision);
    }
    return out;
  }
}

/** A fixed table for the devnet and tests: "USD per unit" as decimal strings. */
export class FixedRateSource implements RateSource {
  private readonly table: Map<string, Ratio>;
  constructor(usdPer: Record<string, string>) {
    this.table = new Map(
      Object.entries(usdPer).flatMap(([code, text]) => {
        const d = parseDecimal(text);
        return d.ok && d.value.units > 0n ? [[code, ratioOf(d.value)] as const] : [];
      }),
    );
  }
  async usdRates(symbols: readonly string[]) {
    return new Map(
      symbols.map((s): [string, RateDecision] => {
        const rate = this.table.get(s);
        return [s, rate ? { ok: true, rate, sources: ['fixed'] } : { ok: false, reason: 'no_fresh_quote', sources: [] }];
      }),
    );
  }
}
