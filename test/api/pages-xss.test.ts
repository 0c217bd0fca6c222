/**
 * Hostile text in every field that reaches a customer page: the project's name, logo URL, support
 * contact and return URL; an invoice's order id and description (API and widget); a donation page's
 * title, description and logo, and a donor's name and message; a POS label; `?invoice=`, `?locale=`
 * and Accept-Language. Each page is parsed tag by tag and must carry no markup the server did not
 * write itself (no event handler, no script but /assets and JSON data, no javascript: URL), and a
 * real browser with the CSP switched off (so escaping alone is on trial) must open no dialog.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RouteId } from '../../lib/manifest';
import { readAsset } from '../../functions/kit/assets';
import { launchBrowser, newContext } from '../support/browser';
import { ADMIN_TOKEN, call, callRaw, newProject, useTestGateway } from '../support/gateway';

/** Breaks out of text, attributes (both quotes) and script blocks, each into a dialog. */
const PAYLOAD = `</script><script>alert(1)</script>"><img src=x onerror=alert(2)>'><svg onload=alert(3)>`;
/** The same in at most 60 characters (POS labels). */
const SHORT = `"><img src=x onerror=alert(4)></script><script>alert(5)`;
/** URL fields accept no spaces: a URL that closes its attribute and adds a handler (the image fails: it fires). */
const URL_PAYLOAD = `https://cdn.example/l.png?q="/onerror=alert(6)//'/onerror=alert(7)//`;
const ORIGIN = 'https://shop.example';

type Page = { name: string; path: string; html: string };
const pages: Page[] = [];

/** Every tag of a page, with its attributes decoded; text never holds a raw `<` once escaped. */
function tags(text: string) {
  const out: { name: string; attrs: Map<string, string>; end: number }[] = [];
  const tag = /<(!doctype|\/?[a-zA-Z][\w-]*)((?:[^>"']|"[^"]*"|'[^']*')*)>/gy;
  let at = text.indexOf('<');
  while (at !== -1) {
    tag.lastIndex = at;
    const m = tag.exec(text);
    if (!m) throw new Error(`a '<' that starts no tag at ${at}: ${text.slice(at, at + 80)}`);
    const attrs = new Map<string, string>();
    for (const a of m[2].matchAll(/([^\s=/]+)(?:\s*=\s*("([^"]*)"|'([^']*)'|[^\s>]+))?/g)) {
      const value = a[3] ?? a[4] ?? a[2] ?? '';
      attrs.set(a[1].toLowerCase(), value.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&'));
    }
    out.push({ name: m[1].toLowerCase(), attrs, end: tag.lastIndex });
    // A script's body is not markup: JSON data blocks are checked on their own.
    const next = m[1].toLowerCase() === 'script' ? text.indexOf('</script>', tag.lastIndex) : text.indexOf('<', tag.lastIndex);
    at = next;
  }
  return out;
}

function expectInert(page: Page) {
  const where = `${page.name} (${page.path})`;
  expect(page.html, where).not.toMatch(/<img src=x|<svg[ /]onload|<script>alert/i);
  const found = tags(page.html);
  for (const t of found) {
    for (const [name, value] of t.attrs) {
      expect(name.startsWith('on'), `${where}: <${t.name} ${name}>`).toBe(false);
      if (['href', 'src', 'action', 'content', 'formaction'].includes(name)) expect(value.trim(), `${where}: <${t.name} ${name}>`).not.toMatch(/^(javascript|vbscript|data):|url=\s*(javascript|data):/i);
    }
    expect(['iframe', 'object', 'embed', 'base', 'svg', 'frame'].includes(t.name), `${where}: <${t.name}>`).toBe(false);
    if (t.name === 'script') {
      const src = t.attrs.get('src');
      if (src !== undefined) expect(src, where).toMatch(/^\/assets\/[a-z0-9-]+\.js$/);
      else {
        expect(t.attrs.get('type'), where).toBe('application/json');
        const body = page.html.slice(t.end, page.html.indexOf('</script>', t.end));
        expect(body, where).not.toContain('<');
        expect(() => JSON.parse(body), where).not.toThrow();
      }
    }
  }
}

const asAdmin = (route: RouteId, options: Parameters<typeof call>[1] = {}) => call(route, { ...options, headers: { authorization: `Bearer ${ADMIN_TOKEN}`, ...options.headers } });

async function collect(name: string, route: RouteId, options: Parameters<typeof callRaw>[1], path: string) {
  const out = await callRaw(route, options);
  expect(out.status, `${name}: ${out.text.slice(0, 200)}`).toBeLessThan(500);
  expect(out.headers['content-type'], name).toContain('text/html');
  pages.push({ name, path, html: out.text });
}

beforeAll(async () => {
  await useTestGateway();
  const { apiKey, shopId } = await newProject({
    name: PAYLOAD,
    logoUrl: URL_PAYLOAD,
    supportContact: PAYLOAD,
    successUrl: URL_PAYLOAD,
    failUrl: URL_PAYLOAD,
    widgetOrigins: [ORIGIN],
    notificationUrl: null,
  });
  const hostile = { accept: 'text/html', 'accept-language': `${PAYLOAD},ru;q=0.5` };

  const created = await call('invoice.create', { apiKey, body: { shop_id: shopId, amount: 10, currency: 'USD', order_id: PAYLOAD, add_fields: { description: PAYLOAD } } });
  expect(created.status, JSON.stringify(created.body)).toBe(200);
  const uuid = (created.body.result as { uuid: string }).uuid;
  await collect('payment page, choosing', 'page.pay', { pathParameters: { invoiceId: uuid }, query: { locale: PAYLOAD }, headers: hostile }, `/pay/${uuid}`);
  expect((await call('api.invoice.select', { pathParameters: { invoiceId: uuid }, body: { currency: 'USDT_ERC20' } })).status).toBe(200);
  await collect('payment page, waiting', 'page.pay', { pathParameters: { invoiceId: uuid }, query: { lang: PAYLOAD }, headers: hostile }, `/pay/${uuid}?waiting`);

  const widget = await call('public.widget.invoice_create', { body: { shop_id: shopId, amount: '5', currency: 'USD', order_id: PAYLOAD, locale: PAYLOAD.slice(0, 10) }, headers: { origin: ORIGIN } });
  expect(widget.status, JSON.stringify(widget.body)).toBe(201);
  const widgetId = (widget.body.result as { invoice_id: string }).invoice_id;
  await collect('payment page of a widget invoice', 'page.pay', { pathParameters: { invoiceId: widgetId } }, `/pay/${widgetId}`);

  const donation = await call('api.donation.create', { apiKey, body: { slug: 'xss-owls', title: PAYLOAD, description: `${PAYLOAD}\n\n${PAYLOAD}`, logo_url: URL_PAYLOAD, presets: [5] } });
  expect(donation.status, JSON.stringify(donation.body)).toBe(201);
  await collect('donation page', 'page.donate', { pathParameters: { slug: 'xss-owls' }, query: { locale: PAYLOAD }, headers: hostile }, '/donate/xss-owls');
  const gift = await callRaw('public.donation.invoice', { pathParameters: { slug: 'xss-owls' }, contentType: 'application/x-www-form-urlencoded', body: { amount: '5', name: SHORT, message: PAYLOAD }, headers: hostile });
  expect(gift.status, gift.text).toBe(200);
  pages.push({ name: 'donation form posted without script', path: '/api/public/donations/xss-owls/invoices', html: gift.text });
  const giftId = /\/pay\/([A-Z0-9]{8})/.exec(gift.text)?.[1] ?? '';
  await collect('payment page of a donation', 'page.pay', { pathParameters: { invoiceId: giftId } }, `/pay/${giftId}?donation`);

  const pos = await asAdmin('admin.pos.create', { pathParameters: { shopId }, body: { currency: 'USDT_ERC20', fiat: 'USD', max: '100', label: SHORT } });
  expect(pos.status, JSON.stringify(pos.body)).toBe(201);
  const token = (pos.body.result as { url: string }).url.split('/pos/')[1];
  await collect('POS terminal', 'page.pos', { pathParameters: { token }, query: { locale: PAYLOAD }, headers: hostile }, `/pos/${token}`);
  const sale = await call('public.pos.invoice_create', { pathParameters: { token }, body: { amount: '3' } });
  const saleId = (sale.body.result as { invoice_id: string }).invoice_id;
  await collect('payment page of a POS sale', 'page.pay', { pathParameters: { invoiceId: saleId } }, `/pay/${saleId}?pos`);

  await collect('help index of the invoice', 'page.help_index', { query: { invoice: uuid, locale: PAYLOAD }, headers: hostile }, `/help?invoice=${uuid}`);
  await collect('help topic of the invoice', 'page.help', { pathParameters: { topic: 'wrong-network' }, query: { invoice: uuid } }, `/help/wrong-network?invoice=${uuid}`);
  await collect('help index with a hostile invoice', 'page.help_index', { query: { invoice: PAYLOAD } }, '/help?hostile');
  await collect('help topic that is a payload', 'page.help', { pathParameters: { topic: PAYLOAD }, query: { invoice: PAYLOAD }, headers: hostile }, '/help/unknown');
  await collect('payment page that is a payload', 'page.pay', { pathParameters: { invoiceId: PAYLOAD }, headers: hostile }, '/pay/unknown');
});

describe('hostile text on the customer pages', () => {
  it('is escaped on every page: no tag, attribute, handler, script or URL it did not bring as text', () => {
    expect(pages.length).toBe(13);
    for (const page of pages) expectInert(page);
  });

  it('shows the text as text: the merchant name, the order id, the donation title and the POS label are readable', () => {
    const text = (name: string) => pages.find((p) => p.name === name)?.html ?? '';
    expect(text('payment page, choosing')).toContain('&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;&quot;&gt;&lt;img src=x onerror=alert(2)&gt;');
    expect(text('donation page')).toContain('<h1>&lt;/script&gt;');
    expect(text('POS terminal')).toContain('&quot;&gt;&lt;img src=x onerror=alert(4)&gt;');
  });
});

describe('in a browser, with the CSP off', () => {
  let browser: Awaited<ReturnType<typeof launchBrowser>>;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('opens no dialog and loads no injected image on any page, with its own scripts running', async () => {
    const context = await newContext(browser, { bypassCSP: true });
    const fired: string[] = [];
    const current = { url: '', html: '' };
    await context.route('**/*', async (r) => {
      const url = new URL(r.request().url());
      if (url.hostname !== 'pay.test') return r.abort();
      const asset = /^\/assets\/(.+)$/.exec(url.pathname);
      if (asset) {
        const file = readAsset(asset[1]);
        return file ? r.fulfill({ contentType: file.contentType, body: file.body }) : r.fulfill({ status: 404 });
      }
      const status = /^\/api\/public\/invoices\/(.+)$/.exec(url.pathname);
      if (status) {
        const out = await callRaw('public.invoice.status', { pathParameters: { invoiceId: status[1] } });
        return r.fulfill({ status: out.status, contentType: 'application/json', body: out.text });
      }
      // An injected <img src=x> would be asked for here.
      if (url.pathname === '/x') fired.push('img src=x requested');
      // The page under test; any other navigation (the no-script donation page's refresh) stays put.
      if (r.request().resourceType() === 'document') return url.href === current.url ? r.fulfill({ contentType: 'text/html; charset=utf-8', body: current.html }) : r.fulfill({ status: 204 });
      return r.fulfill({ status: 404, body: '' });
    });
    const page = await context.newPage();
    page.on('dialog', async (d) => {
      fired.push(`${d.type()}: ${d.message()}`);
      await d.dismiss();
    });
    for (const p of pages) {
      current.url = `https://pay.test${p.path}`;
      current.html = p.html;
      await page.goto(current.url, { waitUntil: 'load' });
      await page.waitForTimeout(50);
      expect(fired, p.name).toEqual([]);
    }
    await context.close();
  });
});
