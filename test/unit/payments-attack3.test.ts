/**
 * A payment's rule may rise while it confirms, never fall (crediting passes the stricter of the
 * stored and the computed rule): a payment a reorg took away and the chain brings back is pending
 * again, and takes the rule it is given then, like any pending payment.
 */
import { describe, expect, it } from 'vitest';
import { reconcileTransfer, recordTransfer } from '../../shared/domain/invoice/payments';
import { ratio } from '../../shared/domain/money';
import { type Transfer, transferKey } from '../../shared/domain/transfers';
import { buildInvoice } from '../support/builders';

const T = Date.UTC(2026, 0, 1);
const ADDRESS = `0x${'a'.repeat(40)}`;
const hash = (n: number) => `0x${n.toString(16).padStart(64, '0')}`;
const invoice = buildInvoice({
  createdAt: T,
  expiresAt: T + 3_600_000,
  selection: { code: 'USDT_ERC20', address: ADDRESS, derivationIndex: 1, baseAmount: 10_000_000n, transferFee: 0n, serviceFee: 0n, amountToPay: 10_000_000n, usdPerUnit: ratio(1n, 1n), lockedAt: T, lockedUntil: T + 900_000 },
});
const transfer = (blockNumber: number, blockHash: string): Transfer => ({
  chain: 'ethereum',
  txHash: hash(1),
  logIndex: 0,
  blockNumber,
  blockHash,
  blockTime: T + 1_000,
  contract: '0xdac17f958d2ee523a2206206994597c13d831ec7',
  from: `0x${'1'.repeat(40)}`,
  to: ADDRESS,
  amount: 10_000_000n,
});
const seen = (t: Transfer, blocks: number) => ({ transfer: t, code: 'USDT_ERC20', finality: { blocks }, source: 'watcher' as const, now: T });

describe('a payment the chain took away and brought back', () => {
  const first = transfer(100, hash(0xa));
  const pending = recordTransfer(invoice, seen(first, 2)).invoice;
  const orphaned = reconcileTransfer(pending, { key: transferKey(first), truth: { kind: 'absent' }, code: null, finality: { blocks: 1 }, source: 'watcher', toleranceUnits: 0n, marketUsdPerUnit: null, mayCredit: false, now: T });

  it('takes the stricter rule it is given when it comes back, as a pending one in place does', () => {
    expect(orphaned?.payment.state).toBe('orphaned');
    const back = recordTransfer(orphaned?.invoice ?? pending, seen(transfer(101, hash(0xb)), 10));
    expect(back.payment).toMatchObject({ state: 'pending', finality: { blocks: 10 } });
  });

  it('is not credited at the old, shallower rule when it comes back already that deep', () => {
    const back = transfer(101, hash(0xb));
    const out = reconcileTransfer(orphaned?.invoice ?? pending, { key: transferKey(back), truth: { kind: 'included', transfer: back, heights: { head: 103 } }, code: 'USDT_ERC20', finality: { blocks: 10 }, source: 'watcher', toleranceUnits: 0n, marketUsdPerUnit: null, mayCredit: true, now: T });
    expect(out?.payment.state).toBe('pending');
    expect(out?.entry).toBeNull();
  });
});
