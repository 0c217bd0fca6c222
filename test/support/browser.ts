/**
 * Real pages in a real browser: Debian's Chromium driven by playwright-core (STACK.md), against a
 * whole local gateway (DynamoDB Local, devnet, queues, schedules, the HTTP host) on a free port.
 * Screenshots go to test-output/screenshots (ignored by git) at 360 px and 1280 px.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { type Gateway, startGateway } from '../../lib/local/gateway';

const ROOT = join(import.meta.dirname, '..', '..');
export const SCREENSHOT_DIR = join(ROOT, 'test-output', 'screenshots');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'];
export const WIDTHS = { phone: 360, desktop: 1280 } as const;

export const launchBrowser = (): Promise<Browser> => chromium.launch({ executablePath: CHROMIUM, args: FLAGS });

/**
 * A context per test: a phone-sized viewport unless told. `bypassCSP` only where axe-core must be
 * injected (STACK.md); every other test runs under the page's own CSP, so a CSP break fails it.
 */
export async function newContext(browser: Browser, options: { width?: number; locale?: string; bypassCSP?: boolean } = {}): Promise<BrowserContext> {
  const width = options.width ?? WIDTHS.phone;
  return browser.newContext({ viewport: { width, height: width <= 400 ? 780 : 900 }, locale: options.locale ?? 'en-US', bypassCSP: options.bypassCSP ?? false, reducedMotion: 'reduce' });
}

/** Fails the test on any console error or CSP violation the page reports. */
export function watchConsole(page: Page): () => string[] {
  const problems: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(m.text());
  });
  page.on('pageerror', (e) => problems.push(String(e)));
  return () => problems;
}

/** Saves the page as it is now at both widths, as `<name>-360.png` and `<name>-1280.png`. */
export async function screenshotBoth(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const before = page.viewportSize();
  for (const width of Object.values(WIDTHS)) {
    await page.setViewportSize({ width, height: width <= 400 ? 780 : 900 });
    await page.screenshot({ path: join(SCREENSHOT_DIR, `${name}-${width}.png`), fullPage: true, animations: 'disabled' });
  }
  if (before) await page.setViewportSize(before);
}

type AxeResult = { id: string; impact: string | null; help: string; nodes: { target: string[] }[] };

/** axe-core's serious and critical violations on the page (the context must bypass CSP to inject it). */
export async function axeViolations(page: Page): Promise<{ id: string; impact: string | null; help: string; targets: string[] }[]> {
  await page.addScriptTag({ path: createRequire(import.meta.url).resolve('axe-core/axe.min.js') });
  const violations = (await page.evaluate(async () => (await (globalThis as unknown as { axe: { run(): Promise<{ violations: unknown[] }> } }).axe.run()).violations)) as AxeResult[];
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.map((n) => n.target.join(' ')) }));
}

/** A whole local gateway on a free port, in memory, with 1 s devnet blocks; stopped by the returned function. */
export async function startLocalGateway(env: Record<string, string> = {}): Promise<{ gateway: Gateway; stop: () => Promise<void> }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'tollgate-pages-'));
  const gateway = await startGateway({ dataDir, port: 0, inMemory: true, env: { LOG_LEVEL: 'warn', ...env } });
  return {
    gateway,
    stop: async () => {
      await gateway.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export type LocalGateway = Awaited<ReturnType<typeof startLocalGateway>>;

/**
 * One browser and one whole local gateway for a test file: started before its first test and
 * stopped after its last. The returned object is filled in before the file's own beforeAll hooks
 * run (hooks run in the order they are registered), so those may use it.
 */
export function useBrowserGateway(env: Record<string, string> = {}): { browser: Browser; local: LocalGateway } {
  const shared = {} as { browser: Browser; local: LocalGateway };
  beforeAll(async () => {
    [shared.browser, shared.local] = await Promise.all([launchBrowser(), startLocalGateway(env)]);
  }, 120_000);
  afterAll(async () => {
    await shared.browser?.close();
    await shared.local?.stop();
  });
  return shared;
}
