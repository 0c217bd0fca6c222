/** The native withdrawal API's wire shapes (/api/withdrawals and `tollgate withdraw`). */
import * as z from 'zod';
import { findCrypto } from '../../domain/currencies';
import { formatDecimal, fromUnits } from '../../domain/money';
import { isoTime } from '../../domain/time';
import type { Withdrawal } from '../../domain/withdrawal';

export const WITHDRAWALS_PER_PAGE_MAX = 100;

export const listWithdrawalsQuery = z.object({
  limit: z.coerce.number().int().min(1, 'limit must be 1 or more').max(WITHDRAWALS_PER_PAGE_MAX, `limit must be at most ${WITHDRAWALS_PER_PAGE_MAX}`).default(20),
  cursor: z.string().max(200).regex(/^[A-Za-z0-9_-]+$/, 'cursor must be the `next` of an earlier page').optional(),
});

/** To a saved withdrawal wallet only: the wallet names the currency and the address. */
export const NativeWithdrawalRequest = z.object({
  wallet_id: z.string({ error: 'wallet_id is required: withdrawals go to a saved withdrawal wallet (tollgate withdrawal-wallet add)' }).trim().min(1).max(64),
  amount: z.union([z.string().trim().min(1).max(64), z.number().finite()], { error: 'amount is required: a number in the wallet currency, such as 12.5' }).transform(String),
});

export function presentWithdrawal(w: Withdrawal) {
  const decimals = findCrypto(w.code)?.decimals ?? 0;
  const units = (u: bigint) => formatDecimal(fromUnits(u, decimals));
  return {
    id: w.id,
    status: w.status,
    currency: w.code,
    chain: w.chain,
    amount: units(w.amount),
    fee: units(w.fee),
    fee_side: w.feeSide,
    send_amount: units(w.sendAmount),
    hold_amount: units(w.holdAmount),
    to_address: w.toAddress,
    wallet_id: w.walletId,
    source: w.source,
    reason: w.reason,
    tx_hash: w.landed?.hash ?? w.tx?.hash ?? null,
    replaced_tx_hashes: w.replaced.map((t) => t.hash),
    block_number: w.landed?.blockNumber ?? null,
    created: isoTime(w.createdAt),
    updated: isoTime(w.updatedAt),
  };
}

export const presentWithdrawalList = (page: { items: Withdrawal[]; next: string | null }) => ({ withdrawals: page.items.map(presentWithdrawal), next: page.next });
