/**
 * Invoices' network fee on the devnet: the network-fees schedule reads anvil's real gas price, and
 * an invoice created through the real API handler prices its sweep at it (USDT: token transfer
 * plus the gas top-up, at the ETH rate; ETH: its own transfer). Before any price is stored, the
 * flat figure applies.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { networkFeeRefreshDeps } from '../../functions/kit/network-fees';
import { rpc } from '../../lib/local/engines/devnet';
import { DEVNET_RATES } from '../../lib/local/dev-defaults';
import { refreshNetworkFees } from '../../shared/app/network-fees';
import { call, newProject } from '../support/gateway';
import { type Harness, usePaymentsHarness } from '../support/payments-harness';

let h: Harness;
let apiKey: string;
let shopId: string;

beforeAll(async () => {
  h = await usePaymentsHarness();
  ({ apiKey, shopId } = await newProject({ sideCommission: 'client' }));
}, 60_000);

afterAll(async () => {
  await h?.stop();
});

type Answer = { fee: number; fee_usd: number; amount: number };
const create = async (currency: string, amount = 20): Promise<Answer> => {
  const out = await call('invoice.create', { apiKey, body: { shop_id: shopId, amount, currency: 'USD', cryptocurrency: currency } });
  expect(out.status, JSON.stringify(out.body)).toBe(200);
  return out.body.result as Answer;
};

describe('the network fee on the devnet', () => {
  it('is the flat figure until the chain\'s prices are stored', async () => {
    const usdt = await create('USDT_ERC20');
    expect(usdt.fee).toBe(1.5);
    expect(usdt.amount).toBe(21.5);
  });

  it('is the sweep\'s cost at anvil\'s gas price once the schedule read it, shown in fee and fee_usd and added client-side', async () => {
    const summary = await refreshNetworkFees(networkFeeRefreshDeps());
    const gasPrice = BigInt(await rpc<string>(h.devnet.rpcUrl, 'eth_gasPrice'));
    expect(gasPrice).toBeGreaterThan(0n);
    expect(summary.chains.find((c) => c.chain === 'ethereum')?.prices).toEqual({ gas: gasPrice.toString() });

    const ethUsd = BigInt(DEVNET_RATES.ETH);
    // USDT (6 decimals): (65,000 + 21,000) gas × price, in USD at the ETH rate, rounded up to a base unit.
    const usdtUnits = (86_000n * gasPrice * ethUsd * 1_000_000n + 10n ** 18n - 1n) / 10n ** 18n;
    const usdt = await create('USDT_ERC20');
    expect(usdt.fee).toBe(Number(usdtUnits) / 1e6);
    expect(usdt.fee).not.toBe(1.5);
    expect(usdt.amount).toBe(Number(20_000_000n + usdtUnits) / 1e6);
    expect(usdt.fee_usd).toBe(Math.round(Number(usdtUnits) / 1e4) / 100);

    // ETH: 21,000 gas × price in wei, rounded up to 8 decimals.
    const step = 10n ** 10n;
    const ethUnits = ((21_000n * gasPrice + step - 1n) / step) * step;
    const eth = await create('ETH');
    expect(eth.fee).toBe(Number(ethUnits) / 1e18);
  });
});
