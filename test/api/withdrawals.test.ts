/**
 * The withdrawal API as merchants and attackers meet it: CryptoCloud's out/create (the withdrawal
 * key only, off until API payouts are on, bounded per day and per minute, the reference's error
 * keys) and the native routes (saved wallets only, cooling-off, Idempotency-Key). The workflow is
 * a scripted one here: these tests are about what the API accepts and records, not the chain.
 */
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { Wallet } from 'ethers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalQueues, startQueues } from '../../lib/local/engines/queues';
import { queueEnvironment } from '../../lib/manifest';
import { makeDocumentClient } from '../../shared/adapters/dynamo/client';
import { keys } from '../../shared/adapters/dynamo/keys';
import { rotateKeys, updateProject } from '../../shared/app/projects';
import { sha256Hex } from '../../shared/adapters/ids';
import { call, newProject, useTestGateway } from '../support/gateway';
import { codeAt, enrol, STEP_MS, useManualClock } from '../support/second-factor';
import { useWorkflows } from '../support/workflows';

const started: string[] = [];
useWorkflows({
  waitSeconds: 0,
  workers: {
    withdrawal: async (event) => {
      started.push(String(event.withdrawalId));
      return { withdrawalId: event.withdrawalId, outcome: 'rejected' };
    },
  },
});

let queues: LocalQueues;
beforeAll(async () => {
  // Withdrawals queue their webhooks as they are made: a real local SQS takes them.
  queues = await startQueues();
  await useTestGateway({ WITHDRAWAL_COOLING_OFF_HOURS: '24', SQS_ENDPOINT: queues.endpoint, ...queueEnvironment(queues.urls) });
});
afterAll(() => queues?.stop());

const USDT = (n: number) => BigInt(Math.round(n * 1e6));

/** A project with `available` USDT_ERC20, API payouts on (limit in USD), and its withdrawal key. */
async function payoutShop(available: bigint, options: { apiPayouts?: boolean; limitUsd?: string } = {}) {
  const shop = await newProject({ testMode: false });
  const { deps } = await import('../../functions/kit/deps').then((m) => m.runtime());
  const db = makeDocumentClient({ region: 'us-east-1', endpoint: process.env.DYNAMODB_ENDPOINT });
  await db.send(new PutCommand({ TableName: process.env.TABLE_NAME, Item: { ...keys.balance(shop.shopId, 'USDT_ERC20'), type: 'balance', code: 'USDT_ERC20', total: available, available } }));
  await updateProject(deps, shop.shopId, { apiPayoutsEnabled: options.apiPayouts ?? true, apiPayoutDailyLimitUsd: options.limitUsd ?? '1000' });
  const rotated = await rotateKeys(deps, sha256Hex, shop.shopId, { api: false, secret: false, withdrawal: true }, deps.clock.now());
  if (!rotated.ok) throw new Error('rotate failed');
  return { ...shop, withdrawalKey: rotated.value.keys.withdrawalKey as string };
}

const to = () => Wallet.createRandom().address;
const outCreate = (key: string, body: unknown, headers: Record<string, string> = {}) => call('invoice.out_create', { apiKey: key, body, headers });

describe('POST /v2/invoice/api/out/create', () => {
  it('answers CryptoCloud’s shape with the withdrawal key, and starts one workflow', async () => {
    const shop = await payoutShop(USDT(500));
    const res = await outCreate(shop.withdrawalKey, { currency_code: 'USDT_ERC20', to_address: to(), amount: 12.5 });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'success', result: { status: 'created', currency: 'USDT_ERC20', amount: 12.5 } });
    const id = (res.body.result as { invoice_id: string }).invoice_id;
    expect(id).toMatch(/^INV-[A-Z0-9]{8}$/);
    await expect.poll(() => started.includes(id)).toBe(true);
  });

  it('opens with the withdrawal key only: the project key is refused, and the withdrawal key opens no invoice route', async () => {
    const shop = await payoutShop(USDT(500));
    expect((await outCreate(shop.apiKey, { currency_code: 'USDT_ERC20', to_address: to(), amount: 1 })).status).toBe(403);
    expect((await call('invoice.list', { apiKey: shop.withdrawalKey, body: {} })).status).toBe(403);
  });

  it('is refused while API payouts are off (the default), with the way to turn them on', async () => {
    const shop = await payoutShop(USDT(500), { apiPayouts: false });
    const res = await outCreate(shop.withdrawalKey, { currency_code: 'USDT_ERC20', to_address: to(), amount: 1 });
    expect(res.status).toBe(403);
    expect(JSON.stringify(res.body.result)).toContain('API payouts are off');
  });

  it('names every bad input under the reference’s error keys', async () => {
    const shop = await payoutShop(USDT(500));
    const bad = async (body: unknown) => (await outCreate(shop.withdrawalKey, body)).body.result as Record<string, string>;
    expect(Object.keys(await bad({ to_address: to(), amount: 1 }))).toEqual(['required_parameter']);
    expect(Object.keys(await bad({ currency_code: 'DOGE', to_address: to(), amount: 1 }))).toEqual(['currency_code']);
    // A checksum typo, and a Tron address for an ERC-20 payout.
    const typo = to().replace(/[a-f]/, (c) => c.toUpperCase());
    expect(Object.keys(await bad({ currency_code: 'USDT_ERC20', to_address: typo, amount: 1 }))).toEqual(['network']);
    expect(Object.keys(await bad({ currency_code: 'USDT_ERC20', to_address: 'TJRabPrwbZy45sbavfcjinPJC18kjpRTv8', amount: 1 }))).toEqual(['network']);
    expect(Object.keys(await bad({ currency_code: 'USDT_ERC20', to_address: to(), amount: -1 }))).toEqual(['uncorrected_amount']);
    expect(Object.keys(await bad({ currency_code: 'USDT_ERC20', to_address: to(), amount: '1.0000001' }))).toEqual(['uncorrected_amount']);
    expect(Object.keys(await bad({ currency_code: 'USDT_ERC20', to_address: to(), amount: '9'.repeat(100) }))).toEqual(['uncorrected_amount']);
    // A 64 KB body is refused at the edge, before anything is parsed.
    expect(Object.keys(await bad({ currency_code: 'USDT_ERC20', to_address: to(), amount: 'x'.repeat(70_000) }))).toEqual(['body']);
    // Every request counts against the minute's five, refused or not: a fresh project for the last one.
    const other = await payoutShop(USDT(500));
    const broke = (await outCreate(other.withdrawalKey, { currency_code: 'USDT_ERC20', to_address: to(), amount: 501 })).body.result as Record<string, string>;
    expect(broke.validate_error).toContain('Insufficient balance');
  });

  it('stops at the daily USD limit, counted across concurrent requests', async () => {
    const shop = await payoutShop(USDT(10_000), { limitUsd: '100' });
    const answers = await Promise.all(Array.from({ length: 5 }, () => outCreate(shop.withdrawalKey, { currency_code: 'USDT_ERC20', to_address: to(), amount: 30 })));
    const accepted = answers.filter((a) => a.status === 200);
    // 30 USDT plus the merchant-side network fee each: three fit under 100 USD, never four.
    expect(accepted.length).toBe(3);
    const refused = answers.find((a) => a.status !== 200);
    expect(JSON.stringify(refused?.body.result)).toContain('daily API payout limit of 100 USD');
  });

  it('answers rate_limit past five requests a minute', async () => {
    const shop = await payoutShop(USDT(10_000), { limitUsd: '100000' });
    const answers = [];
    for (let i = 0; i < 6; i++) answers.push(await outCreate(shop.withdrawalKey, { currency_code: 'USDT_ERC20', to_address: to(), amount: 1 }));
    expect(answers.slice(0, 5).every((a) => a.status === 200)).toBe(true);
    expect(Object.keys(answers[5].body.result as object)).toEqual(['rate_limit']);
  });

  it('with an Idempotency-Key: a retry answers the first withdrawal; another body with the key is refused', async () => {
    const shop = await payoutShop(USDT(500));
    const body = { currency_code: 'USDT_ERC20', to_address: to(), amount: 3 };
    const first = await outCreate(shop.withdrawalKey, body, { 'idempotency-key': 'payout-77' });
    const again = await outCreate(shop.withdrawalKey, body, { 'idempotency-key': 'payout-77' });
    expect((again.body.result as { invoice_id: string }).invoice_id).toBe((first.body.result as { invoice_id: string }).invoice_id);
    const other = await outCreate(shop.withdrawalKey, { ...body, amount: 4 }, { 'idempotency-key': 'payout-77' });
    expect(other.status).toBe(400);
    expect(Object.keys(other.body.result as object)).toEqual(['idempotency']);
  });
});

describe('native withdrawals go to saved wallets only', () => {
  it('refuses an unknown wallet and one still cooling off, saying until when', async () => {
    const shop = await payoutShop(USDT(500));
    const unknown = await call('api.withdrawal.create', { apiKey: shop.apiKey, body: { wallet_id: 'ww_nope', amount: '5' } });
    expect(unknown.status).toBe(400);
    const { deps } = await import('../../functions/kit/deps').then((m) => m.runtime());
    const realClock = deps.clock;
    const clock = useManualClock(deps);
    try {
      const factor = await enrol(shop.shopId, clock.now);
      clock.advance(STEP_MS);
      const added = await call('api.withdrawal_wallet.add', { apiKey: shop.apiKey, body: { currency: 'USDT_ERC20', address: to(), label: 'treasury', totp_code: await codeAt(factor.secret, clock.now()) } });
      expect(added.status, JSON.stringify(added.body)).toBe(200);
      const walletId = (added.body.result as { id: string }).id;
      const cooling = await call('api.withdrawal.create', { apiKey: shop.apiKey, body: { wallet_id: walletId, amount: '5' } });
      expect(cooling.status).toBe(400);
      expect(JSON.stringify(cooling.body.result)).toMatch(/cool/i);
      // A day later the same request is accepted, and a retry with its Idempotency-Key answers the same withdrawal.
      clock.advance(24 * 3_600_000 + 1000);
      const ok = await call('api.withdrawal.create', { apiKey: shop.apiKey, body: { wallet_id: walletId, amount: '5' }, headers: { 'idempotency-key': 'k1' } });
      expect(ok.status, JSON.stringify(ok.body)).toBe(201);
      const again = await call('api.withdrawal.create', { apiKey: shop.apiKey, body: { wallet_id: walletId, amount: '5' }, headers: { 'idempotency-key': 'k1' } });
      expect((again.body.result as { id: string }).id).toBe((ok.body.result as { id: string }).id);
    } finally {
      deps.clock = realClock;
    }
  });

  it('lists, shows and cancels its own, and another project’s reads as not found', async () => {
    const shop = await payoutShop(USDT(500));
    const made = await outCreate(shop.withdrawalKey, { currency_code: 'USDT_ERC20', to_address: to(), amount: 2 });
    const id = (made.body.result as { invoice_id: string }).invoice_id;
    const list = await call('api.withdrawal.list', { apiKey: shop.apiKey });
    expect((list.body.result as { withdrawals: { id: string }[] }).withdrawals.map((w) => w.id)).toContain(id);
    const other = await newProject();
    expect((await call('api.withdrawal.show', { apiKey: other.apiKey, pathParameters: { withdrawalId: id } })).status).toBe(404);
    const shown = await call('api.withdrawal.show', { apiKey: shop.apiKey, pathParameters: { withdrawalId: id } });
    expect(shown.body.result).toMatchObject({ id, currency: 'USDT_ERC20', amount: '2' });
  });
});
