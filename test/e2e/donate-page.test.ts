/**
 * The donation flow end to end in a real browser against a whole local gateway: a donor opens
 * /donate/<slug>, picks a preset, leaves a name and a message, continues to the payment page,
 * pays in USDT on the devnet from ethers (the page does not know who paid), and the page's totals
 * count the donation once it is paid. axe-core on the page; screenshots of the open and closed page.
 */
import { Contract, JsonRpcProvider, parseUnits, Wallet } from 'ethers';
import { describe, expect, it } from 'vitest';
import { axeViolations, newContext, screenshotBoth, useBrowserGateway, WIDTHS, watchConsole } from '../support/browser';

const t = useBrowserGateway();
const slug = `e2e-owls-${Date.now().toString(36)}`;
const ATTEMPTS_MAX = 120;
const POLL_MS = 1000;

/** The native API with the demo project's key. */
async function api(method: string, path: string, body?: unknown) {
  const { url, demo } = t.local.gateway;
  const res = await fetch(`${url}${path}`, { method, headers: { authorization: `Token ${demo.api_key}`, 'content-type': 'application/json' }, body: body ? JSON.stringify(body) : undefined });
  return { status: res.status, body: (await res.json()) as { status: string; result: Record<string, unknown> } };
}

type PayerStatus = { state: string; currency: string | null; address: string | null; amount_to_pay: string | null };
async function payerStatus(invoiceId: string): Promise<PayerStatus> {
  return (await (await fetch(`${t.local.gateway.url}/api/public/invoices/${invoiceId}`)).json()) as PayerStatus;
}

describe('donation page', () => {
  it('takes a donation from the page to a paid invoice counted in the totals', async () => {
    const made = await api('POST', '/api/donations', {
      slug,
      title: 'Save the owls',
      description: 'Every gift buys nest boxes for barn owls.\n\nThank you for helping!',
      presets: [5, 10, 25],
      min_amount: 2,
      max_amount: 500,
      cryptocurrencies: ['USDT_ERC20'],
    });
    expect(made.status).toBe(201);

    const context = await newContext(t.browser);
    const page = await context.newPage();
    const problems = watchConsole(page);
    await page.goto(`${t.local.gateway.url}/donate/${slug}`);
    await expect(page.locator('h1').textContent()).resolves.toBe('Save the owls');

    const ten = page.getByRole('button', { name: '$10.00' });
    await ten.click();
    expect(await ten.getAttribute('aria-pressed')).toBe('true');
    expect(await page.getByLabel('Other amount').inputValue()).toBe('10');
    await page.getByLabel('Your name (optional)').fill('Ann <b>Owl</b>');
    await page.getByLabel('Message (optional)').fill('For the owls <script>alert(1)</script>');
    await screenshotBoth(page, 'donate-page');

    await Promise.all([page.waitForURL(/\/pay\/[0-9A-Z]{8}/), page.getByRole('button', { name: 'Donate' }).click()]);
    const invoiceId = `INV-${/\/pay\/([0-9A-Z]{8})/.exec(page.url())?.[1]}`;

    // The currency choice is the payment page's: its USDT button when it has one, else the same select route it calls.
    const choice = page.getByRole('button', { name: /USDT.*(ERC|Ethereum)/i }).first();
    if (await choice.isVisible().catch(() => false)) await choice.click();
    else {
      const selected = await page.evaluate(async (id) => (await fetch(`/api/invoices/${id}/select`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ currency: 'USDT_ERC20' }) })).status, invoiceId);
      expect(selected).toBe(200);
      await page.reload();
    }
    let offer = await payerStatus(invoiceId);
    for (let i = 0; i < 10 && !offer.address; i += 1) {
      await new Promise((r) => setTimeout(r, 300));
      offer = await payerStatus(invoiceId);
    }
    expect(offer).toMatchObject({ state: 'waiting', currency: 'USDT_ERC20', amount_to_pay: '10' });
    const address = offer.address ?? '';
    await page.getByText(address, { exact: false }).first().waitFor();

    // Pay from ethers, as a wallet would: the shown amount to the shown address.
    const { devnet } = t.local.gateway;
    const payer = new Wallet(devnet.payer_private_key, new JsonRpcProvider(devnet.rpc_url));
    const usdt = new Contract(devnet.tokens.USDT_ERC20, ['function transfer(address to, uint256 amount) returns (bool)'], payer);
    await (await usdt.transfer(address, parseUnits(offer.amount_to_pay ?? '0', 6))).wait();

    let state = offer.state;
    for (let i = 0; i < ATTEMPTS_MAX && state !== 'paid'; i += 1) {
      await new Promise((r) => setTimeout(r, POLL_MS));
      state = (await payerStatus(invoiceId)).state;
    }
    expect(state).toBe('paid');

    const shown = await api('GET', `/api/donations/${slug}`);
    expect(shown.body.result.totals).toEqual({ count: 1, by_currency: { USDT_ERC20: '10' }, usd: '10.00', complete: true });
    expect(problems()).toEqual([]);
    await context.close();
  }, 240_000);

  it('has no serious or critical accessibility problems, at phone and desktop width', async () => {
    for (const width of Object.values(WIDTHS)) {
      const context = await newContext(t.browser, { width, bypassCSP: true });
      const page = await context.newPage();
      await page.goto(`${t.local.gateway.url}/donate/${slug}`);
      expect(await axeViolations(page), `${width} px`).toEqual([]);
      await context.close();
    }
  });

  it('shows a closed page once the page is switched off, and the demo page exists', async () => {
    expect((await api('PATCH', `/api/donations/${slug}`, { enabled: false })).status).toBe(200);
    const context = await newContext(t.browser);
    const page = await context.newPage();
    const problems = watchConsole(page);
    await page.goto(`${t.local.gateway.url}/donate/${slug}`);
    await expect(page.getByRole('status').textContent()).resolves.toBe('This page is not accepting donations');
    expect(await page.locator('form').count()).toBe(0);
    await screenshotBoth(page, 'donate-closed');
    expect(problems()).toEqual([]);
    const demo = await page.goto(t.local.gateway.demoDonationLink);
    expect(demo?.status()).toBe(200);
    await context.close();
  });
});
