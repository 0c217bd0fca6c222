
import { describe, expect, it } from 'vitest';
import { newContext, useBrowserGateway, watchConsole } from '../support/browser';

const t = useBrowserGateway();

describe('browser harness', () => {
  it('opens a page of the local gateway', async () => {
    const { url, demo } = t.local.gateway;
    const created = await fetch(`${url}/v2/invoice/create`, { method: 'POST', headers: { authorization: `Token ${demo.api_key}`, 'content-type': 'application/json' }, body: JSON.stringify({ shop_id: demo.shop_id, amount: 5, currency: 'USD' }) });
    const { result } = (await created.json()) as { result: { link: string } };
    const page = await (await newContext(t.browser)).newPage();
    const problems = watchConsole(page);
    const res = await page.goto(result.link);
    expect(res?.headers()['content-type']).toContain('text/html');
    expect(await page.locator('h1').count()).toBe(1);
    expect(problems()).toEqual([]);
  });
});
