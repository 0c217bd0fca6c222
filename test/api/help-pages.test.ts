/**
 * The help pages through their real handler: every topic in every language, the invoice's merchant
 * and support contact when opened from a payment, user text escaped, the 404 page for an unknown
 * topic, and the same generic page for any invoice id that does not resolve.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { HELP_TOPICS } from '../../shared/pages/help';
import { escapeHtml } from '../../shared/pages/html';
import { LOCALES, translate } from '../../shared/pages/i18n';
import { call, callRaw, newProject, useTestGateway } from '../support/gateway';

const HOSTILE_NAME = '<script>alert("name")</script> & Sons';
const HOSTILE_CONTACT = '<script>alert("contact")</script>';

beforeAll(async () => {
  await useTestGateway({ RATE_LIMIT_BROWSE_PER_MINUTE: '10000' });
});

async function invoiceOf(patch: Parameters<typeof newProject>[0], body: Record<string, unknown> = {}) {
  const { apiKey, shopId } = await newProject({ notificationUrl: null, ...patch });
  const created = await call('invoice.create', { apiKey, body: { shop_id: shopId, amount: 10, currency: 'USD', ...body } });
  expect(created.status).toBe(200);
  return (created.body.result as { uuid: string }).uuid;
}

const topic = (slug: string, query: Record<string, string> = {}, headers: Record<string, string> = {}) => callRaw('page.help', { pathParameters: { topic: slug }, query, headers });
const index = (query: Record<string, string> = {}, headers: Record<string, string> = {}) => callRaw('page.help_index', { query, headers });

describe('help topics', () => {
  it('renders every topic and the index in every language with its own title, body and related links', async () => {
    for (const locale of LOCALES) {
      const list = await index({ locale });
      expect(list.status, locale).toBe(200);
      expect(list.text).toContain(`<html lang="${locale}">`);
      // Each topic exactly once, under one of the index's headings.
      for (const t of HELP_TOPICS) expect(list.text.split(`href="/help/${t.slug}?locale=${locale}"`).length, t.slug).toBe(2);
      expect(list.text).toContain(`<h2 id="help-group-1">${escapeHtml(translate(locale, 'help.group.problems'))}</h2>`);
      for (const t of HELP_TOPICS) {
        const out = await topic(t.slug, { locale });
        expect(out.status, `${t.slug} ${locale}`).toBe(200);
        expect(out.headers['content-type']).toContain('text/html');
        expect(out.text).toContain(`<h1>${escapeHtml(translate(locale, t.title))}</h1>`);
        expect(out.text).toContain(`href="/help?locale=${locale}"`);
        expect(out.text).toMatch(/<nav class="help-related"[^>]*>.*<a href="\/help\/[a-z-]+\?locale=/);
      }
    }
  });

  it('renders lists as lists and says what it is without an invoice: Tollgate help, no way back, the shop to contact', async () => {
    const out = await topic('goods-not-arrived', { locale: 'en' });
    expect(out.text).toContain('<ul><li>the order number;</li>');
    expect(out.text).toContain('<span class="merchant">Tollgate</span>');
    expect(out.text).not.toContain('/pay/');
    expect(out.text).toContain(translate('en', 'help.contactShop'));
    expect(out.text).not.toContain('badge-test');
  });

  it('answers an unknown topic with the 404 page', async () => {
    const out = await topic('how-to-hack', { locale: 'en' });
    expect(out.status).toBe(404);
    expect(out.headers['content-type']).toContain('text/html');
    expect(out.text).toContain(`<h1>${translate('en', 'common.notFound.title')}</h1>`);
    expect(out.headers['content-security-policy']).toContain("script-src 'self'");
  });

  it('sends the pages security headers: a CSP without inline script or style, no framing, nosniff, no referrer', async () => {
    for (const out of [await index(), await topic('expired')]) {
      const csp = out.headers['content-security-policy'];
      expect(csp).toContain("script-src 'self'");
      expect(csp).toContain("style-src 'self'");
      expect(csp).not.toContain('unsafe-inline');
      expect(csp).toContain("frame-ancestors 'none'");
      expect(out.headers['x-content-type-options']).toBe('nosniff');
      expect(out.headers['referrer-policy']).toBe('no-referrer');
      expect(out.text).not.toMatch(/<script|style=/);
    }
  });
});

describe('help opened from a payment (?invoice=)', () => {
  it("names the merchant, shows its support contact prominently, leads back to the payment and shows the test badge", async () => {
    const uuid = await invoiceOf({ name: 'Cozy Socks', supportContact: 'help@cozysocks.example' });
    const out = await topic('paid-too-little', { invoice: uuid, locale: 'en' });
    expect(out.status).toBe(200);
    const id = uuid.replace('INV-', '');
    expect(out.text).toContain('<span class="merchant">Cozy Socks</span>');
    expect(out.text).toContain(`${translate('en', 'help.stillStuck')}</h2><p>Contact Cozy Socks: <a href="mailto:help@cozysocks.example">help@cozysocks.example</a>`);
    expect(out.text).toContain(`href="/pay/${id}?locale=en"`);
    expect(out.text).toContain('badge-test');
    // Topic, index and language links all keep the invoice.
    expect(out.text).toContain(`href="/help/exact-amount?invoice=${uuid}&amp;locale=en"`);
    expect(out.text).toContain(`href="/help?invoice=${uuid}&amp;locale=en"`);
    expect(out.text).toContain(`href="/help/paid-too-little?invoice=${uuid}&amp;locale=ru"`);
    // The short id works as well as the INV- form.
    expect((await index({ invoice: id })).text).toContain('<span class="merchant">Cozy Socks</span>');
  });

  it('links an http(s) contact, keeps anything else as text, and says to use the shop when there is no contact', async () => {
    const site = await invoiceOf({ name: 'Site', supportContact: 'https://shop.example/support?x=1&y=2' });
    expect((await index({ invoice: site })).text).toContain('<a href="https://shop.example/support?x=1&amp;y=2">https://shop.example/support?x=1&amp;y=2</a>');
    const phone = await invoiceOf({ name: 'Phone', supportContact: '+49 30 1234567 (Telegram @phoneshop)' });
    expect((await index({ invoice: phone })).text).toContain('<strong>+49 30 1234567 (Telegram @phoneshop)</strong>');
    const sneaky = await invoiceOf({ name: 'Sneaky', supportContact: 'javascript:alert(1)//@x.example' });
    const sneakyText = (await index({ invoice: sneaky })).text;
    expect(sneakyText).not.toContain('href="javascript:');
    expect(sneakyText).not.toContain('href="mailto:javascript');
    const none = await invoiceOf({ name: 'Quiet' });
    expect((await index({ invoice: none, locale: 'en' })).text).toContain(translate('en', 'help.contactMerchantInShop', { merchant: 'Quiet' }));
  });

  it('escapes a <script> in the project name and in the support contact: shown as text, never run', async () => {
    const uuid = await invoiceOf({ name: HOSTILE_NAME, supportContact: HOSTILE_CONTACT });
    for (const out of [await index({ invoice: uuid }), await topic('expired', { invoice: uuid })]) {
      expect(out.status).toBe(200);
      expect(out.text).not.toMatch(/<script/i);
      expect(out.text).toContain(escapeHtml(HOSTILE_NAME));
      expect(out.text).toContain(`<strong>${escapeHtml(HOSTILE_CONTACT)}</strong>`);
    }
  });

  it('picks ?locale= first, then the invoice locale, then Accept-Language', async () => {
    const uuid = await invoiceOf({ name: 'Lang' }, { locale: 'ru' });
    const lang = async (query: Record<string, string>) => /<html lang="(\w+)">/.exec((await topic('expired', query, { 'accept-language': 'fr-FR,fr;q=0.9' })).text)?.[1];
    expect(await lang({ invoice: uuid, locale: 'de' })).toBe('de');
    expect(await lang({ invoice: uuid })).toBe('ru');
    expect(await lang({})).toBe('fr');
    expect(await lang({ locale: 'xx' })).toBe('fr');
  });

  it('answers an unknown or malformed invoice id exactly like no invoice: generic help, no hint whether it exists', async () => {
    const generic = await topic('expired', { locale: 'en' });
    for (const invoice of ['INV-ZZZZZZZZ', 'ZZZZZZZZ', '../../etc/passwd', '<script>', 'x'.repeat(5000)]) {
      const out = await topic('expired', { invoice, locale: 'en' });
      expect(out.status, invoice).toBe(200);
      expect(out.text, invoice).toBe(generic.text);
    }
  });
});
