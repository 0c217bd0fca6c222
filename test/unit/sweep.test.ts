import { describe, expect, it } from 'vitest';
import { ratio } from '../../shared/domain/money';
import { type Deposit, moveSweep, newSweep, parseShare, SWEEP_ID_LENGTH_MAX, sweepDecision, sweepIdOf, sweptBy, topUpAmount } from '../../shared/domain/sweep';

const deposit: Deposit = { chain: 'ethereum', address: '0xAbCdEf0123456789abcdef0123456789ABCDEF01', code: 'USDT_ERC20', derivationIndex: 7, received: 100n, swept: 0n, sweeping: null, rounds: 0 };
const policy = { maxFeeShare: ratio(5n, 100n), perCode: {} };
const USDT = 10n ** 6n;

describe('sweep ids', () => {
  it('are the same for the same deposit and round, differ per round, and are execution names', () => {
    const a = sweepIdOf(deposit, 1);
    expect(a).toBe(sweepIdOf({ ...deposit, address: deposit.address.toLowerCase() }, 1));
    expect(a).not.toBe(sweepIdOf(deposit, 2));
    expect(a).toMatch(/^[A-Za-z0-9_-]{1,80}$/);
    expect(a).toBe('SW-ethereum-0xabcdef0123456789abcdef0123456789abcdef01-USDT_ERC20-1');
  });

  it('stay within 80 characters with long chain and code names (the address is cut, the round kept)', () => {
    const id = sweepIdOf({ chain: 'ethereum', address: deposit.address, code: 'USDC_ARBITRUM_NOVA_EXTRA_LONG' }, 123456);
    expect(id.length).toBeLessThanOrEqual(SWEEP_ID_LENGTH_MAX);
    expect(id.endsWith('-USDC_ARBITRUM_NOVA_EXTRA_LONG-123456')).toBe(true);
  });

  it('refuse a round below 1', () => {
    expect(() => sweepIdOf(deposit, 0)).toThrow(/round/);
  });
});

describe('the threshold', () => {
  const usdt = (amount: bigint, extra: Partial<Parameters<typeof sweepDecision>[0]> = {}) =>
    sweepDecision({ amount, decimals: 6, usdPerUnit: ratio(1n, 1n), transferFeeUsd: '1.5', topUpFeeUsd: '0.5', code: 'USDT_ERC20', policy, ...extra });

  it('waits while the fee (transfer plus top-up) is more than 5% of the worth', () => {
    // 2 USD of fees: worth it from 40 USD on.
    expect(usdt(39n * USDT).worth).toBe(false);
    expect(usdt(40n * USDT).worth).toBe(true);
    expect(usdt(39n * USDT).feeUsd).toEqual(ratio(2n, 1n));
  });

  it('counts no top-up for a native coin', () => {
    const eth = (amount: bigint) => sweepDecision({ amount, decimals: 18, usdPerUnit: ratio(3000n, 1n), transferFeeUsd: '0.5', topUpFeeUsd: null, code: 'ETH', policy });
    // 0.5 USD at 5%: 10 USD = 1/300 ETH.
    expect(eth(10n ** 18n / 300n).worth).toBe(false);
    expect(eth(10n ** 18n / 300n + 1n).worth).toBe(true);
  });

  it('takes a per-currency share over the default', () => {
    const loose = { maxFeeShare: ratio(5n, 100n), perCode: { USDT_ERC20: ratio(1n, 2n) } };
    expect(usdt(4n * USDT, { policy: loose }).worth).toBe(true);
    expect(usdt(3n * USDT, { policy: loose }).worth).toBe(false);
  });

  it('never sweeps nothing', () => {
    expect(usdt(0n, { policy: { maxFeeShare: ratio(1n, 1n), perCode: {} }, transferFeeUsd: '0', topUpFeeUsd: null }).worth).toBe(false);
  });

  it('reads shares in (0, 1] only', () => {
    expect(parseShare('0.05')).toEqual(ratio(5n, 100n));
    expect(parseShare('1')).toEqual(ratio(1n, 1n));
    for (const bad of ['0', '1.5', '-0.1', 'abc', '']) expect(parseShare(bad)).toBeNull();
  });
});

describe('moves', () => {
  const s = newSweep(deposit, 1, 1000);

  it('go forward only, each a new version', () => {
    const topping = moveSweep(s, 'topping_up', 2000, { amount: 5n });
    expect(topping).toMatchObject({ status: 'topping_up', amount: 5n, version: 2, updatedAt: 2000 });
    expect(moveSweep(s, 'sent', 2000)).toBeNull();
    expect(moveSweep({ ...s, status: 'confirmed' }, 'failed', 2000)).toBeNull();
    expect(moveSweep({ ...s, status: 'failed' }, 'planned', 2000)).toBeNull();
  });

  it('a native sweep takes its own fee from the deposit; a token sweep only the amount', () => {
    const done = { ...s, amount: 90n, gasBurned: { topUp: 3n, transfer: 7n } };
    expect(sweptBy(done, true)).toBe(97n);
    expect(sweptBy(done, false)).toBe(90n);
  });

  it('tops up the shortfall plus a margin, and nothing when the address has enough', () => {
    expect(topUpAmount(0n, 1000n)).toBe(1200n);
    expect(topUpAmount(400n, 1000n)).toBe(800n);
    expect(topUpAmount(1000n, 1000n)).toBe(0n);
  });
});
