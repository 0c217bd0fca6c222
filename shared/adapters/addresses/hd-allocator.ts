/**
 * Deposit addresses from the deployment's extended public key: watch-only derivation, so the API
 * functions that allocate addresses never hold a private key (DESIGN §6).
 */
import { HDNodeWallet } from 'ethers';
import { CHAINS, type ChainFamily, type ChainId } from '../../domain/currencies';
import type { AddressAllocator } from '../../ports';
import type { DynamoCounters } from '../dynamo/counters';
import { keys } from '../dynamo/keys';

/** The account-level xpub is `m/44'/60'/0'`; deposits are its external chain `0/i`. */
export const EVM_ACCOUNT_PATH = "m/44'/60'/0'";

export class HdAddressAllocator implements AddressAllocator {
  private readonly evmExternal: HDNodeWallet | ReturnType<typeof HDNodeWallet.fromExtendedKey>;

  constructor(
    evmAccountXpub: string,
    private readonly counters: DynamoCounters,
  ) {
    const account = HDNodeWallet.fromExtendedKey(evmAccountXpub);
    if ('privateKey' in account && account.privateKey) throw new Error('refusing a private extended key: API functions take only the xpub');
    this.evmExternal = account.derivePath('0');
  }

  async allocate(chain: ChainId): Promise<{ address: string; index: number }> {
    const family: ChainFamily = CHAINS[chain].family;
    if (family !== 'evm') throw new Error(`no address derivation for ${chain} in this build`);
    // Counters start at 1 after the first ADD; index 0 is left for the sweep wallet's own use.
    const index = await this.counters.next(keys.addressCounter(family));
    return { address: this.evmExternal.deriveChild(index).address, index };
  }
}
