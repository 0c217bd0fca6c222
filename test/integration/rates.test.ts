/** The live rate service against the price-feed simulator over real HTTP. */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { MedianRateService, RATE_SERVICE_DEFAULTS } from '../../shared/adapters/rates/rate-service';
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

const rate = (d: RateDecision | undefined) => {
  if (!d?.ok) throw new Error(`no rate: ${JSON.stringify(d)}`);
  return formatRatio(d.rate as Ratio, 6);
};

beforeAll(async () => {
  sim = await startPriceFeedSimulator({ ETH: '3000', EUR: '1.08', RUB: '0.011' });
});
afterAll(() => sim.stop());
beforeEach(() => {
  for (const f of ['coinbase', 'binance', 'exchangerate'] as const) {
    sim.mode[f] = 'ok';
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
    sim.mode.coinbase = 'hang';
    sim.mode.exchangerate = 'garbage';
    const started = Date.now();
    const rates = await service().usdRates(['ETH', 'EUR']);
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(rate(rates.get('ETH'))).toBe('3000');
    expect(rates.get('ETH')?.sources).toEqual(['binance']);
    sim.mode.binance = 'http500';
    const none = await service().usdRates(['ETH']);
    expect(none.get('ETH')).toMatchObject({ ok: false, reason: 'no_fresh_quote' });
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
