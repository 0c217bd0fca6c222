/** `GET /admin/chains/{chain}/deposits` (`tollgate chain deposits CHAIN`): what each deposit address received, still holds unswept, and had swept. */
import * as z from 'zod';
import { findCrypto } from '../../domain/currencies';
import { formatDecimal, fromUnits } from '../../domain/money';
import type { Deposit } from '../../domain/sweep';

export const DEPOSITS_PAGE_MAX = 100;

export const listDepositsQuery = z.object({
  limit: z.coerce.number().int().min(1, 'limit must be 1 or more').max(DEPOSITS_PAGE_MAX, `limit must be at most ${DEPOSITS_PAGE_MAX}`).default(50),
  cursor: z.string().max(400).regex(/^[A-Za-z0-9_-]+$/, 'cursor must be the `next` of an earlier page').optional(),
});

export function presentDeposit(d: Deposit & { unswept: bigint }) {
  const decimals = findCrypto(d.code)?.decimals ?? 0;
  const units = (u: bigint) => formatDecimal(fromUnits(u, decimals));
  return { chain: d.chain, address: d.address, currency: d.code, received: units(d.received), unswept: units(d.unswept), swept: units(d.swept), sweeping: d.sweeping, sweeps: d.rounds };
}

export const presentDepositList = (page: { items: (Deposit & { unswept: bigint })[]; next: string | null }) => ({ items: page.items.map(presentDeposit), next: page.next });
