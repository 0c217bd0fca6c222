/**
 * Withdrawal wallets through the real handlers on DynamoDB Local: a fresh code for every change,
 * addresses checked for the currency's network (checksums included), the cooling-off and its
 * end, the audit trail of every change, and two adds racing with one code.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { usableWithdrawalWallet } from '../../shared/app/withdrawal-wallets';
import type { Deps } from '../../shared/ports';
import { call, newProject, useTestGateway } from '../support/gateway';
import { asAdmin, codeAt, type Enrolled, enrol, STEP_MS, useManualClock } from '../support/second-factor';

let deps: Deps;
let clock: ReturnType<typeof useManualClock>;
const HOUR_MS = 3_600_000;
/** Mainnet USDT's contract: a valid EIP-55 address; the same with two letters' case flipped fails the checksum. */
const GOOD = '0xdAC17F958D2ee523a2206206994597C13D831ec7';
const BAD_CHECKSUM = '0xDac17F958D2ee523a2206206994597C13D831ec7';
const OTHER_GOOD = '0x52908400098527886E0F7030069857D2E4169EE7';
const TRON = 'TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t';

beforeAll(async () => {
  ({ deps } = await useTestGateway({ WITHDRAWAL_COOLING_OFF_HOURS: '24' }));
  clock = useManualClock(deps);
});

type Wire = { id: string; currency: string; address: string; label: string; usable: boolean; usable_from: string; removed_at: string | null };

async function shop(): Promise<{ shopId: string; apiKey: string; factor: Enrolled }> {
  const { shopId, apiKey } = await newProject();
  const factor = await enrol(shopId, clock.now);
  return { shopId, apiKey, factor };
}

/** A fresh code: one step later than anything used so far. */
async function fresh(secret: string) {
  clock.advance(STEP_MS);
  return codeAt(secret, clock.now());
}

const add = (apiKey: string, body: Record<string, unknown>) => call('api.withdrawal_wallet.add', { apiKey, body: { currency: 'USDT_ERC20', address: GOOD, label: 'cold storage', ...body } });

describe('adding a withdrawal wallet', () => {
  it('needs a code, and refuses a wrong one', async () => {
    const { apiKey } = await shop();
    const missing = await add(apiKey, {});
    expect(missing.status).toBe(400);
    expect(missing.body.result).toEqual({ totp_code: "totp_code is required: a fresh code of the project's authenticator app (or a recovery code)." });
    const wrong = await add(apiKey, { totp_code: '000001' });
    expect(wrong.body.result).toEqual({ totp_code: 'Wrong code; 4 more wrong codes in a row lock the second factor' });
    expect(((await call('api.withdrawal_wallet.list', { apiKey })).body.result as { withdrawal_wallets: Wire[] }).withdrawal_wallets).toEqual([]);
  });

  it('refuses a bad checksum, another network and a malformed address with a clear error, spending no code', async () => {
    const { apiKey, factor } = await shop();
    const code = await fresh(factor.secret);
    const badSum = await add(apiKey, { address: BAD_CHECKSUM, totp_code: code });
    expect(badSum.status).toBe(400);
    expect(badSum.body).toEqual({
      status: 'error',
      result: { address: `address ${BAD_CHECKSUM} is not valid on Ethereum: its EIP-55 checksum (the mix of upper and lower case) is wrong: check it for a typo, or paste it again from the wallet.` },
    });
    const tron = await add(apiKey, { address: TRON, totp_code: code });
    expect(tron.body.result).toEqual({ address: `${TRON} is an address of another network; USDT_ERC20 is paid on Ethereum (ERC20), whose addresses are 0x followed by 40 hexadecimal digits.` });
    expect((await add(apiKey, { address: '0x1234', totp_code: code })).body.result).toEqual({
      address: 'address is not a valid address on Ethereum: USDT_ERC20 is paid on Ethereum (ERC20), whose addresses are 0x followed by 40 hexadecimal digits.',
    });
    expect((await add(apiKey, { address: `0x${'0'.repeat(40)}`, totp_code: code })).body.result).toEqual({ address: 'address is the zero address: funds sent there are burnt.' });
    expect((await add(apiKey, { currency: 'DOGE', totp_code: code })).body.result).toMatchObject({ currency: expect.stringMatching(/^Unknown currency 'DOGE'/) });
    expect((await add(apiKey, { label: 'a\nb', totp_code: code })).body.result).toEqual({ label: 'label must not contain control or bidirectional characters.' });
    // None of those spent the code.
    expect((await add(apiKey, { totp_code: code })).status).toBe(200);
  });

  it('reports the cooling-off with its end; the wallet is usable from then, by id or by address', async () => {
    const { shopId, apiKey, factor } = await shop();
    const added = await add(apiKey, { totp_code: await fresh(factor.secret) });
    const wallet = added.body.result as Wire;
    const end = clock.now() + 24 * HOUR_MS;
    expect(wallet).toMatchObject({ currency: 'USDT_ERC20', network: 'ERC20', address: GOOD, label: 'cold storage', usable: false, usable_from: new Date(end).toISOString(), removed_at: null });
    expect(wallet.id).toMatch(/^ww_[A-Z0-9]{24}$/);

    expect(await usableWithdrawalWallet(deps, shopId, { walletId: wallet.id }, end - 1)).toEqual({ ok: false, error: { kind: 'cooling_off', usableFrom: end } });
    expect((await usableWithdrawalWallet(deps, shopId, { walletId: wallet.id }, end)).ok).toBe(true);
    // EVM addresses compare without case.
    expect(await usableWithdrawalWallet(deps, shopId, { address: GOOD.toLowerCase(), code: 'USDT_ERC20' }, end)).toMatchObject({ ok: true, value: { id: wallet.id } });
    expect(await usableWithdrawalWallet(deps, shopId, { address: GOOD, code: 'ETH' }, end)).toEqual({ ok: false, error: { kind: 'wrong_currency', walletCode: 'USDT_ERC20', code: 'ETH' } });
    expect(await usableWithdrawalWallet(deps, shopId, { walletId: wallet.id, code: 'ETH' }, end)).toEqual({ ok: false, error: { kind: 'wrong_currency', walletCode: 'USDT_ERC20', code: 'ETH' } });
    expect(await usableWithdrawalWallet(deps, shopId, { address: OTHER_GOOD, code: 'USDT_ERC20' }, end)).toEqual({ ok: false, error: { kind: 'unknown_wallet' } });
    // Another project's wallet is unknown here.
    const other = await newProject();
    expect(await usableWithdrawalWallet(deps, other.shopId, { walletId: wallet.id }, end)).toEqual({ ok: false, error: { kind: 'unknown_wallet' } });
  });
});

describe('changing and removing', () => {
  it('a new address starts a new cooling-off, a new label does not; removed wallets are never usable; each change needs a code', async () => {
    const { shopId, apiKey, factor } = await shop();
    const wallet = (await add(apiKey, { totp_code: await fresh(factor.secret) })).body.result as Wire;
    clock.advance(25 * HOUR_MS);
    const relabel = await call('api.withdrawal_wallet.change', { apiKey, pathParameters: { walletId: wallet.id }, body: { label: 'treasury', totp_code: await fresh(factor.secret) } });
    expect(relabel.body.result).toMatchObject({ label: 'treasury', usable: true, usable_from: wallet.usable_from });

    const noCode = await call('api.withdrawal_wallet.change', { apiKey, pathParameters: { walletId: wallet.id }, body: { address: OTHER_GOOD } });
    expect(noCode.body.result).toMatchObject({ totp_code: expect.stringMatching(/^totp_code is required/) });
    const moved = await call('api.withdrawal_wallet.change', { apiKey, pathParameters: { walletId: wallet.id }, body: { address: OTHER_GOOD, totp_code: await fresh(factor.secret) } });
    expect(moved.body.result).toMatchObject({ address: OTHER_GOOD, usable: false, usable_from: new Date(clock.now() + 24 * HOUR_MS).toISOString() });
    expect(await usableWithdrawalWallet(deps, shopId, { walletId: wallet.id }, clock.now())).toEqual({ ok: false, error: { kind: 'cooling_off', usableFrom: clock.now() + 24 * HOUR_MS } });

    const removed = await call('api.withdrawal_wallet.remove', { apiKey, pathParameters: { walletId: wallet.id }, body: { totp_code: await fresh(factor.secret) } });
    expect(removed.body.result).toMatchObject({ removed_at: new Date(clock.now()).toISOString(), usable: false });
    expect(await usableWithdrawalWallet(deps, shopId, { walletId: wallet.id }, clock.now() + 48 * HOUR_MS)).toEqual({ ok: false, error: { kind: 'unknown_wallet' } });
    expect(((await call('api.withdrawal_wallet.list', { apiKey })).body.result as { withdrawal_wallets: Wire[] }).withdrawal_wallets).toEqual([]);
    const all = (await call('api.withdrawal_wallet.list', { apiKey, query: { removed: 'true' } })).body.result as { withdrawal_wallets: Wire[] };
    expect(all.withdrawal_wallets.map((w) => w.id)).toEqual([wallet.id]);
    // Gone is gone: a change of a removed wallet finds nothing.
    const after = await call('api.withdrawal_wallet.change', { apiKey, pathParameters: { walletId: wallet.id }, body: { label: 'x', totp_code: await fresh(factor.secret) } });
    expect(after.status).toBe(404);
    expect(after.body.result).toEqual({ wallet_id: `No withdrawal wallet ${wallet.id} in this project` });
  });

  it("another project's wallet is not found, and its code is not spent", async () => {
    const a = await shop();
    const b = await shop();
    const wallet = (await add(a.apiKey, { totp_code: await fresh(a.factor.secret) })).body.result as Wire;
    const code = await fresh(b.factor.secret);
    const res = await call('api.withdrawal_wallet.remove', { apiKey: b.apiKey, pathParameters: { walletId: wallet.id }, body: { totp_code: code } });
    expect(res.status).toBe(404);
    expect((await add(b.apiKey, { totp_code: code })).status).toBe(200);
  });
});

describe('the audit trail', () => {
  it('records every change, newest first, with who made it and what changed', async () => {
    const { shopId, apiKey, factor } = await shop();
    const wallet = (await add(apiKey, { totp_code: await fresh(factor.secret) })).body.result as Wire;
    clock.advance(1);
    await asAdmin('admin.withdrawal_wallet.change', { pathParameters: { shopId, walletId: wallet.id }, body: { address: OTHER_GOOD, totp_code: await fresh(factor.secret) } });
    clock.advance(1);
    await call('api.withdrawal_wallet.remove', { apiKey, pathParameters: { walletId: wallet.id }, body: { totp_code: await fresh(factor.secret) } });
    const trail = (await call('api.audit.list', { apiKey })).body.result as { events: { actor: string; action: string; subject: string; details: Record<string, unknown> }[]; next_cursor: string | null };
    expect(trail.events.slice(0, 3).map((e) => [e.actor, e.action, e.subject])).toEqual([
      ['api', 'withdrawal_wallet.removed', wallet.id],
      ['cli', 'withdrawal_wallet.changed', wallet.id],
      ['api', 'withdrawal_wallet.added', wallet.id],
    ]);
    expect(trail.events[1].details).toMatchObject({ address_changed: true, previous_address: GOOD, address: OTHER_GOOD });
    expect(trail.events[2].details).toMatchObject({ currency: 'USDT_ERC20', address: GOOD, usable_from: wallet.usable_from });
    // Pages: one at a time, then the rest.
    const first = (await call('api.audit.list', { apiKey, query: { limit: '1' } })).body.result as { events: unknown[]; next_cursor: string };
    expect(first.events).toHaveLength(1);
    const rest = (await call('api.audit.list', { apiKey, query: { limit: '100', cursor: first.next_cursor } })).body.result as { events: unknown[] };
    expect(rest.events).toHaveLength(trail.events.length - 1);
  });
});

describe('concurrency', () => {
  it('two adds racing with the same code: one wins, the other is told the code was used', async () => {
    const { apiKey, factor } = await shop();
    const code = await fresh(factor.secret);
    const [a, b] = await Promise.all([add(apiKey, { totp_code: code }), add(apiKey, { totp_code: code, address: OTHER_GOOD })]);
    expect([a.status, b.status].sort()).toEqual([200, 400]);
    const loser = a.status === 400 ? a : b;
    expect(loser.body.result).toEqual({ totp_code: 'This code was already used: wait for the next code of your authenticator (a new one every 30 seconds)' });
    expect(((await call('api.withdrawal_wallet.list', { apiKey })).body.result as { withdrawal_wallets: Wire[] }).withdrawal_wallets).toHaveLength(1);
    const trail = (await call('api.audit.list', { apiKey })).body.result as { events: { action: string }[] };
    expect(trail.events.filter((e) => e.action === 'withdrawal_wallet.added')).toHaveLength(1);
  });
});
