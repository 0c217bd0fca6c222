/** The due computation of automatic withdrawal rules: zones and DST, weekly and monthly, never twice, re-arming. */
import { describe, expect, it } from 'vitest';
import { ratio } from '../../shared/domain/money';
import {
  claimedRule,
  changedWithdrawalRule,
  finishedRule,
  firingDue,
  latestOccurrence,
  missedFiring,
  newWithdrawalRule,
  nextOccurrence,
  parseTrigger,
  type RuleTrigger,
  SCHEDULE_GRACE_MS,
  shouldRearm,
  type WithdrawalRule,
  zonedInstant,
  rearmedRule,
} from '../../shared/domain/withdrawal-rule';
import { HOUR_MS, MINUTE_MS } from '../../shared/domain/time';

const FEE_USD = { units: 100n, scale: 2 }; // 1.00 USD
const at = (iso: string) => Date.parse(iso);
const usd = (n: number) => ratio(BigInt(Math.round(n * 100)), 100n);

function trigger(input: Parameters<typeof parseTrigger>[0]): RuleTrigger {
  const t = parseTrigger(input, FEE_USD);
  if (!t.ok) throw new Error(t.error.message);
  return t.value;
}

const rule = (t: RuleTrigger, created: number): WithdrawalRule => newWithdrawalRule({ id: 'wr_TEST', shopId: 'SHOP', code: 'USDT_ERC20', walletId: 'ww_X', trigger: t, enabled: true, now: created });

describe('zone math', () => {
  it('places a wall time in its zone, summer and winter', () => {
    expect(zonedInstant('Europe/Berlin', { year: 2026, month: 1, day: 15 }, { hour: 9, minute: 30 })).toBe(at('2026-01-15T08:30:00Z'));
    expect(zonedInstant('Europe/Berlin', { year: 2026, month: 7, day: 15 }, { hour: 9, minute: 30 })).toBe(at('2026-07-15T07:30:00Z'));
    expect(zonedInstant('America/New_York', { year: 2026, month: 7, day: 15 }, { hour: 23, minute: 0 })).toBe(at('2026-07-16T03:00:00Z'));
    expect(zonedInstant('Asia/Kolkata', { year: 2026, month: 3, day: 1 }, { hour: 0, minute: 0 })).toBe(at('2026-02-28T18:30:00Z'));
    expect(zonedInstant('UTC', { year: 2026, month: 3, day: 1 }, { hour: 0, minute: 0 })).toBe(at('2026-03-01T00:00:00Z'));
  });

  it('moves a time in the spring gap forward by the gap (02:30 on the change day is 03:30 CEST)', () => {
    // Europe/Berlin: 2026-03-29 02:00 CET → 03:00 CEST.
    expect(zonedInstant('Europe/Berlin', { year: 2026, month: 3, day: 29 }, { hour: 2, minute: 30 })).toBe(at('2026-03-29T01:30:00Z'));
    // America/New_York: 2026-03-08 02:00 EST → 03:00 EDT.
    expect(zonedInstant('America/New_York', { year: 2026, month: 3, day: 8 }, { hour: 2, minute: 15 })).toBe(at('2026-03-08T07:15:00Z'));
  });

  it('takes the first of a time that happens twice in autumn', () => {
    // Europe/Berlin: 2026-10-25 03:00 CEST → 02:00 CET; 02:30 happens at 00:30Z and at 01:30Z.
    expect(zonedInstant('Europe/Berlin', { year: 2026, month: 10, day: 25 }, { hour: 2, minute: 30 })).toBe(at('2026-10-25T00:30:00Z'));
  });
});

describe('daily, weekly and monthly occurrences', () => {
  const daily = { every: 'daily', at: { hour: 9, minute: 0 } } as const;
  it('finds the latest and the next daily time around now, across the spring change', () => {
    const zone = 'Europe/Berlin';
    expect(latestOccurrence(daily, zone, at('2026-03-29T06:59:59Z'))).toBe(at('2026-03-28T08:00:00Z'));
    expect(latestOccurrence(daily, zone, at('2026-03-29T07:00:00Z'))).toBe(at('2026-03-29T07:00:00Z'));
    expect(nextOccurrence(daily, zone, at('2026-03-28T08:00:00Z'))).toBe(at('2026-03-29T07:00:00Z'));
  });

  it('weekly: only on its weekday, in the zone (Monday 00:30 in Tokyo is Sunday in UTC)', () => {
    const weekly = { every: 'weekly', weekday: 'monday', at: { hour: 0, minute: 30 } } as const;
    // 2026-01-05 is a Monday.
    expect(latestOccurrence(weekly, 'Asia/Tokyo', at('2026-01-04T16:00:00Z'))).toBe(at('2026-01-04T15:30:00Z'));
    expect(latestOccurrence(weekly, 'Asia/Tokyo', at('2026-01-04T15:29:00Z'))).toBe(at('2025-12-28T15:30:00Z'));
    expect(nextOccurrence(weekly, 'Asia/Tokyo', at('2026-01-04T15:30:00Z'))).toBe(at('2026-01-11T15:30:00Z'));
  });

  it('monthly: on its day of every month, February included', () => {
    const monthly = { every: 'monthly', day: 28, at: { hour: 18, minute: 45 } } as const;
    expect(nextOccurrence(monthly, 'UTC', at('2026-01-28T18:45:00Z'))).toBe(at('2026-02-28T18:45:00Z'));
    expect(latestOccurrence(monthly, 'UTC', at('2026-03-27T00:00:00Z'))).toBe(at('2026-02-28T18:45:00Z'));
    const first = { every: 'monthly', day: 1, at: { hour: 0, minute: 0 } } as const;
    expect(latestOccurrence(first, 'America/Los_Angeles', at('2026-04-01T06:59:00Z'))).toBe(at('2026-03-01T08:00:00Z'));
    expect(latestOccurrence(first, 'America/Los_Angeles', at('2026-04-01T07:00:00Z'))).toBe(at('2026-04-01T07:00:00Z'));
  });
});

describe('a schedule rule fires each scheduled time once', () => {
  const zone = 'Europe/Berlin';
  const t = trigger({ trigger: 'schedule', every: 'daily', time: '09:00' });

  it('fires at the set time, keyed by the instant, and not again for it', () => {
    const r = rule(t, at('2026-01-05T07:00:00Z'));
    expect(firingDue(r, { now: at('2026-01-05T07:59:59Z'), zone, availableUsd: null })).toBeNull();
    const key = firingDue(r, { now: at('2026-01-05T08:00:00Z'), zone, availableUsd: null });
    expect(key).toBe('2026-01-05T08:00:00.000Z');
    const claimed = claimedRule(r, key as string, at('2026-01-05T08:00:00Z'));
    // Pending: nothing new; finished: the same time never again, the next day's time yes.
    expect(firingDue(claimed, { now: at('2026-01-05T08:01:00Z'), zone, availableUsd: null })).toBeNull();
    const done = finishedRule(claimed, { key: key as string, at: at('2026-01-05T08:00:01Z'), withdrawalId: 'INV-X', skipped: null });
    expect(firingDue(done, { now: at('2026-01-05T08:01:00Z'), zone, availableUsd: null })).toBeNull();
    expect(firingDue(done, { now: at('2026-01-06T08:00:30Z'), zone, availableUsd: null })).toBe('2026-01-06T08:00:00.000Z');
  });

  it('never fires a time before the rule was created or its trigger last changed', () => {
    const r = rule(t, at('2026-01-05T08:00:01Z'));
    expect(firingDue(r, { now: at('2026-01-05T08:05:00Z'), zone, availableUsd: null })).toBeNull();
    expect(missedFiring(r, { now: at('2026-01-05T20:00:00Z'), zone, availableUsd: null })).toBeNull();
    const old = rule(t, at('2026-01-01T00:00:00Z'));
    const changed = changedWithdrawalRule(old, { trigger: trigger({ trigger: 'schedule', every: 'daily', time: '09:00' }) }, at('2026-01-05T08:30:00Z'));
    expect(firingDue(changed, { now: at('2026-01-05T08:31:00Z'), zone, availableUsd: null })).toBeNull();
    // A new wallet alone does not restart the schedule.
    const moved = changedWithdrawalRule(old, { walletId: 'ww_Y' }, at('2026-01-05T08:30:00Z'));
    expect(firingDue(moved, { now: at('2026-01-05T08:31:00Z'), zone, availableUsd: null })).toBe('2026-01-05T08:00:00.000Z');
  });

  it('fires a missed time late within the grace, once; beyond it the time is reported missed, once', () => {
    const r = rule(t, at('2026-01-01T00:00:00Z'));
    const late = at('2026-01-05T08:00:00Z') + SCHEDULE_GRACE_MS;
    expect(firingDue(r, { now: late, zone, availableUsd: null })).toBe('2026-01-05T08:00:00.000Z');
    expect(firingDue(r, { now: late + 1, zone, availableUsd: null })).toBeNull();
    const missed = missedFiring(r, { now: late + 1, zone, availableUsd: null });
    expect(missed).toBe('2026-01-05T08:00:00.000Z');
    const done = finishedRule(claimedRule(r, missed as string, late + 1), { key: missed as string, at: late + 1, withdrawalId: null, skipped: 'missed' });
    expect(missedFiring(done, { now: late + HOUR_MS, zone, availableUsd: null })).toBeNull();
    // Days of outage: only the latest time counts, and only once.
    expect(firingDue(r, { now: at('2026-01-09T08:30:00Z'), zone, availableUsd: null })).toBe('2026-01-09T08:00:00.000Z');
  });

  it('a rule that is off fires nothing', () => {
    const off = changedWithdrawalRule(rule(t, at('2026-01-01T00:00:00Z')), { enabled: false }, at('2026-01-02T00:00:00Z'));
    expect(firingDue(off, { now: at('2026-01-05T08:00:00Z'), zone, availableUsd: null })).toBeNull();
    // Switched on again after 09:00: today's time is before it.
    const on = changedWithdrawalRule(off, { enabled: true }, at('2026-01-05T08:10:00Z'));
    expect(firingDue(on, { now: at('2026-01-05T08:11:00Z'), zone, availableUsd: null })).toBeNull();
  });

  it('fires 02:30 once on both change days in Berlin', () => {
    const night = rule(trigger({ trigger: 'schedule', every: 'daily', time: '02:30' }), at('2026-03-28T00:00:00Z'));
    // Spring: 02:30 does not exist; it fires at 03:30 CEST (01:30Z).
    // (Yesterday's 02:30 CET is past the grace by then; today's has not come yet.)
    expect(firingDue(night, { now: at('2026-03-29T01:29:00Z'), zone, availableUsd: null })).toBeNull();
    const spring = firingDue(night, { now: at('2026-03-29T01:30:00Z'), zone, availableUsd: null });
    expect(spring).toBe('2026-03-29T01:30:00.000Z');
    // Autumn: 02:30 happens twice; the first counts, the second is the same firing.
    const autumn = rule(trigger({ trigger: 'schedule', every: 'daily', time: '02:30' }), at('2026-10-24T12:00:00Z'));
    const key = firingDue(autumn, { now: at('2026-10-25T00:30:00Z'), zone, availableUsd: null }) as string;
    expect(key).toBe('2026-10-25T00:30:00.000Z');
    const done = finishedRule(claimedRule(autumn, key, at('2026-10-25T00:30:00Z')), { key, at: at('2026-10-25T00:30:00Z'), withdrawalId: 'INV-A', skipped: null });
    expect(firingDue(done, { now: at('2026-10-25T01:30:00Z'), zone, availableUsd: null })).toBeNull();
    expect(firingDue(done, { now: at('2026-10-25T01:45:00Z'), zone, availableUsd: null })).toBeNull();
  });
});

describe('an amount rule fires once per threshold crossing', () => {
  const t = trigger({ trigger: 'amount', thresholdUsd: '500' });
  const ctx = (worth: number | null) => ({ now: at('2026-01-05T10:00:00Z'), zone: 'UTC', availableUsd: worth === null ? null : usd(worth) });

  it('fires at the threshold, not below it, and not while the worth is unknown', () => {
    const r = rule(t, at('2026-01-05T09:00:00Z'));
    expect(firingDue(r, ctx(499.99))).toBeNull();
    expect(firingDue(r, ctx(null))).toBeNull();
    expect(firingDue(r, ctx(500))).toBe('crossing-1');
  });

  it('stays disarmed above the threshold and re-arms only when seen below it', () => {
    const fired = finishedRule(claimedRule(rule(t, 0), 'crossing-1', 1), { key: 'crossing-1', at: 2, withdrawalId: 'INV-1', skipped: null });
    expect(firingDue(fired, ctx(800))).toBeNull();
    expect(shouldRearm(fired, usd(800))).toBe(false);
    expect(shouldRearm(fired, usd(3))).toBe(true);
    const armed = rearmedRule(fired, 3);
    expect(shouldRearm(armed, usd(3))).toBe(false);
    expect(firingDue(armed, ctx(499))).toBeNull();
    expect(firingDue(armed, ctx(501))).toBe('crossing-2');
  });

  it('a new threshold starts armed', () => {
    const fired = claimedRule(rule(t, 0), 'crossing-1', 1);
    const done = finishedRule(fired, { key: 'crossing-1', at: 2, withdrawalId: 'INV-1', skipped: null });
    const changed = changedWithdrawalRule(done, { trigger: trigger({ trigger: 'amount', thresholdUsd: '700' }) }, 3);
    expect(firingDue(changed, ctx(700))).toBe('crossing-2');
  });
});

describe('trigger validation', () => {
  const refused = (input: Parameters<typeof parseTrigger>[0]) => {
    const t = parseTrigger(input, FEE_USD);
    return t.ok ? null : t.error;
  };
  it.each([
    [{}, 'trigger'],
    [{ trigger: 'sometimes' }, 'trigger'],
    [{ trigger: 'amount' }, 'threshold_usd'],
    [{ trigger: 'amount', thresholdUsd: '-5' }, 'threshold_usd'],
    [{ trigger: 'amount', thresholdUsd: '1.001' }, 'threshold_usd'],
    [{ trigger: 'amount', thresholdUsd: '1' }, 'threshold_usd'],
    [{ trigger: 'amount', thresholdUsd: '500', time: '09:00' }, 'time'],
    [{ trigger: 'schedule', every: 'hourly', time: '09:00' }, 'every'],
    [{ trigger: 'schedule', every: 'daily' }, 'time'],
    [{ trigger: 'schedule', every: 'daily', time: '24:00' }, 'time'],
    [{ trigger: 'schedule', every: 'daily', time: '9' }, 'time'],
    [{ trigger: 'schedule', every: 'weekly', time: '09:00' }, 'weekday'],
    [{ trigger: 'schedule', every: 'weekly', weekday: 'someday', time: '09:00' }, 'weekday'],
    [{ trigger: 'schedule', every: 'monthly', day: 29, time: '09:00' }, 'day'],
    [{ trigger: 'schedule', every: 'monthly', day: '0', time: '09:00' }, 'day'],
    [{ trigger: 'schedule', every: 'monthly', weekday: 'monday', day: 3, time: '09:00' }, 'weekday'],
    [{ trigger: 'schedule', every: 'daily', time: '09:00', thresholdUsd: '5' }, 'threshold_usd'],
  ] as const)('refuses %j under %s with a message', (input, field) => {
    const e = refused(input as never);
    expect(e?.field).toBe(field);
    expect(e?.message.length).toBeGreaterThan(10);
  });

  it('accepts the three schedules and weekday abbreviations', () => {
    expect(trigger({ trigger: 'schedule', every: 'weekly', weekday: 'Fri', time: '7:05' })).toEqual({ kind: 'schedule', schedule: { every: 'weekly', weekday: 'friday', at: { hour: 7, minute: 5 } } });
    expect(trigger({ trigger: 'schedule', every: 'monthly', day: '28', time: '23:59' })).toEqual({ kind: 'schedule', schedule: { every: 'monthly', day: 28, at: { hour: 23, minute: 59 } } });
    expect(trigger({ trigger: 'amount', thresholdUsd: '250.50' }).kind).toBe('amount');
  });

  it('grace covers a few hours of outage, not a whole day', () => {
    expect(SCHEDULE_GRACE_MS).toBeGreaterThanOrEqual(HOUR_MS);
    expect(SCHEDULE_GRACE_MS).toBeLessThan(24 * HOUR_MS - MINUTE_MS);
  });
});
