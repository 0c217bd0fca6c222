/** EVM deposit addresses: the external chain `0/i` under the account xpub (`m/44'/60'/0'`), checksummed. */
import { HDNodeWallet } from 'ethers';
import type { AddressDeriver } from '../../../ports';

/** The external chain `0` of a watch-only account key; shared by every family on secp256k1 (Tron re-encodes the same 20 bytes). */
export function externalChain(accountXpub: string) {
  const account = HDNodeWallet.fromExtendedKey(accountXpub);
  if ('privateKey' in account && account.privateKey) throw new Error('refusing a private extended key: API functions take only the xpub');
  return account.derivePath('0');
}

export const deriveEvmAddress: AddressDeriver = (accountXpub) => {
  const external = externalChain(accountXpub);
  return (index) => external.deriveChild(index).address;
};
