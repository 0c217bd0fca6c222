/**
 * A mass payout (funds-out part 2): up to 1,000 items, each a withdrawal of its own (source
 * `batch`, `Withdrawal.batch` set), held up front and paid in legs. Pure rules only; the batch
 * workflow (lib/workflows/payout-batch.ts) runs the legs, the ledger port writes the entries.
 *
 *   creating ─▶ awaiting_approval ─approve (TOTP)─▶ queued ─▶ running ─▶ completed
 *      │ └──────────────────────────────────────────▶ queued
 *      └─▶ abandoned   (final: some reference was taken by another batch while this one was
 *                       written; its items and reference claims were given back, nothing paid)
 *
 * A leg is what one Map iteration pays: on an EVM chain with the disperse contract, every token
 * item of one currency in one transaction (chunks of DISPERSE_RECIPIENTS_MAX); otherwise a few
 * items, one transfer each.
 */
import type { ChainId } from './currencies';
import type { Instant } from './time';
import type { SignedTransfer, Withdrawal } from './withdrawal';

export const BATCH_ITEMS_MAX = 1_000;
/** One disperse transaction pays at most this many: ~30k gas each keeps it under 10M gas, well inside any block. */
export const DISPERSE_RECIPIENTS_MAX = 250;
/** Items paid one transfer each run this many to a leg, one after another: a Map iteration's history stays short. */
export const EACH_LEG_ITEMS_MAX = 25;
/** Legs paid at the same time (the Map state's MaxConcurrency). */
export const BATCH_LEG_CONCURRENCY = 4;
/** A merchant's reference of an item: printable, at most this long, unique in the project. */
export const ITEM_REFERENCE_LENGTH_MAX = 100;

export type PayoutBatchStatus = 'creating' | 'awaiting_approval' | 'queued' | 'running' | 'completed' | 'abandoned';
export type PayoutItemStatus = 'queued' | 'sent' | 'confirmed' | 'failed';

export type PayoutBatch = {
  /** `PB-` + 8 characters; also the workflow execution's name. */
  id: string;
  shopId: string;
  status: PayoutBatchStatus;
  /** Item ids in the merchant's order (`<batch id>-<index, 4 digits>`). */
  itemIds: string[];
  /** What the batch moves, per currency, in base units: sent amounts and network fees. */
  totals: { code: string; amount: bigint; fee: bigint }[];
  /** The batch's worth when created, in US cents: above the project's threshold it needs approval. */
  usdCents: bigint;
  approval: { required: boolean; approvedAt: Instant | null };
  source: 'native_api' | 'cli';
  createdAt: Instant;
  updatedAt: Instant;
  version: number;
};

/** How an item's withdrawal status reads in a batch (issue: queued, sent, confirmed, failed). */
export function payoutItemStatus(w: Withdrawal): PayoutItemStatus {
  switch (w.status) {
    case 'requested':
    case 'held':
      return 'queued';
    case 'signed':
    case 'broadcast':
      return 'sent';
    case 'confirmed':
      return 'confirmed';
    default:
      return 'failed';
  }
}

export const batchItemId = (batchId: string, index: number): string => `${batchId}-${String(index).padStart(4, '0')}`;

export type PayoutLegKind = 'disperse' | 'each';
export type PayoutLegStatus = 'pending' | 'approving' | 'signed' | 'broadcast' | 'confirmed' | 'settled' | 'failed';

/** What one Map iteration pays. A `disperse` leg carries its one transaction; an `each` leg's items carry their own. */
export type PayoutLeg = {
  /** `<batch id>-L<n>`. */
  id: string;
  batchId: string;
  shopId: string;
  chain: ChainId;
  code: string;
  kind: PayoutLegKind;
  itemIds: string[];
  status: PayoutLegStatus;
  /** disperse: the hot wallet's approve() of the contract for the token, when its allowance was short. */
  approval: SignedTransfer | null;
  /** disperse: the approvals `approval` replaced at the same nonce (fee bumps), any of which may be the one that lands. */
  replacedApprovals: SignedTransfer[];
  tx: SignedTransfer | null;
  replaced: SignedTransfer[];
  landed: { hash: string; blockNumber: number } | null;
  reason: string | null;
  createdAt: Instant;
  updatedAt: Instant;
  version: number;
};

/**
 * Splits the held items into legs, in the merchant's order: token items on a chain with the
 * disperse contract go together per currency; the rest (native coins, Tron, chains without the
 * contract) go a few to a leg, one transfer each.
 */
export function planLegs(batchId: string, items: readonly Withdrawal[], canDisperse: (chain: ChainId, code: string) => boolean, at: Instant): PayoutLeg[] {
  const groups = new Map<string, { chain: ChainId; code: string; kind: PayoutLegKind; ids: string[] }>();
  for (const w of items) {
    const kind: PayoutLegKind = canDisperse(w.chain, w.code) ? 'disperse' : 'each';
    const key = `${kind}:${w.chain}:${w.code}`;
    const group = groups.get(key) ?? { chain: w.chain, code: w.code, kind, ids: [] };
    group.ids.push(w.id);
    groups.set(key, group);
  }
  const legs: PayoutLeg[] = [];
  for (const g of groups.values()) {
    const size = g.kind === 'disperse' ? DISPERSE_RECIPIENTS_MAX : EACH_LEG_ITEMS_MAX;
    for (let i = 0; i < g.ids.length; i += size) {
      legs.push({
        id: `${batchId}-L${legs.length + 1}`,
        batchId,
        shopId: items[0]?.shopId ?? '',
        chain: g.chain,
        code: g.code,
        kind: g.kind,
        itemIds: g.ids.slice(i, i + size),
        status: 'pending',
        approval: null,
        replacedApprovals: [],
        tx: null,
        replaced: [],
        landed: null,
        reason: null,
        createdAt: at,
        updatedAt: at,
        version: 1,
      });
    }
  }
  return legs;
}
