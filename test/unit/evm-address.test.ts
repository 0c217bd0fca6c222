/**
 * Deposit derivation from an account xpub (BIP-32 public derivation on ethers' primitives) gives
 * exactly the addresses ethers' HDNodeWallet gives from the mnemonic: every deposit address a
 * payer is shown must be one the deployment's key can sweep.
 */
import { HDNodeWallet, Mnemonic } from 'ethers';
import { describe, expect, it } from 'vitest';
import { deriveEvmAddress } from '../../shared/adapters/chains/evm/address';
import { deriveTronAddress, tronAddressFromEvm } from '../../shared/adapters/chains/tron/address';
import { CHAIN_FAMILIES } from '../../shared/domain/chain-families';

const MNEMONICS = [
  'test test test test test test test test test test test junk',
  'abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about',
  Mnemonic.fromEntropy(new Uint8Array(32).fill(7)).phrase,
];
const INDEXES = [0, 1, 2, 19, 1_000, 65_535, 1_000_000, 2 ** 31 - 1];

describe('deposit derivation from the account xpub', () => {
  it('equals HDNodeWallet from the mnemonic at m/<account>/0/i, on both families', () => {
    for (const phrase of MNEMONICS) {
      for (const [family, derive] of [['evm', deriveEvmAddress], ['tron', deriveTronAddress]] as const) {
        const path = CHAIN_FAMILIES[family].accountPath;
        const account = HDNodeWallet.fromPhrase(phrase, undefined, path);
        const fromXpub = derive(account.neuter().extendedKey);
        for (const i of INDEXES) {
          const expected = HDNodeWallet.fromPhrase(phrase, undefined, `${path}/0/${i}`).address;
          expect(fromXpub(i), `${family} ${i}`).toBe(family === 'evm' ? expected : tronAddressFromEvm(expected));
        }
      }
    }
  });

  it('refuses a private key, a damaged xpub and a hardened index', () => {
    const account = HDNodeWallet.fromPhrase(MNEMONICS[0], undefined, CHAIN_FAMILIES.evm.accountPath);
    expect(() => deriveEvmAddress(account.extendedKey)).toThrow(/refusing a private extended key/);
    const xpub = account.neuter().extendedKey;
    const damaged = xpub.slice(0, 20) + (xpub[20] === 'a' ? 'b' : 'a') + xpub.slice(21);
    expect(() => deriveEvmAddress(damaged)).toThrow(/extended key/);
    expect(() => deriveEvmAddress(xpub)(2 ** 31)).toThrow(/unhardened range/);
  });
});
