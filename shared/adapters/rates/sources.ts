/**
 * HTTP price sources. Each speaks one public API and returns "USD per one unit" for the symbols
 * it knows. Decimal strings are parsed exactly; a source that answers nonsense is an error.
 */
import { invert, parseDecimal, type Ratio, ratio, ratioOf } from '../../domain/money';

export interface PriceSource {
  readonly name: string;
  fetchUsdRates(signal: AbortSignal): Promise<Map<string, Ratio>>;
}

async function getJson(url: string, signal: AbortSignal): Promise<unknown> {
  const res = await fetch(url, { signal, headers: { accept: 'application/json' }, redirect: 'error' });
  if (!res.ok) throw new Error(`${url} answered HTTP ${res.status}`);
  const text = await res.text();
  try {
    return JSON.parse(text);
  } catch {
    throw new Error(`${url} answered a body that is not JSON`);
  }
}

const positive = (text: unknown): Ratio | null => {
  if (typeof text !== 'string' && typeof text !== 'number') return null;
  const d = parseDecimal(String(text));
  return d.ok && d.value.units > 0n ? ratioOf(d.value) : null;
};

/** Coinbase `GET /v2/exchange-rates?currency=USD`: `{data:{rates:{EUR:"0.92",ETH:"0.0003"}}}` = units per USD. */
export class CoinbaseSource implements PriceSource {
  readonly name = 'coinbase';
  constructor(private readonly baseUrl = 'https://api.coinbase.com') {}

  async fetchUsdRates(signal: AbortSignal) {
    const body = (await getJson(`${this.baseUrl}/v2/exchange-rates?currency=USD`, signal)) as { data?: { rates?: Record<string, unknown> } };
    const rates = body.data?.rates;
    if (!rates || typeof rates !== 'object') throw new Error('coinbase: no data.rates in answer');
    const out = new Map<string, Ratio>();
    for (const [code, perUsd] of Object.entries(rates)) {
      const r = positive(perUsd);
      if (r) out.set(code.toUpperCase(), invert(r));
    }
    return out;
  }
}

/** Binance `GET /api/v3/ticker/price?symbols=[...]`: `[{symbol:"ETHUSDT",price:"3000.1"}]`, USDT taken at par. */
export class BinanceSource implements PriceSource {
  readonly name = 'binance';
  /** Only listed pairs: one unknown symbol makes Binance refuse the whole request. */
  static readonly PAIRS: Record<string, string> = { ETHUSDT: 'ETH', BNBUSDT: 'BNB', TRXUSDT: 'TRX', POLUSDT: 'POL', EURUSDT: 'EUR' };
  constructor(private readonly baseUrl = 'https://api.binance.com') {}

  async fetchUsdRates(signal: AbortSignal) {
    const symbols = encodeURIComponent(JSON.stringify(Object.keys(BinanceSource.PAIRS)));
    const body = await getJson(`${this.baseUrl}/api/v3/ticker/price?symbols=${symbols}`, signal);
    if (!Array.isArray(body)) throw new Error('binance: answer is not an array');
    const out = new Map<string, Ratio>();
    for (const row of body as { symbol?: string; price?: unknown }[]) {
      const code = row.symbol ? BinanceSource.PAIRS[row.symbol] : undefined;
      const r = positive(row.price);
      if (code && r) out.set(code, r);
    }
    return out;
  }
}

/** ExchangeRate-API open access `GET /v6/latest/USD`: `{result:"success",rates:{EUR:0.92}}` = units per USD. */
export class ExchangeRateApiSource implements PriceSource {
  readonly name = 'exchangerate-api';
  constructor(private readonly baseUrl = 'https://open.er-api.com') {}

  async fetchUsdRates(signal: AbortSignal) {
    const body = (await getJson(`${this.baseUrl}/v6/latest/USD`, signal)) as { result?: string; rates?: Record<string, unknown> };
    if (body.result !== 'success' || !body.rates) throw new Error(`exchangerate-api: result ${String(body.result)}`);
    const out = new Map<string, Ratio>();
    for (const [code, perUsd] of Object.entries(body.rates)) {
      const r = positive(perUsd);
      if (r) out.set(code.toUpperCase(), invert(r));
    }
    out.set('USD', ratio(1n, 1n));
    return out;
  }
}
