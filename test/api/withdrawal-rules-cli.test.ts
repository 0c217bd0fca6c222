/** `tollgate rule create|list|update|delete` through the local HTTP host and the real admin handlers: readable tables, --json for scripts, clear refusals. */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from '../../lib/cli/main';
import { CliError } from '../../lib/cli/target';
import { createHttpHost } from '../../lib/local/http-host';
import { ADMIN_TOKEN, newProject, useTestGateway } from '../support/gateway';
import { codeAt, enrol, STEP_MS, useManualClock } from '../support/second-factor';

let host: Server;
let url: string;
let clock: ReturnType<typeof useManualClock>;
const ADDRESS = '0xdAC17F958D2ee523a2206206994597C13D831ec7';

beforeAll(async () => {
  const { deps } = await useTestGateway({ WITHDRAWAL_COOLING_OFF_HOURS: '0' });
  clock = useManualClock(deps, Date.UTC(2026, 0, 5, 12, 0, 10));
  host = createHttpHost();
  await new Promise<void>((ready) => host.listen(0, '127.0.0.1', ready));
  url = `http://127.0.0.1:${(host.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((done) => host?.close(done));
});

async function cli(args: string[]) {
  let printed = '';
  await run([...args, '--endpoint', url, '--admin-token', ADMIN_TOKEN], {}, (s) => (printed += s), async () => '');
  return printed;
}

describe('tollgate rule', () => {
  it('creates, lists, switches off, changes and deletes a rule, each with a fresh code', async () => {
    const { shopId } = await newProject({ name: 'CLI rules', timeZone: 'Europe/Berlin' });
    const { secret } = await enrol(shopId, clock.now);
    const code = () => {
      clock.advance(STEP_MS);
      return codeAt(secret, clock.now());
    };
    const wallet = JSON.parse(await cli(['withdrawal-wallet', 'add', shopId, '--currency', 'USDT_ERC20', '--address', ADDRESS, '--code', await code(), '--json'])) as { id: string };
    clock.advance(1_000);

    const made = await cli(['rule', 'create', shopId, '--wallet', wallet.id, '--every', 'weekly', '--weekday', 'fri', '--at', '17:45', '--code', await code()]);
    expect(made).toMatch(/^id {9}wr_[A-Z0-9]{24}\ncurrency {3}USDT_ERC20\nwallet {5}ww_\w+\ntrigger {4}weekly on friday at 17:45 Europe\/Berlin\nstate {6}on\nnext run {3}2026-01-09T16:45:00.000Z\n/);
    const id = /^id +(\S+)/.exec(made)?.[1] as string;

    const table = await cli(['rule', 'list', shopId]);
    expect(table).toContain('ID');
    expect(table).toContain('weekly on friday at 17:45 Europe/Berlin');
    const listed = JSON.parse(await cli(['rule', 'list', shopId, '--json'])) as { withdrawal_rules: { id: string; enabled: boolean }[] };
    expect(listed.withdrawal_rules.map((r) => r.id)).toEqual([id]);

    expect(await cli(['rule', 'update', shopId, id, '--enabled', 'false', '--code', await code()])).toMatch(/state {6}off/);
    const amount = JSON.parse(await cli(['rule', 'update', shopId, id, '--enabled', 'true', '--threshold-usd', '750', '--code', await code(), '--json'])) as Record<string, unknown>;
    expect(amount).toMatchObject({ id, enabled: true, trigger: 'amount', threshold_usd: '750', armed: true, every: null });

    await cli(['rule', 'delete', shopId, id, '--code', await code()]);
    expect(await cli(['rule', 'list', shopId])).toBe('No withdrawal rules.\n');
  });

  it('says what is missing', async () => {
    const { shopId } = await newProject();
    await expect(cli(['rule', 'create', shopId, '--threshold-usd', '5', '--code', '123456'])).rejects.toThrow(/rule create needs --wallet WALLET_ID/);
    await expect(cli(['rule', 'create', shopId, '--wallet', 'ww_X', '--code', '123456'])).rejects.toThrow(/needs a trigger: --threshold-usd N .* or --every/);
    await expect(cli(['rule', 'update', shopId, 'wr_X', '--enabled', 'false'])).rejects.toThrow(CliError);
    await expect(cli(['rule', 'update', shopId, 'wr_X', '--enabled', 'maybe', '--code', '1'])).rejects.toThrow(/--enabled must be true or false/);
    await expect(cli(['rule', 'delete', shopId, '--code', '123456'])).rejects.toThrow(/needs SHOP_ID and a RULE_ID/);
  });
});
