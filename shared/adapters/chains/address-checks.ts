/**
 * Full address validation per family, checksums included: EIP-55 for mixed-case EVM hex,
 * base58check for Tron. The domain (chain-families.ts) checks shapes and compares; this is where
 * an address typed by an operator (a token override today, a withdrawal wallet later) is proven
 * well-formed, because a checksum needs hashing.
 */
import { isAddress } from 'ethers/address';
import type { ChainFamily } from '../../domain/currencies';
import { isTronAddress } from './tron/address';

export const ADDRESS_CHECKS: Record<ChainFamily, (text: string) => boolean> = {
  evm: (text) => isAddress(text),
  tron: isTronAddress,
};
