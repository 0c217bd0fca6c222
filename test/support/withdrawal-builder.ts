/** Withdrawals for tests that do not run the workflow: a requested one, and the signed transfers a later step would record. */
import { randomBytes } from 'node:crypto';
import { ID_ALPHABET } from '../../shared/domain/ids';
import type { SignedTransfer, Withdrawal } from '../../shared/domain/withdrawal';

const randomId = () => `INV-${Array.from(randomBytes(8), (b) => ID_ALPHABET[b % ID_ALPHABET.length]).join('')}`;

/** A USDT_ERC20 withdrawal of 25 to a fixed address, 1 fee on the merchant side, just requested. */
export function requestedWithdrawal(shopId: string, at: number, overrides: Partial<Withdrawal> = {}): Withdrawal {
  return {
    id: randomId(),
    shopId,
    code: 'USDT_ERC20',
    chain: 'ethereum',
    toAddress: '0x2222222222222222222222222222222222222222',
    walletId: null,
    amount: 25_000_000n,
    fee: 1_000_000n,
    feeSide: 'merchant',
    sendAmount: 25_000_000n,
    holdAmount: 26_000_000n,
    source: 'native_api',
    status: 'requested',
    reason: null,
    tx: null,
    replaced: [],
    landed: null,
    batch: null,
    createdAt: at,
    updatedAt: at,
    version: 1,
    ...overrides,
  };
}

/** A signed EVM transfer; `n` varies the hash and nonce (a fee bump signs another at the same nonce). */
export const signedTransfer = (n: number, at: number): SignedTransfer => ({
  hash: `0x${n.toString(16).padStart(2, '0').repeat(32)}`,
  raw: `0x02${n.toString(16).padStart(2, '0').repeat(40)}`,
  nonce: 7,
  maxFeePerGas: 30_000_000_000n + BigInt(n),
  maxPriorityFeePerGas: 1_000_000_000n,
  expiresAt: null,
  signedAt: at,
});
