import { describe, expect, it } from 'vitest';
import { CRYPTO_CURRENCIES, FIAT_CODES, findCrypto } from '../../shared/domain/currencies';
import { compareRatio, multiply, pow10, type Ratio, ratio } from '../../shared/domain/money';
import { displayDecimals, fiatRatio, quoteCrypto, usdToUnits } from '../../shared/domain/pricing';

const ETH = findCrypto('ETH')!;
const USDT = findCrypto('USDT_ERC20')!;
const noFees = { sideCommission: 'merchant', sideCommissionCc: 'merchant', serviceFeePercent: { units: 0n, scale: 0 } } as const;

/** A deterministic pseudo-random sequence, so the property runs are reproducible. */
function lcg(seed: number) {
  let x = seed;
  return () => {
    x = (x * 1103515245 + 12345) % 2 ** 31;
    return x;
  };
}

describe('fiat → crypto conversion', () => {
  it('never asks the payer for less than the invoice is worth (property, 5,000 cases)', () => {
    const rnd = lcg(42);
    for (let i = 0; i < 5_000; i += 1) {
      const currency = CRYPTO_CURRENCIES[rnd() % CRYPTO_CURRENCIES.length];
      const usd = ratio(BigInt((rnd() % 10_000_000) + 1), 100n);
      const usdPerUnit = ratio(BigInt((rnd() % 500_000_000) + 1), BigInt((rnd() % 10_000) + 1));
      const units = usdToUnits(usd, usdPerUnit, currency);
      const worth: Ratio = multiply(ratio(units, pow10(currency.decimals)), usdPerUnit);
      expect(compareRatio(worth, usd)).toBeGreaterThanOrEqual(0);
      // And no more than one display step above it.
      const step = pow10(currency.decimals - displayDecimals(currency));
      const oneLess = multiply(ratio(units - step, pow10(currency.decimals)), usdPerUnit);
      expect(compareRatio(oneLess, usd)).toBeLessThan(0);
    }
  });

  it('quantizes to 8 decimals so a JSON float carries the amount exactly', () => {
    const units = usdToUnits(ratio(100n, 1n), ratio(3000n, 1n), ETH);
    expect(units).toBe(33_333_340_000_000_000n);
    expect(Number('0.03333334')).toBe(0.03333334);
  });

  it('prices a USD stablecoin invoice at par', () => {
    expect(quoteCrypto(fiatRatio(1050n, 'USD'), ratio(1n, 1n), USDT, noFees)).toEqual({ baseAmount: 10_500_000n, transferFee: 1_500_000n, serviceFee: 0n, amountToPay: 10_500_000n });
  });

  it('adds client-side fees to what the payer sends, never merchant-side ones', () => {
    const client = quoteCrypto(fiatRatio(10000n, 'USD'), ratio(1n, 1n), USDT, {
      sideCommission: 'client',
      sideCommissionCc: 'client',
      serviceFeePercent: { units: 19n, scale: 1 },
    });
    expect(client).toEqual({ baseAmount: 100_000_000n, transferFee: 1_500_000n, serviceFee: 1_900_000n, amountToPay: 103_400_000n });
    const merchant = quoteCrypto(fiatRatio(10000n, 'USD'), ratio(1n, 1n), USDT, { ...noFees, serviceFeePercent: { units: 19n, scale: 1 } });
    expect(merchant.amountToPay).toBe(100_000_000n);
  });

  it('knows the minor units of all 25 creation currencies', () => {
    expect(FIAT_CODES).toHaveLength(25);
    expect(fiatRatio(1500n, 'JPY')).toEqual({ num: 1500n, den: 1n });
  });
});
