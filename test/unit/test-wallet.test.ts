/** The local test wallet pays an invoice once per payment the invoice records, never twice in flight. */
import { describe, expect, it } from 'vitest';
import { TEST_WALLET_PENDING_MS, testWalletGuard } from '../../lib/local/test-wallet';

describe('test wallet guard', () => {
  it('refuses a second payment until the first shows on the invoice, then allows the top-up', () => {
    const { claim } = testWalletGuard();
    expect(claim('AAAA1111', 0, 1000)).toBe(true);
    // Pressed again (or posted in a loop) before the watcher saw the first transfer.
    expect(claim('AAAA1111', 0, 2000)).toBe(false);
    expect(claim('AAAA1111', 0, 30_000)).toBe(false);
    // Another invoice is another wallet press.
    expect(claim('BBBB2222', 0, 2000)).toBe(true);
    // The first payment was recorded (a partial): the top-up may go.
    expect(claim('AAAA1111', 1, 31_000)).toBe(true);
    expect(claim('AAAA1111', 1, 32_000)).toBe(false);
  });

  it('lets a failed send be tried again at once, and one that never showed after a while', () => {
    const { claim, release } = testWalletGuard();
    expect(claim('CCCC3333', 0, 0)).toBe(true);
    expect(claim('CCCC3333', 0, TEST_WALLET_PENDING_MS - 1)).toBe(false);
    expect(claim('CCCC3333', 0, TEST_WALLET_PENDING_MS)).toBe(true);
    release('CCCC3333');
    expect(claim('CCCC3333', 0, TEST_WALLET_PENDING_MS + 1)).toBe(true);
  });
});
