/**
 * A withdrawal's status changes as signed native webhooks: queued on the postbacks queue and sent
 * by the postback sender (./postbacks.ts deliverPostback), with the same retries, backoff, DLQ,
 * attempt log (in the withdrawal's own partition) and resend as an invoice's postbacks.
 */
import type { Project } from '../domain/project';
import { err, ok, type Result } from '../domain/result';
import type { Withdrawal } from '../domain/withdrawal';
import { newWithdrawalEvents, type WithdrawalEvent, withdrawalEventsOf, withdrawalJobOf } from '../domain/withdrawal-events';
import type { Deps, PostbackAttempt } from '../ports';
import type { AppError } from './errors';
import { messageOf } from './postbacks';

/**
 * Queues the webhooks a withdrawal write adds (`after` has, `before` had not; `before` null for a
 * new withdrawal). Call it *before* the write, with `after` exactly as it will be stored (its
 * `version` included): a crash in between leaves a job whose event the sender does not find on
 * the stored withdrawal (it waits a little, then drops it), never a status change nobody was told
 * about. A job queued for a write that lands later simply waits for it.
 */
export async function notifyWithdrawal(deps: Deps, before: Withdrawal | null, after: Withdrawal): Promise<void> {
  const events = newWithdrawalEvents(before, after);
  if (events.length > 0) await deps.queue.sendMany('postbacks', events.map((e) => messageOf(withdrawalJobOf(after, e))));
}

/** notifyWithdrawal for many writes at once (a mass payout's items): one queue call per ten events. */
export async function notifyWithdrawals(deps: Deps, changes: readonly { before: Withdrawal | null; after: Withdrawal }[]): Promise<void> {
  const messages = changes.flatMap(({ before, after }) => newWithdrawalEvents(before, after).map((e) => messageOf(withdrawalJobOf(after, e))));
  if (messages.length > 0) await deps.queue.sendMany('postbacks', messages);
}

/** Who asks: a project (its API key: its own withdrawals only) or the operator (the admin token: any). */
export type WithdrawalViewer = Project | 'operator';

async function loadWithdrawal(deps: Deps, viewer: WithdrawalViewer, id: string): Promise<Result<Withdrawal, AppError>> {
  const withdrawal = await deps.withdrawals.get(id);
  // Another project's withdrawal reads as not found: ids are not secrets.
  const visible = withdrawal && (viewer === 'operator' || withdrawal.shopId === viewer.shopId);
  return visible ? ok(withdrawal) : err({ kind: 'withdrawal.not_found', id });
}

export type WithdrawalWebhookLogView = { withdrawal: Withdrawal; events: (WithdrawalEvent & { delivered: boolean })[]; attempts: PostbackAttempt[] };

/** The withdrawal's webhook events (whether each was delivered) and every attempt, oldest first. */
export async function withdrawalWebhookLogOf(deps: Deps, viewer: WithdrawalViewer, id: string): Promise<Result<WithdrawalWebhookLogView, AppError>> {
  const found = await loadWithdrawal(deps, viewer, id);
  if (!found.ok) return found;
  const subject = { withdrawalId: found.value.id };
  const events = await Promise.all(withdrawalEventsOf(found.value).map(async (e) => ({ ...e, delivered: await deps.postbackLog.isDelivered(subject, e.id) })));
  return ok({ withdrawal: found.value, events, attempts: await deps.postbackLog.attemptsOf(subject) });
}

/** Queues every webhook event of the withdrawal again, delivered or not (same event ids). A withdrawal always has one: `created`. */
export async function resendWithdrawalWebhooks(deps: Deps, viewer: WithdrawalViewer, id: string): Promise<Result<WithdrawalEvent[], AppError>> {
  const found = await loadWithdrawal(deps, viewer, id);
  if (!found.ok) return found;
  const events = withdrawalEventsOf(found.value);
  await deps.queue.sendMany('postbacks', events.map((e) => messageOf(withdrawalJobOf(found.value, e, true))));
  deps.log.info('postback.resend_queued', { withdrawalId: id, events: events.map((e) => e.id) });
  return ok(events);
}
