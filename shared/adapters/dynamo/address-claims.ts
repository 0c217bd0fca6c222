/** The claim that makes a deposit address its owner's forever and puts it on its chain's watch list. */
import type { ChainId } from '../../domain/currencies';
import type { AddressOwner } from '../../domain/static-wallet';
import { isoTime } from '../../domain/time';
import { keys } from './keys';

export type AddressClaim = { chain: ChainId; address: string; owner: AddressOwner; claimedAt: number; watchUntil: number };

/** A transaction Put; it fails when the address was ever claimed before (never reused). */
export function addressClaimPut(tableName: string, claim: AddressClaim) {
  const { chain, address, owner } = claim;
  return {
    Put: {
      TableName: tableName,
      Item: {
        ...keys.address(chain, address),
        ...keys.watchIndex(chain, isoTime(claim.claimedAt), address),
        ...keys.watchUntilIndex(chain, isoTime(claim.watchUntil), address),
        type: 'address',
        schemaVersion: 1,
        chain,
        address,
        ...(owner.kind === 'invoice' ? { invoiceId: owner.invoiceId } : { staticWalletId: owner.walletId }),
        claimedAt: claim.claimedAt,
        watchUntil: claim.watchUntil,
      },
      ConditionExpression: 'attribute_not_exists(pk)',
    },
  };
}
