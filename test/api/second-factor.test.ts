/**
 * The project's second factor through the real handlers on DynamoDB Local: enrolment, replay,
 * brute force and its lock (expiring on a clock the test moves), recovery codes, re-enrolment.
 * A guarded change (adding a withdrawal wallet) stands for every use of a code.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { requireFreshCode } from '../../shared/app/second-factor';
import type { Deps } from '../../shared/ports';
import { call, newProject, useTestGateway } from '../support/gateway';
import { asAdmin, codeAt, enrol, STEP_MS, useManualClock } from '../support/second-factor';

let deps: Deps;
let clock: ReturnType<typeof useManualClock>;
const ADDRESS = '0xdAC17F958D2ee523a2206206994597C13D831ec7';

beforeAll(async () => {
  ({ deps } = await useTestGateway());
  clock = useManualClock(deps);
});

const addWallet = (apiKey: string, totp_code: string, address = ADDRESS) =>
  call('api.withdrawal_wallet.add', { apiKey, body: { currency: 'USDT_ERC20', address, label: 'treasury', totp_code } });

const refusal = (res: { body: { result: unknown } }) => (res.body.result as Record<string, string>).totp_code;

async function auditActions(shopId: string): Promise<string[]> {
  const res = await asAdmin('admin.audit.list', { pathParameters: { shopId } });
  return (res.body.result as { events: { action: string }[] }).events.map((e) => e.action);
}

describe('enrolment', () => {
  it('starts with a secret shown once, confirms with a first code, and answers ten single recovery codes once', async () => {
    const { shopId } = await newProject({ name: 'Enrolled: shop' });
    expect((await asAdmin('admin.second_factor.status', { pathParameters: { shopId } })).body.result).toMatchObject({ status: 'none' });
    const started = await asAdmin('admin.second_factor.start', { pathParameters: { shopId }, body: {} });
    const { secret, otpauth_uri } = started.body.result as { secret: string; otpauth_uri: string };
    // The issuer is Tollgate; the account names the project (a colon in its name would split the label).
    expect(otpauth_uri).toMatch(new RegExp(`^otpauth://totp/Tollgate:Enrolled%20%20shop%20\\(${shopId}\\)\\?secret=${secret}&`));
    expect((await asAdmin('admin.second_factor.status', { pathParameters: { shopId } })).body.result).toMatchObject({ status: 'pending' });

    const wrong = await asAdmin('admin.second_factor.confirm', { pathParameters: { shopId }, body: { totp_code: '000000' === (await codeAt(secret, clock.now())) ? '111111' : '000000' } });
    expect(wrong.status).toBe(400);
    expect(refusal(wrong)).toMatch(/^Wrong code; 4 more wrong codes in a row lock/);

    const ok = await asAdmin('admin.second_factor.confirm', { pathParameters: { shopId }, body: { totp_code: await codeAt(secret, clock.now()) } });
    expect(ok.status, JSON.stringify(ok.body)).toBe(200);
    const codes = (ok.body.result as { recovery_codes: string[] }).recovery_codes;
    expect(codes).toHaveLength(10);
    expect(new Set(codes).size).toBe(10);
    for (const c of codes) expect(c).toMatch(/^[a-z2-7]{5}-[a-z2-7]{5}$/);
    const status = (await asAdmin('admin.second_factor.status', { pathParameters: { shopId } })).body.result;
    expect(status).toEqual({ status: 'active', enabled_at: new Date(clock.now()).toISOString(), reenrolment_pending: false, recovery_codes_left: 10, locked_until: null });
    // Never the secret or the codes again.
    expect(JSON.stringify(status)).not.toContain(secret);
    expect((await auditActions(shopId)).sort()).toEqual(['second_factor.enabled', 'second_factor.enrolment_started']);
  });

  it('a guarded change before enrolment is refused: the factor is required', async () => {
    const { apiKey } = await newProject();
    const res = await addWallet(apiKey, '123456');
    expect(res.status).toBe(400);
    expect(refusal(res)).toMatch(/no second factor yet: enrol one first/);
  });

  it('re-enrolling an active factor needs a fresh code of it; the old secret guards until the new one is confirmed', async () => {
    const { shopId, apiKey } = await newProject();
    const old = await enrol(shopId, clock.now);
    const bare = await asAdmin('admin.second_factor.start', { pathParameters: { shopId }, body: {} });
    expect(bare.status).toBe(400);
    expect(refusal(bare)).toMatch(/^The second factor is active: send totp_code/);
    clock.advance(STEP_MS);
    const again = await asAdmin('admin.second_factor.start', { pathParameters: { shopId }, body: { totp_code: await codeAt(old.secret, clock.now()) } });
    expect(again.status, JSON.stringify(again.body)).toBe(200);
    const fresh = (again.body.result as { secret: string }).secret;
    clock.advance(STEP_MS);
    // Not yet confirmed: the old secret still guards.
    expect((await addWallet(apiKey, await codeAt(fresh, clock.now()))).status).toBe(400);
    clock.advance(STEP_MS);
    const confirmed = await asAdmin('admin.second_factor.confirm', { pathParameters: { shopId }, body: { totp_code: await codeAt(fresh, clock.now()) } });
    expect(confirmed.body.result).toMatchObject({ reenrolment: true });
    clock.advance(STEP_MS);
    expect(refusal(await addWallet(apiKey, await codeAt(old.secret, clock.now())))).toMatch(/^Wrong code/);
    // The old recovery codes are void with the old secret.
    expect(refusal(await addWallet(apiKey, old.recoveryCodes[0]))).toMatch(/^Wrong code/);
  });
});

describe('a code is accepted once', () => {
  it('refuses a replay of the same step, and any earlier step, as already used', async () => {
    const { shopId, apiKey } = await newProject();
    const { secret } = await enrol(shopId, clock.now);
    // The confirmation spent this step's code.
    const confirmCode = await codeAt(secret, clock.now());
    expect(refusal(await addWallet(apiKey, confirmCode))).toMatch(/already used: wait for the next code/);
    clock.advance(STEP_MS);
    const code = await codeAt(secret, clock.now());
    expect((await addWallet(apiKey, code)).status).toBe(200);
    expect(refusal(await addWallet(apiKey, code))).toMatch(/already used/);
    // The previous step's code is still inside the clock tolerance, but earlier than the last used: refused.
    expect(refusal(await addWallet(apiKey, confirmCode))).toMatch(/already used/);
    // Replays are not guesses: no lock after many.
    for (let i = 0; i < 6; i += 1) expect(refusal(await addWallet(apiKey, code))).toMatch(/already used/);
    expect((await asAdmin('admin.second_factor.status', { pathParameters: { shopId } })).body.result).toMatchObject({ locked_until: null });
  });

  it('requireFreshCode (the withdrawal path) answers the same typed refusals', async () => {
    const { shopId } = await newProject();
    expect(await requireFreshCode(deps, shopId, '123456', clock.now())).toEqual({ ok: false, error: { kind: 'second_factor_required' } });
    const { secret } = await enrol(shopId, clock.now);
    clock.advance(STEP_MS);
    const code = await codeAt(secret, clock.now());
    expect(await requireFreshCode(deps, shopId, code, clock.now())).toEqual({ ok: true, value: { via: 'totp' } });
    expect(await requireFreshCode(deps, shopId, code, clock.now())).toEqual({ ok: false, error: { kind: 'code_already_used' } });
    expect(await requireFreshCode(deps, shopId, 'nonsense', clock.now())).toEqual({ ok: false, error: { kind: 'invalid_code', attemptsLeft: 4 } });
  });
});

describe('brute force locks the factor', () => {
  it('locks after five wrong codes in a row, checks nothing while locked, and lets the right code in once the lock expires', async () => {
    const { shopId, apiKey } = await newProject();
    const { secret } = await enrol(shopId, clock.now);
    clock.advance(STEP_MS);
    const right = await codeAt(secret, clock.now());
    const wrongCode = right === '999999' ? '999998' : '999999';
    for (const left of [4, 3, 2, 1]) expect(refusal(await addWallet(apiKey, wrongCode))).toBe(`Wrong code; ${left} more wrong code${left === 1 ? '' : 's'} in a row lock the second factor`);
    const locked = await addWallet(apiKey, wrongCode);
    const until = new Date(clock.now() + 15 * 60_000).toISOString();
    expect(locked.body.result).toEqual({ totp_code: `The second factor is locked after repeated wrong codes until ${until}; try again then`, locked_until: until });
    // Even the right code is refused while locked.
    expect((await addWallet(apiKey, right)).body.result).toMatchObject({ locked_until: until });
    clock.advance(15 * 60_000 - 1);
    expect((await addWallet(apiKey, await codeAt(secret, clock.now()))).body.result).toMatchObject({ locked_until: until });
    clock.advance(1);
    expect((await addWallet(apiKey, await codeAt(secret, clock.now()))).status).toBe(200);
    expect(await auditActions(shopId)).toContain('second_factor.locked');
  });

  it('doubles the lock for each further wrong code', async () => {
    const { shopId, apiKey } = await newProject();
    await enrol(shopId, clock.now);
    for (let i = 0; i < 5; i += 1) await addWallet(apiKey, 'abcdef');
    clock.advance(15 * 60_000);
    const again = await addWallet(apiKey, 'abcdef');
    expect(again.body.result).toMatchObject({ locked_until: new Date(clock.now() + 30 * 60_000).toISOString() });
  });

  it('counts every one of many concurrent wrong codes: at most four are answered as wrong, then all are locked', async () => {
    const { shopId, apiKey } = await newProject();
    await enrol(shopId, clock.now);
    const answers = await Promise.all(Array.from({ length: 20 }, (_, i) => addWallet(apiKey, String(100000 + i))));
    expect(answers.every((a) => a.status === 400)).toBe(true);
    const wrong = answers.filter((a) => refusal(a).startsWith('Wrong code'));
    expect(wrong.length).toBeLessThanOrEqual(4);
    expect(answers.filter((a) => (a.body.result as Record<string, string>).locked_until).length).toBe(20 - wrong.length);
  });
});

describe('recovery codes', () => {
  it('work once each, where a code is asked for, and the trail says one was used', async () => {
    const { shopId, apiKey } = await newProject();
    const { recoveryCodes } = await enrol(shopId, clock.now);
    const used = await addWallet(apiKey, ` ${recoveryCodes[3].toUpperCase()} `);
    expect(used.status, JSON.stringify(used.body)).toBe(200);
    expect(refusal(await addWallet(apiKey, recoveryCodes[3]))).toMatch(/already used/);
    expect((await asAdmin('admin.second_factor.status', { pathParameters: { shopId } })).body.result).toMatchObject({ recovery_codes_left: 9 });
    const trail = (await asAdmin('admin.audit.list', { pathParameters: { shopId } })).body.result as { events: { action: string; details: Record<string, unknown> }[] };
    expect(trail.events.find((e) => e.action === 'second_factor.recovery_code_used')?.details).toEqual({ recovery_codes_left: 9 });
  });
});
