/**
 * Deposit addresses from the deployment's extended public keys, one per chain family: watch-only
 * derivation, so the API functions that allocate addresses never hold a private key (DESIGN §6).
 * Each family has its own counter, so indexes never collide within a family's key.
 */
import { XPUB_VARIABLES } from '../../config';
import { CHAINS, type ChainFamily, type ChainId } from '../../domain/currencies';
import type { AddressAllocator, AddressDeriver } from '../../ports';
import type { DynamoCounters } from '../dynamo/counters';
import { keys } from '../dynamo/keys';

/** A family's account xpub and how it derives; a family without one has no deposit addresses in this deployment. */
export type FamilyKeys = Partial<Record<ChainFamily, { accountXpub: string; derive: AddressDeriver }>>;

export class HdAddressAllocator implements AddressAllocator {
  private readonly derivers = new Map<ChainFamily, (index: number) => string>();

  constructor(
    families: FamilyKeys,
    private readonly counters: DynamoCounters,
  ) {
    // Checked at cold start: a private key or a malformed xpub fails the function, not a payer's request.
    for (const [family, k] of Object.entries(families) as [ChainFamily, NonNullable<FamilyKeys[ChainFamily]>][]) this.derivers.set(family, k.derive(k.accountXpub));
  }

  async canAllocate(chain: ChainId): Promise<boolean> {
    return this.derivers.has(CHAINS[chain].family);
  }

  async allocate(chain: ChainId): Promise<{ address: string; index: number }> {
    const family = CHAINS[chain].family;
    const derive = this.derivers.get(family);
    // The use cases ask canAllocate first and answer the payer; reaching this is a wiring fault.
    if (!derive) throw new Error(`no deposit key for ${chain}: set the ${family} account xpub (${XPUB_VARIABLES[family]})`);
    // Counters start at 1 after the first ADD; index 0 is left for the sweep wallet's own use.
    const index = await this.counters.next(keys.addressCounter(family));
    return { address: derive(index), index };
  }
}
