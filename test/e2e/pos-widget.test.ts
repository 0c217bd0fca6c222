/**
 * The POS terminal and the widget in a real browser against a whole local gateway: staff charge,
 * the customer pays from the devnet (ethers), the screen turns green; a merchant page on a second
 * local origin opens the payment overlay and hears that it was paid; a third, unlisted origin is
 * refused, and cannot frame the payment page either.
 */
import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { Contract, JsonRpcProvider, parseUnits, Wallet } from 'ethers';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findCrypto } from '../../shared/domain/currencies';
import { axeViolations, newContext, screenshotBoth, useBrowserGateway, WIDTHS, watchConsole } from '../support/browser';

const CODE = 'USDT_ERC20';
const PAID_WITHIN_MS = 60_000;

const t = useBrowserGateway();
let merchant: { server: Server; origin: string };
let stranger: { server: Server; origin: string };

/** A merchant's page with the snippet, under a strict CSP of its own that names the gateway. */
function merchantSite(gateway: string, shopId: string): Promise<{ server: Server; origin: string }> {
  const page = `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>Demo merchant</title></head>
<body><main><h1>Demo merchant</h1><p>A cup of coffee, 25 EUR.</p>
<script src="${gateway}/widget.js" data-shop="${shopId}" data-amount="25" data-currency="EUR" data-order-id="123" data-on-paid="onTollgatePaid" async></script>
<p>Paid: <output id="paid-event"></output> <output id="paid-callback"></output></p>
<iframe id="direct" title="payment page framed directly" hidden></iframe>
<script src="/merchant.js"></script></main></body></html>`;
  const script = `document.addEventListener('tollgate:paid', (e) => { document.getElementById('paid-event').textContent = e.detail.invoice_id + ' ' + e.detail.state + ' ' + e.detail.order_id; });
window.onTollgatePaid = (detail) => { document.getElementById('paid-callback').textContent = 'callback ' + detail.invoice_id; };`;
  const csp = `default-src 'self'; script-src 'self' ${gateway}; style-src 'self' ${gateway}; frame-src ${gateway}; connect-src ${gateway}; img-src 'self'`;
  const server = createServer((req, res) => {
    const js = req.url === '/merchant.js';
    res.writeHead(200, { 'content-type': js ? 'text/javascript' : 'text/html; charset=utf-8', 'content-security-policy': csp });
    res.end(js ? script : page);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ server, origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}` })));
}

async function admin(method: string, path: string, body?: unknown) {
  const { url, adminToken } = t.local.gateway;
  const res = await fetch(`${url}${path}`, { method, headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' }, body: body ? JSON.stringify(body) : undefined });
  const json = (await res.json()) as { status: string; result: Record<string, unknown> };
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json)}`);
  return json.result;
}

/** What the payment page posts to its parent when the invoice is paid (the widget's contract). */
const paidMessage = (invoiceId: string) => JSON.stringify({ type: 'tollgate:invoice', invoice_id: invoiceId, state: 'paid' });

/** What a customer's wallet does: an ERC-20 transfer from the devnet's funded payer. */
async function payWithEthers(to: string, amount: string) {
  const { devnet } = t.local.gateway;
  const wallet = new Wallet(devnet.payer_private_key, new JsonRpcProvider(devnet.rpc_url, undefined, { staticNetwork: true }));
  const token = new Contract(devnet.tokens[CODE], ['function transfer(address to, uint256 amount) returns (bool)'], wallet);
  const tx = await token.transfer(to, parseUnits(amount, findCrypto(CODE)?.decimals ?? 6));
  await tx.wait();
}

beforeAll(async () => {
  const { url, demo } = t.local.gateway;
  [merchant, stranger] = await Promise.all([merchantSite(url, demo.shop_id), merchantSite(url, demo.shop_id)]);
  await admin('PATCH', `/admin/projects/${demo.shop_id}`, { widget_origins: [merchant.origin] });
}, 120_000);
afterAll(async () => {
  for (const site of [merchant, stranger]) site?.server.close();
});

describe('POS terminal', () => {
  it('charges, shows the QR with the amount and address, turns green when paid without a reload, and starts the next sale', async () => {
    const { demo } = t.local.gateway;
    const link = await admin('POST', `/admin/projects/${demo.shop_id}/pos`, { currency: CODE, fiat: 'EUR', max: '500', label: 'Front desk' });
    const page = await (await newContext(t.browser, { width: WIDTHS.desktop })).newPage();
    const problems = watchConsole(page);
    await page.goto(String(link.url));
    await expect.poll(() => page.evaluate('document.activeElement?.id')).toBe('pos-amount');
    await screenshotBoth(page, 'pos-entry');

    await page.keyboard.type('12,50');
    const created = page.waitForResponse((r) => r.url().includes('/api/public/pos/'));
    await page.getByRole('button', { name: 'Charge' }).click();
    const sale = ((await (await created).json()) as { result: { invoice_id: string; address: string; amount: string; currency: string } }).result;
    expect(sale.currency).toBe(CODE);
    await expect.poll(() => page.evaluate("document.getElementById('pos-qr').complete && document.getElementById('pos-qr').naturalWidth > 0")).toBe(true);
    expect(await page.locator('#pos-address').textContent()).toBe(sale.address);
    expect(await page.locator('#pos-crypto').textContent()).toContain(sale.amount);
    expect(await page.locator('#pos-fiat').textContent()).toContain('12.50');
    await screenshotBoth(page, 'pos-qr');

    await payWithEthers(sale.address, sale.amount);
    await page.locator('.pos[data-state="paid"]').waitFor({ timeout: PAID_WITHIN_MS });
    expect(await page.locator('#pos-sale-title').textContent()).toBe('Paid');
    expect(await page.locator('#pos-status').textContent()).toContain('Paid');
    await screenshotBoth(page, 'pos-paid');

    await page.getByRole('button', { name: 'Next sale' }).click();
    expect(await page.locator('#pos-entry').isVisible()).toBe(true);
    expect(await page.locator('#pos-sale').isHidden()).toBe(true);
    expect(await page.locator('#pos-amount').inputValue()).toBe('');
    expect(problems()).toEqual([]);
  }, 120_000);

  it('has no serious accessibility problems on the terminal', async () => {
    const link = await admin('POST', `/admin/projects/${t.local.gateway.demo.shop_id}/pos`, { currency: CODE, max: '100' });
    const page = await (await newContext(t.browser, { bypassCSP: true })).newPage();
    await page.goto(String(link.url));
    expect(await axeViolations(page)).toEqual([]);
  }, 60_000);
});

describe('widget', () => {
  const payScriptExists = existsSync(join(import.meta.dirname, '..', '..', 'shared', 'pages', 'assets', 'pay.js'));

  async function openOverlay(page: Page) {
    const button = page.getByRole('button', { name: 'Pay with crypto' });
    await button.waitFor();
    await button.focus();
    const created = page.waitForResponse((r) => r.url().endsWith('/api/public/widget/invoices'));
    await page.keyboard.press('Enter');
    return created;
  }

  it('opens the payment page in an overlay on the merchant origin and tells the page when it is paid', async () => {
    const { url } = t.local.gateway;
    const page = await (await newContext(t.browser)).newPage();
    const problems = watchConsole(page);
    await page.goto(merchant.origin);
    await page.locator('.tollgate-button').waitFor();
    await screenshotBoth(page, 'widget-button');

    const created = await openOverlay(page);
    expect(created.status()).toBe(201);
    expect(created.headers()['access-control-allow-origin']).toBe(merchant.origin);
    const invoice = ((await created.json()) as { result: { invoice_id: string; link: string } }).result;
    const frame = await (await page.locator('iframe.tollgate-frame').elementHandle())?.contentFrame();
    if (!frame) throw new Error('no overlay frame');
    await frame.waitForLoadState();
    // Framing allowed: the payment page itself rendered inside the overlay.
    expect(frame.url()).toContain('/pay/');
    expect(await frame.locator('h1').count()).toBe(1);
    expect(await page.evaluate('document.activeElement?.className')).toBe('tollgate-close');
    expect(await page.getByRole('dialog').getAttribute('aria-modal')).toBe('true');
    await screenshotBoth(page, 'widget-overlay');

    // The payer's currency choice (the page's own select route), then the wallet pays what the poll shows.
    const select = await fetch(`${url}/api/invoices/${invoice.invoice_id}/select`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ currency: CODE }) });
    expect(select.status).toBe(200);
    const due = (await (await fetch(`${url}/api/public/invoices/${invoice.invoice_id}`)).json()) as { address: string; amount_to_pay: string };

    // A look-alike message from anywhere but the overlay's payment page is ignored.
    await page.evaluate(`window.postMessage(${paidMessage(invoice.invoice_id)}, '*')`);
    await page.waitForTimeout(300);
    expect(await page.locator('#paid-event').textContent()).toBe('');
    await payWithEthers(due.address, due.amount_to_pay);
    await expect.poll(async () => ((await (await fetch(`${url}/api/public/invoices/${invoice.invoice_id}`)).json()) as { state: string }).state, { timeout: PAID_WITHIN_MS }).toBe('paid');
    if (!payScriptExists) {
      // This branch has no payment page script yet: post what it posts, from inside the overlay's frame (the gateway's origin).
      await frame.evaluate(`window.parent.postMessage(${paidMessage(invoice.invoice_id)}, '*')`);
    }
    await expect.poll(() => page.locator('#paid-event').textContent(), { timeout: PAID_WITHIN_MS }).toBe(`${invoice.invoice_id} paid 123`);
    expect(await page.locator('#paid-callback').textContent()).toBe(`callback ${invoice.invoice_id}`);

    await page.keyboard.press('Escape');
    expect(await page.locator('.tollgate-overlay').count()).toBe(0);
    expect(await page.evaluate('document.activeElement?.className')).toBe('tollgate-button');
    expect(problems()).toEqual([]);
  }, 120_000);

  it('refuses an unlisted origin with a clear message, and the payment page refuses to be framed there', async () => {
    const { url, demo } = t.local.gateway;
    const page = await (await newContext(t.browser)).newPage();
    const blocked: string[] = [];
    page.on('console', (m) => {
      if (m.text().includes('frame-ancestors')) blocked.push(m.text());
    });
    await page.goto(stranger.origin);
    const created = await openOverlay(page);
    expect(created.status()).toBe(403);
    await expect.poll(() => page.locator('.tollgate-message').textContent()).toBe('Paying with crypto is not available on this site right now.');
    expect(await page.locator('.tollgate-overlay').count()).toBe(0);

    // An invoice of the same widget-enabled project, framed directly by the unlisted origin.
    const made = await fetch(`${url}/v2/invoice/create`, { method: 'POST', headers: { authorization: `Token ${demo.api_key}`, 'content-type': 'application/json' }, body: JSON.stringify({ shop_id: demo.shop_id, amount: 5, currency: 'USD' }) });
    const { link } = ((await made.json()) as { result: { link: string } }).result;
    await page.evaluate(`Object.assign(document.getElementById('direct'), { hidden: false, src: ${JSON.stringify(link)} })`);
    await expect.poll(() => blocked.length, { timeout: 10_000 }).toBeGreaterThan(0);
    expect(blocked[0]).toContain(merchant.origin);
  }, 60_000);
});
