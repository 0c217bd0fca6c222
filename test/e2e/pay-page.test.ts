/**
 * The payment page in a real browser under its own CSP, against a whole local gateway: choose
 * USDT on the devnet, pay with the test wallet or from ethers (the page cannot tell who paid),
 * partial then top-up, expiry, cancel, languages, accessibility, and a USDT_TRC20 invoice paid on
 * the TronGrid simulator. The status changes arrive
 * without a reload; screenshots of every state go to test-output/screenshots.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { Contract, JsonRpcProvider, parseUnits, Wallet } from 'ethers';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runtime } from '../../functions/kit/deps';
import { parseInvoiceRef } from '../../shared/domain/ids';
import { axeViolations, newContext, screenshotBoth, useBrowserGateway, watchConsole } from '../support/browser';

const t = useBrowserGateway({ RATE_LIMIT_CREATE_PER_MINUTE: '1000', RATE_LIMIT_BROWSE_PER_MINUTE: '10000' });
let shop: Server;
let shopUrl: string;
const returned: URL[] = [];

beforeAll(async () => {
  shop = createServer((req, res) => {
    const url = new URL(req.url ?? '/', shopUrl);
    if (url.pathname !== '/favicon.ico') returned.push(url);
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    // /frame: the shop embeds the payment page, as the widget does, and keeps what it is told.
    const frame = url.searchParams.get('link');
    res.end(
      frame
        ? `<!doctype html><html lang="en"><title>Shop</title><iframe title="Payment" src="${frame}" width="400" height="700"></iframe><script>window.told = []; addEventListener('message', (e) => told.push({ origin: e.origin, data: e.data }));</script></html>`
        : '<!doctype html><html lang="en"><title>Shop</title><h1>Back at the shop</h1></html>',
    );
  });
  await new Promise<void>((r) => shop.listen(0, '127.0.0.1', () => r()));
  shopUrl = `http://127.0.0.1:${(shop.address() as AddressInfo).port}`;
  const { url, demo, adminToken } = t.local.gateway;
  const patched = await fetch(`${url}/admin/projects/${demo.shop_id}`, {
    method: 'PATCH',
    headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' },
    body: JSON.stringify({ success_url: `${shopUrl}/thanks`, fail_url: `${shopUrl}/sorry`, support_contact: 'help@demo.shop', widget_origins: [shopUrl] }),
  });
  expect(patched.status).toBe(200);
}, 120_000);
afterAll(async () => {
  await new Promise((r) => shop?.close(r));
});

async function createInvoice(extra: Record<string, unknown> = {}): Promise<{ uuid: string; link: string }> {
  const { url, demo } = t.local.gateway;
  const res = await fetch(`${url}/v2/invoice/create`, {
    method: 'POST',
    headers: { authorization: `Token ${demo.api_key}`, 'content-type': 'application/json' },
    body: JSON.stringify({ shop_id: demo.shop_id, amount: 12.5, currency: 'USD', ...extra }),
  });
  const { result } = (await res.json()) as { result: { uuid: string; link: string } };
  return result;
}

async function select(uuid: string, currency = 'USDT_ERC20') {
  const res = await fetch(`${t.local.gateway.url}/api/invoices/${uuid}/select`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ currency }) });
  expect(res.status).toBe(200);
}

async function openPage(link: string, options: { bypassCSP?: boolean } = {}): Promise<{ page: Page; problems: () => string[] }> {
  const page = await (await newContext(t.browser, options)).newPage();
  const problems = watchConsole(page);
  await page.goto(link);
  return { page, problems };
}

/** The status box of a state, as the customer sees it (only the current one is visible). */
const status = (page: Page, state: string) => page.locator(`.status[data-states="${state}"]`);

async function chooseUsdt(page: Page) {
  await page.getByRole('radio', { name: /USDT.*Ethereum/ }).check();
  await page.getByRole('button', { name: 'Continue' }).click();
  await expect.poll(() => page.locator('.address').isVisible(), { timeout: 15_000 }).toBe(true);
}

/** A value set on the window: still there later means the page never reloaded. */
const markNoReload = (page: Page) => page.evaluate(() => Object.assign(globalThis, { __sameDocument: true }));
const stillSameDocument = (page: Page) => page.evaluate(() => (globalThis as { __sameDocument?: boolean }).__sameDocument === true);
/** The QR image loaded (an SVG the server rendered). */
const qrLoaded = (page: Page) => page.locator('#qr').evaluate((img) => (img as unknown as { complete: boolean; naturalWidth: number }).complete && (img as unknown as { naturalWidth: number }).naturalWidth > 0);

function payer() {
  const { devnet } = t.local.gateway;
  const wallet = new Wallet(devnet.payer_private_key, new JsonRpcProvider(devnet.rpc_url, devnet.chain_id, { staticNetwork: true }));
  const usdt = new Contract(devnet.tokens.USDT_ERC20, ['function transfer(address to, uint256 amount) returns (bool)'], wallet);
  return { provider: wallet.provider as JsonRpcProvider, send: async (to: string, amount: string) => (await usdt.transfer(to, parseUnits(amount, 6))).wait(0) };
}

describe('payment page', () => {
  it('chooses USDT on the devnet, pays with the test wallet, turns paid without a reload and returns to the shop', async () => {
    const { link, uuid } = await createInvoice({ order_id: 'ORDER-42', add_fields: { description: 'Two coffees and a croissant' } });
    const { page, problems } = await openPage(link);
    await expect.poll(() => page.getByRole('heading', { name: 'Choose how you want to pay' }).isVisible()).toBe(true);
    expect(await page.locator('.fiat').textContent()).toBe('$12.50');
    expect(await page.getByText('Order ORDER-42').isVisible()).toBe(true);
    expect(await page.getByText('Two coffees and a croissant').isVisible()).toBe(true);
    expect(await page.locator('.badge-test').isVisible()).toBe(true);
    expect(t.local.gateway.devnet.codes).toContain('USDT_ERC20');
    await screenshotBoth(page, 'pay-choose');

    await chooseUsdt(page);
    expect(await page.locator('.address').textContent()).toMatch(/^0x[0-9a-fA-F]{40}$/);
    expect(await page.locator('[data-v="due"]').first().textContent()).toBe('12.5');
    expect(await qrLoaded(page)).toBe(true);
    expect(await page.locator('.warning').textContent()).toContain(t.local.gateway.devnet.tokens.USDT_ERC20);
    expect(await status(page, 'waiting').isVisible()).toBe(true);
    await expect.poll(() => page.locator('.timer').textContent()).toMatch(/Time left: (23:59|1 d 00:00)/);
    await screenshotBoth(page, 'pay-waiting');
    // The budget: the whole page under 100 KB gzipped, its script under 30 KB.
    const gzipped = async (path: string) => gzipSync(Buffer.from(await (await fetch(new URL(path, link))).arrayBuffer())).length;
    const weight = { html: await gzipped(new URL(link).pathname), css: (await gzipped('/assets/pages.css')) + (await gzipped('/assets/pay.css')), js: await gzipped('/assets/pay.js'), qr: await gzipped(`${new URL(link).pathname}/qr.svg`) };
    expect(weight.js).toBeLessThan(30_000);
    expect(weight.html + weight.css + weight.js + weight.qr).toBeLessThan(100_000);

    await markNoReload(page);
    await page.getByRole('button', { name: 'Pay with the test wallet' }).click();
    await expect.poll(() => status(page, 'paid').isVisible(), { timeout: 20_000 }).toBe(true);
    expect(await stillSameDocument(page)).toBe(true);
    expect(await page.locator('.pay').isVisible()).toBe(false);
    await screenshotBoth(page, 'pay-paid');

    await page.getByRole('link', { name: 'Return to the shop' }).click();
    await page.waitForURL(/\/thanks/);
    const back = returned.at(-1)!;
    expect(back.pathname).toBe('/thanks');
    expect(back.searchParams.get('order_id')).toBe('ORDER-42');
    expect(back.searchParams.get('invoice_uuid')).toBe(uuid);
    expect(problems()).toEqual([]);
  }, 45_000);

  it('follows a payment from ethers: partial with the remaining amount and a new QR, seen, then paid by the top-up', async () => {
    const { link } = await createInvoice();
    const { page, problems } = await openPage(link);
    await chooseUsdt(page);
    const address = (await page.locator('.address').textContent())!;
    const firstQr = await page.locator('#qr').getAttribute('src');
    await markNoReload(page);
    const wallet = payer();

    await wallet.send(address, '5');
    await expect.poll(() => status(page, 'partial').isVisible(), { timeout: 20_000 }).toBe(true);
    expect(await status(page, 'partial').textContent()).toContain('Send the remaining 7.5 USDT');
    expect(await page.locator('[data-v="due"]').first().textContent()).toBe('7.5');
    await expect.poll(() => page.locator('#qr').getAttribute('src')).not.toBe(firstQr);
    expect(await qrLoaded(page)).toBe(true);
    await screenshotBoth(page, 'pay-partial');

    // Blocks stop while the top-up waits in one block: the page shows it seen, with its confirmations.
    await wallet.provider.send('evm_setIntervalMining', [0]);
    try {
      const sent = wallet.send(address, '7.5');
      await expect.poll(async () => (await wallet.provider.send('txpool_status', [])).pending !== '0x0').toBe(true);
      await wallet.provider.send('evm_mine', []);
      await sent;
      await expect.poll(() => status(page, 'seen').isVisible(), { timeout: 20_000 }).toBe(true);
      expect(await status(page, 'seen').textContent()).toMatch(/waiting for confirmations: \d of 3/);
      await screenshotBoth(page, 'pay-seen');
    } finally {
      await wallet.provider.send('evm_setIntervalMining', [1]);
    }
    await expect.poll(() => status(page, 'paid').isVisible(), { timeout: 20_000 }).toBe(true);
    expect(await stillSameDocument(page)).toBe(true);
    expect(problems()).toEqual([]);
  }, 60_000);

  it('shows expired when the time runs out, with the way back to the shop', async () => {
    const { link, uuid } = await createInvoice({ order_id: 'ORDER-EXP' });
    await select(uuid);
    // Creation allows a minute at least; the test moves the end closer instead of waiting.
    const { deps } = runtime();
    const id = parseInvoiceRef(uuid);
    if (!id.ok) throw new Error(uuid);
    const invoice = (await deps.invoices.get(id.value))!;
    expect(await deps.invoices.save({ ...invoice, expiresAt: Date.now() + 4_000, version: invoice.version + 1 }, invoice.version)).toBe(true);
    const { page, problems } = await openPage(link);
    expect(await status(page, 'waiting').isVisible()).toBe(true);
    await markNoReload(page);
    await expect.poll(() => status(page, 'expired').isVisible(), { timeout: 15_000 }).toBe(true);
    expect(await page.locator('.address').isVisible()).toBe(false);
    expect(await stillSameDocument(page)).toBe(true);
    const back = page.getByRole('link', { name: 'Back to the shop' });
    expect(await back.getAttribute('href')).toBe(`${shopUrl}/sorry?order_id=ORDER-EXP&invoice_uuid=${uuid}`);
    expect(await page.getByRole('link', { name: 'The invoice expired' }).getAttribute('href')).toBe(`/help/expired?invoice=${uuid}&locale=en`);
    await screenshotBoth(page, 'pay-expired');
    expect(problems()).toEqual([]);
  }, 30_000);

  it('shows canceled when the shop cancels while the page is open', async () => {
    const { link, uuid } = await createInvoice();
    const { page, problems } = await openPage(link);
    await markNoReload(page);
    const { url, demo } = t.local.gateway;
    const canceled = await fetch(`${url}/v2/invoice/merchant/canceled`, { method: 'POST', headers: { authorization: `Token ${demo.api_key}`, 'content-type': 'application/json' }, body: JSON.stringify({ uuid }) });
    expect(canceled.status).toBe(200);
    await expect.poll(() => status(page, 'canceled').isVisible(), { timeout: 15_000 }).toBe(true);
    expect(await page.locator('#choose').isVisible()).toBe(false);
    expect(await stillSameDocument(page)).toBe(true);
    await screenshotBoth(page, 'pay-canceled');
    expect(problems()).toEqual([]);
  });

  it('speaks the language of ?locale= (and the older ?lang=), and its language links switch it', async () => {
    const { link, uuid } = await createInvoice();
    await select(uuid);
    const { page, problems } = await openPage(`${link}?locale=ru`);
    expect(await page.locator('html').getAttribute('lang')).toBe('ru');
    expect(await page.getByText('Ждём ваш платёж').isVisible()).toBe(true);
    expect(await page.locator('.fiat').textContent()).toBe('12,50\u00a0$');
    await screenshotBoth(page, 'pay-ru');
    await page.getByRole('link', { name: 'Deutsch' }).click();
    await expect.poll(() => page.locator('html').getAttribute('lang')).toBe('de');
    expect(await page.locator('.address').isVisible()).toBe(true);
    await page.goto(`${link}?lang=fr`);
    expect(await page.locator('html').getAttribute('lang')).toBe('fr');
    expect(problems()).toEqual([]);
  });

  it('tells the shop that frames it when the invoice is paid (the widget relies on this message)', async () => {
    const { link, uuid } = await createInvoice();
    await select(uuid);
    const page = await (await newContext(t.browser)).newPage();
    const problems = watchConsole(page);
    await page.goto(`${shopUrl}/frame?link=${encodeURIComponent(link)}`);
    const frame = page.frameLocator('iframe');
    await frame.getByRole('button', { name: 'Pay with the test wallet' }).click();
    await expect.poll(() => frame.locator('.status[data-states="paid"]').isVisible(), { timeout: 20_000 }).toBe(true);
    await expect.poll(() => page.evaluate(() => (globalThis as unknown as { told: unknown[] }).told)).toEqual([{ origin: new URL(link).origin, data: { type: 'tollgate:invoice', invoice_id: uuid, state: 'paid' } }]);
    expect(problems()).toEqual([]);
  }, 30_000);

  it('asks for the e-mail first when the shop requires one, and keeps it on the invoice', async () => {
    const { url, adminToken } = t.local.gateway;
    const made = await fetch(`${url}/admin/projects`, { method: 'POST', headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' }, body: JSON.stringify({ name: 'Mail shop', email_required: true }) });
    const { result: project } = (await made.json()) as { result: { shop_id: string; api_key: string; settings: { email_required: boolean } } };
    expect(project.settings.email_required).toBe(true);
    const res = await fetch(`${url}/v2/invoice/create`, { method: 'POST', headers: { authorization: `Token ${project.api_key}`, 'content-type': 'application/json' }, body: JSON.stringify({ shop_id: project.shop_id, amount: 3, currency: 'USD' }) });
    const { result } = (await res.json()) as { result: { uuid: string; link: string; is_email_required: boolean } };
    expect(result.is_email_required).toBe(true);
    const refused = await fetch(`${url}/api/invoices/${result.uuid}/select`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ currency: 'USDT_ERC20' }) });
    expect(refused.status).toBe(400);

    const { page, problems } = await openPage(result.link);
    await page.getByRole('radio', { name: /USDT.*Ethereum/ }).check();
    await page.getByRole('button', { name: 'Continue' }).click();
    expect(await page.locator('#choose .form-error').textContent()).toBe('Enter your e-mail address to continue.');
    await page.getByLabel('E-mail').fill('buyer@example.com');
    await chooseUsdt(page);
    const id = parseInvoiceRef(result.uuid);
    if (!id.ok) throw new Error(result.uuid);
    expect((await runtime().deps.invoices.get(id.value))?.email).toBe('buyer@example.com');
    expect(problems()).toEqual([]);
  });

  it('works without JavaScript: the choice posts the form, and the address, amount and QR show', async () => {
    const { link } = await createInvoice();
    const context = await t.browser.newContext({ javaScriptEnabled: false, viewport: { width: 360, height: 780 } });
    const page = await context.newPage();
    await page.goto(link);
    await page.getByRole('radio', { name: /USDT.*Ethereum/ }).check();
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.locator('.address').waitFor();
    expect(await page.locator('.address').textContent()).toMatch(/^0x[0-9a-fA-F]{40}$/);
    expect(await page.locator('[data-v="due"]').first().textContent()).toBe('12.5');
    expect(await page.locator('img[src*="qr.svg"]').count()).toBeGreaterThan(0);
    await context.close();
  });

  it('has no serious or critical accessibility violations while choosing and while waiting', async () => {
    const { link } = await createInvoice();
    const { page } = await openPage(link, { bypassCSP: true });
    expect(await axeViolations(page)).toEqual([]);
    await chooseUsdt(page);
    expect(await axeViolations(page)).toEqual([]);
  });
});

const TRON_ADDRESS = /^T[1-9A-HJ-NP-Za-km-z]{33}$/;

/** An invoice without a currency: the payer chooses on the page (Tron is served locally by the TronGrid simulator). */
async function createTronInvoice(url: string, apiKey: string, shopId: string) {
  const res = await fetch(`${url}/v2/invoice/create`, {
    method: 'POST',
    headers: { authorization: `Token ${apiKey}`, 'content-type': 'application/json' },
    body: JSON.stringify({ shop_id: shopId, amount: 12.5, currency: 'USD', order_id: 'TRON-1' }),
  });
  expect(res.status).toBe(200);
  return ((await res.json()) as { result: { link: string } }).result;
}

describe('the payment page of a Tron invoice', () => {
  it('chooses USDT on Tron, shows a Tron address, the network and the contract, pays with the test wallet and turns paid', async () => {
    const { url, demo, devnet } = t.local.gateway;
    expect(devnet.codes).toEqual(expect.arrayContaining(['TRX', 'USDT_TRC20', 'USDD_TRC20', 'ETH', 'USDT_ERC20']));
    const { link } = await createTronInvoice(url, demo.api_key, demo.shop_id);
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
