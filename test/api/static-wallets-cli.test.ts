/**
 * `tollgate wallet static create|list|show|block|unblock` through the local HTTP host and the
 * real admin handlers: what people read (tables, the address first) and what scripts read (--json).
 */
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from '../../lib/cli/main';
import { CliError } from '../../lib/cli/target';
import { createHttpHost } from '../../lib/local/http-host';
import type { StaticWalletId } from '../../shared/domain/ids';
import type { Deps } from '../../shared/ports';
import { ADMIN_TOKEN, newProject, useTestGateway } from '../support/gateway';
import { usdtTransferTo, writeReceipt } from '../support/static-receipts';

let host: Server;
let url: string;
let shopId: string;
let deps: Deps;

beforeAll(async () => {
  ({ deps } = await useTestGateway());
  ({ shopId } = await newProject({ name: 'CLI top-ups' }));
  host = createHttpHost();
  await new Promise<void>((ready) => host.listen(0, '127.0.0.1', ready));
  url = `http://127.0.0.1:${(host.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((done) => host?.close(done));
});

async function cli(...args: string[]) {
  let printed = '';
  await run([...args, '--endpoint', url, '--admin-token', ADMIN_TOKEN], {}, (s) => {
    printed += s;
  });
  return printed;
}

type Wallet = { uuid: string; address: string; identify: string; blocked: boolean };

describe('tollgate wallet static', () => {
  it('create prints the address first and is idempotent; --json prints the native wallet', async () => {
    const printed = await cli('wallet', 'static', 'create', shopId, '--currency', 'usdt_erc20', '--identify', 'customer-42');
    expect(printed).toMatch(/^address {4}0x[0-9a-fA-F]{40}\nuuid {7}[A-Z0-9]{32}\nidentify {3}customer-42\ncurrency {3}USDT_ERC20 \(ERC20\)\nblocked {4}no\ncreated {4}\d{4}-/);
    const json = JSON.parse(await cli('wallet', 'static', 'create', shopId, '--currency', 'USDT_ERC20', '--identify', 'customer-42', '--json')) as Wallet;
    expect(json).toMatchObject({ identify: 'customer-42', currency: 'USDT_ERC20', network: 'ERC20', blocked: false, shop_id: shopId });
    expect(printed).toContain(json.uuid);
    expect(printed).toContain(json.address);
  });

  it('list prints a table, filters by --identify, and says when there is nothing', async () => {
    const { shopId: shop } = await newProject({ name: 'Listed' });
    expect(await cli('wallet', 'static', 'list', shop)).toBe('No static wallets.\n');
    const a = JSON.parse(await cli('wallet', 'static', 'create', shop, '--currency', 'ETH', '--identify', 'alice', '--json')) as Wallet;
    const b = JSON.parse(await cli('wallet', 'static', 'create', shop, '--currency', 'USDT_ERC20', '--identify', 'bob-the-long-customer-name', '--json')) as Wallet;
    const table = (await cli('wallet', 'static', 'list', shop)).split('\n');
    expect(table[0]).toMatch(/^UUID {30}IDENTIFY {20}CURRENCY {4}ADDRESS {37}FLAG {2}CREATED$/);
    expect(table[1]).toMatch(new RegExp(`^${a.uuid}  alice {23}ETH {9}${a.address}  - {5}\\d{4}-`));
    expect(table[2]).toMatch(new RegExp(`^${b.uuid}  bob-the-long-customer-name  USDT_ERC20  ${b.address}  - {5}\\d{4}-`));
    expect(table).toHaveLength(4);
    const filtered = JSON.parse(await cli('wallet', 'static', 'list', shop, '--identify', 'alice', '--json')) as { static_wallets: Wallet[]; next_cursor: null };
    expect(filtered.static_wallets.map((w) => w.uuid)).toEqual([a.uuid]);
    expect(filtered.next_cursor).toBeNull();
  });

  it('show, block and unblock one wallet', async () => {
    const w = JSON.parse(await cli('wallet', 'static', 'create', shopId, '--currency', 'USDT_ERC20', '--identify', 'shown', '--json')) as Wallet;
    const shown = await cli('wallet', 'static', 'show', shopId, w.uuid);
    expect(shown).toContain(`address    ${w.address}\n`);
    expect(shown).toContain('credited   0 receipts: 0 USDT_ERC20 received, 0 net of fees\n');
    expect(shown).toContain('No receipts yet.');
    expect(shown).not.toContain('Kept for review');
    const json = JSON.parse(await cli('wallet', 'static', 'show', shopId, w.uuid, '--json'));
    expect(json).toMatchObject({ uuid: w.uuid, totals: { receipts: 0 }, receipts: [], strays: { count: 0 } });

    const blocked = await cli('wallet', 'static', 'block', shopId, w.uuid);
    expect(blocked).toMatch(/\nblocked {4}yes, since \d{4}-[^\n]+Z \(receipts are still credited, and flagged\)\n/);
    expect(await cli('wallet', 'static', 'list', shopId, '--identify', 'shown')).toMatch(/ blocked {2}\d{4}-/);
    const unblocked = JSON.parse(await cli('wallet', 'static', 'unblock', shopId, w.uuid, '--json')) as Wallet;
    expect(unblocked).toMatchObject({ uuid: w.uuid, blocked: false, blocked_at: null });
  });

  it('show lists receipts newest first in a table, with the transfers kept for review', async () => {
    const w = JSON.parse(await cli('wallet', 'static', 'create', shopId, '--currency', 'USDT_ERC20', '--identify', 'with-receipts', '--json')) as Wallet;
    const t0 = Date.UTC(2026, 0, 2, 10, 0, 0);
    const paid = await writeReceipt(deps, w.uuid, 12_500_000n, { paid: true, at: t0 });
    const waiting = await writeReceipt(deps, w.uuid, 40_000_000n, { at: t0 + 60_000 });
    const stray = { ...usdtTransferTo(w.address, 3n), contract: `0x${'9'.repeat(40)}` };
    await deps.payments.recordStray({ owner: { kind: 'static_wallet', walletId: w.uuid as StaticWalletId }, transfer: stray, reason: 'unrecognized_token', code: null, seenAt: t0 });
    const printed = await cli('wallet', 'static', 'show', shopId, w.uuid);
    const lines = printed.split('\n');
    const cells = (line: string) => line.split(/ {2,}/);
    const at = lines.indexOf('Receipts, newest first (each is its own invoice):');
    expect(cells(lines[at + 1])).toEqual(['INVOICE', 'STATUS', 'AMOUNT', 'NET', 'CONF', 'CREATED', 'TX', 'FLAG']);
    // Columns line up: every row's cells start where the header's do.
    const starts = (line: string) => [...line.matchAll(/(?:^| {2,})(\S)/g)].map((m) => (m.index ?? 0) + m[0].length - 1);
    expect(starts(lines[at + 2])).toEqual(starts(lines[at + 1]));
    expect(cells(lines[at + 2])).toEqual([`INV-${waiting.id}`, 'created', '40', '0', '0', '2026-01-02T10:01:00.000Z', '-', '-']);
    expect(cells(lines[at + 3])).toEqual([`INV-${paid.id}`, 'paid', '12.5', expect.stringMatching(/^\d+(\.\d+)?$/), '1', '2026-01-02T10:00:00.000Z', paid.payments[0].transfer.txHash, '-']);
    const review = lines.indexOf('Kept for review, not credited: 1 transfer (another token, or below the network fee)');
    expect(review).toBeGreaterThan(at);
    expect(cells(lines[review + 1])).toEqual(['TX', 'REASON', 'CURRENCY', 'AMOUNT']);
    expect(cells(lines[review + 2])).toEqual([stray.txHash, 'unrecognized_token', '-', '3 base units']);
  });

  it('names what is missing or wrong', async () => {
    const refused: [string[], string | RegExp][] = [
      [['wallet', 'static'], 'wallet static needs one of create, list, show, block, unblock'],
      [['wallet', 'static', 'delete', shopId], 'wallet static needs one of create, list, show, block, unblock'],
      [['wallet', 'static', 'list'], 'wallet static list needs a SHOP_ID (see `tollgate project list`)'],
      [['wallet', 'static', 'create', shopId, '--identify', 'x'], /needs --currency CODE/],
      [['wallet', 'static', 'create', shopId, '--currency', 'ETH'], /needs --identify CUSTOMER_ID/],
      [['wallet', 'static', 'show', shopId], `wallet static show needs SHOP_ID and a wallet UUID (see \`tollgate wallet static list ${shopId}\`)`],
      [['wallet', 'static', 'create', shopId, '--currency', 'DOGE', '--identify', 'x'], /^HTTP 400: currency: Unknown currency 'DOGE'/],
      [['wallet', 'static', 'create', shopId, '--currency', 'ETH', '--identify', 'x'.repeat(129)], 'HTTP 400: identify: identify is 129 characters long; at most 128 are allowed.'],
      [['wallet', 'static', 'show', shopId, 'A'.repeat(32)], `HTTP 404: uuid: No static wallet ${'A'.repeat(32)} in this project`],
      [['wallet', 'static', 'block', 'NoSuchShop000000', 'A'.repeat(32)], 'HTTP 404: shop_id: Project NoSuchShop000000 not found'],
    ];
    for (const [args, message] of refused) {
      const failed = cli(...args);
      await expect(failed, args.join(' ')).rejects.toBeInstanceOf(CliError);
      await expect(failed, args.join(' ')).rejects.toThrow(message);
    }
  });
});
