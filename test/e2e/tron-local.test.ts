/**
 * Tron in the local runtime, through the TronGrid simulator (the one allowed double): the payment
 * page of a USDT_TRC20 invoice in a real browser, paid with the test wallet; and `npm start` as a
 * user runs it, where `devnet info` lists the Tron codes and `devnet pay` pays USDT_TRC20 and TRX.
 * A restart (a new in-memory Tron chain): test/integration/tron-local-restart.test.ts.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Page } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from '../../lib/local/engines/dynamodb';
import { newContext, screenshotBoth, useBrowserGateway, watchConsole } from '../support/browser';

const ROOT = join(import.meta.dirname, '..', '..');
const TRON_ADDRESS = /^T[1-9A-HJ-NP-Za-km-z]{33}$/;
const TRON_TXID = /^[0-9a-f]{64}$/;

const t = useBrowserGateway({ RATE_LIMIT_CREATE_PER_MINUTE: '1000', RATE_LIMIT_BROWSE_PER_MINUTE: '10000' });

async function createInvoice(url: string, apiKey: string, shopId: string, extra: Record<string, unknown> = {}) {
  const res = await fetch(`${url}/v2/invoice/create`, {
    method: 'POST',
    headers: { authorization: `Token ${apiKey}`, 'content-type': 'application/json' },
    body: JSON.stringify({ shop_id: shopId, amount: 12.5, currency: 'USD', ...extra }),
  });
  expect(res.status).toBe(200);
  return ((await res.json()) as { result: { uuid: string; link: string; address: string } }).result;
}

const status = (page: Page, state: string) => page.locator(`.status[data-states="${state}"]`);

describe('the payment page of a Tron invoice', () => {
  it('chooses USDT on Tron, shows a Tron address, the network and the contract, pays with the test wallet and turns paid', async () => {
    const { url, demo, devnet } = t.local.gateway;
    expect(devnet.codes).toEqual(expect.arrayContaining(['TRX', 'USDT_TRC20', 'USDD_TRC20', 'ETH', 'USDT_ERC20']));
    const { link } = await createInvoice(url, demo.api_key, demo.shop_id, { order_id: 'TRON-1' });
    const page = await (await newContext(t.browser)).newPage();
    const problems = watchConsole(page);
    await page.goto(link);
    await expect.poll(() => page.getByRole('heading', { name: 'Choose how you want to pay' }).isVisible()).toBe(true);
    // USDT is offered on both networks; each option names its network.
    expect(await page.getByRole('radio', { name: /USDT.*Tron \(TRC-20\)/ }).count()).toBe(1);
    expect(await page.getByRole('radio', { name: /USDT.*Ethereum \(ERC-20\)/ }).count()).toBe(1);
    expect(await page.getByRole('radio', { name: /TRX/ }).count()).toBe(1);
    await screenshotBoth(page, 'tron-choose');

    await page.getByRole('radio', { name: /USDT.*Tron \(TRC-20\)/ }).check();
    await page.getByRole('button', { name: 'Continue' }).click();
    await expect.poll(() => page.locator('.address').isVisible(), { timeout: 15_000 }).toBe(true);
    const address = (await page.locator('.address').textContent())!;
    expect(address).toMatch(TRON_ADDRESS);
    expect(await page.locator('[data-v="due"]').first().textContent()).toBe('12.5');
    const warning = (await page.locator('.warning').textContent())!;
    expect(warning).toContain('Tron (TRC-20)');
    expect(warning).toContain(devnet.tokens.USDT_TRC20);
    // The QR holds the bare address: Tron wallets have no payment URI to read.
    const qr = await (await fetch(`${link.replace(/\?.*$/, '')}/qr.svg`)).text();
    expect(qr).toContain('<svg');
    expect(await page.getByText('The QR code holds the address only.').isVisible()).toBe(true);
    expect(await status(page, 'waiting').isVisible()).toBe(true);
    await screenshotBoth(page, 'tron-waiting');

    await page.getByRole('button', { name: 'Pay with the test wallet' }).click();
    // A Tron block every 3 s, 3 confirmations locally: the page shows the payment on its way first.
    await expect.poll(() => status(page, 'seen').isVisible(), { timeout: 20_000 }).toBe(true);
    expect(await status(page, 'seen').textContent()).toMatch(/waiting for confirmations: \d of 3/);
    await screenshotBoth(page, 'tron-seen');
    await expect.poll(() => status(page, 'paid').isVisible(), { timeout: 30_000 }).toBe(true);
    await screenshotBoth(page, 'tron-paid');
    expect(problems()).toEqual([]);
  }, 90_000);
});

// ---------------------------------------------------------------------------------------------
// npm start, as a user runs it
// ---------------------------------------------------------------------------------------------

const run = promisify(execFile);
type Started = { child: ChildProcess; url: string; output: () => string };
const started: Started[] = [];
const dirs: string[] = [];

async function startNpmStart(dataDir: string): Promise<Started> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'lib/local/main.ts'], {
    cwd: ROOT,
    env: { ...process.env, PORT: String(await freePort()), TOLLGATE_DATA_DIR: dataDir, LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (d) => (output += d));
  child.stderr?.on('data', (d) => (output += d));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`gateway did not start: ${output}`)), 60_000);
    child.stdout?.on('data', () => {
      const m = /Tollgate is running at (\S+)/.exec(output);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`gateway exited with ${code}: ${output}`));
    });
  });
  const s = { child, url, output: () => output };
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

afterAll(async () => {
  for (const s of started) await stop(s);
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

async function cli(dataDir: string, ...args: string[]) {
  const { stdout } = await run(process.execPath, [join(ROOT, 'bin/tollgate.mjs'), ...args], { cwd: ROOT, env: { ...process.env, PORT: '', TOLLGATE_DATA_DIR: dataDir } });
  return stdout;
}

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

describe('npm start with Tron', () => {
  it('lists the Tron codes in devnet info and pays USDT_TRC20 and TRX with devnet pay', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'tollgate-tron-'));
    dirs.push(dataDir);
    const gw = await startNpmStart(dataDir);
    expect(gw.output()).toMatch(/Tron {6}TronGrid simulator, a block every 3 s {7}USDT_TRC20, TRX, USDD_TRC20/);
    const demo = JSON.parse(readFileSync(join(dataDir, 'demo-project.json'), 'utf8')) as { shop_id: string; api_key: string };

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

    const usdt = await createInvoice(gw.url, demo.api_key, demo.shop_id, { amount: 10, add_fields: { cryptocurrency: 'USDT_TRC20' } });
    expect(usdt.address).toMatch(TRON_ADDRESS);
    const paid = JSON.parse(await cli(dataDir, 'devnet', 'pay', '--code', 'USDT_TRC20', '--to', usdt.address, '--amount', '10', '--json'));
    expect(paid).toMatchObject({ tx_hash: expect.stringMatching(TRON_TXID), code: 'USDT_TRC20', amount: '10', amount_units: '10000000', rpc_url: info.tron.api_url });
    expect(await paidWithin(gw.url, demo.api_key, usdt.uuid, 30_000)).toMatchObject({ status: 'paid', tx_list: [{ tx_hash: paid.tx_hash, final: true }] });

    // TRX: 2.5 USD at 0.25 USD a TRX (the local fixed rates) is 10 TRX.
    const trx = await createInvoice(gw.url, demo.api_key, demo.shop_id, { amount: 2.5, add_fields: { cryptocurrency: 'TRX' } });
    const trxPaid = JSON.parse(await cli(dataDir, 'devnet', 'pay', '--code', 'TRX', '--to', trx.address, '--amount', '10', '--json'));
    expect(trxPaid).toMatchObject({ code: 'TRX', amount_units: '10000000' });
    expect((await paidWithin(gw.url, demo.api_key, trx.uuid, 30_000)).status).toBe('paid');
    await expect(cli(dataDir, 'devnet', 'pay', '--code', 'USDT_TRC20', '--to', '0x70997970C51812dc3A010C7d01b50e0d17dc79C8', '--amount', '1')).rejects.toThrow(/Tron address/);

  }, 150_000);
});
