/**
 * Automatic withdrawal rules: per project and currency at most one, always to a saved withdrawal
 * wallet, fired either by amount (the available balance is worth at least a USD threshold:
 * withdraw all of it) or by schedule (daily, weekly on a weekday, monthly on a day 1–28, at a
 * local time in the project's IANA time zone). Pure: the time is passed in, zone math is Intl's.
 *
 * Never twice (issue 14 §2):
 * - By amount, a rule is `armed` while it may fire. Firing disarms it; it is armed again only
 *   once an evaluation sees the balance worth less than the threshold. One crossing, one firing.
 *   Its firing key is `crossing-<n>`, n counting its firings.
 * - By schedule, the firing key is the scheduled instant (ISO 8601, UTC). A rule fires only the
 *   latest scheduled instant at or before now, only if that instant is at or after `since` (the
 *   rule's creation, its last trigger change or its last switch-on) and after the last instant it
 *   fired, and only within SCHEDULE_GRACE_MS of it:
 *
 *     since        09:00 (scheduled)      09:00 + 6 h
 *       |--------------|=========================|----------->
 *                      fires once in here          missed: skipped, the next time fires
 *
 *   Missed times (the evaluator down for hours) therefore fire at most once, late by at most the grace.
 * - A claimed firing is `pending` until its withdrawal is requested (or refused): an evaluator
 *   that dies in between leaves it for the next run, which requests it again under the same
 *   idempotency claim, so nothing is created twice.
 */
import { compareRatio, type Decimal, formatDecimal, parseDecimal, type Ratio, ratioOf } from './money';
import { err, ok, type Result } from './result';
import { DAY_MS, HOUR_MS, type Instant, isoTime } from './time';

/** How late a scheduled time may still fire (the schedule runs every minute; this covers an outage of a few hours). */
export const SCHEDULE_GRACE_MS = 6 * HOUR_MS;
/** A pending firing older than this is given up (logged) rather than requested late. */
export const PENDING_FIRING_MAX_MS = SCHEDULE_GRACE_MS;
/** Thresholds above this are refused as malformed (no balance is near it). */
export const THRESHOLD_USD_MAX = 1_000_000_000n;
/** Monthly rules run on days 1–28: every month has them. */
export const MONTH_DAY_MAX = 28;

export const WEEKDAYS = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'] as const;
export type Weekday = (typeof WEEKDAYS)[number];
export const SCHEDULE_PERIODS = ['daily', 'weekly', 'monthly'] as const;
export type SchedulePeriod = (typeof SCHEDULE_PERIODS)[number];

/** A wall-clock time of day in the project's zone. */
export type LocalTime = { hour: number; minute: number };

export type RuleSchedule =
  | { every: 'daily'; at: LocalTime }
  | { every: 'weekly'; weekday: Weekday; at: LocalTime }
  | { every: 'monthly'; day: number; at: LocalTime };

export type RuleTrigger = { kind: 'amount'; thresholdUsd: Decimal } | { kind: 'schedule'; schedule: RuleSchedule };

/** What became of a firing: the withdrawal it requested, or why none was. */
export type FiringOutcome = { key: string; at: Instant; withdrawalId: string | null; skipped: string | null };

export type WithdrawalRule = {
  /** `wr_` + 24 characters. */
  id: string;
  shopId: string;
  /** The currency withdrawn: the wallet's. One rule per project and currency. */
  code: string;
  walletId: string;
  trigger: RuleTrigger;
  /** Switched on: evaluated every minute. Off: kept, never fires. */
  enabled: boolean;
  /** By amount: may fire now; false from a firing until the balance is seen below the threshold. */
  armed: boolean;
  /** Firings claimed so far (the amount key's number). */
  firings: number;
  /** No scheduled time before this fires: the creation, the last trigger change or the last switch-on. */
  since: Instant;
  /** By schedule: the last scheduled instant claimed (a firing key), null before the first. */
  lastScheduledAt: Instant | null;
  /** A claimed firing whose withdrawal is not yet requested: the next evaluation finishes it. */
  pending: { key: string; claimedAt: Instant } | null;
  lastOutcome: FiringOutcome | null;
  createdAt: Instant;
  updatedAt: Instant;
  version: number;
};

export type RuleProblem = { field: string; message: string };

// ---------------------------------------------------------------- validation

/** The trigger as the wire carries it (flat): every field optional, checked here. */
export type TriggerInput = {
  trigger?: string;
  thresholdUsd?: string;
  every?: string;
  weekday?: string;
  day?: string | number;
  time?: string;
};

const problem = (field: string, message: string): Result<never, RuleProblem> => err({ field, message });

/** `HH:MM`, 00:00 to 23:59. */
export function parseLocalTime(text: string): LocalTime | null {
  const m = /^(\d{1,2}):(\d{2})$/.exec(text.trim());
  if (!m) return null;
  const hour = Number(m[1]);
  const minute = Number(m[2]);
  return hour <= 23 && minute <= 59 ? { hour, minute } : null;
}

export const formatLocalTime = (t: LocalTime) => `${String(t.hour).padStart(2, '0')}:${String(t.minute).padStart(2, '0')}`;

function parseWeekday(text: string): Weekday | null {
  const t = text.trim().toLowerCase();
  return WEEKDAYS.find((d) => d === t || (t.length >= 3 && d.startsWith(t))) ?? null;
}

/**
 * A trigger from its wire fields. `minThresholdUsd`: the currency's network fee in USD; a
 * threshold at or below it could only ever withdraw nothing.
 */
export function parseTrigger(input: TriggerInput, minThresholdUsd: Decimal): Result<RuleTrigger, RuleProblem> {
  const kind = input.trigger?.trim().toLowerCase();
  if (kind === 'amount') {
    for (const f of ['every', 'weekday', 'day', 'time'] as const) if (input[f] !== undefined) return problem(f === 'time' ? 'time' : f, `${f} belongs to a schedule; an amount rule has only threshold_usd`);
    if (input.thresholdUsd === undefined) return problem('threshold_usd', 'threshold_usd is required for an amount rule: the USD worth of the available balance at which all of it is withdrawn, such as 500');
    const parsed = parseDecimal(input.thresholdUsd);
    if (!parsed.ok || parsed.value.units <= 0n) return problem('threshold_usd', 'threshold_usd must be a positive number of US dollars, such as 500 or 250.50');
    if (parsed.value.scale > 2) return problem('threshold_usd', 'threshold_usd has more than 2 decimals (cents)');
    if (compareRatio(ratioOf(parsed.value), { num: THRESHOLD_USD_MAX, den: 1n }) > 0) return problem('threshold_usd', `threshold_usd must be at most ${THRESHOLD_USD_MAX} USD`);
    if (compareRatio(ratioOf(parsed.value), ratioOf(minThresholdUsd)) <= 0) {
      return problem('threshold_usd', `threshold_usd must be more than the network fee of ${formatDecimal(minThresholdUsd)} USD, or every withdrawal would be eaten by the fee`);
    }
    return ok({ kind: 'amount', thresholdUsd: parsed.value });
  }
  if (kind === 'schedule') {
    if (input.thresholdUsd !== undefined) return problem('threshold_usd', 'threshold_usd belongs to an amount rule; a schedule rule has every, weekday or day, and time');
    const every = input.every?.trim().toLowerCase();
    if (!every || !(SCHEDULE_PERIODS as readonly string[]).includes(every)) return problem('every', `every must be one of ${SCHEDULE_PERIODS.join(', ')}`);
    if (input.time === undefined) return problem('time', 'time is required: the local time of day in the project\'s time zone, HH:MM (24 h), such as 09:30');
    const at = parseLocalTime(input.time);
    if (!at) return problem('time', 'time must be HH:MM (24 h) from 00:00 to 23:59, such as 09:30');
    if (every === 'daily') {
      if (input.weekday !== undefined) return problem('weekday', 'weekday belongs to a weekly schedule');
      if (input.day !== undefined) return problem('day', 'day belongs to a monthly schedule');
      return ok({ kind: 'schedule', schedule: { every: 'daily', at } });
    }
    if (every === 'weekly') {
      if (input.day !== undefined) return problem('day', 'day belongs to a monthly schedule; a weekly one has weekday');
      const weekday = input.weekday === undefined ? null : parseWeekday(input.weekday);
      if (!weekday) return problem('weekday', `weekday is required for a weekly schedule: one of ${WEEKDAYS.join(', ')}`);
      return ok({ kind: 'schedule', schedule: { every: 'weekly', weekday, at } });
    }
    if (input.weekday !== undefined) return problem('weekday', 'weekday belongs to a weekly schedule; a monthly one has day');
    const day = typeof input.day === 'number' ? input.day : input.day === undefined ? Number.NaN : /^\d{1,2}$/.test(input.day.trim()) ? Number(input.day.trim()) : Number.NaN;
    if (!Number.isInteger(day) || day < 1 || day > MONTH_DAY_MAX) return problem('day', `day must be a whole number from 1 to ${MONTH_DAY_MAX} (every month has these days)`);
    return ok({ kind: 'schedule', schedule: { every: 'monthly', day, at } });
  }
  return problem('trigger', 'trigger must be amount (when the available balance reaches threshold_usd) or schedule (every daily, weekly or monthly at a time)');
}

/** A readable line: `when worth ≥ 500 USD`, `weekly on monday at 09:30 Europe/Berlin`. */
export function describeTrigger(t: RuleTrigger, zone: string): string {
  if (t.kind === 'amount') return `when the available balance is worth ${formatDecimal(t.thresholdUsd)} USD or more`;
  const s = t.schedule;
  const when = s.every === 'daily' ? 'daily' : s.every === 'weekly' ? `weekly on ${s.weekday}` : `monthly on day ${s.day}`;
  return `${when} at ${formatLocalTime(s.at)} ${zone}`;
}

// ---------------------------------------------------------------- lifecycle

export function newWithdrawalRule(input: { id: string; shopId: string; code: string; walletId: string; trigger: RuleTrigger; enabled: boolean; now: Instant }): WithdrawalRule {
  return {
    id: input.id,
    shopId: input.shopId,
    code: input.code,
    walletId: input.walletId,
    trigger: input.trigger,
    enabled: input.enabled,
    armed: true,
    firings: 0,
    since: input.now,
    lastScheduledAt: null,
    pending: null,
    lastOutcome: null,
    createdAt: input.now,
    updatedAt: input.now,
    version: 1,
  };
}

/**
 * A merchant's change. A new trigger, or switching on, starts afresh: armed again, and no
 * scheduled time before now fires. A pending firing is kept (it finishes under its own key).
 */
export function changedWithdrawalRule(rule: WithdrawalRule, change: { walletId?: string; trigger?: RuleTrigger; enabled?: boolean }, now: Instant): WithdrawalRule {
  const restart = change.trigger !== undefined || (change.enabled === true && !rule.enabled);
  return {
    ...rule,
    walletId: change.walletId ?? rule.walletId,
    trigger: change.trigger ?? rule.trigger,
    enabled: change.enabled ?? rule.enabled,
    ...(restart ? { armed: true, since: now } : {}),
    updatedAt: now,
    version: rule.version + 1,
  };
}

// ---------------------------------------------------------------- what is due

/** The evaluator's view of one rule at `now`: the zone, and (amount rules) what the available balance is worth. */
export type DueContext = { now: Instant; zone: string; availableUsd: Ratio | null };

/**
 * The firing key due now, or null. By amount: armed and worth at least the threshold (null
 * while the worth is unknown). By schedule: the latest scheduled instant, when it may fire (see
 * the timeline above). A rule that is off, or has a firing pending, has nothing new due.
 */
export function firingDue(rule: WithdrawalRule, ctx: DueContext): string | null {
  if (!rule.enabled || rule.pending) return null;
  if (rule.trigger.kind === 'amount') {
    if (!rule.armed || ctx.availableUsd === null) return null;
    return compareRatio(ctx.availableUsd, ratioOf(rule.trigger.thresholdUsd)) >= 0 ? `crossing-${rule.firings + 1}` : null;
  }
  const at = latestOccurrence(rule.trigger.schedule, ctx.zone, ctx.now);
  if (at === null || at < rule.since || (rule.lastScheduledAt !== null && at <= rule.lastScheduledAt)) return null;
  return ctx.now - at <= SCHEDULE_GRACE_MS ? isoTime(at) : null;
}

/**
 * By schedule: the latest scheduled time, when it may no longer fire because the grace passed
 * and it was never claimed (the evaluator was down). Claimed as skipped, so it is reported once.
 */
export function missedFiring(rule: WithdrawalRule, ctx: DueContext): string | null {
  if (!rule.enabled || rule.pending || rule.trigger.kind !== 'schedule') return null;
  const at = latestOccurrence(rule.trigger.schedule, ctx.zone, ctx.now);
  if (at === null || at < rule.since || (rule.lastScheduledAt !== null && at <= rule.lastScheduledAt)) return null;
  return ctx.now - at > SCHEDULE_GRACE_MS ? isoTime(at) : null;
}

/** By amount, disarmed and now seen below the threshold: arm it for the next crossing. */
export function shouldRearm(rule: WithdrawalRule, availableUsd: Ratio | null): boolean {
  if (rule.trigger.kind !== 'amount' || rule.armed || availableUsd === null) return false;
  return compareRatio(availableUsd, ratioOf(rule.trigger.thresholdUsd)) < 0;
}

export const rearmedRule = (rule: WithdrawalRule, now: Instant): WithdrawalRule => ({ ...rule, armed: true, updatedAt: now, version: rule.version + 1 });

/** The claim of a firing (written conditional on the version read: two evaluators, one claim). */
export function claimedRule(rule: WithdrawalRule, key: string, now: Instant): WithdrawalRule {
  const scheduled = rule.trigger.kind === 'schedule' ? Date.parse(key) : null;
  return {
    ...rule,
    armed: false,
    firings: rule.firings + 1,
    lastScheduledAt: scheduled ?? rule.lastScheduledAt,
    pending: { key, claimedAt: now },
    updatedAt: now,
    version: rule.version + 1,
  };
}

/** The firing done: its withdrawal requested, or skipped with the reason. */
export function finishedRule(rule: WithdrawalRule, outcome: FiringOutcome): WithdrawalRule {
  return { ...rule, pending: null, lastOutcome: outcome, updatedAt: outcome.at, version: rule.version + 1 };
}

/** The idempotency claim of a firing's withdrawal: the same rule and key can create one withdrawal, ever. */
export const firingClaim = (rule: Pick<WithdrawalRule, 'id'>, key: string) => ({ keyHash: `rule_${rule.id}_${key}`, requestHash: `rule:${rule.id}:${key}` });

/** When a schedule rule fires next (for display), null for amount rules and rules that are off. */
export function nextRunAt(rule: WithdrawalRule, zone: string, now: Instant): Instant | null {
  if (!rule.enabled || rule.trigger.kind !== 'schedule') return null;
  const after = Math.max(now, rule.since - 1, rule.lastScheduledAt ?? Number.NEGATIVE_INFINITY);
  return nextOccurrence(rule.trigger.schedule, zone, after);
}

// ---------------------------------------------------------------- zone math (Intl)

type Wall = { year: number; month: number; day: number; hour: number; minute: number; second: number };

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone: zone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' });
    formatters.set(zone, f);
  }
  return f;
}

/** The wall clock in `zone` at `at`. */
export function wallClock(zone: string, at: Instant): Wall {
  const parts: Record<string, number> = {};
  for (const p of formatter(zone).formatToParts(new Date(at))) if (p.type !== 'literal') parts[p.type] = Number(p.value);
  return { year: parts.year, month: parts.month, day: parts.day, hour: parts.hour % 24, minute: parts.minute, second: parts.second };
}

/** The zone's offset from UTC at `at`, in ms (east positive). */
function offsetAt(zone: string, at: Instant): number {
  const w = wallClock(zone, at);
  return Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second) - (at - (((at % 1000) + 1000) % 1000));
}

/**
 * The instant of a wall time in `zone`. A time that happens twice (the autumn change) is its
 * first; a time that does not happen (the spring gap) is moved forward by the gap (02:30 in a
 * 02:00→03:00 change is 03:30), as Temporal's `compatible` disambiguation does.
 */
export function zonedInstant(zone: string, date: { year: number; month: number; day: number }, at: LocalTime): Instant {
  const local = Date.UTC(date.year, date.month - 1, date.day, at.hour, at.minute);
  const before = offsetAt(zone, local - DAY_MS);
  const after = offsetAt(zone, local + DAY_MS);
  const fits = [local - before, local - after].filter((t) => t + offsetAt(zone, t) === local);
  return fits.length > 0 ? Math.min(...fits) : local - before;
}

const WEEKDAY_OF_UTC_DAY: readonly Weekday[] = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];

/** The calendar date `offsetDays` from the given one. */
function shiftDate(d: { year: number; month: number; day: number }, offsetDays: number) {
  const t = new Date(Date.UTC(d.year, d.month - 1, d.day) + offsetDays * DAY_MS);
  return { year: t.getUTCFullYear(), month: t.getUTCMonth() + 1, day: t.getUTCDate(), weekday: WEEKDAY_OF_UTC_DAY[t.getUTCDay()] };
}

const onDate = (s: RuleSchedule, d: { day: number; weekday: Weekday }) => s.every === 'daily' || (s.every === 'weekly' ? s.weekday === d.weekday : s.day === d.day);

/** Days searched around a date: a monthly schedule recurs within 31 days; one more for the zone's date line. */
const SEARCH_DAYS = 33;

/** The latest scheduled instant at or before `now`. */
export function latestOccurrence(s: RuleSchedule, zone: string, now: Instant): Instant | null {
  const today = wallClock(zone, now);
  for (let i = 0; i <= SEARCH_DAYS; i += 1) {
    const d = shiftDate(today, -i);
    if (!onDate(s, d)) continue;
    const at = zonedInstant(zone, d, s.at);
    if (at <= now) return at;
  }
  return null;
}

/** The first scheduled instant after `after`. */
export function nextOccurrence(s: RuleSchedule, zone: string, after: Instant): Instant | null {
  const today = wallClock(zone, after);
  for (let i = -1; i <= SEARCH_DAYS; i += 1) {
    const d = shiftDate(today, i);
    if (!onDate(s, d)) continue;
    const at = zonedInstant(zone, d, s.at);
    if (at > after) return at;
  }
  return null;
}
