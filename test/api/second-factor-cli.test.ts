/**
 * `tollgate project totp`, `tollgate withdrawal-wallet` and `tollgate audit` through the local HTTP
 * host and the real admin handlers: the QR and URI before the prompt, recovery codes once,
 * tables for people and --json for scripts.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from '../../lib/cli/main';
import { CliError } from '../../lib/cli/target';
import { createHttpHost } from '../../lib/local/http-host';
import { ADMIN_TOKEN, newProject, useTestGateway } from '../support/gateway';
import { codeAt, STEP_MS, useManualClock } from '../support/second-factor';

let host: Server;
let url: string;
let clock: ReturnType<typeof useManualClock>;
const ADDRESS = '0xdAC17F958D2ee523a2206206994597C13D831ec7';

beforeAll(async () => {
  const { deps } = await useTestGateway();
  clock = useManualClock(deps);
  host = createHttpHost();
  await new Promise<void>((ready) => host.listen(0, '127.0.0.1', ready));
  url = `http://127.0.0.1:${(host.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((done) => host?.close(done));
});

/** Runs the CLI; `answer` plays the person at the prompt, seeing what was printed (and prompted) so far. */
async function cli(args: string[], answer: (seen: string) => Promise<string> = async () => '') {
  let printed = '';
  await run([...args, '--endpoint', url, '--admin-token', ADMIN_TOKEN], {}, (s) => (printed += s), async (prompt) => answer(`${printed}${prompt}`));
  return printed;
}

const secretIn = (seen: string) => /secret=([A-Z2-7]+)/.exec(seen)?.[1] ?? '';

describe('tollgate project totp', () => {
  it('enable prints the URI and a terminal QR, asks for the code, then prints ten recovery codes once', async () => {
    const { shopId } = await newProject({ name: 'CLI factor' });
    let prompted = '';
    const printed = await cli(['project', 'totp', 'enable', shopId], async (seen) => {
      prompted = seen;
      return codeAt(secretIn(seen), clock.now());
    });
    expect(prompted).toMatch(/^Scan this with an authenticator app \(or type the secret [A-Z2-7]+\):\n\n/);
    // The small terminal QR draws with half blocks.
    expect(prompted).toMatch(/[▀▄█]/);
    expect(prompted).toMatch(/\notpauth:\/\/totp\/Tollgate:CLI%20factor%20\(\w+\)\?secret=[A-Z2-7]+&/);
    expect(prompted.endsWith('Code shown by the app: ')).toBe(true);
    const codes = printed.split('\n').filter((l) => /^ {2}[a-z2-7]{5}-[a-z2-7]{5}$/.test(l));
    expect(codes).toHaveLength(10);
    expect(printed).toContain('Recovery codes (shown once');
    const status = await cli(['project', 'totp', 'status', shopId]);
    expect(status).toMatch(/^status {5}active\nenabled {4}\d{4}-[^\n]+\nrecovery {3}10 codes left\nlocked {5}no\n$/);
    expect(JSON.parse(await cli(['project', 'totp', 'status', shopId, '--json']))).toMatchObject({ status: 'active', recovery_codes_left: 10 });
  });

  it('enable --json prints one JSON document with the secret and the recovery codes', async () => {
    const { shopId } = await newProject();
    const printed = await cli(['project', 'totp', 'enable', shopId, '--json'], async (seen) => codeAt(secretIn(seen), clock.now()));
    const json = JSON.parse(printed) as { secret: string; otpauth_uri: string; recovery_codes: string[]; status: string };
    expect(json).toMatchObject({ status: 'active' });
    expect(json.otpauth_uri).toContain(json.secret);
    expect(json.recovery_codes).toHaveLength(10);
  });
});

describe('tollgate withdrawal-wallet and audit', () => {
  it('adds, lists, changes and removes with --code; the audit lists every change', async () => {
    const { shopId } = await newProject();
    let secret = '';
    await cli(['project', 'totp', 'enable', shopId], async (seen) => {
      secret = secretIn(seen);
      return codeAt(secret, clock.now());
    });
    const fresh = async () => {
      clock.advance(STEP_MS);
      return codeAt(secret, clock.now());
    };
    const added = await cli(['withdrawal-wallet', 'add', shopId, '--currency', 'USDT_ERC20', '--address', ADDRESS, '--label', 'cold', '--code', await fresh()]);
    expect(added).toMatch(new RegExp(`^address {4}${ADDRESS}\\nid {9}ww_[A-Z0-9]{24}\\ncurrency {3}USDT_ERC20 \\(ERC20\\)\\nlabel {6}cold\\nstate {6}cooling off until \\d{4}-`));
    const id = /\nid {9}(ww_[A-Z0-9]{24})\n/.exec(added)?.[1] ?? '';
    const table = (await cli(['withdrawal-wallet', 'list', shopId])).split('\n');
    expect(table[0]).toMatch(/^ID {27}CURRENCY {4}ADDRESS {37}LABEL {2}STATE$/);
    expect(table[1]).toMatch(new RegExp(`^${id}  USDT_ERC20  ${ADDRESS}  cold {3}cooling off until `));
    const changed = JSON.parse(await cli(['withdrawal-wallet', 'change', shopId, id, '--label', 'warm', '--code', await fresh(), '--json']));
    expect(changed).toMatchObject({ id, label: 'warm', usable: false });
    expect(await cli(['withdrawal-wallet', 'remove', shopId, id, '--code', await fresh()])).toMatch(/\nstate {6}removed \d{4}-/);
    expect(await cli(['withdrawal-wallet', 'list', shopId])).toBe('No withdrawal wallets.\n');
    expect(await cli(['withdrawal-wallet', 'list', shopId, '--removed'])).toContain(id);

    const audit = (await cli(['audit', shopId])).split('\n');
    expect(audit[0].split(/ {2,}/)).toEqual(['AT', 'ACTOR', 'ACTION', 'SUBJECT', 'DETAILS']);
    const actions = audit.slice(1, -1).map((l) => l.split(/ {2,}/)[2]);
    expect(actions.slice(0, 3)).toEqual(['withdrawal_wallet.removed', 'withdrawal_wallet.changed', 'withdrawal_wallet.added']);
    expect(actions).toContain('second_factor.enabled');
    expect(audit.every((l) => l === '' || / cli /.test(l) || l.startsWith('AT'))).toBe(true);
  });

  it('names what is missing or wrong', async () => {
    const { shopId } = await newProject();
    const refused: [string[], string | RegExp][] = [
      [['project', 'totp'], 'project totp needs one of enable, confirm, status'],
      [['project', 'totp', 'status'], 'project totp status needs a SHOP_ID (see `tollgate project list`)'],
      [['withdrawal-wallet', 'delete', shopId], 'withdrawal-wallet needs one of add, list, change, remove'],
      [['withdrawal-wallet', 'add', shopId, '--currency', 'ETH', '--address', ADDRESS], /^withdrawal-wallet add needs --code TOTP/],
      [['withdrawal-wallet', 'remove', shopId], `withdrawal-wallet remove needs SHOP_ID and a WALLET_ID (see \`tollgate withdrawal-wallet list ${shopId}\`)`],
      [['withdrawal-wallet', 'add', shopId, '--currency', 'ETH', '--address', ADDRESS, '--code', '123456'], /^HTTP 400: totp_code: This project has no second factor yet/],
      [['audit'], 'audit needs a SHOP_ID (see `tollgate project list`)'],
      [['project', 'totp', 'enable', shopId], /^no code given; confirm later with `tollgate project totp confirm/],
    ];
    for (const [args, message] of refused) {
      const error = await cli(args).then(
        () => null,
        (e: unknown) => e,
      );
      expect(error, args.join(' ')).toBeInstanceOf(CliError);
      if (typeof message === 'string') expect((error as Error).message).toBe(message);
      else expect((error as Error).message).toMatch(message);
    }
  });
});
