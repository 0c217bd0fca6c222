/**
 * Attacking automatic withdrawal rules through the real handlers on DynamoDB Local: another
 * project's wallet, hostile time zones, replayed codes, and a switched-off or deleted rule that
 * the evaluator must leave alone however much is available.
 */
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { makeDocumentClient } from '../../shared/adapters/dynamo/client';
import { keys } from '../../shared/adapters/dynamo/keys';
import { evaluateRules } from '../../shared/app/withdrawal-rules';
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

async function fresh(secret: string) {
  clock.advance(STEP_MS);
  return codeAt(secret, clock.now());
}

async function shop(): Promise<{ shopId: string; apiKey: string; factor: Enrolled; walletId: string }> {
  const { shopId, apiKey } = await newProject({ testMode: false });
  const factor = await enrol(shopId, clock.now);
  const added = await call('api.withdrawal_wallet.add', { apiKey, body: { currency: 'USDT_ERC20', address: GOOD, totp_code: await fresh(factor.secret) } });
  expect(added.status, JSON.stringify(added.body)).toBe(200);
  clock.advance(25 * HOUR_MS);
  return { shopId, apiKey, factor, walletId: (added.body.result as { id: string }).id };
}

async function fund(shopId: string, units: bigint) {
  const db = makeDocumentClient({ region: 'us-east-1', endpoint: process.env.DYNAMODB_ENDPOINT });
  await db.send(new PutCommand({ TableName: process.env.TABLE_NAME, Item: { ...keys.balance(shopId, 'USDT_ERC20'), type: 'balance', code: 'USDT_ERC20', total: units, available: units } }));
}

const create = (apiKey: string, body: Record<string, unknown>) => call('api.withdrawal_rule.create', { apiKey, body });

describe('rule attacks', () => {
  it("another project's wallet id is not a wallet of this project", async () => {
    const victim = await shop();
    const thief = await shop();
    const res = await create(thief.apiKey, { wallet_id: victim.walletId, trigger: 'amount', threshold_usd: '500', totp_code: await fresh(thief.factor.secret) });
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.body.result)).toContain('is not a saved withdrawal wallet of this project');
  });

  it('hostile time zones are refused field by field; the project keeps its zone', async () => {
    const s = await shop();
    for (const zone of ['../../etc/passwd', 'Europe/../../etc', 'x'.repeat(65), 'UTC\u0000', '']) {
      const res = await asAdmin('admin.project.update', { pathParameters: { shopId: s.shopId }, body: { time_zone: zone } });
      expect(res.status, zone.slice(0, 20)).toBe(400);
    }
    expect((await deps.projects.get(s.shopId))?.settings.timeZone).toBe('UTC');
  });

  it('a replayed code changes nothing; a switched-off and a deleted rule never fire, however much is available', async () => {
    const s = await shop();
    const made = await create(s.apiKey, { wallet_id: s.walletId, trigger: 'amount', threshold_usd: '10', enabled: false, totp_code: await fresh(s.factor.secret) });
    expect(made.status, JSON.stringify(made.body)).toBe(200);
    const id = (made.body.result as { id: string }).id;
    const code = await fresh(s.factor.secret);
    const off = await call('api.withdrawal_rule.update', { apiKey: s.apiKey, pathParameters: { ruleId: id }, body: { enabled: false, totp_code: code } });
    expect(off.status, JSON.stringify(off.body)).toBe(200);
    const replay = await call('api.withdrawal_rule.update', { apiKey: s.apiKey, pathParameters: { ruleId: id }, body: { enabled: true, totp_code: code } });
    expect(replay.status).toBe(400);
    expect(JSON.stringify(replay.body.result)).toContain('already used');
    await fund(s.shopId, 1_000_000_000n);
    await Promise.all([evaluateRules(deps, clock.now()), evaluateRules(deps, clock.now())]);
    expect((await deps.withdrawals.listByProject(s.shopId, { limit: 10, cursor: null })).items).toEqual([]);
    const gone = await call('api.withdrawal_rule.delete', { apiKey: s.apiKey, pathParameters: { ruleId: id }, body: { totp_code: await fresh(s.factor.secret) } });
    expect(gone.status, JSON.stringify(gone.body)).toBe(200);
    await evaluateRules(deps, clock.now());
    expect((await deps.withdrawals.listByProject(s.shopId, { limit: 10, cursor: null })).items).toEqual([]);
    expect(await deps.withdrawalRules.get(s.shopId, 'USDT_ERC20')).toBeNull();
  });
});
