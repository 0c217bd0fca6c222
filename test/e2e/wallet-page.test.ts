/**
 * A static wallet's customer page in a real browser under its own CSP, against a whole local
 * gateway: the address, its QR and the network warning at 360 px and on desktop; transfers sent
 * from ethers on the devnet appear by themselves, confirming then credited; a blocked wallet; the
 * pages' 404 and security headers; no script; accessibility. Screenshots go to
 * test-output/screenshots (wallet-*).
 */
import { gzipSync } from 'node:zlib';
import { Contract, JsonRpcProvider, parseUnits, Wallet } from 'ethers';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { runtime } from '../../functions/kit/deps';
import { parseStaticWalletId } from '../../shared/domain/ids';
import { axeViolations, newContext, screenshotBoth, useBrowserGateway, WIDTHS, watchConsole } from '../support/browser';

const t = useBrowserGateway({ RATE_LIMIT_BROWSE_PER_MINUTE: '10000' });
/** Merchant data that must never reach the customer's page: the customer id. */
const IDENTIFY = 'player-1001 <b>jane@example.com</b>';

async function createWallet(identify: string): Promise<{ uuid: string; address: string }> {
  const { url, demo } = t.local.gateway;
  const res = await fetch(`${url}/v2/invoice/static/create`, {
    method: 'POST',
    headers: { authorization: `Token ${demo.api_key}`, 'content-type': 'application/json' },
    body: JSON.stringify({ shop_id: demo.shop_id, currency: 'USDT_ERC20', identify }),
  });
  expect(res.status).toBe(200);
  return ((await res.json()) as { result: { uuid: string; address: string } }).result;
}

function payer() {
  const { devnet } = t.local.gateway;
  const wallet = new Wallet(devnet.payer_private_key, new JsonRpcProvider(devnet.rpc_url, devnet.chain_id, { staticNetwork: true }));
  const usdt = new Contract(devnet.tokens.USDT_ERC20, ['function transfer(address to, uint256 amount) returns (bool)'], wallet);
  return { provider: wallet.provider as JsonRpcProvider, send: async (to: string, amount: string) => (await usdt.transfer(to, parseUnits(amount, 6))).wait(0) };
}

async function openPage(path: string, width: number = WIDTHS.phone): Promise<{ page: Page; problems: () => string[] }> {
  const page = await (await newContext(t.browser, { width })).newPage();
  const problems = watchConsole(page);
  await page.goto(`${t.local.gateway.url}${path}`);
  return { page, problems };
}

const markNoReload = (page: Page) => page.evaluate(() => Object.assign(globalThis, { __sameDocument: true }));
const stillSameDocument = (page: Page) => page.evaluate(() => (globalThis as { __sameDocument?: boolean }).__sameDocument === true);
const qrLoaded = (page: Page) => page.locator('#qr').evaluate((img) => (img as unknown as { complete: boolean; naturalWidth: number }).complete && (img as unknown as { naturalWidth: number }).naturalWidth > 0);
const rows = (page: Page) => page.locator('.receipt');
/** No part of the page is wider than the screen (a long address or token contract must wrap). */
const overflows = (page: Page) =>
  page.evaluate(() => {
    const root = (globalThis as unknown as { document: { documentElement: { scrollWidth: number; clientWidth: number } } }).document.documentElement;
    return root.scrollWidth > root.clientWidth;
  });

describe('static wallet page', () => {
  it('shows the address, QR and warning on a phone; transfers on the devnet appear by themselves, confirming then credited', async () => {
    const { uuid, address } = await createWallet(IDENTIFY);
    const { page, problems } = await openPage(`/wallet/${uuid}`);
    expect(await page.locator('h1').textContent()).toBe('Your USDT deposit address');
    expect(await page.locator('.address').textContent()).toBe(address);
    expect(await qrLoaded(page)).toBe(true);
    const warning = (await page.locator('.warning').textContent())!;
    expect(warning).toContain('Send only USDT on the Ethereum (ERC-20) network');
    expect(warning).toContain(t.local.gateway.devnet.tokens.USDT_ERC20);
    expect(await page.getByText('Transfers worth less than about $1.50 are not credited').isVisible()).toBe(true);
    expect(await page.getByText('No transfers yet.').isVisible()).toBe(true);
    const copy = page.getByRole('button', { name: 'Copy: Deposit address' });
    expect(await copy.isVisible()).toBe(true);
    // The shared copy.js: the address lands on the clipboard and the button says so for a moment.
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
    await copy.click();
    await expect.poll(() => copy.textContent(), { timeout: 5_000 }).toBe('Copied');
    expect(await page.evaluate(() => (globalThis as unknown as { navigator: { clipboard: { readText(): Promise<string> } } }).navigator.clipboard.readText())).toBe(address);
    await expect.poll(() => copy.textContent(), { timeout: 5_000 }).toBe('Copy');
    expect(await overflows(page)).toBe(false);
    await page.getByText('How do I send?').click();
    expect(await page.getByText('Choose USDT and the Ethereum (ERC-20) network.').isVisible()).toBe(true);
    const buy = page.getByRole('link', { name: "I don't have any crypto. How do I buy some?" });
    expect(await buy.getAttribute('href')).toBe('/help/buy-crypto?locale=en');
    expect((await fetch(`${t.local.gateway.url}/help/buy-crypto?locale=en`)).status).toBe(200);
    await screenshotBoth(page, 'wallet-empty');
    // The pages' budget: the whole page under 100 KB gzipped, its script under 30 KB.
    const gzipped = async (path: string) => gzipSync(Buffer.from(await (await fetch(`${t.local.gateway.url}${path}`)).arrayBuffer())).length;
    const css = (await gzipped('/assets/pages.css')) + (await gzipped('/assets/pay.css')) + (await gzipped('/assets/wallet.css'));
    const js = await gzipped('/assets/wallet.js');
    expect(js).toBeLessThan(30_000);
    expect((await gzipped(`/wallet/${uuid}`)) + css + js + (await gzipped(`/wallet/${uuid}/qr.svg`))).toBeLessThan(100_000);
    await page.getByText('How do I send?').click();

    // Blocks stop while the transfer waits in one block: the page shows it confirming, with its count.
    await markNoReload(page);
    const wallet = payer();
    await wallet.provider.send('evm_setIntervalMining', [0]);
    try {
      const sent = wallet.send(address, '25');
      await expect.poll(async () => (await wallet.provider.send('txpool_status', [])).pending !== '0x0').toBe(true);
      await wallet.provider.send('evm_mine', []);
      await sent;
      await expect.poll(() => rows(page).count(), { timeout: 20_000 }).toBe(1);
      expect(await rows(page).first().locator('.receipt-amount').textContent()).toBe('25\u00a0USDT');
      expect(await rows(page).first().locator('.receipt-state').textContent()).toMatch(/^Waiting for confirmations: \d of 3$/);
      expect(await page.getByText('No transfers yet.').isVisible()).toBe(false);
      // The same news at the top, where the customer looks after sending.
      expect(await page.locator('#latest').textContent()).toMatch(/^Latest transfer: 25\u00a0USDT Waiting for confirmations: \d of 3$/);
      await screenshotBoth(page, 'wallet-confirming');
    } finally {
      await wallet.provider.send('evm_setIntervalMining', [1]);
    }
    await expect.poll(() => rows(page).first().locator('.receipt-state').textContent(), { timeout: 20_000 }).toBe('Credited');
    expect(await page.locator('#latest').textContent()).toBe('Latest transfer: 25\u00a0USDT Credited');
    expect(await page.locator('#latest').getAttribute('class')).toBe('latest status status-ok');

    // A second transfer of another amount: its own row, newest first.
    await wallet.send(address, '7.5');
    await expect.poll(() => rows(page).count(), { timeout: 20_000 }).toBe(2);
    await expect.poll(() => page.locator('.receipt-state').allTextContents(), { timeout: 20_000 }).toEqual(['Credited', 'Credited']);
    expect(await page.locator('.receipt-amount').allTextContents()).toEqual(['7.5\u00a0USDT', '25\u00a0USDT']);
    expect(await stillSameDocument(page)).toBe(true);
    await screenshotBoth(page, 'wallet-credited');

    // Nothing private reached the browser: no customer id, no receipt invoice id, in the page or its poll.
    const html = await page.content();
    const poll = await (await fetch(`${t.local.gateway.url}/api/public/wallets/${uuid}`)).text();
    for (const seen of [html, poll]) {
      expect(seen).not.toContain('jane@example.com');
      expect(seen).not.toContain('player-1001');
      expect(seen).not.toMatch(/INV-[0-9A-Z]{8}/);
    }
    expect(problems()).toEqual([]);
  }, 90_000);

  it('lays out on a desktop screen and in another language', async () => {
    const { uuid } = await createWallet('desktop-customer');
    const { page, problems } = await openPage(`/wallet/${uuid}?locale=de`, WIDTHS.desktop);
    expect(await page.locator('html').getAttribute('lang')).toBe('de');
    expect(await page.locator('h1').textContent()).toBe('Ihre Einzahlungsadresse für USDT');
    expect(await qrLoaded(page)).toBe(true);
    expect(await overflows(page)).toBe(false);
    await screenshotBoth(page, 'wallet-de');
    await page.getByRole('link', { name: 'English' }).click();
    await expect.poll(() => page.locator('html').getAttribute('lang')).toBe('en');
    expect(problems()).toEqual([]);
  });

  it('answers an unknown or malformed uuid with the pages’ 404, and carries the pages’ security headers', async () => {
    const { url } = t.local.gateway;
    const { uuid } = await createWallet('headers-customer');
    const ok = await fetch(`${url}/wallet/${uuid}`);
    expect(ok.status).toBe(200);
    expect(ok.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const csp = ok.headers.get('content-security-policy') ?? '';
    for (const directive of ["default-src 'none'", "script-src 'self'", "style-src 'self'", "connect-src 'self'", "frame-ancestors 'none'"]) expect(csp).toContain(directive);
    expect(ok.headers.get('x-frame-options')).toBe('DENY');
    expect(ok.headers.get('x-content-type-options')).toBe('nosniff');
    expect(ok.headers.get('referrer-policy')).toBe('no-referrer');
    expect(ok.headers.get('cache-control')).toBe('no-store');
    // A lower-case uuid is the same wallet.
    expect((await fetch(`${url}/wallet/${uuid.toLowerCase()}`)).status).toBe(200);

    for (const path of [`/wallet/${'Z'.repeat(32)}`, '/wallet/not-a-wallet', `/wallet/${'Z'.repeat(32)}/qr.svg`]) {
      const res = await fetch(`${url}${path}`, { headers: { 'accept-language': 'en' } });
      expect(res.status, path).toBe(404);
      expect(res.headers.get('content-type'), path).toBe('text/html; charset=utf-8');
      expect(res.headers.get('content-security-policy'), path).toContain("default-src 'none'");
      expect(await res.text(), path).toContain('<h1>Payment not found</h1>');
    }
    const { page } = await openPage(`/wallet/${'Z'.repeat(32)}`);
    expect(await page.locator('h1').textContent()).toBe('Payment not found');

    // The poll: JSON, validated by ETag (304 when nothing changed); an unknown wallet is refused.
    const status = await fetch(`${url}/api/public/wallets/${uuid}`);
    expect(status.status).toBe(200);
    expect(await status.json()).toEqual({ id: uuid, blocked: false, receipts: [], more: false });
    const etag = status.headers.get('etag')!;
    expect((await fetch(`${url}/api/public/wallets/${uuid}`, { headers: { 'if-none-match': etag } })).status).toBe(304);
    expect((await fetch(`${url}/api/public/wallets/${'Z'.repeat(32)}`)).status).toBe(404);
    const qr = await fetch(`${url}/wallet/${uuid}/qr.svg`);
    expect(qr.headers.get('content-type')).toBe('image/svg+xml');
    expect(await qr.text()).toContain('<svg');
  });

  it('works without JavaScript: the address, the QR and the transfers are in the page itself', async () => {
    const { uuid, address } = await createWallet('no-script-customer');
    await payer().send(address, '3');
    // The receipt is made when the watcher sees the transfer; wait for it through the poll.
    await expect
      .poll(async () => ((await (await fetch(`${t.local.gateway.url}/api/public/wallets/${uuid}`)).json()) as { receipts: { state: string }[] }).receipts.map((r) => r.state), { timeout: 20_000 })
      .toEqual(['credited']);
    const context = await t.browser.newContext({ javaScriptEnabled: false, viewport: { width: WIDTHS.phone, height: 780 } });
    const page = await context.newPage();
    await page.goto(`${t.local.gateway.url}/wallet/${uuid}`);
    expect(await page.locator('.address').textContent()).toBe(address);
    expect(await page.locator('img[src$="/qr.svg"]').count()).toBe(1);
    expect(await page.locator('.receipt-amount').allTextContents()).toEqual(['3\u00a0USDT']);
    expect(await page.locator('.receipt-state').allTextContents()).toEqual(['Credited']);
    // Playwright's script switch leaves the parser's scripting flag on, so <noscript> stays unrendered here: check it is there.
    expect(await page.locator('noscript').first().textContent()).toContain('reload the page to refresh');
    await context.close();
  }, 40_000);

  it('blocked: a notice with the shop’s contact, the address as plain text, no QR; an open page switches by itself', async () => {
    const { url, adminToken, demo } = t.local.gateway;
    const patched = await fetch(`${url}/admin/projects/${demo.shop_id}`, { method: 'PATCH', headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' }, body: JSON.stringify({ support_contact: 'help@demo.shop' }) });
    expect(patched.status).toBe(200);
    const { uuid, address } = await createWallet('blocked-customer');
    const { page, problems } = await openPage(`/wallet/${uuid}`);
    expect(await qrLoaded(page)).toBe(true);
    await markNoReload(page);

    // The shop blocks the wallet (the store, as the native API and the CLI do).
    const { deps } = runtime();
    const id = parseStaticWalletId(uuid);
    if (!id.ok) throw new Error(uuid);
    const stored = (await deps.staticWallets.get(id.value))!;
    expect(await deps.staticWallets.save({ ...stored, blocked: true, blockedAt: Date.now(), version: stored.version + 1 }, stored.version)).toBe(true);

    await expect.poll(() => page.locator('.status-warn').isVisible(), { timeout: 20_000 }).toBe(true);
    expect(await page.locator('.status-warn').textContent()).toContain('has asked that this address no longer be used.');
    expect(await page.locator('.status-warn').textContent()).toContain('Do not send anything to it.');
    expect(await page.locator('.status-warn').textContent()).toContain('help@demo.shop');
    expect(await page.locator('.address').textContent()).toBe(address);
    expect(await page.locator('#qr').count()).toBe(0);
    expect(await page.locator('[data-copy]').count()).toBe(0);
    expect(await page.locator('h1').textContent()).toBe('Address no longer in use');
    expect(await page.getByText('No transfers to this address.').isVisible()).toBe(true);
    expect(await overflows(page)).toBe(false);
    await screenshotBoth(page, 'wallet-blocked');
    expect((await fetch(`${url}/wallet/${uuid}/qr.svg`)).status).toBe(404);
    expect(problems()).toEqual([]);
  }, 40_000);

  it('has no serious or critical accessibility violations', async () => {
    const { uuid } = await createWallet('axe-customer');
    const page = await (await newContext(t.browser, { bypassCSP: true })).newPage();
    await page.goto(`${t.local.gateway.url}/wallet/${uuid}`);
    expect(await axeViolations(page)).toEqual([]);
  });
});
