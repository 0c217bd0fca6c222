/** Tron deposit addresses: the same secp256k1 derivation as EVM under `m/44'/195'/0'`, written base58check with Tron's 0x41 prefix. */
import { concat, encodeBase58, getBytes, sha256 } from 'ethers';
import type { AddressDeriver } from '../../../ports';
import { externalChain } from '../evm/address';

/** base58check(0x41 ++ the 20 address bytes): what `T...` addresses are. */
export function tronAddressFromEvm(evmAddress: string): string {
  const payload = concat(['0x41', evmAddress]);
  const checksum = getBytes(sha256(sha256(payload))).slice(0, 4);
  return encodeBase58(concat([payload, checksum]));
}

export const deriveTronAddress: AddressDeriver = (accountXpub) => {
  const external = externalChain(accountXpub);
  return (index) => tronAddressFromEvm(external.deriveChild(index).address);
};
