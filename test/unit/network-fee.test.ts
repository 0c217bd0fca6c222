import { describe, expect, it } from 'vitest';
import { findCrypto } from '../../shared/domain/currencies';
import { FEE_ESTIMATE_MAX_AGE_MS, type FeeEstimate, networkFee, sweepCostNative, sweepResources } from '../../shared/domain/network-fee';
import { ratio } from '../../shared/domain/money';
import { fiatRatio, quoteCrypto } from '../../shared/domain/pricing';
import { isDustReceipt, receiptFees } from '../../shared/domain/static-wallet';
import type { Transfer } from '../../shared/domain/transfers';

const coin = (code: string) => {
  const c = findCrypto(code);
  if (!c) throw new Error(code);
  return c;
};
const NOW = 1_750_000_000_000;
const GWEI = 1_000_000_000n;
const ETH_USD = ratio(3000n, 1n);
const PAR = ratio(1n, 1n);
const evm = (chain: FeeEstimate['chain'], gasPrice: bigint, at = NOW): FeeEstimate => ({ chain, prices: { gas: gasPrice }, at });

describe('a sweep\'s resources', () => {
  it('are the family\'s transfer figures, plus the top-up\'s for a token (the same ones the senders bid with)', () => {
    expect(sweepResources(coin('ETH'))).toEqual({ gas: 21_000n });
    expect(sweepResources(coin('USDT_ERC20'))).toEqual({ gas: 86_000n });
    expect(sweepResources(coin('TRX'))).toEqual({ energy: 0n, bandwidth: 268n });
    // The top-up is the deposit address's first TRX: it creates the account instead of burning bandwidth.
    expect(sweepResources(coin('USDT_TRC20'))).toEqual({ energy: 65_000n, bandwidth: 345n, accountCreation: 1n });
  });

  it('cost nothing to price without a price for what they burn', () => {
    expect(sweepCostNative(coin('USDT_TRC20'), { energy: 100n, bandwidth: 1_000n })).toBeNull();
    expect(sweepCostNative(coin('TRX'), { bandwidth: 1_000n })).toBe(268_000n);
  });
});

describe('the network fee', () => {
  it('is cents on an L2: USDC on Base at 0.01 gwei is a quarter of a cent, ETH on Base a fraction of that', () => {
    const usdc = networkFee({ currency: coin('USDC_BASE'), usdPerUnit: PAR, estimate: evm('base', GWEI / 100n), usdPerNative: ETH_USD, now: NOW });
    // 86,000 gas × 0.01 gwei = 0.00000086 ETH = 0.00258 USD.
    expect(usdc).toEqual({ units: 2_580n, source: 'estimate' });
    const eth = networkFee({ currency: coin('ETH_BASE'), usdPerUnit: ETH_USD, estimate: evm('base', GWEI / 100n), usdPerNative: null, now: NOW });
    expect(eth).toEqual({ units: 210_000_000_000n, source: 'estimate' });
  });

  it('follows the gas price on mainnet: 20 gwei is 5.16 USD for an ERC-20 sweep, 40 gwei twice that', () => {
    const at = (gwei: bigint) => networkFee({ currency: coin('USDT_ERC20'), usdPerUnit: PAR, estimate: evm('ethereum', gwei * GWEI), usdPerNative: ETH_USD, now: NOW }).units;
    expect(at(20n)).toBe(5_160_000n);
    expect(at(40n)).toBe(10_320_000n);
    // A native coin's fee is the sweep's own gas, in wei, rounded up to 8 decimals (never down).
    expect(networkFee({ currency: coin('ETH'), usdPerUnit: ETH_USD, estimate: evm('ethereum', 20n * GWEI + 7n), usdPerNative: null, now: NOW }).units).toBe(420_010_000_000_000n);
  });

  it('prices Tron by energy, bandwidth and the account the top-up creates, in TRX at its rate', () => {
    const estimate: FeeEstimate = { chain: 'tron', prices: { energy: 100n, bandwidth: 1_000n, accountCreation: 1_100_000n }, at: NOW };
    // 6.5 TRX energy + 0.345 TRX bandwidth + 1.1 TRX creation = 7.945 TRX at 0.25 USD.
    expect(networkFee({ currency: coin('USDT_TRC20'), usdPerUnit: PAR, estimate, usdPerNative: ratio(1n, 4n), now: NOW })).toEqual({ units: 1_986_250n, source: 'estimate' });
    expect(networkFee({ currency: coin('TRX'), usdPerUnit: ratio(1n, 4n), estimate, usdPerNative: null, now: NOW })).toEqual({ units: 268_000n, source: 'estimate' });
  });

  it('falls back to the flat figure without a usable estimate (none, stale, another chain, a missing price, no native rate)', () => {
    const usdt = coin('USDT_ERC20');
    const flat = { units: 1_500_000n, source: 'flat' };
    const fee = (estimate: FeeEstimate | null, usdPerNative = ETH_USD) => networkFee({ currency: usdt, usdPerUnit: PAR, estimate, usdPerNative, now: NOW });
    expect(fee(null)).toEqual(flat);
    expect(fee(evm('ethereum', GWEI, NOW - FEE_ESTIMATE_MAX_AGE_MS - 1))).toEqual(flat);
    expect(fee(evm('ethereum', GWEI, NOW - FEE_ESTIMATE_MAX_AGE_MS)).source).toBe('estimate');
    expect(fee(evm('base', GWEI))).toEqual(flat);
    expect(fee({ chain: 'ethereum', prices: { energy: 1n }, at: NOW })).toEqual(flat);
    expect(networkFee({ currency: usdt, usdPerUnit: PAR, estimate: evm('ethereum', GWEI), usdPerNative: null, now: NOW })).toEqual(flat);
    // The deployment's own flat figure (CHAINS_JSON transferFeeUsd) is the one it falls back to.
    expect(networkFee({ currency: { ...usdt, transferFeeUsd: '0.7' }, usdPerUnit: PAR, estimate: null, usdPerNative: null, now: NOW }).units).toBe(700_000n);
  });

  it('is what a client-side quote adds and a merchant-side one withholds', () => {
    const fee = networkFee({ currency: coin('USDC_BASE'), usdPerUnit: PAR, estimate: evm('base', GWEI / 100n), usdPerNative: ETH_USD, now: NOW }).units;
    const policy = { sideCommission: 'client', sideCommissionCc: 'merchant', serviceFeePercent: { units: 0n, scale: 0 } } as const;
    expect(quoteCrypto(fiatRatio(1000n, 'USD'), PAR, coin('USDC_BASE'), policy, fee)).toEqual({ baseAmount: 10_000_000n, transferFee: 2_580n, serviceFee: 0n, amountToPay: 10_002_580n });
    expect(quoteCrypto(fiatRatio(1000n, 'USD'), PAR, coin('USDC_BASE'), { ...policy, sideCommission: 'merchant' }, fee).amountToPay).toBe(10_000_000n);
  });

  it('decides a static wallet\'s dust with the same figure: a 1-cent transfer is credited on Base at 0.01 gwei, not below the estimate', () => {
    const usdc = coin('USDC_BASE');
    const fee = networkFee({ currency: usdc, usdPerUnit: PAR, estimate: evm('base', GWEI / 100n), usdPerNative: ETH_USD, now: NOW }).units;
    const transfer = (amount: bigint) => ({ amount }) as Transfer;
    const policy = { sideCommission: 'merchant', sideCommissionCc: 'merchant', serviceFeePercent: { units: 0n, scale: 0 } } as const;
    const fees = (amount: bigint) => receiptFees({ transfer: transfer(amount), currency: usdc, usdPerUnit: PAR, fees: policy, transferFee: fee });
    expect(fees(10_000n).transferFee).toBe(2_580n);
    expect(isDustReceipt(10_000n, fees(10_000n).transferFee)).toBe(false);
    expect(isDustReceipt(2_579n, fees(2_579n).transferFee)).toBe(true);
    // Without an estimate the flat 0.05 USD decides, as before.
    expect(receiptFees({ transfer: transfer(10_000n), currency: usdc, usdPerUnit: PAR, fees: policy }).transferFee).toBe(50_000n);
  });
});
