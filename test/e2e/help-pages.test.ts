/**
 * The help pages in Chromium against a whole local gateway: a topic opened from a payment runs
 * under its own CSP without console errors, the keyboard reaches every link with a visible focus
 * ring, and axe-core finds no serious or critical violations. Screenshots: help-index, help-topic,
 * help-topic-ru.
 */
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { axeViolations, newContext, screenshotBoth, useBrowserGateway, watchConsole } from '../support/browser';

const t = useBrowserGateway();
let invoice: string;

const CONTACT = 'help@cozysocks.example';

beforeAll(async () => {
  const { url, demo, adminToken } = t.local.gateway;
  const patched = await fetch(`${url}/admin/projects/${demo.shop_id}`, {
    method: 'PATCH',
    headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'Cozy Socks', support_contact: CONTACT }),
  });
  expect(patched.status).toBe(200);
  const created = await fetch(`${url}/v2/invoice/create`, {
    method: 'POST',
    headers: { authorization: `Token ${demo.api_key}`, 'content-type': 'application/json' },
    body: JSON.stringify({ shop_id: demo.shop_id, amount: 25, currency: 'USD', order_id: 'SOCKS-42' }),
  });
  invoice = ((await created.json()) as { result: { uuid: string } }).result.uuid;
}, 120_000);

const helpUrl = (path: string, locale = 'en') => `${t.local.gateway.url}${path}?invoice=${invoice}&locale=${locale}`;

type TabStop = { text: string; href: string; ring: boolean };
/** Runs in the page (a string: this project's TypeScript has no DOM types). */
const FOCUSED = `(() => {
  const el = document.activeElement;
  const style = getComputedStyle(el);
  return { text: el.textContent.trim(), href: el.getAttribute('href') ?? '', ring: style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2 };
})()`;

/** Tabs through the page; for each stop, the focused link's text and whether a focus ring shows. */
async function tabStops(page: Page, count: number): Promise<TabStop[]> {
  const stops: TabStop[] = [];
  for (let i = 0; i < count; i += 1) {
    await page.keyboard.press('Tab');
    stops.push(await page.evaluate<TabStop>(FOCUSED));
  }
  return stops;
}

describe('help pages in a browser', () => {
  it('opens a topic from a payment under its CSP: merchant, contact, the way back, keyboard focus visible', async () => {
    const page = await (await newContext(t.browser)).newPage();
    const problems = watchConsole(page);
    const res = await page.goto(helpUrl('/help/paid-too-little'));
    expect(res?.status()).toBe(200);
    expect(res?.headers()['content-security-policy']).toContain("style-src 'self'");
    await expect(page.locator('h1').textContent()).resolves.toBe('I paid too little');
    await expect(page.locator('.merchant').textContent()).resolves.toBe('Cozy Socks');
    await expect(page.locator('.badge-test').isVisible()).resolves.toBe(true);
    await expect(page.locator(`.help-contact a[href="mailto:${CONTACT}"]`).isVisible()).resolves.toBe(true);
    const back = page.locator('.help-back a');
    await expect(back.getAttribute('href')).resolves.toBe(`/pay/${invoice.replace('INV-', '')}?locale=en`);
    // The stylesheet applied (a CSP refusal would leave the list bullets and the default font).
    await expect(page.evaluate<string>("getComputedStyle(document.querySelector('.help-topics')).listStyleType")).resolves.toBe('none');

    const stops = await tabStops(page, 8);
    expect(stops[0].text).toContain('Back to the payment');
    expect(stops.map((s) => s.href)).toContain(`mailto:${CONTACT}`);
    expect(stops.some((s) => s.href.startsWith('/help/exact-amount?'))).toBe(true);
    expect(stops.every((s) => s.ring)).toBe(true);
    await page.evaluate('document.activeElement?.blur()');
    await screenshotBoth(page, 'help-topic');

    await page.locator('.langs a[lang="ru"]').click();
    await page.waitForURL(/locale=ru/);
    expect(page.url()).toContain(`invoice=${invoice}`);
    await expect(page.locator('h1').textContent()).resolves.toBe('Оплачено меньше, чем нужно');
    await screenshotBoth(page, 'help-topic-ru');

    await page.goto(helpUrl('/help'));
    await expect(page.locator('.help-topics li').count()).resolves.toBe(11);
    await screenshotBoth(page, 'help-index');
    expect(problems()).toEqual([]);
  });

  it('has no serious or critical axe violations on the index and on a topic, with and without a payment', async () => {
    const page = await (await newContext(t.browser, { bypassCSP: true })).newPage();
    for (const url of [helpUrl('/help'), helpUrl('/help/wrong-network', 'de'), `${t.local.gateway.url}/help/buy-crypto`]) {
      await page.goto(url);
      expect(await axeViolations(page), url).toEqual([]);
    }
  });
});
