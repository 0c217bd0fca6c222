import { describe, expect, it } from 'vitest';
import { CHAINS, findCrypto } from '../../shared/domain/currencies';
import type { InvoiceId, StaticWalletId } from '../../shared/domain/ids';
import { parseStaticWalletId } from '../../shared/domain/ids';
import { ratio } from '../../shared/domain/money';
import { postbackEventsOf } from '../../shared/domain/postbacks';
import { depthTierBucket, identifyProblem, isDustReceipt, receiptFees, receiptInvoice, type StaticWallet } from '../../shared/domain/static-wallet';
import { stricterRule } from '../../shared/domain/chains';
import { HOUR_MS } from '../../shared/domain/time';
import { RetryLater } from '../../shared/app/work-queues';
import type { Transfer } from '../../shared/domain/transfers';

const USDT = findCrypto('USDT_ERC20')!;
const ETH = findCrypto('ETH')!;
const wallet: StaticWallet = {
  id: 'A'.repeat(32) as StaticWalletId,
  shopId: 'shop0000000001',
  code: 'USDT_ERC20',
  chain: 'ethereum',
  address: '0x1111111111111111111111111111111111111111',
  derivationIndex: 7,
  identify: 'customer-42',
  createdAt: 0,
  blocked: false,
  blockedAt: null,
  version: 1,
};
const transfer = (amount: bigint): Transfer => ({
  chain: 'ethereum',
  txHash: `0x${'ab'.repeat(32)}`,
  logIndex: 0,
  blockNumber: 10,
  blockHash: `0x${'cd'.repeat(32)}`,
  blockTime: 1_000,
  contract: USDT.contract,
  from: '0x2222222222222222222222222222222222222222',
  to: wallet.address,
  amount,
});
const fees = (side: 'merchant' | 'client', percent = 0n) => ({ sideCommission: side, sideCommissionCc: side, serviceFeePercent: { units: percent, scale: 0 } }) as const;
const receipt = (amount: bigint, f = fees('merchant'), w = wallet) =>
  receiptInvoice({ id: 'RCPT0001' as InvoiceId, wallet: w, transfer: transfer(amount), currency: USDT, usdPerUnit: ratio(1n, 1n), fees: f, testMode: false, locale: 'en', now: 2_000 });

describe('a static wallet receipt', () => {
  it('asks for exactly what was sent, with order_id = identify, so crediting that transfer makes it paid', () => {
    const r = receipt(12_500_000n);
    expect(r).toMatchObject({ status: 'created', orderId: 'customer-42', staticWallet: { id: wallet.id, identify: 'customer-42' }, availableCurrencies: ['USDT_ERC20'] });
    expect(r.selection).toMatchObject({ code: 'USDT_ERC20', address: wallet.address, derivationIndex: 7, amountToPay: 12_500_000n, baseAmount: 12_500_000n, transferFee: 1_500_000n });
    expect(r.price).toEqual({ currency: 'USD', minor: 1250n });
    expect(r.facts).toEqual({});
  });

  it('counts client-side fees as part of what the customer sent: its worth is the amount less them', () => {
    const r = receipt(12_500_000n, fees('client', 1n));
    // 1.5 USDT network fee, then 1 % of the worth: 11 USDT = worth × 1.01.
    expect(r.selection).toMatchObject({ amountToPay: 12_500_000n, transferFee: 1_500_000n, serviceFee: 108_911n, baseAmount: 10_891_089n });
    expect(r.price.minor).toBe(1089n);
  });

  it('is flagged when the wallet is blocked, and then posts a blocked-receipt event once credited', () => {
    const r = receipt(5_000_000n, fees('merchant'), { ...wallet, blocked: true, blockedAt: 1 });
    expect(r.facts).toEqual({ walletBlocked: true });
    expect(postbackEventsOf(r)).toEqual([]);
    const t = transfer(5_000_000n);
    const paid = { ...r, status: 'paid' as const, payments: [{ key: 'k', state: 'credited', transfer: t } as never] };
    expect(postbackEventsOf(paid).map((e) => e.kind)).toEqual(['invoice.paid', 'static_wallet.blocked_receipt']);
  });

  it('leaves a transfer smaller than its own network fee (at the rate of its first sight) out as dust', () => {
    const fee = receiptFees({ transfer: transfer(1n), currency: USDT, usdPerUnit: ratio(1n, 1n), fees: fees('merchant') }).transferFee;
    expect(fee).toBe(1_500_000n);
    expect(isDustReceipt(fee - 1n, fee)).toBe(true);
    expect(isDustReceipt(fee, fee)).toBe(false);
    // Valued at the coin's rate: 0.3 USD of ETH at 3,000 USD is 0.0001 ETH.
    expect(receiptFees({ transfer: transfer(1n), currency: { ...ETH, transferFeeUsd: '0.3' }, usdPerUnit: ratio(3000n, 1n), fees: fees('merchant') }).transferFee).toBe(100_000_000_000_000n);
  });

  it('takes a client-side service fee as a share of the worth, as a quote does: worth + worth × percent = what is left after the network fee', () => {
    const f = receiptFees({ transfer: transfer(12_500_000n), currency: USDT, usdPerUnit: ratio(1n, 1n), fees: fees('client', 1n) });
    expect(f).toEqual({ transferFee: 1_500_000n, baseAmount: 10_891_089n, serviceFee: 108_911n });
    expect(f.baseAmount + f.serviceFee + f.transferFee).toBe(12_500_000n);
  });
});

describe('the depth a receipt waits for', () => {
  it('may rise, never fall: the stricter of two rules is the chain\'s large-amount rule if either is it, else the deeper count', () => {
    const ethereum = CHAINS.ethereum.confirmations;
    const large = ethereum.large?.rule;
    expect(large).toEqual({ tag: 'finalized' });
    expect(stricterRule(ethereum, ethereum.normal, large!)).toEqual(large);
    expect(stricterRule(ethereum, large!, ethereum.normal)).toEqual(large);
    expect(stricterRule(ethereum, { blocks: 12 }, { blocks: 20 })).toEqual({ blocks: 20 });
    expect(stricterRule(ethereum, { blocks: 30 }, { blocks: 12 })).toEqual({ blocks: 30 });
  });

  it('counts a customer\'s receipts by the hour: this hour and the last', () => {
    expect(depthTierBucket(10 * HOUR_MS)).toBe(10);
    expect(depthTierBucket(11 * HOUR_MS - 1)).toBe(10);
  });
});

describe('identify and the wallet uuid', () => {
  it('accepts a customer id of up to 128 printable characters and refuses empty, longer or control characters', () => {
    expect(identifyProblem('customer-42')).toBeNull();
    expect(identifyProblem('ü'.repeat(128))).toBeNull();
    expect(identifyProblem('')).toMatch(/empty/);
    expect(identifyProblem('x'.repeat(129))).toMatch(/129 characters/);
    expect(identifyProblem('a\nb')).toMatch(/control characters/);
    expect(identifyProblem('bob\u202eevil')).toMatch(/bidirectional/);
    expect(identifyProblem('👩‍💻 dev')).toBeNull();
    // C1 controls (U+0085 NEL among them) and the Unicode line separators are newlines too.
    for (const c of ['\u0085', '\u009b', '\u2028', '\u2029']) expect(identifyProblem(`a${c}b`), JSON.stringify(c)).toMatch(/control characters/);
  });

  it('parses a 32-character uuid in any case, and nothing else', () => {
    expect(parseStaticWalletId(' 1k0nfxt9e1x3voy07vy1lrv8xgmlqnqx ')).toEqual({ ok: true, value: '1K0NFXT9E1X3VOY07VY1LRV8XGMLQNQX' });
    expect(parseStaticWalletId('INV-ABCDEFGH').ok).toBe(false);
    expect(parseStaticWalletId('A'.repeat(33)).ok).toBe(false);
  });
});

describe('a receipt first seen during a price feed outage', () => {
  it('asks the queue to retry later and later: 1, 2, 4 … 60 minutes, about 5 hours over the queue\'s 10 receives', () => {
    const later = new RetryLater('no rate', 60, 3600);
    const delays = Array.from({ length: 10 }, (_, i) => later.delayAfter(i + 1));
    expect(delays).toEqual([60, 120, 240, 480, 960, 1920, 3600, 3600, 3600, 3600]);
    expect(delays.reduce((a, b) => a + b, 0) / 3600).toBeCloseTo(5.05, 1);
  });
});
