import { describe, expect, it } from 'vitest';
import { compareRatio, divide, formatDecimal, formatRatio, invert, parseDecimal, ratio, toScale } from '../../shared/domain/money';

describe('parseDecimal', () => {
  it.each([
    ['100', 100n, 0],
    ['100.50', 1005n, 1],
    ['0.000001', 1n, 6],
    ['1e3', 1000n, 0],
    ['1.5E-2', 15n, 3],
    ['-2.5', -25n, 1],
    ['.5', 5n, 1],
  ])('parses %s exactly', (text, units, scale) => {
    expect(parseDecimal(text)).toEqual({ ok: true, value: { units, scale } });
  });

  it.each(['', ' ', 'abc', '1,5', '0x10', 'NaN', 'Infinity', '1e999', '1..2', '--1', '1'.repeat(65)])('refuses %j', (text) => {
    expect(parseDecimal(text).ok).toBe(false);
  });

  it('round-trips through formatDecimal', () => {
    for (const text of ['0', '1', '12.345', '0.000000000000000001', '-7.25', '1000000000']) {
      const d = parseDecimal(text);
      if (!d.ok) throw new Error(text);
      expect(formatDecimal(d.value)).toBe(text);
    }
  });
});

describe('rounding', () => {
  it('divides with explicit rules', () => {
    expect(divide(10n, 3n, 'down')).toBe(3n);
    expect(divide(10n, 3n, 'up')).toBe(4n);
    expect(divide(10n, 4n, 'half_up')).toBe(3n);
    expect(divide(9n, 3n, 'up')).toBe(3n);
  });

  it('rescales decimals to minor units', () => {
    const d = parseDecimal('10.995');
    if (!d.ok) throw new Error();
    expect(toScale(d.value, 2, 'half_up')).toBe(1100n);
    expect(toScale(d.value, 2, 'down')).toBe(1099n);
    expect(toScale(d.value, 6, 'up')).toBe(10_995_000n);
  });
});

describe('ratios', () => {
  it('invert, compare and format exactly', () => {
    const r = ratio(1n, 3n);
    expect(formatRatio(r, 4)).toBe('0.3333');
    expect(formatRatio(invert(r), 2)).toBe('3');
    expect(compareRatio(ratio(2n, 4n), ratio(1n, 2n))).toBe(0);
    expect(compareRatio(ratio(1n, 3n), ratio(1n, 2n))).toBe(-1);
    expect(ratio(1n, -2n)).toEqual({ num: -1n, den: 2n });
  });
});
