/**
 * Private keys from the deployment's mnemonic, for the senders only (task functions that may read
 * the secret): a deposit key is the deposit account's `0/i` (the same key whose public half the
 * API functions derive from the xpub), the hot wallet key sits at the family's own path.
 */
import { HDNodeWallet, Mnemonic } from 'ethers';
import { CHAIN_FAMILIES } from '../../domain/chain-families';
import type { ChainFamily } from '../../domain/currencies';

/** Indexes from 2^31 are hardened: a deposit index never is (the xpub could not derive it). */
const HARDENED_INDEX_MIN = 0x8000_0000;

export type SigningKeys = {
  /** Hex private key with 0x, and the 20-byte EVM address of the same key (Tron re-encodes it). */
  hot(): { privateKey: string; evmAddress: string };
  deposit(index: number): { privateKey: string; evmAddress: string };
};

export function signingKeys(mnemonic: string, family: ChainFamily): SigningKeys {
  const rules = CHAIN_FAMILIES[family];
  const phrase = Mnemonic.fromPhrase(mnemonic);
  // The account node once; each deposit is two unhardened steps below it.
  const external = HDNodeWallet.fromMnemonic(phrase, rules.accountPath).deriveChild(0);
  const hot = HDNodeWallet.fromMnemonic(phrase, rules.hotWalletPath);
  const keyOf = (node: HDNodeWallet) => ({ privateKey: node.privateKey, evmAddress: node.address });
  return {
    hot: () => keyOf(hot),
    deposit: (index) => {
      if (!Number.isInteger(index) || index < 0 || index >= HARDENED_INDEX_MIN) throw new Error(`deposit index ${index} is out of the unhardened range`);
      return keyOf(external.deriveChild(index));
    },
  };
}
