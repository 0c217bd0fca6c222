/** The native mass payout API's wire shapes (/api/payouts/batches and `tollgate payout batch`). */
import * as z from 'zod';
import { findCrypto } from '../../domain/currencies';
import { formatDecimal, fromUnits } from '../../domain/money';
import { BATCH_ITEMS_MAX, type PayoutBatch, type PayoutItemStatus, payoutItemStatus } from '../../domain/payout-batch';
import { isoTime } from '../../domain/time';
import type { Withdrawal } from '../../domain/withdrawal';

/** A 1,000-item body is about 150 KB: the create routes take up to 512 KiB (lib/manifest.ts routeBodyBytesMax). */
export const BATCHES_PER_PAGE_MAX = 100;

/** Text as sent; a number (an amount written as a JSON number) as its text; anything else is missing (null). */
const text = z.unknown().transform((v) => (typeof v === 'string' ? v : typeof v === 'number' && Number.isFinite(v) ? String(v) : null));

/** One payout; its fields are checked by the use case, so that every bad item is reported at once. */
const BatchItem = z.unknown().transform((v) => {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return null;
  const o = v as Record<string, unknown>;
  return { currency: text.parse(o.currency), toAddress: text.parse(o.to_address), amount: text.parse(o.amount), reference: text.parse(o.reference) };
});

export const CreatePayoutBatchRequest = z.object({
  items: z
    .array(BatchItem, { error: `items is required: a list of 1 to ${BATCH_ITEMS_MAX} payouts, each {currency, to_address, amount, reference}` })
    .min(1, `items is empty: a batch has 1 to ${BATCH_ITEMS_MAX} payouts`)
    .max(BATCH_ITEMS_MAX, `items has more than ${BATCH_ITEMS_MAX} payouts; a batch takes at most ${BATCH_ITEMS_MAX} (split it)`),
});

export const ApprovePayoutBatchRequest = z.object({
  code: z.string({ error: 'code is required: a fresh code of the project\'s second factor (or a recovery code)' }).trim().min(1).max(64),
});

export const listPayoutBatchesQuery = z.object({
  limit: z.coerce.number().int().min(1, 'limit must be 1 or more').max(BATCHES_PER_PAGE_MAX, `limit must be at most ${BATCHES_PER_PAGE_MAX}`).default(20),
  cursor: z.string().max(200).regex(/^[A-Za-z0-9_-]+$/, 'cursor must be the `next` of an earlier page').optional(),
});

const units = (code: string, u: bigint) => formatDecimal(fromUnits(u, findCrypto(code)?.decimals ?? 0));

export function presentPayoutItem(w: Withdrawal) {
  return {
    index: w.batch?.index ?? 0,
    id: w.id,
    reference: w.batch?.reference ?? null,
    currency: w.code,
    to_address: w.toAddress,
    amount: units(w.code, w.amount),
    fee: units(w.code, w.fee),
    send_amount: units(w.code, w.sendAmount),
    status: payoutItemStatus(w),
    reason: w.reason,
    tx_hash: w.landed?.hash ?? w.tx?.hash ?? null,
  };
}

/** The batch; with its items (show, create, approve), or without (list). */
export function presentPayoutBatch(batch: PayoutBatch, items?: readonly Withdrawal[]) {
  const counts: Record<PayoutItemStatus, number> = { queued: 0, sent: 0, confirmed: 0, failed: 0 };
  for (const w of items ?? []) counts[payoutItemStatus(w)] += 1;
  return {
    id: batch.id,
    status: batch.status,
    source: batch.source,
    item_count: batch.itemIds.length,
    usd: formatDecimal(fromUnits(batch.usdCents, 2)),
    totals: batch.totals.map((t) => ({ currency: t.code, amount: units(t.code, t.amount), fee: units(t.code, t.fee) })),
    approval: { required: batch.approval.required, approved_at: batch.approval.approvedAt === null ? null : isoTime(batch.approval.approvedAt) },
    created: isoTime(batch.createdAt),
    updated: isoTime(batch.updatedAt),
    ...(items ? { item_statuses: counts, items: items.map(presentPayoutItem) } : {}),
  };
}

export const presentPayoutBatchList = (page: { items: PayoutBatch[]; next: string | null }) => ({ batches: page.items.map((b) => presentPayoutBatch(b)), next: page.next });
