/**
 * Automatic withdrawal rules through the real handlers on DynamoDB Local: a fresh code for every
 * change (wrong and replayed codes refused), the saved wallet out of its cooling-off, one rule
 * per currency, every change audited, and bad input answered field by field in the envelope.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Deps } from '../../shared/ports';
import { call, newProject, useTestGateway } from '../support/gateway';
import { asAdmin, codeAt, type Enrolled, enrol, STEP_MS, useManualClock } from '../support/second-factor';

let deps: Deps;
let clock: ReturnType<typeof useManualClock>;
const HOUR_MS = 3_600_000;
const GOOD = '0xdAC17F958D2ee523a2206206994597C13D831ec7';

beforeAll(async () => {
  ({ deps } = await useTestGateway({ WITHDRAWAL_COOLING_OFF_HOURS: '24' }));
  clock = useManualClock(deps, Date.UTC(2026, 0, 5, 12, 0, 10));
});

type RuleWire = {
  id: string;
  currency: string;
  wallet_id: string;
  enabled: boolean;
  trigger: string;
  threshold_usd: string | null;
  every: string | null;
  weekday: string | null;
  day: number | null;
  time: string | null;
  time_zone: string;
  armed: boolean | null;
  next_run: string | null;
};

async function fresh(secret: string) {
  clock.advance(STEP_MS);
  return codeAt(secret, clock.now());
}

/** A project with its second factor and a USDT_ERC20 wallet past its cooling-off. */
async function shop(patch: Record<string, unknown> = {}): Promise<{ shopId: string; apiKey: string; factor: Enrolled; walletId: string }> {
  const { shopId, apiKey } = await newProject(patch);
  const factor = await enrol(shopId, clock.now);
  const added = await call('api.withdrawal_wallet.add', { apiKey, body: { currency: 'USDT_ERC20', address: GOOD, totp_code: await fresh(factor.secret) } });
  expect(added.status, JSON.stringify(added.body)).toBe(200);
  clock.advance(25 * HOUR_MS);
  return { shopId, apiKey, factor, walletId: (added.body.result as { id: string }).id };
}

const create = (apiKey: string, body: Record<string, unknown>) => call('api.withdrawal_rule.create', { apiKey, body });
const list = async (apiKey: string) => ((await call('api.withdrawal_rule.list', { apiKey })).body.result as { withdrawal_rules: RuleWire[] }).withdrawal_rules;

describe('creating a rule', () => {
  it('by amount: created with a fresh code, shown, and audited', async () => {
    const { apiKey, factor, walletId } = await shop();
    const made = await create(apiKey, { wallet_id: walletId, trigger: 'amount', threshold_usd: '500', totp_code: await fresh(factor.secret) });
    expect(made.status, JSON.stringify(made.body)).toBe(200);
    const rule = made.body.result as RuleWire;
    expect(rule).toMatchObject({ currency: 'USDT_ERC20', wallet_id: walletId, enabled: true, trigger: 'amount', threshold_usd: '500', armed: true, next_run: null });
    expect(rule.id).toMatch(/^wr_[A-Z0-9]{24}$/);
    expect(await list(apiKey)).toEqual([rule]);
    const audit = (await call('api.audit.list', { apiKey })).body.result as { events: { action: string; subject: string; actor: string; details: Record<string, unknown> }[] };
    expect(audit.events[0]).toMatchObject({ action: 'withdrawal_rule.created', subject: rule.id, actor: 'api', details: { currency: 'USDT_ERC20', wallet_id: walletId, enabled: true } });
  });

  it('by schedule: the next run is in the project\'s time zone', async () => {
    const { apiKey, factor, walletId } = await shop({ timeZone: 'Europe/Berlin' });
    const made = await create(apiKey, { wallet_id: walletId, trigger: 'schedule', every: 'weekly', weekday: 'monday', time: '09:30', totp_code: await fresh(factor.secret) });
    expect(made.status, JSON.stringify(made.body)).toBe(200);
    const rule = made.body.result as RuleWire;
    expect(rule).toMatchObject({ trigger: 'schedule', every: 'weekly', weekday: 'monday', time: '09:30', time_zone: 'Europe/Berlin', threshold_usd: null });
    // The clock is Tuesday 2026-01-06 13:01 UTC: next Monday 09:30 CET is 08:30 UTC.
    expect(rule.next_run).toBe('2026-01-12T08:30:00.000Z');
  });

  it('refuses a wrong code and a replayed one, and writes nothing', async () => {
    const { apiKey, factor, walletId } = await shop();
    const wrong = await create(apiKey, { wallet_id: walletId, trigger: 'amount', threshold_usd: '500', totp_code: '000001' });
    expect(wrong.status).toBe(400);
    expect(wrong.body.result).toEqual({ totp_code: 'Wrong code; 4 more wrong codes in a row lock the second factor' });
    const code = await fresh(factor.secret);
    expect((await create(apiKey, { wallet_id: walletId, trigger: 'amount', threshold_usd: '500', totp_code: code })).status).toBe(200);
    const rule = (await list(apiKey))[0];
    const replay = await call('api.withdrawal_rule.update', { apiKey, pathParameters: { ruleId: rule.id }, body: { enabled: false, totp_code: code } });
    expect(replay.status).toBe(400);
    expect(replay.body.result).toEqual({ totp_code: 'This code was already used: wait for the next code of your authenticator (a new one every 30 seconds)' });
    expect((await list(apiKey))[0].enabled).toBe(true);
    const missing = await create(apiKey, { wallet_id: walletId, trigger: 'amount', threshold_usd: '500' });
    expect(missing.body.result).toEqual({ totp_code: "totp_code is required: a fresh code of the project's authenticator app (or a recovery code)." });
  });

  it('needs a second factor', async () => {
    const { apiKey } = await newProject();
    const refused = await create(apiKey, { wallet_id: 'ww_AAAAAAAAAAAAAAAAAAAAAAAA', trigger: 'amount', threshold_usd: '500', totp_code: '123456' });
    expect(refused.status).toBe(400);
    // The wallet is checked first: no such wallet.
    expect(refused.body.result).toMatchObject({ wallet_id: expect.stringContaining('is not a saved withdrawal wallet of this project') });
  });

  it('answers bad input field by field, spending no code', async () => {
    const { apiKey, factor, walletId } = await shop();
    const code = await fresh(factor.secret);
    const refused = async (body: Record<string, unknown>) => {
      const out = await create(apiKey, { wallet_id: walletId, totp_code: code, ...body });
      expect(out.status, JSON.stringify(out.body)).toBe(400);
      expect(out.body.status).toBe('error');
      return out.body.result;
    };
    expect(await refused({})).toEqual({ trigger: 'trigger must be amount (when the available balance reaches threshold_usd) or schedule (every daily, weekly or monthly at a time)' });
    expect(await refused({ trigger: 'amount', threshold_usd: 'lots' })).toEqual({ threshold_usd: 'threshold_usd must be a positive number of US dollars, such as 500 or 250.50' });
    expect(await refused({ trigger: 'amount', threshold_usd: '0.5' })).toMatchObject({ threshold_usd: expect.stringContaining('must be more than the network fee') });
    expect(await refused({ trigger: 'schedule', every: 'hourly', time: '09:00' })).toEqual({ every: 'every must be one of daily, weekly, monthly' });
    expect(await refused({ trigger: 'schedule', every: 'monthly', day: 31, time: '09:00' })).toEqual({ day: 'day must be a whole number from 1 to 28 (every month has these days)' });
    expect(await refused({ trigger: 'schedule', every: 'daily', time: '25:00' })).toEqual({ time: 'time must be HH:MM (24 h) from 00:00 to 23:59, such as 09:30' });
    expect(await refused({ trigger: 'amount', threshold_usd: '500', enabled: 'yes' })).toEqual({ enabled: 'enabled must be true or false.' });
    expect(await refused({ trigger: 'amount', threshold_usd: '500', currency: 'USDT_TRC20' })).toEqual({ currency: `Withdrawal wallet ${walletId} receives USDT_ERC20, not USDT_TRC20` });
    expect(await refused({ trigger: 'amount', threshold_usd: '500', wallet_id: 'ww_NOPE' })).toMatchObject({ wallet_id: expect.stringContaining('is not a saved withdrawal wallet') });
    // None of those spent the code.
    expect((await create(apiKey, { wallet_id: walletId, trigger: 'amount', threshold_usd: '500', totp_code: code })).status).toBe(200);
  });

  it('refuses a wallet still cooling off, with its end', async () => {
    const { apiKey, factor } = await shop();
    const added = await call('api.withdrawal_wallet.add', { apiKey, body: { currency: 'USDT_ERC20', address: '0x52908400098527886E0F7030069857D2E4169EE7', totp_code: await fresh(factor.secret) } });
    expect(added.status, JSON.stringify(added.body)).toBe(200);
    const wallet = added.body.result as { id: string; usable_from: string };
    const out = await create(apiKey, { wallet_id: wallet.id, trigger: 'amount', threshold_usd: '500', totp_code: await fresh(factor.secret) });
    expect(out.status).toBe(400);
    expect(out.body.result).toEqual({ wallet_id: `Withdrawal wallet ${wallet.id} is cooling off until ${wallet.usable_from}; a rule may pay it from then` });
  });

  it('allows one rule per currency', async () => {
    const { apiKey, factor, walletId } = await shop();
    const first = await create(apiKey, { wallet_id: walletId, trigger: 'amount', threshold_usd: '500', totp_code: await fresh(factor.secret) });
    const id = (first.body.result as RuleWire).id;
    const second = await create(apiKey, { wallet_id: walletId, trigger: 'schedule', every: 'daily', time: '09:00', totp_code: await fresh(factor.secret) });
    expect(second.status).toBe(400);
    expect(second.body.result).toEqual({ currency: `USDT_ERC20 already has a withdrawal rule (${id}); one per currency: change it (PATCH /api/withdrawal-rules/${id}, tollgate rule update) or delete it first` });
  });
});

describe('changing and deleting a rule', () => {
  it('switches off and on, changes the trigger, deletes; each change audited with what it was', async () => {
    const { apiKey, factor, walletId } = await shop();
    const made = (await create(apiKey, { wallet_id: walletId, trigger: 'amount', threshold_usd: '500', totp_code: await fresh(factor.secret) })).body.result as RuleWire;
    const update = async (body: Record<string, unknown>) => call('api.withdrawal_rule.update', { apiKey, pathParameters: { ruleId: made.id }, body: { ...body, totp_code: await fresh(factor.secret) } });
    expect(((await update({ enabled: false })).body.result as RuleWire).enabled).toBe(false);
    const changed = await update({ enabled: true, trigger: 'schedule', every: 'monthly', day: 15, time: '18:00' });
    expect(changed.status, JSON.stringify(changed.body)).toBe(200);
    expect(changed.body.result).toMatchObject({ enabled: true, trigger: 'schedule', every: 'monthly', day: 15, time: '18:00', next_run: '2026-01-15T18:00:00.000Z' });
    // Only the time: the rest of the schedule is kept.
    expect((await update({ time: '07:15' })).body.result).toMatchObject({ every: 'monthly', day: 15, time: '07:15' });
    expect((await update({})).body.result).toEqual({ rule: 'Nothing to change: send enabled, wallet_id, or the trigger (trigger, threshold_usd, every, weekday, day, time)' });
    const audit = (await call('api.audit.list', { apiKey })).body.result as { events: { action: string; details: Record<string, unknown> }[] };
    const changes = audit.events.filter((e) => e.action === 'withdrawal_rule.changed');
    expect(changes).toHaveLength(3);
    expect(changes[1].details).toMatchObject({ previous_trigger: 'when the available balance is worth 500 USD or more', previous_enabled: false, enabled: true, trigger: 'monthly on day 15 at 18:00 UTC' });
    const gone = await call('api.withdrawal_rule.delete', { apiKey, pathParameters: { ruleId: made.id }, body: { totp_code: await fresh(factor.secret) } });
    expect(gone.status).toBe(200);
    expect(await list(apiKey)).toEqual([]);
    const after = (await call('api.audit.list', { apiKey })).body.result as { events: { action: string; subject: string }[] };
    expect(after.events[0]).toMatchObject({ action: 'withdrawal_rule.deleted', subject: made.id });
    const missing = await call('api.withdrawal_rule.delete', { apiKey, pathParameters: { ruleId: made.id }, body: { totp_code: await fresh(factor.secret) } });
    expect(missing.status).toBe(404);
    expect(missing.body.result).toEqual({ rule_id: `No withdrawal rule ${made.id} in this project` });
  });

  it('another project\'s rule is not found', async () => {
    const a = await shop();
    const b = await shop();
    const made = (await create(a.apiKey, { wallet_id: a.walletId, trigger: 'amount', threshold_usd: '500', totp_code: await fresh(a.factor.secret) })).body.result as RuleWire;
    const out = await call('api.withdrawal_rule.update', { apiKey: b.apiKey, pathParameters: { ruleId: made.id }, body: { enabled: false, totp_code: await fresh(b.factor.secret) } });
    expect(out.status).toBe(404);
  });

  it('the admin twins do the same for the CLI, audited as the CLI', async () => {
    const { shopId, factor, walletId } = await shop();
    const made = await asAdmin('admin.withdrawal_rule.create', { pathParameters: { shopId }, body: { wallet_id: walletId, trigger: 'schedule', every: 'daily', time: '06:00', totp_code: await fresh(factor.secret) } });
    expect(made.status, JSON.stringify(made.body)).toBe(200);
    const listed = await asAdmin('admin.withdrawal_rule.list', { pathParameters: { shopId } });
    expect((listed.body.result as { withdrawal_rules: RuleWire[] }).withdrawal_rules).toHaveLength(1);
    const audit = await asAdmin('admin.audit.list', { pathParameters: { shopId } });
    expect((audit.body.result as { events: { action: string; actor: string }[] }).events[0]).toMatchObject({ action: 'withdrawal_rule.created', actor: 'cli' });
    expect(deps.clock.now()).toBe(clock.now());
  });
});
