/**
 * Price-feed simulator: one local HTTP server answering like the three public APIs the rate
 * service reads (Coinbase exchange-rates, Binance ticker/24hr, ExchangeRate-API latest), with
 * switchable faults and the price times each API reports (Coinbase: the answer's Date and Age
 * headers; Binance: closeTime; ExchangeRate-API: time_last_update_unix). A named simulator,
 * allowed because no real price feed runs locally.
 */
import { createServer, type Server } from 'node:http';

export type FeedName = 'coinbase' | 'binance' | 'exchangerate';
export type FeedMode = 'ok' | 'http500' | 'hang' | 'garbage';

export type PriceFeedSimulator = {
  url: string;
  /** USD per unit, per feed; change them to move the market. */
  usdPer: Record<FeedName, Record<string, string>>;
  mode: Record<FeedName, FeedMode>;
  hits: Record<FeedName, number>;
  /** The feeds' clock (ms); tests with a fixed clock set it to theirs. */
  now: () => number;
  /** How old each feed's prices are (ms) when it answers: a stuck feed or a cache in front of it. */
  lagMs: Record<FeedName, number>;
  stop(): Promise<void>;
};

const perUsd = (usd: string) => String(1 / Number(usd));
/** ExchangeRate-API is a fiat feed: it quotes no crypto. */
const CRYPTO = new Set(['ETH', 'BNB', 'TRX', 'POL', 'USDT', 'USDC', 'DAI', 'USDD']);

export async function startPriceFeedSimulator(initial: Record<string, string>): Promise<PriceFeedSimulator> {
  const sim = {
    usdPer: { coinbase: { ...initial }, binance: { ...initial }, exchangerate: { ...initial } },
    mode: { coinbase: 'ok', binance: 'ok', exchangerate: 'ok' } as Record<FeedName, FeedMode>,
    hits: { coinbase: 0, binance: 0, exchangerate: 0 },
    now: Date.now as () => number,
    lagMs: { coinbase: 0, binance: 0, exchangerate: 0 },
  };
  const madeAt = (feed: FeedName) => sim.now() - sim.lagMs[feed];
  const answer = (feed: FeedName): unknown => {
    const rates = sim.usdPer[feed];
    if (feed === 'coinbase') return { data: { currency: 'USD', rates: Object.fromEntries(Object.entries(rates).map(([k, v]) => [k, perUsd(v)])) } };
    if (feed === 'binance') {
      return Object.entries(rates)
        .filter(([k]) => ['ETH', 'BNB', 'TRX', 'POL', 'EUR'].includes(k))
        .map(([k, v]) => ({ symbol: `${k}USDT`, lastPrice: v, closeTime: madeAt(feed) }));
    }
    return { result: 'success', base_code: 'USD', time_last_update_unix: Math.floor(madeAt(feed) / 1000), rates: Object.fromEntries(Object.entries(rates).filter(([k]) => !CRYPTO.has(k)).map(([k, v]) => [k, Number(perUsd(v))])) };
  };
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://sim');
    const feed: FeedName | null = url.pathname === '/v2/exchange-rates' ? 'coinbase' : url.pathname === '/api/v3/ticker/24hr' ? 'binance' : url.pathname === '/v6/latest/USD' ? 'exchangerate' : null;
    if (!feed) {
      res.writeHead(404).end();
      return;
    }
    sim.hits[feed] += 1;
    const mode = sim.mode[feed];
    if (mode === 'hang') return; // never answers; the client's timeout must cut it
    if (mode === 'http500') {
      res.writeHead(500, { 'content-type': 'text/html' }).end('<html>upstream error</html>');
      return;
    }
    // Coinbase's body has no price time: a cache in front of it would say how old it is with Age.
    const dated = feed === 'coinbase' ? { date: new Date(sim.now()).toUTCString(), age: String(Math.floor(sim.lagMs.coinbase / 1000)) } : {};
    res.writeHead(200, { 'content-type': 'application/json', ...dated });
    res.end(mode === 'garbage' ? '{"data": ' : JSON.stringify(answer(feed)));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  // The same object the server reads, so a test's changes (including `now`) take effect.
  return Object.assign(sim, {
    url: `http://127.0.0.1:${port}`,
    stop: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  });
}
