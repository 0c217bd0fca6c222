/**
 * What a merchant is told about a withdrawal, derived from the stored withdrawal alone, as
 * invoice postbacks are from the invoice (./postbacks.ts): the workflow queues exactly the events
 * a write adds, the sender sends only events the stored withdrawal really has, and resend
 * re-derives the same events with the same ids.
 *
 * Statuses only move forward (./withdrawal.ts), so the statuses a withdrawal went through are
 * read off its status and its tx/landed/reason fields; the events of a later version are always
 * a superset of an earlier one's.
 */
import type { Withdrawal } from './withdrawal';

/** One per status a merchant acts on; `held` and `signed` are internal steps. */
export const WITHDRAWAL_EVENT_KINDS = ['withdrawal.created', 'withdrawal.broadcast', 'withdrawal.confirmed', 'withdrawal.failed', 'withdrawal.canceled'] as const;
export type WithdrawalEventKind = (typeof WITHDRAWAL_EVENT_KINDS)[number];

export type WithdrawalEvent = {
  /** `<withdrawal id>:<created|broadcast|confirmed|failed|canceled>`: stable across retries and resends, merchants de-duplicate on it. */
  id: string;
  kind: WithdrawalEventKind;
};

const eventOf = (w: Withdrawal, kind: WithdrawalEventKind): WithdrawalEvent => ({ id: `${w.id}:${kind.slice('withdrawal.'.length)}`, kind });

/**
 * Whether a transaction of this withdrawal may have reached the network. `broadcast` and
 * `confirmed` say so outright (`confirmed` may come straight from `signed` when the broadcast's
 * own write was lost). A failed withdrawal that holds a signed transaction, or replaced one (a
 * fee bump happens only after a broadcast), may have sent it: the merchant is told its hash.
 */
const wasBroadcast = (w: Withdrawal): boolean =>
  w.status === 'broadcast' || w.status === 'confirmed' || (w.status === 'failed' && (w.tx !== null || w.replaced.length > 0));

/** The events the withdrawal has reached, in the order they happened. */
export function withdrawalEventsOf(w: Withdrawal): WithdrawalEvent[] {
  // Every stored withdrawal was requested.
  const events = [eventOf(w, 'withdrawal.created')];
  if (wasBroadcast(w)) events.push(eventOf(w, 'withdrawal.broadcast'));
  if (w.status === 'confirmed') events.push(eventOf(w, 'withdrawal.confirmed'));
  if (w.status === 'failed') events.push(eventOf(w, 'withdrawal.failed'));
  if (w.status === 'canceled') events.push(eventOf(w, 'withdrawal.canceled'));
  return events;
}

/** Events `after` has that `before` did not: what a write adds (`before` null: the withdrawal is new). */
export function newWithdrawalEvents(before: Withdrawal | null, after: Withdrawal): WithdrawalEvent[] {
  const had = new Set((before ? withdrawalEventsOf(before) : []).map((e) => e.id));
  return withdrawalEventsOf(after).filter((e) => !had.has(e.id));
}

/**
 * A postbacks-queue job about a withdrawal (invoice jobs carry no `subject`). `version` is the
 * withdrawal version whose write adds the event: jobs are queued just before that write, so a
 * sender that finds an older version (or no withdrawal yet) waits for it rather than dropping it.
 */
export type WithdrawalPostbackJob = { subject: 'withdrawal'; eventId: string; withdrawalId: string; shopId: string; kind: WithdrawalEventKind; version: number; force: boolean };

export const withdrawalJobOf = (w: Withdrawal, event: WithdrawalEvent, force = false): WithdrawalPostbackJob => ({
  subject: 'withdrawal',
  eventId: event.id,
  withdrawalId: w.id,
  shopId: w.shopId,
  kind: event.kind,
  version: w.version,
  force,
});
