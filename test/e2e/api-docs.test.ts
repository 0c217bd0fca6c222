/**
 * The API reference against a whole local gateway: /openapi.json is the committed document with
 * this deployment's URL as its server, and /docs/api renders it under the pages' CSP (no script,
 * no inline style) without console errors, axe-clean. Screenshots: api-docs, api-docs-create.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { OPENAPI_FILE } from '../../lib/openapi/spec';
import { axeViolations, newContext, screenshotBoth, useBrowserGateway, watchConsole } from '../support/browser';

const t = useBrowserGateway();

describe('API reference', () => {
  it('serves the committed document with this deployment as its server, cacheable by ETag', async () => {
    const { url } = t.local.gateway;
    const res = await fetch(`${url}/openapi.json`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('application/json');
    const served = (await res.json()) as { openapi: string; servers: { url: string }[]; paths: unknown };
    const committed = JSON.parse(readFileSync(OPENAPI_FILE, 'utf8')) as { paths: unknown };
    expect(served.openapi).toBe('3.1.0');
    expect(served.servers).toEqual([{ url, description: 'This deployment' }]);
    expect(served.paths).toEqual(committed.paths);
    const again = await fetch(`${url}/openapi.json`, { headers: { 'if-none-match': res.headers.get('etag') ?? '' } });
    expect(again.status).toBe(304);
  });

  it('renders the readable page under its CSP, every route listed, an operation opens to its fields', async () => {
    const page = await (await newContext(t.browser)).newPage();
    const problems = watchConsole(page);
    const res = await page.goto(`${t.local.gateway.url}/docs/api`);
    expect(res?.status()).toBe(200);
    expect(res?.headers()['content-security-policy']).toContain("script-src 'self'");
    await expect(page.locator('h1').textContent()).resolves.toContain('Tollgate API');
    const committed = JSON.parse(readFileSync(OPENAPI_FILE, 'utf8')) as { paths: Record<string, Record<string, unknown>> };
    const count = Object.values(committed.paths).reduce((n, ops) => n + Object.keys(ops).length, 0);
    await expect(page.locator('details.api-op').count()).resolves.toBe(count);
    await screenshotBoth(page, 'api-docs');
    await page.locator('#invoice-create > summary').click();
    await expect(page.locator('#invoice-create .api-name', { hasText: 'shop_id' }).first().isVisible()).resolves.toBe(true);
    await page.locator('#invoice-create').scrollIntoViewIfNeeded();
    await page.locator('#wallet-balance > summary').click();
    await screenshotBoth(page, 'api-docs-create');
    expect(problems()).toEqual([]);
  });

  it('has no serious or critical accessibility violations', async () => {
    const page = await (await newContext(t.browser, { width: 1280, bypassCSP: true })).newPage();
    await page.goto(`${t.local.gateway.url}/docs/api`);
    await page.locator('#invoice-create > summary').click();
    expect(await axeViolations(page)).toEqual([]);
  });
});
