/**
 * `npm start` as a user runs it: the real process, the real port, the CLI as a separate process.
 * Create, info, list, cancel, statistics and balance over HTTP, in JSON and form.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../lib/local/engines/dynamodb';
import { aroundToday } from '../support/dates';
import { startReceiver, verifySignature, verifyToken } from '../support/postback-receiver';

const ROOT = join(import.meta.dirname, '..', '..');
const run = promisify(execFile);
type Started = { child: ChildProcess; url: string; output: () => string; dataDir: string };
const started: Started[] = [];
const dirs: string[] = [];
const cleanups: (() => Promise<void>)[] = [];

async function startGateway(dataDir: string, port: number): Promise<Started> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'lib/local/main.ts'], {
    cwd: ROOT,
    env: { ...process.env, PORT: String(port), TOLLGATE_DATA_DIR: dataDir, LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (d) => (output += d));
  child.stderr?.on('data', (d) => (output += d));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`gateway did not start: ${output}`)), 60_000);
    const check = () => {
      const m = /Tollgate is running at (\S+)/.exec(output);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    };
    child.stdout?.on('data', check);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`gateway exited with ${code}: ${output}`));
    });
  });
  const s = { child, url, output: () => output, dataDir };
  started.push(s);
  return s;
}

async function stop(s: Started) {
  if (s.child.exitCode !== null || s.child.signalCode !== null) return;
  await new Promise<void>((r) => {
    s.child.once('exit', () => r());
    s.child.kill('SIGTERM');
  });
}

const tmp = () => {
  const d = mkdtempSync(join(tmpdir(), 'tollgate-e2e-'));
  dirs.push(d);
  return d;
};

async function post(url: string, path: string, apiKey: string, body: unknown, form = false) {
  const res = await fetch(`${url}${path}`, {
    method: 'POST',
    headers: { authorization: `Token ${apiKey}`, 'content-type': form ? 'application/x-www-form-urlencoded' : 'application/json' },
    body: form ? new URLSearchParams(body as Record<string, string>).toString() : JSON.stringify(body),
  });
  // biome-ignore lint/suspicious/noExplicitAny: the test reads arbitrary response shapes
  return { status: res.status, body: (await res.json()) as { status: string; result: any } };
}

async function cli(dataDir: string, ...args: string[]) {
  return cliWith({ TOLLGATE_DATA_DIR: dataDir }, ...args);
}

async function cliWith(env: Record<string, string>, ...args: string[]) {
  const { stdout } = await run(process.execPath, [join(ROOT, 'bin/tollgate.mjs'), ...args], { cwd: ROOT, env: { ...process.env, PORT: '', ...env } });
  return stdout;
}

let gw: Started;
let demo: { shop_id: string; api_key: string; secret_key: string };

beforeAll(async () => {
  gw = await startGateway(tmp(), await freePort());
  demo = JSON.parse(readFileSync(join(gw.dataDir, 'demo-project.json'), 'utf8'));
}, 90_000);

afterAll(async () => {
  for (const c of cleanups) await c();
  for (const s of started) await stop(s);
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

async function statusOf(url: string, apiKey: string, uuid: string) {
  const res = await fetch(`${url}/v2/invoice/merchant/info`, { method: 'POST', headers: { authorization: `Token ${apiKey}`, 'content-type': 'application/json' }, body: JSON.stringify({ uuids: [uuid] }) });
  return ((await res.json()) as { result: { status: string; tx_list: { tx_hash: string; final: boolean }[] }[] }).result[0];
}

async function paidWithin(url: string, apiKey: string, uuid: string, ms: number) {
  const deadline = Date.now() + ms;
  let shown = await statusOf(url, apiKey, uuid);
  while (shown.status !== 'paid' && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 250));
    shown = await statusOf(url, apiKey, uuid);
  }
  return shown;
}

const TRON_ADDRESS = /^T[1-9A-HJ-NP-Za-km-z]{33}$/;
const TRON_TXID = /^[0-9a-f]{64}$/;

describe('npm start', () => {
  it('prints the demo project and a demo payment page, and answers /health', async () => {
    expect(gw.output()).toContain(`shop_id     ${demo.shop_id}`);
    expect(gw.output()).toContain(demo.secret_key);
    const link = /Demo payment page \(test mode, new invoice (INV-[0-9A-Z]{8})\):\n {2}(\S+)\n/.exec(gw.output());
    expect(link?.[2]).toBe(`${gw.url}/pay/${link?.[1].slice(4)}`);
    const [shown] = (await post(gw.url, '/v2/invoice/merchant/info', demo.api_key, { uuids: [link?.[1]] })).body.result;
    expect(shown).toMatchObject({ status: 'created', test_mode: true, order_id: 'DEMO' });
    // Readable by default: no JSON log lines (the watcher used to log its lag every second).
    expect(gw.output()).not.toMatch(/^\{"level"/m);
    const health = await fetch(`${gw.url}/health`);
    expect(health.status).toBe(200);
  });

  it('serves create, info, list, cancel, statistics and balance in JSON and form', async () => {
    const json = await post(gw.url, '/v2/invoice/create', demo.api_key, { shop_id: demo.shop_id, amount: 12.5, currency: 'USD', order_id: 'E2E-1' });
    const form = await post(gw.url, '/v2/invoice/create?locale=ru', demo.api_key, { shop_id: demo.shop_id, amount: '30', currency: 'EUR', 'add_fields[cryptocurrency]': 'USDT_ERC20' }, true);
    expect(json.status).toBe(200);
    expect(form.status).toBe(200);
    expect(form.body.result.address).toMatch(/^0x[0-9a-fA-F]{40}$/);
    const info = await post(gw.url, '/v2/invoice/merchant/info', demo.api_key, { uuids: [json.body.result.uuid, form.body.result.uuid.slice(4)] });
    expect(info.body.result.map((r: { order_id: string }) => r.order_id).sort()).toEqual(['', 'E2E-1']);
    const list = await post(gw.url, '/v2/invoice/merchant/list', demo.api_key, { ...aroundToday(), offset: '0', limit: '10' }, true);
    // The two above and the demo invoice the banner links to.
    expect(list.body.result.length).toBe(3);
    const cancel = await post(gw.url, '/v2/invoice/merchant/canceled', demo.api_key, { uuid: json.body.result.uuid }, true);
    expect(cancel.body).toEqual({ status: 'success', result: ['ok'] });
    const stats = await post(gw.url, '/v2/invoice/merchant/statistics', demo.api_key, { ...aroundToday() });
    expect(stats.body.result.count).toMatchObject({ all: 3, canceled: 1, created: 2 });
    expect(stats.body.result.amount.canceled).toBe(12.5);
    const balance = await fetch(`${gw.url}/v2/merchant/wallet/balance/all`, { method: 'POST', headers: { authorization: `Token ${demo.api_key}`, 'content-type': 'application/json' } });
    const rows = ((await balance.json()) as { result: { balance_crypto: number }[] }).result;
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((r) => r.balance_crypto === 0)).toBe(true);
  });

  it('answers bad input with the envelope and the right status', async () => {
    const missing = await post(gw.url, '/v2/invoice/create', demo.api_key, { shop_id: demo.shop_id });
    expect(missing).toEqual({ status: 400, body: { status: 'error', result: { amount: 'amount not passed.' } } });
    const forbidden = await post(gw.url, '/v2/invoice/create', 'nope', { shop_id: demo.shop_id, amount: 1 });
    expect(forbidden).toEqual({ status: 403, body: { status: 'error', result: { authorization: 'Unauthorized request.' } } });
    const xml = await fetch(`${gw.url}/v2/invoice/create`, { method: 'POST', headers: { authorization: `Token ${demo.api_key}`, 'content-type': 'text/xml' }, body: '<a/>' });
    expect(xml.status).toBe(400);
    const huge = await post(gw.url, '/v2/invoice/create', demo.api_key, { shop_id: demo.shop_id, amount: 1, order_id: 'x'.repeat(200_000) });
    expect(huge.status).toBe(400);
    const unknown = await fetch(`${gw.url}/v2/nothing`, { method: 'POST' });
    expect(unknown.status).toBe(404);
    expect(((await unknown.json()) as { status: string }).status).toBe('error');
  });

  it('sends the demo project\'s postbacks to the built-in demo listener, which shows them verified', async () => {
    const created = await post(gw.url, '/v2/invoice/create', demo.api_key, { shop_id: demo.shop_id, amount: 3, currency: 'USD', order_id: 'DEMO-PB' });
    await cli(gw.dataDir, 'invoice', 'confirm-test', created.body.result.uuid);
    let shown: { invoice_id: string; status: string; token_valid: boolean; signature_valid: boolean }[] = [];
    for (let i = 0; i < 100 && !shown.some((p) => p.invoice_id === created.body.result.uuid.slice(4)); i += 1) {
      await new Promise((r) => setTimeout(r, 100));
      shown = ((await (await fetch(`${gw.url}/demo/postbacks`)).json()) as { postbacks: typeof shown }).postbacks;
    }
    expect(shown.find((p) => p.invoice_id === created.body.result.uuid.slice(4))).toMatchObject({ status: 'success', token_valid: true, signature_valid: true });
  }, 30_000);

  it('the CLI creates, lists, updates projects, rotates keys and confirms test invoices', async () => {
    const created = JSON.parse(await cli(gw.dataDir, 'project', 'create', '--name', 'CLI shop', '--notification-url', 'https://shop.example/cb', '--json'));
    expect(created).toMatchObject({ name: 'CLI shop', test_mode: true, settings: { notification_url: 'https://shop.example/cb', postback_format: 'form', invoice_lifetime_minutes: 1440 } });
    expect(created.api_key).toMatch(/^tgk_/);
    expect(Buffer.from(created.secret_key, 'base64url').length).toBeGreaterThanOrEqual(32);
    const list = JSON.parse(await cli(gw.dataDir, 'project', 'list', '--json'));
    expect(list.map((p: { shop_id: string }) => p.shop_id)).toContain(created.shop_id);
    expect(JSON.stringify(list)).not.toContain(created.secret_key);
    const updated = JSON.parse(await cli(gw.dataDir, 'project', 'update', created.shop_id, '--postback-format', 'json', '--partial-tolerance', '1.5usd', '--json'));
    expect(updated.settings).toMatchObject({ postback_format: 'json', partial_tolerance: '1.5usd' });
    const invoice = await post(gw.url, '/v2/invoice/create', created.api_key, { shop_id: created.shop_id, amount: 3 });
    const confirmed = JSON.parse(await cli(gw.dataDir, 'invoice', 'confirm-test', invoice.body.result.uuid, '--json'));
    expect(confirmed).toMatchObject({ status: 'paid', invoice_status: 'success' });
    const rotated = JSON.parse(await cli(gw.dataDir, 'key', 'rotate', created.shop_id, '--json'));
    expect(rotated.api_key).not.toBe(created.api_key);
    expect((await post(gw.url, '/v2/invoice/create', created.api_key, { shop_id: created.shop_id, amount: 1 })).status).toBe(403);
    expect((await post(gw.url, '/v2/invoice/create', rotated.api_key, { shop_id: created.shop_id, amount: 1 })).status).toBe(200);
    await expect(cli(gw.dataDir, 'project', 'show', 'NOSUCHSHOP')).rejects.toThrow(/not found/);
    expect(await cli(gw.dataDir, '--help')).toContain('tollgate project create');
    // The package's own bin, as a user types it after `npm ci`.
    const { stdout } = await run('npx', ['--no-install', 'tollgate', '--help'], { cwd: ROOT });
    expect(stdout).toContain('tollgate: manage a Tollgate gateway');
  }, 90_000);

  it('serves ETH and USDT_ERC20 from the devnet: devnet info, devnet pay, the invoice is paid after 3 blocks and its postback arrives', async () => {
    // npm start allows loopback notification URLs, so a receiver on this machine gets postbacks.
    const receiver = await startReceiver();
    cleanups.push(receiver.stop);
    await cli(gw.dataDir, 'project', 'update', demo.shop_id, '--notification-url', receiver.url);
    const info = JSON.parse(await cli(gw.dataDir, 'devnet', 'info', '--json'));
    expect(info).toMatchObject({ rpc_url: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/), chain_id: 31337, tokens: { USDT_ERC20: expect.stringMatching(/^0x[0-9a-fA-F]{40}$/) }, payer_private_key: expect.stringMatching(/^0x[0-9a-f]{64}$/) });
    // The Tron codes are served too, by the TronGrid simulator (paid below).
    expect(info.codes).toEqual(expect.arrayContaining(['ETH', 'USDT_ERC20', 'TRX', 'USDT_TRC20']));
    const created = await post(gw.url, '/v2/invoice/create', demo.api_key, { shop_id: demo.shop_id, amount: 12.5, currency: 'USD', add_fields: { cryptocurrency: 'USDT_ERC20' } });
    expect(created.body.result.amount).toBe(12.5);
    const paid = JSON.parse(await cli(gw.dataDir, 'devnet', 'pay', '--code', 'USDT_ERC20', '--to', created.body.result.address, '--amount', '12.5', '--json'));
    expect(paid.tx_hash).toMatch(/^0x[0-9a-f]{64}$/);
    let result: { status: string; tx_list: { tx_hash: string; final: boolean }[] } = { status: '', tx_list: [] };
    for (let i = 0; i < 100 && result.status !== 'paid'; i += 1) {
      await new Promise((r) => setTimeout(r, 200));
      result = (await post(gw.url, '/v2/invoice/merchant/info', demo.api_key, { uuids: [created.body.result.uuid] })).body.result[0];
    }
    expect(result).toMatchObject({ status: 'paid', tx_list: [{ tx_hash: paid.tx_hash, final: true }] });
    const status = JSON.parse(await cli(gw.dataDir, 'chain', 'status', '--json'));
    expect(status[0]).toMatchObject({ chain: 'ethereum', evm_chain_id: 31337, devnet: true, codes: ['ETH', 'USDT_ERC20'], confirmations: { normal: 3 } });
    const rescan = JSON.parse(await cli(gw.dataDir, 'chain', 'rescan', '--chain', 'ethereum', '--from', '0', '--to', String(status[0].scanned_to), '--json'));
    expect(rescan.observations).toBeGreaterThanOrEqual(1);

    const [postback] = await receiver.waitFor(1);
    expect(postback.fields).toMatchObject({ status: 'success', invoice_id: created.body.result.uuid.slice(4), amount_crypto: '12.5', currency: 'USDT_ERC20' });
    const token = await verifyToken(postback.fields.token, demo.secret_key);
    expect(token.ok && token.claims.id).toBe(created.body.result.uuid.slice(4));
    expect(verifySignature(postback.headers['tollgate-signature'] as string, postback.raw, demo.secret_key, Math.floor(Date.now() / 1000))).toBe(true);
    const log = JSON.parse(await cli(gw.dataDir, 'postback', 'log', created.body.result.uuid, '--json'));
    expect(log.events).toEqual([expect.objectContaining({ event: 'invoice.paid', delivered: true })]);
    const resent = JSON.parse(await cli(gw.dataDir, 'postback', 'resend', created.body.result.uuid, '--json'));
    expect(resent.queued).toHaveLength(1);
    await receiver.waitFor(2);
    expect(JSON.parse(await cli(gw.dataDir, 'postback', 'dlq', 'list', '--json'))).toEqual([]);
    expect(JSON.parse(await cli(gw.dataDir, 'chain', 'dlq', 'list', '--json'))).toEqual([]);
  }, 150_000);

  it('lists the Tron codes in devnet info and pays USDT_TRC20 and TRX with devnet pay', async () => {
    const dataDir = gw.dataDir;
    expect(gw.output()).toMatch(/Tron {6}TronGrid simulator, a block every 3 s {7}USDT_TRC20, TRX, USDD_TRC20/);

    const info = JSON.parse(await cli(dataDir, 'devnet', 'info', '--json'));
    expect(info).toMatchObject({
      chain_id: 31337,
      chain: 'ethereum',
      payer_address: expect.stringMatching(/^0x[0-9a-fA-F]{40}$/),
      tokens: { USDT_ERC20: expect.stringMatching(/^0x/), USDT_TRC20: expect.stringMatching(TRON_ADDRESS), USDD_TRC20: expect.stringMatching(TRON_ADDRESS) },
      tron: {
        api_url: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/),
        payer_address: 'TWer2Ygk5TEheHp3TPuYeqxmB6SsGZmaL6',
        payer_private_key: expect.stringMatching(/^0x[0-9a-f]{64}$/),
        tokens: { USDT_TRC20: info.tokens.USDT_TRC20, USDD_TRC20: info.tokens.USDD_TRC20 },
      },
    });
    expect([...info.codes].sort()).toEqual(['ETH', 'TRX', 'USDD_TRC20', 'USDT_ERC20', 'USDT_TRC20']);
    const human = await cli(dataDir, 'devnet', 'info');
    expect(human).toContain('tron (TronGrid simulator)');
    expect(human).toMatch(new RegExp(`USDT_TRC20 +${info.tokens.USDT_TRC20}`));

    const usdt = (await post(gw.url, '/v2/invoice/create', demo.api_key, { shop_id: demo.shop_id, amount: 10, currency: 'USD', add_fields: { cryptocurrency: 'USDT_TRC20' } })).body.result;
    expect(usdt.address).toMatch(TRON_ADDRESS);
    const paid = JSON.parse(await cli(dataDir, 'devnet', 'pay', '--code', 'USDT_TRC20', '--to', usdt.address, '--amount', '10', '--json'));
    expect(paid).toMatchObject({ tx_hash: expect.stringMatching(TRON_TXID), code: 'USDT_TRC20', amount: '10', amount_units: '10000000', rpc_url: info.tron.api_url });
    expect(await paidWithin(gw.url, demo.api_key, usdt.uuid, 30_000)).toMatchObject({ status: 'paid', tx_list: [{ tx_hash: paid.tx_hash, final: true }] });

    // TRX: 2.5 USD at 0.25 USD a TRX (the local fixed rates) is 10 TRX.
    const trx = (await post(gw.url, '/v2/invoice/create', demo.api_key, { shop_id: demo.shop_id, amount: 2.5, currency: 'USD', add_fields: { cryptocurrency: 'TRX' } })).body.result;
    const trxPaid = JSON.parse(await cli(dataDir, 'devnet', 'pay', '--code', 'TRX', '--to', trx.address, '--amount', '10', '--json'));
    expect(trxPaid).toMatchObject({ code: 'TRX', amount_units: '10000000' });
    expect((await paidWithin(gw.url, demo.api_key, trx.uuid, 30_000)).status).toBe('paid');
    await expect(cli(dataDir, 'devnet', 'pay', '--code', 'USDT_TRC20', '--to', '0x70997970C51812dc3A010C7d01b50e0d17dc79C8', '--amount', '1')).rejects.toThrow(/Tron address/);

  }, 90_000);

  it('gives a customer a static wallet whose every devnet payment shows as its own paid receipt', async () => {
    const body = { shop_id: demo.shop_id, currency: 'USDT_ERC20', identify: 'npm-start-customer' };
    const wallet = (await post(gw.url, '/v2/invoice/static/create', demo.api_key, body)).body.result;
    expect(wallet).toMatchObject({ uuid: expect.stringMatching(/^[A-Z0-9]{32}$/), address: expect.stringMatching(/^0x[0-9a-fA-F]{40}$/), currency: { code: 'USDT_ERC20' } });
    expect((await post(gw.url, '/v2/invoice/static/create', demo.api_key, body)).body.result).toEqual(wallet);
    for (const amount of ['7', '3.25']) await cli(gw.dataDir, 'devnet', 'pay', '--code', 'USDT_ERC20', '--to', wallet.address, '--amount', amount, '--json');
    let receipts: { status: string; order_id: string; amount_paid: number }[] = [];
    for (let i = 0; i < 150; i += 1) {
      const list = await post(gw.url, '/v2/invoice/merchant/list', demo.api_key, { ...aroundToday(), limit: 100 });
      receipts = (list.body.result as typeof receipts).filter((r) => r.order_id === 'npm-start-customer');
      if (receipts.length === 2 && receipts.every((r) => r.status === 'paid')) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(receipts.map((r) => [r.status, r.amount_paid]).sort()).toEqual([
      ['paid', 3.25],
      ['paid', 7],
    ]);
  }, 60_000);

  it('the CLI reaches a gateway by endpoint and admin token, as for a deployed stack', async () => {
    const { adminToken } = JSON.parse(readFileSync(join(gw.dataDir, 'secrets.json'), 'utf8'));
    const elsewhere = tmp(); // no local gateway data here: only the flags can find it
    const shown = JSON.parse(await cli(elsewhere, 'project', 'show', demo.shop_id, '--endpoint', gw.url, '--admin-token', adminToken, '--json'));
    expect(shown).toMatchObject({ shop_id: demo.shop_id, name: 'Demo shop', test_mode: true });
    expect(shown.api_key).toBeUndefined();
    await expect(cli(elsewhere, 'project', 'list', '--endpoint', gw.url, '--admin-token', 'tga_wrong-token-0000000000')).rejects.toThrow(/403/);
    await expect(cli(elsewhere, 'project', 'list', '--endpoint', gw.url)).rejects.toThrow(/admin credential/);
    await expect(cli(elsewhere, 'project', 'list')).rejects.toThrow(/npm start/);
    // PORT names the gateway like it does for npm start; the data folder still gives the token.
    const port = new URL(gw.url).port;
    const viaPort = JSON.parse(await cliWith({ TOLLGATE_DATA_DIR: gw.dataDir, PORT: port }, 'project', 'show', demo.shop_id, '--json'));
    expect(viaPort.shop_id).toBe(demo.shop_id);
  }, 90_000);

  it('runs a second gateway side by side, refuses a second one on the same data, and keeps data across restarts', async () => {
    const other = await startGateway(tmp(), await freePort());
    expect((await fetch(`${other.url}/health`)).status).toBe(200);
    await expect(startGateway(gw.dataDir, await freePort())).rejects.toThrow(/already uses/);
    const before = await post(gw.url, '/v2/invoice/create', demo.api_key, { shop_id: demo.shop_id, amount: 9 });
    await stop(gw);
    const again = await startGateway(gw.dataDir, await freePort());
    expect(again.output()).toContain('Reusing the demo project');
    expect(again.output()).toMatch(/Demo payment page \(test mode, kept invoice INV-/);
    expect(again.output()).toContain(demo.shop_id);
    const info = await post(again.url, '/v2/invoice/merchant/info', demo.api_key, { uuids: [before.body.result.uuid] });
    expect(info.body.result[0].amount_in_fiat).toBe(9);
    // A gateway killed outright leaves its lock and its engine behind; the next start cleans up.
    again.child.kill('SIGKILL');
    await new Promise((r) => again.child.once('exit', r));
    const afterCrash = await startGateway(gw.dataDir, await freePort());
    const stillThere = await post(afterCrash.url, '/v2/invoice/merchant/info', demo.api_key, { uuids: [before.body.result.uuid] });
    expect(stillThere.body.result[0].amount_in_fiat).toBe(9);
    gw = afterCrash;
  }, 150_000);
});
