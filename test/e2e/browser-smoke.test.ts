/** The browser harness itself: Chromium starts, a gateway page loads under its own CSP. */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, newContext, startLocalGateway, watchConsole } from '../support/browser';

let browser: Browser;
let local: Awaited<ReturnType<typeof startLocalGateway>>;

beforeAll(async () => {
  [browser, local] = await Promise.all([launchBrowser(), startLocalGateway()]);
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await local?.stop();
});

describe('browser harness', () => {
  it('opens a page of the local gateway', async () => {
    const { url, demo } = local.gateway;
    const created = await fetch(`${url}/v2/invoice/create`, { method: 'POST', headers: { authorization: `Token ${demo.api_key}`, 'content-type': 'application/json' }, body: JSON.stringify({ shop_id: demo.shop_id, amount: 5, currency: 'USD' }) });
    const { result } = (await created.json()) as { result: { link: string } };
    const page = await (await newContext(browser)).newPage();
    const problems = watchConsole(page);
    const res = await page.goto(result.link);
    expect(res?.headers()['content-type']).toContain('text/html');
    expect(await page.locator('h1').count()).toBe(1);
    expect(problems()).toEqual([]);
  });
});
