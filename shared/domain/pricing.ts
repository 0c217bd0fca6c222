/**
 * Converting a fiat price into a crypto amount. Every rounding step rounds *up*, so the payer is
 * never asked for less than the invoice is worth; amounts are then quantized to a precision a
 * wallet can show and a JSON float can carry exactly.
 */
import { type CryptoCurrency, FIAT_MINOR_UNITS, type FiatCode } from './currencies';
import { type Decimal, divide, multiply, parseDecimal, pow10, type Ratio, ratio, ratioOf } from './money';
import type { FeeSide } from './project';

/** Payers copy amounts from JSON floats; 8 fractional digits survive that round trip exactly. */
export const DISPLAY_DECIMALS_MAX = 8;

export const displayDecimals = (currency: CryptoCurrency): number => Math.min(currency.decimals, DISPLAY_DECIMALS_MAX);

/** Rounds base units up to the currency's display precision. */
export function quantizeUp(units: bigint, currency: CryptoCurrency): bigint {
  const step = pow10(currency.decimals - displayDecimals(currency));
  return divide(units, step, 'up') * step;
}

export const fiatRatio = (minor: bigint, currency: FiatCode): Ratio => ratio(minor, pow10(FIAT_MINOR_UNITS[currency]));

/** Base units worth `usd`, at `usdPerUnit`, rounded up and quantized. */
export function usdToUnits(usd: Ratio, usdPerUnit: Ratio, currency: CryptoCurrency): bigint {
  const perUnit = multiply(usd, ratio(usdPerUnit.den, usdPerUnit.num));
  return quantizeUp(divide(perUnit.num * pow10(currency.decimals), perUnit.den, 'up'), currency);
}

export type CryptoQuote = { baseAmount: bigint; transferFee: bigint; serviceFee: bigint; amountToPay: bigint };

export type FeePolicy = { sideCommission: FeeSide; sideCommissionCc: FeeSide; serviceFeePercent: Decimal };

/** The flat network fee: the currency's `transferFeeUsd` (the deployment's, else the registry's) at `usdPerUnit`. */
export function flatTransferFee(usdPerUnit: Ratio, currency: CryptoCurrency): bigint {
  const feeUsd = parseDecimal(currency.transferFeeUsd);
  return feeUsd.ok ? usdToUnits(ratioOf(feeUsd.value), usdPerUnit, currency) : 0n;
}

/**
 * The network fee and the service fee on `baseAmount`, in base units. The network fee is the one
 * given (an invoice's: the estimated sweep cost, shared/domain/network-fee.ts), else the flat one.
 */
export function quoteFees(
  baseAmount: bigint,
  usdPerUnit: Ratio,
  currency: CryptoCurrency,
  fees: Pick<FeePolicy, 'serviceFeePercent'>,
  transferFee: bigint = flatTransferFee(usdPerUnit, currency),
): { transferFee: bigint; serviceFee: bigint } {
  const servicePercent = ratioOf(fees.serviceFeePercent);
  const serviceFee = quantizeUp(divide(baseAmount * servicePercent.num, servicePercent.den * 100n, 'up'), currency);
  return { transferFee, serviceFee };
}

/** What the payer sends for `priceUsd`: the base amount plus the client-side fees (`transferFee` as quoteFees takes it). */
export function quoteCrypto(priceUsd: Ratio, usdPerUnit: Ratio, currency: CryptoCurrency, fees: FeePolicy, transferFee?: bigint): CryptoQuote {
  const baseAmount = usdToUnits(priceUsd, usdPerUnit, currency);
  const quoted = quoteFees(baseAmount, usdPerUnit, currency, fees, transferFee);
  const amountToPay =
    baseAmount + (fees.sideCommission === 'client' ? quoted.transferFee : 0n) + (fees.sideCommissionCc === 'client' ? quoted.serviceFee : 0n);
  return { baseAmount, transferFee: quoted.transferFee, serviceFee: quoted.serviceFee, amountToPay };
}

/** An invoice's price in USD at the rate of its creation. */
export const priceUsdOf = (invoice: { price: { currency: FiatCode; minor: bigint }; usdPerFiat: Ratio }): Ratio => multiply(fiatRatio(invoice.price.minor, invoice.price.currency), invoice.usdPerFiat);

/** USD worth of base units (for `*_usd` twins); exact. */
export const unitsToUsd = (units: bigint, usdPerUnit: Ratio, currency: CryptoCurrency): Ratio =>
  multiply(ratio(units, pow10(currency.decimals)), usdPerUnit);
