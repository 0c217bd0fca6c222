/**
 * A mass payout's `each` legs (native coins, Tron, chains without the disperse contract): up to
 * EACH_LEG_ITEMS_MAX items, one transfer each, paid by the withdrawal's own steps
 * (./withdrawal-steps.ts) one item after another, so nonces are claimed in order and the same
 * hold, sign, broadcast, confirm, settle and release rules hold for an item as for a withdrawal.
 *
 * Items are independent: an error of one item never stops the others. A step the chain refuses
 * (WithdrawalStopped) releases that item at once. Any other error is tried again a few times in
 * the same call, then the item waits for the leg's next Confirm round (an RPC or DynamoDB blip
 * passes); once it has failed so for ITEM_STALL_MS since the leg was sent (about what a
 * withdrawal's retries allow), it is released. A release acts only on the chain's proof that
 * nothing of the item can land; one that cannot happen yet is tried again the next round. The
 * leg's Confirm rounds drive every item on until each is final (confirmed or failed).
 *
 * Every function reloads the leg's items and is idempotent: a retried step moves nothing twice.
 */
import type { PayoutLeg, PayoutLegStatus } from '../domain/payout-batch';
import { FINAL_WITHDRAWAL_STATUSES, type Withdrawal } from '../domain/withdrawal';
import type { Deps } from '../ports';
import type { FundsOutDeps } from '../ports/funds-out';
import { broadcastStep, confirmStep, releaseStep, settleStep, signStep, WithdrawalStopped } from './withdrawal-steps';

type StepDeps = Deps & FundsOutDeps;

/** Tries of one item's step in one call: a lost DynamoDB race or an RPC blip is absorbed here. */
export const ITEM_ATTEMPTS_MAX = 3;
const ITEM_RETRY_MS = [200, 800];
/**
 * An item whose step keeps failing for another reason than the chain's is released (as far as the
 * chain allows) once it has not moved for this long since the leg was sent: a round or two at the
 * deployed pace, about the 30 s a withdrawal's Task retries allow before its release.
 */
export const ITEM_STALL_MS = 30_000;

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
const describe = (e: unknown) => (e instanceof Error ? `${e.name}: ${e.message}` : String(e));

async function itemsOf(deps: Deps, leg: PayoutLeg): Promise<Withdrawal[]> {
  const items = await deps.payoutBatches.items(leg.itemIds);
  if (items.length !== leg.itemIds.length) throw new Error(`leg ${leg.id}: ${leg.itemIds.length - items.length} of its items do not exist`);
  return items;
}

const isFinal = (w: Withdrawal) => FINAL_WITHDRAWAL_STATUSES.has(w.status);

/** Runs one item's step, tried again on an error the chain did not give; the last error comes back (null: done). */
async function attempt(deps: Deps, w: Withdrawal, step: string, work: () => Promise<unknown>): Promise<unknown | null> {
  for (let i = 0; ; i++) {
    try {
      await work();
      return null;
    } catch (e) {
      if (e instanceof WithdrawalStopped || i + 1 >= ITEM_ATTEMPTS_MAX) return e;
      deps.log.warn('payout.item_step_retry', { itemId: w.id, step, error: describe(e) });
      await sleep(ITEM_RETRY_MS[i] ?? 1000);
    }
  }
}

/**
 * Returns the item's hold unless a transaction of it may still land (then it stays as it is and
 * the next round tries again). Never throws: the other items go on.
 */
async function releaseItem(deps: StepDeps, id: string, cause: string): Promise<void> {
  try {
    const { released } = await releaseStep(deps, id, cause);
    // Failed in the books, yet paid on chain (releaseStep logged withdrawal.paid_after_release): a person squares it.
    if (!released) deps.log.error('payout.item_stuck', { itemId: id, cause });
  } catch (e) {
    deps.log.warn('payout.item_release_deferred', { itemId: id, cause, error: describe(e) });
  }
}

/**
 * Moves one item on as far as it goes now: held → signed → broadcast → (confirm) confirmed.
 * `confirm` false stops at broadcast (the Send step). `sentAt`: when the leg was sent (null in
 * the Send step itself: nothing has stalled yet). Errors are handled per item (see the top).
 */
async function advance(deps: StepDeps, item: Withdrawal, confirm: boolean, sentAt: number | null): Promise<void> {
  let w = item;
  if (w.status === 'held') {
    const error = await attempt(deps, w, 'sign', () => signStep(deps, w.id));
    if (error) return giveUpOrWait(deps, w, 'sign', error, sentAt);
    w = (await deps.withdrawals.get(w.id)) ?? w;
  }
  if (w.status === 'signed') {
    const error = await attempt(deps, w, 'broadcast', () => broadcastStep(deps, w.id));
    if (error) return giveUpOrWait(deps, w, 'broadcast', error, sentAt);
    w = (await deps.withdrawals.get(w.id)) ?? w;
  }
  if (confirm && w.status === 'broadcast') {
    const error = await attempt(deps, w, 'confirm', () => confirmStep(deps, w.id));
    if (error) return giveUpOrWait(deps, w, 'confirm', error, sentAt);
  }
}

/** Released when the chain refused the item or it has not moved for ITEM_STALL_MS since the leg was sent; else tried next round. */
async function giveUpOrWait(deps: StepDeps, w: Withdrawal, step: string, error: unknown, sentAt: number | null): Promise<void> {
  const stalled = sentAt !== null && deps.clock.now() - Math.max(w.updatedAt, sentAt) >= ITEM_STALL_MS;
  if (error instanceof WithdrawalStopped || stalled) return releaseItem(deps, w.id, describe(error));
  deps.log.warn('payout.item_waits', { itemId: w.id, step, error: describe(error) });
}

/** Records how far the leg got, for the operator's view; a lost race only means another call recorded it. */
async function markLeg(deps: Deps, leg: PayoutLeg, status: PayoutLegStatus, reason: string | null = null): Promise<void> {
  const current = (await deps.payoutBatches.getLeg(leg.batchId, leg.id)) ?? leg;
  if (current.status === status) return;
  const next: PayoutLeg = { ...current, status, reason: reason ?? current.reason, updatedAt: deps.clock.now(), version: current.version + 1 };
  if (await deps.payoutBatches.saveLeg(next, current.version)) deps.log.info('payout.leg_status', { legId: leg.id, from: current.status, to: status });
}

/** Signs and sends every held item, one after another (each stored before it is sent). Never waits: `sent`. */
export async function sendEachLeg(deps: StepDeps, leg: PayoutLeg): Promise<{ state: 'sent' | 'waiting' }> {
  for (const w of await itemsOf(deps, leg)) await advance(deps, w, false, null);
  await markLeg(deps, leg, 'broadcast');
  return { state: 'sent' };
}

/**
 * One round: every item not final yet is moved on (sent again, fee bumped, confirmed, released
 * when the chain refused it). `landed` once every item is confirmed or failed.
 */
export async function confirmEachLeg(deps: StepDeps, leg: PayoutLeg): Promise<{ state: 'landed' | 'pending' }> {
  // The leg's updatedAt is when Send marked it broadcast (later marks end the rounds).
  const sentAt = leg.status === 'pending' ? null : leg.updatedAt;
  for (const w of await itemsOf(deps, leg)) if (!isFinal(w)) await advance(deps, w, true, sentAt);
  const items = await itemsOf(deps, leg);
  if (!items.every(isFinal)) return { state: 'pending' };
  await markLeg(deps, leg, 'confirmed');
  return { state: 'landed' };
}

/** Books every confirmed item (sent, fee, gas: each entry posted once). Failed items were released when they failed. */
export async function settleEachLeg(deps: StepDeps, leg: PayoutLeg): Promise<void> {
  const items = await itemsOf(deps, leg);
  const open = items.filter((w) => !isFinal(w));
  if (open.length > 0) throw new Error(`leg ${leg.id}: items ${open.map((w) => `${w.id} (${w.status})`).join(', ')} are not final; only a confirmed leg settles`);
  for (const w of items) if (w.status === 'confirmed') await settleStep(deps, w.id);
  await markLeg(deps, leg, 'settled');
}

/**
 * The leg's error path (a step kept failing): every item not final is released where the chain
 * proves nothing of it can land, settled if it landed after all. `released` only when every item
 * is final; otherwise the rest keep their holds (payout.leg_stuck) and the batch's Close reports them.
 */
export async function releaseEachLeg(deps: StepDeps, leg: PayoutLeg, cause: string): Promise<{ released: boolean }> {
  for (const w of await itemsOf(deps, leg)) if (!isFinal(w)) await releaseItem(deps, w.id, cause);
  const open = (await itemsOf(deps, leg)).filter((w) => !isFinal(w));
  if (open.length > 0) {
    deps.log.error('payout.leg_stuck', { batchId: leg.batchId, legId: leg.id, cause, inFlight: open.map((w) => ({ itemId: w.id, status: w.status, txHash: w.tx?.hash })) });
    return { released: false };
  }
  await markLeg(deps, leg, 'failed', cause.slice(0, 300));
  return { released: true };
}
