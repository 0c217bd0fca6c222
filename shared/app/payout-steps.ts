/**
 * The mass payout workflow's batch-wide steps (lib/workflows/payout-batch.ts): Hold before the
 * legs, Close after them. The legs' own steps are in ./payout-each-leg.ts and
 * ./payout-disperse-leg.ts. Each step reloads the batch and its items and acts only from what it
 * finds, so a step retried after a crash, or run twice, moves nothing twice: a hold is a journal
 * entry keyed by the item, legs are written once, the batch moves on its version.
 */
import { nativeCurrencyOf } from '../domain/currencies';
import { type PayoutBatch, type PayoutBatchStatus, type PayoutItemStatus, type PayoutLeg, type PayoutLegKind, payoutItemStatus, planLegs } from '../domain/payout-batch';
import type { Instant } from '../domain/time';
import { FINAL_WITHDRAWAL_STATUSES, type Withdrawal } from '../domain/withdrawal';
import type { Deps } from '../ports';
import type { FundsOutDeps } from '../ports/funds-out';
import { confirmDisperseLeg, type LegRef, releaseDisperseLeg, sendDisperseLeg, settleDisperseLeg } from './payout-disperse-leg';
import { confirmEachLeg, releaseEachLeg, sendEachLeg, settleEachLeg } from './payout-each-leg';
import { holdStep } from './withdrawal-steps';

type StepDeps = Deps & FundsOutDeps;

/**
 * One hold call's time budget: a 1,000-item batch is a few thousand writes, so the worker (120 s)
 * may need more than one call; each call holds in the merchant's order until the budget is spent
 * and says `holding`, and the workflow calls it again (items already held are skipped).
 */
export const HOLD_BUDGET_MS = 45_000;

export type { LegRef };
export type HoldAnswer = { batchId: string; state: 'holding' } | { batchId: string; state: 'held'; legs: LegRef[] };

async function loadBatch(deps: Deps, id: string): Promise<PayoutBatch> {
  const batch = await deps.payoutBatches.get(id);
  if (!batch) throw new Error(`payout batch ${id} does not exist`);
  return batch;
}

/** Saves a status change of the batch on the version read; another writer winning is retried by the workflow. */
async function moveBatch(deps: Deps, batch: PayoutBatch, to: PayoutBatchStatus, now: Instant): Promise<PayoutBatch> {
  const next: PayoutBatch = { ...batch, status: to, updatedAt: now, version: batch.version + 1 };
  if (!(await deps.payoutBatches.save(next, batch.version))) throw new Error(`payout batch ${batch.id} changed while becoming ${to}; the step is retried`);
  deps.log.info('payout.batch_status', { batchId: batch.id, from: batch.status, to });
  return next;
}

/** Whether `code` on `chain` goes through the chain's disperse contract: a token, where the contract is deployed. */
function disperses(deps: StepDeps): (chain: Withdrawal['chain'], code: string) => boolean {
  return (chain, code) => code !== nativeCurrencyOf(chain).code && deps.senders(chain).disperse !== null;
}

/**
 * Holds every `requested` item, in the merchant's order, with the withdrawal's own hold step: a
 * balance that no longer covers an item fails that item (nothing held) and the next ones are
 * still tried. Then plans the legs over the held items, writes them and marks the batch running.
 * Once running, the legs are read back as written (planning happens once).
 */
export async function holdBatch(deps: StepDeps, batchId: string, budgetMs = HOLD_BUDGET_MS): Promise<HoldAnswer> {
  const started = deps.clock.now();
  let batch = await loadBatch(deps, batchId);
  if (batch.status === 'running' || batch.status === 'completed') return { batchId, state: 'held', legs: legRefs(await deps.payoutBatches.legs(batchId)) };
  if (batch.status !== 'queued') throw new Error(`payout batch ${batchId} is ${batch.status}; only a queued batch is paid`);
  let done = 0;
  for (const w of await deps.payoutBatches.items(batch.itemIds)) {
    if (w.status !== 'requested') continue;
    // At least one hold a call, so the loop always moves.
    if (done > 0 && deps.clock.now() - started >= budgetMs) {
      deps.log.info('payout.batch_holding', { batchId, heldThisCall: done });
      return { batchId, state: 'holding' };
    }
    await holdStep(deps, w.id);
    done += 1;
  }
  const items = await deps.payoutBatches.items(batch.itemIds);
  const held = items.filter((w) => w.status === 'held');
  const legs = planLegs(batchId, held, disperses(deps), deps.clock.now());
  await deps.payoutBatches.putLegs(legs);
  batch = await moveBatch(deps, batch, 'running', deps.clock.now());
  deps.log.info('payout.batch_held', { batchId, items: items.length, held: held.length, failed: items.length - held.length, legs: legs.map((l) => ({ legId: l.id, kind: l.kind, code: l.code, items: l.itemIds.length })) });
  return { batchId, state: 'held', legs: legRefs(legs) };
}

/** In the planner's order (L1, L2, …, L10: by number, not by text). */
const legRefs = (legs: readonly { id: string; batchId: string }[]): LegRef[] =>
  [...legs].sort((a, b) => legNumber(a.id) - legNumber(b.id)).map((l) => ({ batchId: l.batchId, legId: l.id }));
const legNumber = (id: string) => Number(/-L(\d+)$/.exec(id)?.[1] ?? 0);

export type CloseAnswer = { batchId: string; complete: boolean; counts: Record<PayoutItemStatus, number> };

/**
 * After every leg: the batch is `completed` when every item is final (confirmed or failed), with
 * a summary line of the items per status. Items still in flight (a leg that could not prove its
 * transaction will never land) keep their holds and the batch stays running: logged at error
 * level, and the workflow fails for a person to look.
 */
export async function closeBatch(deps: StepDeps, batchId: string): Promise<CloseAnswer> {
  const batch = await loadBatch(deps, batchId);
  const items = await deps.payoutBatches.items(batch.itemIds);
  const counts: Record<PayoutItemStatus, number> = { queued: 0, sent: 0, confirmed: 0, failed: 0 };
  for (const w of items) counts[payoutItemStatus(w)] += 1;
  const inFlight = items.filter((w) => !FINAL_WITHDRAWAL_STATUSES.has(w.status));
  if (inFlight.length > 0) {
    deps.log.error('payout.batch_stuck', { batchId, counts, inFlight: inFlight.slice(0, 50).map((w) => ({ itemId: w.id, status: w.status, txHash: w.tx?.hash })) });
    return { batchId, complete: false, counts };
  }
  if (batch.status !== 'completed') await moveBatch(deps, batch, 'completed', deps.clock.now());
  deps.log.info('payout.batch_completed', { batchId, shopId: batch.shopId, items: items.length, counts });
  return { batchId, complete: true, counts };
}

/** The four steps of a leg, the same for every kind (context-14: sendLeg, confirmLeg, settleLeg, releaseLeg). */
export type LegSteps = {
  send(deps: StepDeps, leg: PayoutLeg): Promise<{ state: 'sent' | 'waiting' }>;
  confirm(deps: StepDeps, leg: PayoutLeg): Promise<{ state: 'landed' | 'pending' }>;
  settle(deps: StepDeps, leg: PayoutLeg): Promise<void>;
  release(deps: StepDeps, leg: PayoutLeg, cause: string): Promise<{ released: boolean }>;
};

const refOf = (leg: PayoutLeg): LegRef => ({ batchId: leg.batchId, legId: leg.id });

/** Which steps pay a leg, by its kind. */
const LEG_STEPS: Record<PayoutLegKind, LegSteps> = {
  each: { send: sendEachLeg, confirm: confirmEachLeg, settle: settleEachLeg, release: releaseEachLeg },
  // The disperse steps take the leg's ids and reload it themselves.
  disperse: {
    send: (deps, leg) => sendDisperseLeg(deps, refOf(leg)),
    confirm: (deps, leg) => confirmDisperseLeg(deps, refOf(leg)),
    settle: (deps, leg) => settleDisperseLeg(deps, refOf(leg)),
    release: (deps, leg, cause) => releaseDisperseLeg(deps, refOf(leg), cause),
  },
};

async function loadLeg(deps: Deps, ref: LegRef): Promise<PayoutLeg> {
  const leg = await deps.payoutBatches.getLeg(ref.batchId, ref.legId);
  if (!leg) throw new Error(`leg ${ref.legId} of payout batch ${ref.batchId} does not exist`);
  return leg;
}

/** The Map iteration's steps: each loads the leg and hands it to its kind's step; the answer carries the leg's ids on. */
export async function sendLeg(deps: StepDeps, ref: LegRef): Promise<LegRef & { state: 'sent' | 'waiting' }> {
  const leg = await loadLeg(deps, ref);
  return { ...ref, ...(await LEG_STEPS[leg.kind].send(deps, leg)) };
}

export async function confirmLeg(deps: StepDeps, ref: LegRef): Promise<LegRef & { state: 'landed' | 'pending' }> {
  const leg = await loadLeg(deps, ref);
  return { ...ref, ...(await LEG_STEPS[leg.kind].confirm(deps, leg)) };
}

export async function settleLeg(deps: StepDeps, ref: LegRef): Promise<LegRef> {
  const leg = await loadLeg(deps, ref);
  await LEG_STEPS[leg.kind].settle(deps, leg);
  return ref;
}

export async function releaseLeg(deps: StepDeps, ref: LegRef, cause: string): Promise<LegRef & { released: boolean }> {
  const leg = await loadLeg(deps, ref);
  deps.log.warn('payout.leg_release', { batchId: ref.batchId, legId: ref.legId, kind: leg.kind, cause });
  return { ...ref, ...(await LEG_STEPS[leg.kind].release(deps, leg, cause)) };
}
