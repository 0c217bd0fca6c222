/**
 * HTTP price sources. Each speaks one public API and returns "USD per one unit" for the symbols
 * it knows, with the time the source says each price was made (not when we fetched it), so a
 * source that serves old prices (a stuck feed, a cache in front of it) is caught. Decimal
 * strings are parsed exactly; a source that answers nonsense is an error.
 */
import { invert, parseDecimal, type Ratio, ratio, ratioOf } from '../../domain/money';

/** A price and the time (ms since the epoch) its source says it was made. */
export type PriceQuote = { usdPer: Ratio; madeAtMs: number };

export interface PriceSource {
  readonly name: string;
  /** How old this source's prices may be; unset: the service's quote age limit. */
  readonly priceAgeMaxMs?: number;
  fetchUsdRates(signal: AbortSignal): Promise<Map<string, PriceQuote>>;
}

async function getJson(url: string, signal: AbortSignal): Promise<{ body: unknown; headers: Headers }> {
  const res = await fetch(url, { signal, headers: { accept: 'application/json' }, redirect: 'error' });
  if (!res.ok) throw new Error(`${url} answered HTTP ${res.status}`);
  const text = await res.text();
  try {
    return { body: JSON.parse(text), headers: res.headers };
  } catch {
    throw new Error(`${url} answered a body that is not JSON`);
  }
}

const positive = (text: unknown): Ratio | null => {
  if (typeof text !== 'string' && typeof text !== 'number') return null;
  const d = parseDecimal(String(text));
  return d.ok && d.value.units > 0n ? ratioOf(d.value) : null;
};

const SECOND_MS = 1_000;

/**
 * When the origin made an HTTP answer: its `Date` minus the `Age` a cache in between added. For
 * an API whose body carries no price time, this is the best the source says about its prices.
 */
function answerMadeAtMs(headers: Headers, source: string): number {
  const date = Date.parse(headers.get('date') ?? '');
  if (Number.isNaN(date)) throw new Error(`${source}: the answer has no Date header, so the age of its prices is unknown`);
  const age = Number(headers.get('age') ?? '0');
  return date - (Number.isFinite(age) && age > 0 ? age * SECOND_MS : 0);
}

/**
 * Coinbase `GET /v2/exchange-rates?currency=USD`: `{data:{rates:{EUR:"0.92",ETH:"0.0003"}}}` =
 * units per USD. The body carries no time, so the answer's own time (Date minus Age) is used.
 */
export class CoinbaseSource implements PriceSource {
  readonly name = 'coinbase';
  constructor(private readonly baseUrl = 'https://api.coinbase.com') {}

  async fetchUsdRates(signal: AbortSignal) {
    const { body, headers } = await getJson(`${this.baseUrl}/v2/exchange-rates?currency=USD`, signal);
    const rates = (body as { data?: { rates?: Record<string, unknown> } }).data?.rates;
    if (!rates || typeof rates !== 'object') throw new Error('coinbase: no data.rates in answer');
    const madeAtMs = answerMadeAtMs(headers, this.name);
    const out = new Map<string, PriceQuote>();
    for (const [code, perUsd] of Object.entries(rates)) {
      const r = positive(perUsd);
      if (r) out.set(code.toUpperCase(), { usdPer: invert(r), madeAtMs });
    }
    return out;
  }
}

/**
 * Binance `GET /api/v3/ticker/24hr?symbols=[...]&type=MINI`:
 * `[{symbol:"ETHUSDT",lastPrice:"3000.1",closeTime:1700000000000}]`, USDT taken at par. Each
 * pair's `closeTime` (its latest update) is the time of its price.
 */
export class BinanceSource implements PriceSource {
  readonly name = 'binance';
  /** Only listed pairs: one unknown symbol makes Binance refuse the whole request. */
  static readonly PAIRS: Record<string, string> = { ETHUSDT: 'ETH', BNBUSDT: 'BNB', TRXUSDT: 'TRX', POLUSDT: 'POL', EURUSDT: 'EUR' };
  constructor(private readonly baseUrl = 'https://api.binance.com') {}

  async fetchUsdRates(signal: AbortSignal) {
    const symbols = encodeURIComponent(JSON.stringify(Object.keys(BinanceSource.PAIRS)));
    const { body } = await getJson(`${this.baseUrl}/api/v3/ticker/24hr?symbols=${symbols}&type=MINI`, signal);
    if (!Array.isArray(body)) throw new Error('binance: answer is not an array');
    const out = new Map<string, PriceQuote>();
    for (const row of body as { symbol?: string; lastPrice?: unknown; closeTime?: unknown }[]) {
      const code = row.symbol ? BinanceSource.PAIRS[row.symbol] : undefined;
      const r = positive(row.lastPrice);
      // A pair without its time cannot be judged fresh, so it is not used.
      if (code && r && typeof row.closeTime === 'number' && Number.isFinite(row.closeTime)) out.set(code, { usdPer: r, madeAtMs: row.closeTime });
    }
    return out;
  }
}

/**
 * ExchangeRate-API's open access publishes once a day: its prices may be a day old, plus an
 * hour's grace for a late publication. Older than that, it has stopped updating.
 */
export const EXCHANGERATE_API_PRICE_AGE_MAX_MS = 25 * 3_600_000;

/**
 * ExchangeRate-API open access `GET /v6/latest/USD`:
 * `{result:"success",time_last_update_unix:1700000000,rates:{EUR:0.92}}` = units per USD.
 */
export class ExchangeRateApiSource implements PriceSource {
  readonly name = 'exchangerate-api';
  readonly priceAgeMaxMs = EXCHANGERATE_API_PRICE_AGE_MAX_MS;
  constructor(private readonly baseUrl = 'https://open.er-api.com') {}

  async fetchUsdRates(signal: AbortSignal) {
    const { body } = await getJson(`${this.baseUrl}/v6/latest/USD`, signal);
    const b = body as { result?: string; time_last_update_unix?: unknown; rates?: Record<string, unknown> };
    if (b.result !== 'success' || !b.rates) throw new Error(`exchangerate-api: result ${String(b.result)}`);
    if (typeof b.time_last_update_unix !== 'number' || !Number.isFinite(b.time_last_update_unix)) throw new Error('exchangerate-api: no time_last_update_unix in answer');
    const madeAtMs = b.time_last_update_unix * SECOND_MS;
    const out = new Map<string, PriceQuote>();
    for (const [code, perUsd] of Object.entries(b.rates)) {
      const r = positive(perUsd);
      if (r) out.set(code.toUpperCase(), { usdPer: invert(r), madeAtMs });
    }
    out.set('USD', { usdPer: ratio(1n, 1n), madeAtMs });
    return out;
  }
}
