/**
 * The widget believes only its own overlay: a hostile script on the host page, another frame of
 * the gateway's origin, the overlay once it was led to another site, or the overlay speaking of
 * another invoice cannot make it fire
 * `tollgate:paid`. The gateway is played by request interception (no local gateway needed): the
 * real /widget.js, a create answer, and an overlay page that posts what the test tells it to.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, newContext } from '../support/browser';
import { readAsset } from '../../functions/kit/assets';

const GATEWAY = 'https://pay.test';
const SHOP = 'https://shop.example';
const INVOICE = 'INV-TESTPAID';

/** The overlay page: posts to its parent whatever message the test sends it (as a paid page would). */
const OVERLAY = `<!doctype html><title>Pay</title><script>addEventListener('message', (e) => { if (e.data && e.data.relay) parent.postMessage(e.data.relay, '*'); if (e.data && e.data.go) location.href = e.data.go; });</script>`;
/** A page of another site the overlay was led to (a return link): the overlay's window, the wrong origin. */
const ELSEWHERE = 'https://elsewhere.example';
/** A second gateway page in the shop's page (help, another invoice): right origin, wrong window. */
const OTHER_GATEWAY_FRAME = `<!doctype html><title>Other</title><script>parent.postMessage({ type: 'tollgate:invoice', invoice_id: '${INVOICE}', state: 'paid' }, '*');</script>`;
const SHOP_PAGE = `<!doctype html><html lang="en"><title>Shop</title><body>
<script src="${GATEWAY}/widget.js" data-shop="SHOP1" data-amount="25" data-currency="EUR" data-order-id="123"></script>
<script>window.paidEvents = []; document.addEventListener('tollgate:paid', (e) => paidEvents.push(e.detail));</script>
</body></html>`;

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

describe('widget postMessage', () => {
  it('fires tollgate:paid only for its own overlay, from the gateway origin, about its own invoice, once', async () => {
    const context = await newContext(browser);
    await context.route('**/*', (r) => {
      const url = new URL(r.request().url());
      if (url.origin === SHOP) return r.fulfill({ contentType: 'text/html', body: SHOP_PAGE });
      if (url.origin === ELSEWHERE) return r.fulfill({ contentType: 'text/html', body: OTHER_GATEWAY_FRAME });
      if (url.origin !== GATEWAY) return r.abort();
      if (url.pathname === '/widget.js') return r.fulfill({ contentType: 'text/javascript', body: readAsset('widget.js')?.body ?? '' });
      if (url.pathname === '/api/public/widget/invoices') {
        return r.fulfill({ status: 201, headers: { 'access-control-allow-origin': SHOP }, contentType: 'application/json', body: JSON.stringify({ status: 'success', result: { invoice_id: INVOICE, link: `${GATEWAY}/pay/TESTPAID` } }) });
      }
      if (url.pathname === '/pay/TESTPAID') return r.fulfill({ contentType: 'text/html', body: OVERLAY });
      if (url.pathname === '/other') return r.fulfill({ contentType: 'text/html', body: OTHER_GATEWAY_FRAME });
      return r.fulfill({ status: 404, body: '' });
    });
    const page = await context.newPage();
    await page.goto(`${SHOP}/checkout`);
    await page.getByRole('button', { name: 'Pay with crypto' }).click();
    const overlay = page.frameLocator('.tollgate-frame');
    await overlay.locator('title').waitFor({ state: 'attached' });
    // Page scripts as text: the project's TypeScript has no DOM library.
    const events = () => page.evaluate<unknown[]>('window.paidEvents');
    const settle = () => page.waitForTimeout(150);
    const toOverlay = (message: unknown) => page.evaluate(`document.querySelector('.tollgate-frame').contentWindow.postMessage(${JSON.stringify(message)}, '*')`);
    const relay = (message: unknown) => toOverlay({ relay: message });
    const forged = JSON.stringify({ type: 'tollgate:invoice', invoice_id: INVOICE, state: 'paid' });

    // 1. The host page's own script forges the payment page's message.
    await page.evaluate(`window.postMessage(${forged}, '*')`);
    // 2. Another frame of the gateway's origin sends it.
    await page.evaluate(`document.body.appendChild(Object.assign(document.createElement('iframe'), { src: '${GATEWAY}/other' }))`);
    await page.frameLocator(`iframe[src="${GATEWAY}/other"]`).locator('title').waitFor({ state: 'attached' });
    // 3. The overlay's window, led to another site, says it.
    await toOverlay({ go: `${ELSEWHERE}/thanks` });
    await page.waitForResponse(`${ELSEWHERE}/thanks`);
    await settle();
    await page.evaluate(`document.querySelector('.tollgate-frame').src = '${GATEWAY}/pay/TESTPAID'`);
    await page.waitForResponse(`${GATEWAY}/pay/TESTPAID`);
    await settle();
    // 4. The overlay speaks of another invoice, or of a state that is not paid.
    await relay({ type: 'tollgate:invoice', invoice_id: 'INV-SOMEONE1', state: 'paid' });
    await relay({ type: 'tollgate:invoice', invoice_id: INVOICE, state: 'waiting' });
    await settle();
    expect(await events()).toEqual([]);

    // The overlay's own word is believed, once.
    await relay({ type: 'tollgate:invoice', invoice_id: INVOICE, state: 'paid' });
    await relay({ type: 'tollgate:invoice', invoice_id: INVOICE, state: 'overpaid' });
    await settle();
    expect(await events()).toEqual([{ invoice_id: INVOICE, state: 'paid', order_id: '123' }]);

    // Escape pressed inside the payment page: only the overlay's own word closes the overlay.
    const open = () => page.evaluate<boolean>(`Boolean(document.querySelector('.tollgate-frame'))`);
    await page.evaluate(`window.postMessage(${JSON.stringify({ type: 'tollgate:close', invoice_id: INVOICE })}, '*')`);
    await settle();
    expect(await open()).toBe(true);
    await relay({ type: 'tollgate:close', invoice_id: INVOICE });
    await expect.poll(open).toBe(false);
    await context.close();
  });
});
