/**
 * `enable` in CryptoCloud currency objects (balance, static wallet create) is true only for a
 * currency this deployment serves (its chain configured, its token known on that chain) that the
 * project takes: the deployment here serves Ethereum from a devnet that deployed only USDT.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { CHAINS, CRYPTO_CURRENCIES, findCrypto } from '../../shared/domain/currencies';
import { currencyEnabled, currencyService } from '../../shared/domain/go-live';
import type { Deps } from '../../shared/ports';
import { call, newProject, useTestGateway } from '../support/gateway';

const DEVNET_USDT = '0x5fbdb2315678afecb367f032d93f642f64180aa3';
let deps: Deps;

beforeAll(async () => {
  ({ deps } = await useTestGateway({ CHAINS_JSON: JSON.stringify({ ethereum: { rpcUrls: ['http://127.0.0.1:9'], devnet: true, tokens: { USDT_ERC20: DEVNET_USDT } } }) }));
});

type Row = { currency: { code: string; enable: boolean } };

describe('enable', () => {
  it('in the balance: true for served currencies the project takes; false for a token the devnet lacks and a chain not configured', async () => {
    const { apiKey } = await newProject({ enabledCurrencies: ['ETH', 'USDT_ERC20', 'USDC_ERC20', 'USDT_TRC20', 'ETH_BASE'] });
    const res = await call('wallet.balance', { apiKey, contentType: null });
    expect(res.status).toBe(200);
    const enable = Object.fromEntries((res.body.result as Row[]).map((r) => [r.currency.code, r.currency.enable]));
    expect(enable).toEqual({ ETH: true, USDT_ERC20: true, USDC_ERC20: false, USDT_TRC20: false, ETH_BASE: false });
  });

  it('in a static wallet: true for a served currency the project takes', async () => {
    const { apiKey, shopId } = await newProject({ enabledCurrencies: ['ETH', 'USDT_ERC20'] });
    const res = await call('invoice.static_create', { apiKey, body: { shop_id: shopId, currency: 'USDT_ERC20', identify: 'c-1' } });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect((res.body.result as { currency: { enable: boolean } }).currency.enable).toBe(true);
  });

  it('is false for a served currency the project does not take, and for an unknown code', () => {
    const project = { settings: { enabledCurrencies: ['ETH'] } } as Parameters<typeof currencyEnabled>[1];
    expect(currencyEnabled(deps.chains, project, 'ETH')).toBe(true);
    expect(currencyEnabled(deps.chains, project, 'eth')).toBe(true);
    expect(currencyEnabled(deps.chains, project, 'USDT_ERC20')).toBe(false);
    expect(currencyEnabled(deps.chains, project, 'NOPE')).toBe(false);
  });

  it('follows currencyService: served with the configured contract, or why not', () => {
    const service = (code: string) => currencyService(deps.chains, findCrypto(code) ?? CRYPTO_CURRENCIES[0]);
    expect(service('USDT_ERC20')).toEqual({ code: 'USDT_ERC20', served: true, contract: DEVNET_USDT, reason: 'served (contract from ChainsJson tokens)' });
    expect(service('ETH')).toEqual({ code: 'ETH', served: true, contract: null, reason: 'served' });
    expect(service('USDC_ERC20')).toMatchObject({ served: false, reason: 'no token contract on this chain (devnet: not deployed)' });
    expect(service('TRX')).toMatchObject({ served: false, reason: 'chain not in ChainsJson' });
    expect(CHAINS.ethereum.enabled).toBe(true);
  });
});
