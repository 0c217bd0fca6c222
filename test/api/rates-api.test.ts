/** Create when rates are missing or the live sources are down: a clear envelope, never a guess. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type PriceFeedSimulator, startPriceFeedSimulator } from '../../lib/local/simulators/price-feed-simulator';
import { call, newProject, useTestGateway } from '../support/gateway';

let sim: PriceFeedSimulator;

beforeAll(async () => {
  sim = await startPriceFeedSimulator({ ETH: '3000', EUR: '1.08', RUB: '0.011' });
});
afterAll(() => sim.stop());

describe('rates at create', () => {
  it('with live sources: sells through them, and refuses only what has no safe rate', async () => {
    await useTestGateway({ RATES_MODE: 'live', RATES_COINBASE_URL: sim.url, RATES_BINANCE_URL: sim.url, RATES_EXCHANGERATE_URL: sim.url, RATES_TIMEOUT_MS: '300' });
    const { apiKey, shopId } = await newProject();
    const eth = await call('invoice.create', { apiKey, body: { shop_id: shopId, amount: 30, currency: 'EUR', add_fields: { cryptocurrency: 'ETH' } } });
    expect(eth.status).toBe(200);
    // 30 EUR at ~1.08 USD = 32.4 USD = 0.0108 ETH; the feeds' float quotes nudge it up one step at most.
    const r = eth.body.result as { amount_usd: number; amount: number };
    expect(r.amount_usd).toBe(32.4);
    expect(r.amount).toBeGreaterThanOrEqual(0.0108);
    expect(r.amount).toBeLessThanOrEqual(0.01080002);

    for (const feed of ['coinbase', 'binance', 'exchangerate'] as const) sim.mode[feed] = 'http500';
    await useTestGateway({ RATES_MODE: 'live', RATES_COINBASE_URL: sim.url, RATES_BINANCE_URL: sim.url, RATES_EXCHANGERATE_URL: sim.url, RATES_TIMEOUT_MS: '300' });
    const p2 = await newProject();
    const eur = await call('invoice.create', { apiKey: p2.apiKey, body: { shop_id: p2.shopId, amount: 30, currency: 'EUR' } });
    expect(eur.status).toBe(400);
    expect((eur.body.result as Record<string, string>).rate).toMatch(/No safe exchange rate for EUR/);
    const ethDown = await call('invoice.create', { apiKey: p2.apiKey, body: { shop_id: p2.shopId, amount: 30, add_fields: { cryptocurrency: 'ETH' } } });
    expect((ethDown.body.result as Record<string, string>).rate).toMatch(/for ETH/);
    // USD priced, paid in a stablecoin or not yet chosen: no feed is even asked.
    const hits = { ...sim.hits };
    const usdt = await call('invoice.create', { apiKey: p2.apiKey, body: { shop_id: p2.shopId, amount: 30, currency: 'USD', add_fields: { cryptocurrency: 'USDT_ERC20' } } });
    expect(usdt.status).toBe(200);
    expect(usdt.body.result).toMatchObject({ amount: 30, amount_usd: 30 });
    const plain = await call('invoice.create', { apiKey: p2.apiKey, body: { shop_id: p2.shopId, amount: 30 } });
    expect(plain.status).toBe(200);
    expect(sim.hits).toEqual(hits);
  });

  it('with a fixed table that lacks a currency: the same envelope', async () => {
    await useTestGateway({ RATES_FIXED_JSON: JSON.stringify({ ETH: '3000' }) });
    const { apiKey, shopId } = await newProject();
    const res = await call('invoice.create', { apiKey, body: { shop_id: shopId, amount: 1000, currency: 'JPY' } });
    expect(res.status).toBe(400);
    expect(res.body.result).toEqual({ rate: expect.stringContaining('JPY') });
  });
});
