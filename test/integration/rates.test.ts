/** The live rate service against the price-feed simulator over real HTTP. */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AGREED_PRICE_AGE_MAX_MS, MedianRateService, RATE_SERVICE_DEFAULTS, SINGLE_SOURCE_BAND_PERCENT } from '../../shared/adapters/rates/rate-service';
import { BinanceSource, CoinbaseSource, ExchangeRateApiSource } from '../../shared/adapters/rates/sources';
import { formatRatio, type Ratio } from '../../shared/domain/money';
import type { RateDecision } from '../../shared/domain/rates';
import { makeLogger } from '../../shared/log';
import { type PriceFeedSimulator, startPriceFeedSimulator } from '../../lib/local/simulators/price-feed-simulator';

let sim: PriceFeedSimulator;
let clock = 1_000_000;
const warnings: string[] = [];
const log = makeLogger({}, 'warn', (line) => warnings.push(line));

const service = (overrides: Partial<typeof RATE_SERVICE_DEFAULTS> = {}) =>
  new MedianRateService(
    [new CoinbaseSource(sim.url), new BinanceSource(sim.url), new ExchangeRateApiSource(sim.url)],
    log,
    { ...RATE_SERVICE_DEFAULTS, timeoutMs: 300, ...overrides },
    () => clock,
  );

/** The sources behind a rate, sorted; throws when there is no rate. */
const sourcesOf = (d: RateDecision | undefined) => {
  if (!d?.ok) throw new Error(`no rate: ${JSON.stringify(d)}`);
  return [...d.sources].sort();
};

const rate = (d: RateDecision | undefined) => {
  if (!d?.ok) throw new Error(`no rate: ${JSON.stringify(d)}`);
  return formatRatio(d.rate as Ratio, 6);
};

beforeAll(async () => {
  sim = await startPriceFeedSimulator({ ETH: '3000', EUR: '1.08', RUB: '0.011' });
  // The feeds date their prices by the test's clock, as real feeds do by the real one.
  sim.now = () => clock;
});
afterAll(() => sim.stop());
beforeEach(() => {
  for (const f of ['coinbase', 'binance', 'exchangerate'] as const) {
    sim.mode[f] = 'ok';
    sim.lagMs[f] = 0;
    sim.usdPer[f] = { ETH: '3000', EUR: '1.08', RUB: '0.011' };
  }
  clock += 3_600_000;
});

describe('MedianRateService', () => {
  it('takes the median of the sources that quote a symbol', async () => {
    sim.usdPer.coinbase.ETH = '3010';
    sim.usdPer.binance.ETH = '3000';
    const rates = await service().usdRates(['ETH', 'EUR']);
    expect(rate(rates.get('ETH'))).toBe('3005');
    expect(rates.get('EUR')?.ok && rates.get('EUR')?.sources.sort()).toEqual(['binance', 'coinbase', 'exchangerate-api']);
  });

  it('keeps selling when one source is down, times out a hanging one, and survives garbage', async () => {
    const s = service({ cacheTtlMs: 0 });
    expect(rate((await s.usdRates(['ETH'])).get('ETH'))).toBe('3000');
    // Past the snapshots' age: only what answers now counts.
    clock += RATE_SERVICE_DEFAULTS.maxAgeMs + 1;
    sim.mode.coinbase = 'hang';
    sim.mode.exchangerate = 'garbage';
    sim.usdPer.binance.ETH = '3010';
    const started = Date.now();
    const rates = await s.usdRates(['ETH', 'EUR']);
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(rate(rates.get('ETH'))).toBe('3010');
    expect(rates.get('ETH')?.sources).toEqual(['binance']);
    sim.mode.binance = 'http500';
    clock += RATE_SERVICE_DEFAULTS.maxAgeMs + 1;
    const none = await s.usdRates(['ETH']);
    expect(none.get('ETH')).toMatchObject({ ok: false, reason: 'no_fresh_quote' });
  });

  it(`lets a lone source price only within ${SINGLE_SOURCE_BAND_PERCENT} % of the last agreed price`, async () => {
    const s = service({ cacheTtlMs: 0 });
    expect(rate((await s.usdRates(['ETH'])).get('ETH'))).toBe('3000');
    sim.mode.binance = 'http500';
    clock += RATE_SERVICE_DEFAULTS.maxAgeMs + 1;
    // Coinbase alone, 3.3 % above what coinbase and binance last agreed on: no rate.
    sim.usdPer.coinbase.ETH = '3100';
    expect((await s.usdRates(['ETH'])).get('ETH')).toMatchObject({ ok: false, reason: 'sources_disagree', sources: ['coinbase'] });
    // Within the band (-1.9 %): sold at the lone price.
    sim.usdPer.coinbase.ETH = '2943';
    expect(rate((await s.usdRates(['ETH'])).get('ETH'))).toBe('2943');
    // A lone price never moves the anchor: 2 % below 2943 is still refused against 3000.
    sim.usdPer.coinbase.ETH = '2885';
    expect((await s.usdRates(['ETH'])).get('ETH')).toMatchObject({ ok: false, reason: 'sources_disagree' });
    // Once the agreed price is older than its limit, a lone source gets no rate at all.
    sim.usdPer.coinbase.ETH = '3000';
    clock += AGREED_PRICE_AGE_MAX_MS;
    expect((await s.usdRates(['ETH'])).get('ETH')).toMatchObject({ ok: false, reason: 'no_fresh_quote' });
    // A service that never saw two sources agree does not trust one.
    expect((await service().usdRates(['ETH'])).get('ETH')).toMatchObject({ ok: false, reason: 'no_fresh_quote' });
    expect(warnings.some((w) => w.includes('rates.single_source_refused'))).toBe(true);
  });

  it("refuses a quote by its source's own time: stale, or from the future", async () => {
    // Binance's prices are 10 minutes old (a stuck pair); coinbase's answer sat 6 minutes in a cache.
    sim.lagMs.binance = 10 * 60_000;
    sim.usdPer.binance.EUR = '1.50';
    let rates = await service().usdRates(['ETH', 'EUR']);
    expect(sourcesOf(rates.get('EUR'))).toEqual(['coinbase', 'exchangerate-api']);
    expect(rates.get('ETH')).toMatchObject({ ok: false });
    expect(warnings.some((w) => w.includes('rates.stale_quotes') && w.includes('"source":"binance"'))).toBe(true);
    sim.lagMs.binance = 0;
    sim.usdPer.binance.EUR = '1.08';
    sim.lagMs.coinbase = 6 * 60_000;
    rates = await service().usdRates(['ETH', 'EUR']);
    expect(sourcesOf(rates.get('EUR'))).toEqual(['binance', 'exchangerate-api']);
    // ExchangeRate-API publishes daily: a day-old price is current, two days old is not.
    sim.lagMs.coinbase = 0;
    sim.lagMs.exchangerate = 24 * 3_600_000;
    sim.usdPer.exchangerate.RUB = '0.011';
    expect(sourcesOf((await service().usdRates(['RUB'])).get('RUB'))).toEqual(['coinbase', 'exchangerate-api']);
    sim.lagMs.exchangerate = 48 * 3_600_000;
    expect((await service().usdRates(['RUB'])).get('RUB')).toMatchObject({ ok: false, reason: 'no_fresh_quote' });
    // Prices dated well ahead of our clock come from a broken clock, not from the future.
    sim.lagMs.exchangerate = 0;
    sim.lagMs.binance = -10 * 60_000;
    expect(sourcesOf((await service().usdRates(['EUR'])).get('EUR'))).toEqual(['coinbase', 'exchangerate-api']);
  });

  it('refuses when the sources disagree beyond the spread limit', async () => {
    sim.usdPer.coinbase.ETH = '3000';
    sim.usdPer.binance.ETH = '4500';
    expect((await service().usdRates(['ETH'])).get('ETH')).toMatchObject({ ok: false, reason: 'sources_disagree' });
  });

  it('drops one outlier among three quotes', async () => {
    sim.usdPer.coinbase.EUR = '1.08';
    sim.usdPer.binance.EUR = '1.50';
    sim.usdPer.exchangerate.EUR = '1.081';
    expect(rate((await service().usdRates(['EUR'])).get('EUR'))).toBe('1.0805');
  });

  it('caches answers, serves a stale-but-allowed snapshot when a source fails, and stops after maxAge', async () => {
    const s = service({ cacheTtlMs: 1_000, maxAgeMs: 10_000 });
    await s.usdRates(['ETH']);
    const hits = sim.hits.binance;
    await s.usdRates(['ETH']);
    expect(sim.hits.binance).toBe(hits);
    sim.mode.coinbase = 'http500';
    sim.mode.binance = 'http500';
    clock += 5_000;
    expect(rate((await s.usdRates(['ETH'])).get('ETH'))).toBe('3000');
    clock += 6_000;
    expect((await s.usdRates(['ETH'])).get('ETH')).toMatchObject({ ok: false, reason: 'no_fresh_quote' });
  });

  it('opens the circuit after repeated failures and probes again after the cooldown', async () => {
    sim.mode.binance = 'http500';
    const s = service({ cacheTtlMs: 0, breakerFailuresMax: 3, breakerCooldownMs: 60_000 });
    const before = sim.hits.binance;
    for (let i = 0; i < 6; i += 1) {
      clock += 1;
      await s.usdRates(['ETH']);
    }
    expect(sim.hits.binance - before).toBe(3);
    clock += 60_001;
    sim.mode.binance = 'ok';
    await s.usdRates(['ETH']);
    expect(sim.hits.binance - before).toBe(4);
    expect(warnings.some((w) => w.includes('"breakerOpen":true'))).toBe(true);
  });
});
