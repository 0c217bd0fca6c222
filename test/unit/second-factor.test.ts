/** The pure rules of the second factor and withdrawal wallets: replay, lockout, recovery codes, cooling-off, address problems. */
import { describe, expect, it } from 'vitest';
import { findCrypto } from '../../shared/domain/currencies';
import { codeShape, decideCode, lockDurationMs, normalizeCode, pendingFactor, type SecondFactor } from '../../shared/domain/second-factor';
import { changedWithdrawalWallet, newWithdrawalWallet, walletRefusal, withdrawalAddressProblem } from '../../shared/domain/withdrawal-wallet';

const MIN = 60_000;
const active = (over: Partial<SecondFactor> = {}): SecondFactor => ({ ...pendingFactor('shop', 'sealed', 0, 0), status: 'active', lastUsedStep: 100, ...over });

describe('second factor rules', () => {
  it('reads six digits and recovery codes, forgiving spaces and case', () => {
    expect(codeShape(normalizeCode(' 123 456 '))).toBe('totp');
    expect(codeShape(normalizeCode('ABCDE-23456'))).toBe('recovery');
    expect(codeShape(normalizeCode('12345'))).toBe('malformed');
  });

  it('accepts a later step once and keeps it as the last used; refuses a spent code without counting it', () => {
    const d = decideCode(active({ failures: 3 }), { kind: 'totp', step: 101 }, 0);
    expect(d).toMatchObject({ accepted: true, next: { lastUsedStep: 101, failures: 0, version: 2 } });
    expect(decideCode(active(), { kind: 'totp_spent' }, 0)).toEqual({ accepted: false, next: null, refusal: { kind: 'code_already_used' }, lockedNow: false });
  });

  it('locks on the fifth wrong code in a row for 15 minutes, doubling after, up to a day', () => {
    expect([1, 4, 5, 6, 7, 12, 40].map(lockDurationMs)).toEqual([0, 0, 15 * MIN, 30 * MIN, 60 * MIN, 24 * 60 * MIN, 24 * 60 * MIN]);
    expect(decideCode(active({ failures: 3 }), { kind: 'wrong' }, 1000)).toMatchObject({ refusal: { kind: 'invalid_code', attemptsLeft: 1 }, lockedNow: false });
    expect(decideCode(active({ failures: 4 }), { kind: 'wrong' }, 1000)).toMatchObject({ refusal: { kind: 'locked', until: 1000 + 15 * MIN }, lockedNow: true, next: { failures: 5 } });
  });

  it('spends a recovery code, and only that one', () => {
    const factor = active({ recoveryCodes: [{ hash: 'a', usedAt: null }, { hash: 'b', usedAt: null }] });
    const d = decideCode(factor, { kind: 'recovery', index: 1 }, 42);
    expect(d).toMatchObject({ accepted: true, via: 'recovery', next: { recoveryCodes: [{ hash: 'a', usedAt: null }, { hash: 'b', usedAt: 42 }] } });
  });
});

describe('withdrawal wallet rules', () => {
  const usdt = findCrypto('USDT_ERC20');
  if (!usdt) throw new Error('registry lost USDT_ERC20');
  const wallet = newWithdrawalWallet({ id: 'ww_1', shopId: 's', code: 'USDT_ERC20', address: '0xdAC17F958D2ee523a2206206994597C13D831ec7', label: '', now: 1000, coolingOffMs: 500 });

  it('cools off from creation and from every new address, not from a new label or the same address in other case', () => {
    expect(walletRefusal(wallet, 'USDT_ERC20', 1499)).toEqual({ kind: 'cooling_off', usableFrom: 1500 });
    expect(walletRefusal(wallet, 'USDT_ERC20', 1500)).toBeNull();
    expect(changedWithdrawalWallet(wallet, { label: 'x' }, 9000, 500).usableFrom).toBe(1500);
    expect(changedWithdrawalWallet(wallet, { address: wallet.address.toLowerCase() }, 9000, 500).usableFrom).toBe(1500);
    expect(changedWithdrawalWallet(wallet, { address: `0x${'1'.repeat(40)}` }, 9000, 500).usableFrom).toBe(9500);
    expect(walletRefusal({ ...wallet, removedAt: 2000 }, 'USDT_ERC20', 3000)).toEqual({ kind: 'unknown_wallet' });
  });

  it('names what is wrong with an address', () => {
    expect(withdrawalAddressProblem(usdt, wallet.address, true)).toBeNull();
    expect(withdrawalAddressProblem(usdt, wallet.address, false)).toMatch(/EIP-55 checksum/);
    expect(withdrawalAddressProblem(usdt, 'TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t', true)).toMatch(/another network/);
  });
});
