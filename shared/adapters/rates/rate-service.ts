/**
 * The RateSource used by the app: several price sources, each behind a timeout, a cache and a
 * circuit breaker, combined by the pure median rule in shared/domain/rates.ts.
 *
 *   fetch ok ──────────────► snapshot cached (fresh for cacheTtlMs, usable until maxAgeMs)
 *   fetch fails ───────────► keep the old snapshot while it is younger than maxAgeMs
 *   breakerFailuresMax fails in a row ──► source skipped for breakerCooldownMs, then one probe
 */
import { parseDecimal, ratioOf, type Ratio } from '../../domain/money';
import { decideRate, type RateDecision, type RatePolicy, type SourceSnapshot } from '../../domain/rates';
import type { Logger, RateSource } from '../../ports';
import type { PriceSource } from './sources';

export type RateServiceOptions = {
  timeoutMs: number;
  cacheTtlMs: number;
  maxAgeMs: number;
  maxSpreadPercent: string;
  breakerFailuresMax: number;
  breakerCooldownMs: number;
};

export const RATE_SERVICE_DEFAULTS: RateServiceOptions = {
  timeoutMs: 2_000,
  cacheTtlMs: 30_000,
  maxAgeMs: 5 * 60_000,
  maxSpreadPercent: '3',
  breakerFailuresMax: 3,
  breakerCooldownMs: 60_000,
};

type SourceState = { snapshot: SourceSnapshot | null; failures: number; openUntil: number; inflight: Promise<void> | null };

export class MedianRateService implements RateSource {
  private readonly state = new Map<string, SourceState>();
  private readonly policy: RatePolicy;

  constructor(
    private readonly sources: readonly PriceSource[],
    private readonly log: Logger,
    private readonly options: RateServiceOptions = RATE_SERVICE_DEFAULTS,
    private readonly nowMs: () => number = Date.now,
  ) {
    const spread = parseDecimal(options.maxSpreadPercent);
    const spreadRatio: Ratio = spread.ok ? ratioOf(spread.value) : { num: 3n, den: 1n };
    this.policy = { maxAgeMs: options.maxAgeMs, maxSpread: { num: spreadRatio.num, den: spreadRatio.den * 100n } };
    for (const s of sources) this.state.set(s.name, { snapshot: null, failures: 0, openUntil: 0, inflight: null });
  }

  private async refresh(source: PriceSource, st: SourceState): Promise<void> {
    const started = this.nowMs();
    try {
      const usdPer = await source.fetchUsdRates(AbortSignal.timeout(this.options.timeoutMs));
      if (usdPer.size === 0) throw new Error('answer had no usable rates');
      st.snapshot = { source: source.name, fetchedAt: this.nowMs(), usdPer };
      st.failures = 0;
    } catch (e) {
      st.failures += 1;
      if (st.failures >= this.options.breakerFailuresMax) st.openUntil = this.nowMs() + this.options.breakerCooldownMs;
      this.log.warn('rates.source_failed', { source: source.name, failures: st.failures, breakerOpen: st.openUntil > this.nowMs(), error: String(e), ms: this.nowMs() - started });
    }
  }

  private async ensureFresh(source: PriceSource): Promise<SourceSnapshot | null> {
    const st = this.state.get(source.name);
    if (!st) return null;
    const now = this.nowMs();
    const fresh = st.snapshot && now - st.snapshot.fetchedAt < this.options.cacheTtlMs;
    if (!fresh && st.openUntil <= now) {
      // Concurrent requests share one fetch per source.
      st.inflight ??= this.refresh(source, st).finally(() => {
        st.inflight = null;
      });
      await st.inflight;
    }
    return st.snapshot;
  }

  async usdRates(symbols: readonly string[]): Promise<ReadonlyMap<string, RateDecision>> {
    const snapshots = (await Promise.all(this.sources.map((s) => this.ensureFresh(s)))).filter((s): s is SourceSnapshot => s !== null);
    const now = this.nowMs();
    const out = new Map<string, RateDecision>();
    for (const symbol of symbols) {
      const decision = decideRate(symbol, snapshots, this.policy, now);
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
