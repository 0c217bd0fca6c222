/**
 * What the EVM senders share: the JSON-RPC answer shapes they read, ABI words, and signing a
 * type-2 (EIP-1559) transaction into the stored form of a signed transfer.
 */
import { SigningKey, Transaction } from 'ethers';
import * as z from 'zod';
import type { ChainDeployment } from '../../../domain/chains';
import type { Instant } from '../../../domain/time';
import type { SignedTransfer } from '../../../domain/withdrawal';
import type { FeeBid } from '../../../ports/funds-out';

export const hex = z.string().regex(/^0x[0-9a-fA-F]*$/);
export const quantity = hex.transform((v) => BigInt(v));
export const feeHistoryShape = z.object({ baseFeePerGas: z.array(quantity).min(1) });
export const receiptShape = z.object({
  transactionHash: hex,
  status: hex,
  blockNumber: hex,
  gasUsed: quantity,
  effectiveGasPrice: quantity,
  /** OP-stack chains (Optimism, Base) also charge the L1 data fee, outside gasUsed. */
  l1Fee: quantity.nullable().optional(),
});

/** Estimates move with state (a recipient's first token slot costs 20k more): +25%. */
export const GAS_ESTIMATE_MARGIN_PERCENT = 125n;

export const word = (value: bigint) => value.toString(16).padStart(64, '0');
export const addressWord = (address: string) => address.slice(2).toLowerCase().padStart(64, '0');
export const toHex = (n: bigint | number) => `0x${n.toString(16)}`;

/** A bid `sign` can use: both EIP-1559 prices, the tip not above the cap. */
export function checkBid(chain: string, nonce: number | null, fee: FeeBid): asserts fee is FeeBid & { maxFeePerGas: bigint; maxPriorityFeePerGas: bigint } {
  if (nonce === null || !Number.isSafeInteger(nonce) || nonce < 0) throw new Error(`${chain}: an EVM transfer needs a nonce, got ${nonce}`);
  if (fee.maxFeePerGas === null || fee.maxPriorityFeePerGas === null) throw new Error(`${chain}: an EVM transfer needs maxFeePerGas and maxPriorityFeePerGas`);
  if (fee.maxPriorityFeePerGas > fee.maxFeePerGas) throw new Error(`${chain}: the priority fee ${fee.maxPriorityFeePerGas} is above the max fee ${fee.maxFeePerGas}`);
}

/** Signs a type-2 transaction of `call` with `privateKey`: the stored form of what is later broadcast. */
export function signCall(
  deployment: ChainDeployment,
  privateKey: string,
  call: { to: string; value: bigint; data: string },
  tx: { gasLimit: bigint; nonce: number; fee: { maxFeePerGas: bigint; maxPriorityFeePerGas: bigint }; now: Instant },
): SignedTransfer {
  const signed = Transaction.from({
    type: 2,
    chainId: BigInt(deployment.evmChainId),
    nonce: tx.nonce,
    to: call.to,
    value: call.value,
    data: call.data,
    gasLimit: tx.gasLimit,
    maxFeePerGas: tx.fee.maxFeePerGas,
    maxPriorityFeePerGas: tx.fee.maxPriorityFeePerGas,
  });
  signed.signature = new SigningKey(privateKey).sign(signed.unsignedHash);
  const hash = signed.hash;
  if (!hash) throw new Error(`${deployment.chain}: the signed transaction has no hash`);
  return {
    hash: hash.toLowerCase(),
    raw: signed.serialized,
    nonce: tx.nonce,
    maxFeePerGas: tx.fee.maxFeePerGas,
    maxPriorityFeePerGas: tx.fee.maxPriorityFeePerGas,
    expiresAt: null,
    signedAt: tx.now,
  };
}
