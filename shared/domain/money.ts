/**
 * Exact money arithmetic. Crypto amounts are bigint base units; fiat amounts and rates are exact
 * decimals or ratios. Nothing here ever touches a JS float: floats exist only in the CryptoCloud
 * presenters (shared/api/cryptocloud).
 */
import { err, ok, type Result } from './result';

/** value = units / 10^scale */
export type Decimal = { readonly units: bigint; readonly scale: number };

/** An exact rational number; den > 0. Rates are ratios so that 1/rate stays exact. */
export type Ratio = { readonly num: bigint; readonly den: bigint };

const DECIMAL_TEXT = /^([+-]?)(\d+)?(?:\.(\d+))?(?:[eE]([+-]?\d+))?$/;
/** Longer inputs are refused before any bigint work, so a hostile body cannot burn CPU. */
export const DECIMAL_TEXT_LENGTH_MAX = 64;

export const pow10 = (n: number): bigint => 10n ** BigInt(n);

/** Parses "100", "100.50", "1e3", "-0.5"; refuses anything else (no hex, no spaces, no NaN). */
export function parseDecimal(text: string): Result<Decimal, 'not_a_number'> {
  const trimmed = text.trim();
  if (trimmed.length === 0 || trimmed.length > DECIMAL_TEXT_LENGTH_MAX) return err('not_a_number');
  const m = DECIMAL_TEXT.exec(trimmed);
  if (!m || (m[2] === undefined && m[3] === undefined)) return err('not_a_number');
  const [, sign, intPart = '', fracPart = '', expText = '0'] = m;
  const exponent = Number(expText);
  if (Math.abs(exponent) > 40) return err('not_a_number');
  let units = BigInt((intPart || '0') + fracPart);
  let scale = fracPart.length - exponent;
  if (scale < 0) {
    units *= pow10(-scale);
    scale = 0;
  }
  if (sign === '-') units = -units;
  return ok(normalize({ units, scale }));
}

/** Strips trailing zeros so equal values have one representation. */
export function normalize(d: Decimal): Decimal {
  let { units, scale } = d;
  while (scale > 0 && units % 10n === 0n) {
    units /= 10n;
    scale -= 1;
  }
  return { units, scale };
}

export function formatDecimal(d: Decimal): string {
  const negative = d.units < 0n;
  const digits = (negative ? -d.units : d.units).toString().padStart(d.scale + 1, '0');
  const intPart = digits.slice(0, digits.length - d.scale);
  const fracPart = d.scale > 0 ? `.${digits.slice(digits.length - d.scale)}` : '';
  return `${negative ? '-' : ''}${intPart}${fracPart}`;
}

export type Rounding = 'up' | 'down' | 'half_up';

/** Divides two bigints with an explicit rounding rule (for non-negative results). */
export function divide(num: bigint, den: bigint, rounding: Rounding): bigint {
  if (den <= 0n) throw new RangeError('divide: denominator must be positive');
  const q = num / den;
  const r = num % den;
  if (r === 0n) return q;
  if (rounding === 'down') return q;
  if (rounding === 'up') return q + 1n;
  return r * 2n >= den ? q + 1n : q;
}

/** Re-expresses a decimal at a fixed scale, e.g. fiat minor units or crypto base units. */
export function toScale(d: Decimal, scale: number, rounding: Rounding): bigint {
  if (scale >= d.scale) return d.units * pow10(scale - d.scale);
  return divide(d.units, pow10(d.scale - scale), rounding);
}

export const fromUnits = (units: bigint, scale: number): Decimal => normalize({ units, scale });

export const ratio = (num: bigint, den: bigint): Ratio => {
  if (den === 0n) throw new RangeError('ratio: zero denominator');
  return den < 0n ? { num: -num, den: -den } : { num, den };
};
export const ratioOf = (d: Decimal): Ratio => ratio(d.units, pow10(d.scale));
export const invert = (r: Ratio): Ratio => ratio(r.den, r.num);
export const multiply = (a: Ratio, b: Ratio): Ratio => ratio(a.num * b.num, a.den * b.den);
export const compareRatio = (a: Ratio, b: Ratio): number => {
  const left = a.num * b.den;
  const right = b.num * a.den;
  return left === right ? 0 : left < right ? -1 : 1;
};
const gcd = (a: bigint, b: bigint): bigint => {
  let [x, y] = [a < 0n ? -a : a, b];
  while (y !== 0n) [x, y] = [y, x % y];
  return x;
};
/** Kept in lowest terms, so a long sum does not grow its denominator without bound. */
export const addRatio = (a: Ratio, b: Ratio): Ratio => {
  const num = a.num * b.den + b.num * a.den;
  const den = a.den * b.den;
  const g = gcd(num, den);
  return ratio(num / g, den / g);
};

/** A ratio expressed at a fixed number of decimals with a rounding rule. */
export function ratioToScale(r: Ratio, scale: number, rounding: Rounding): bigint {
  return divide(r.num * pow10(scale), r.den, rounding);
}

/** Decimal text of a ratio, rounded half-up at `scale` digits, trailing zeros removed. */
export const formatRatio = (r: Ratio, scale: number): string =>
  formatDecimal(fromUnits(ratioToScale(r, scale, 'half_up'), scale));
