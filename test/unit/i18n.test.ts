import { describe, expect, it } from 'vitest';
import { HELP_TOPICS, helpBlocks, helpTopic, helpTopicsFor, type PaymentPageState } from '../../shared/pages/help';
import {
  CLIENT_MESSAGE_KEYS,
  catalogue,
  clientMessages,
  formatCrypto,
  formatDateTime,
  formatDuration,
  formatFiat,
  LOCALES,
  type MessageKey,
  negotiateLocale,
  parseAcceptLanguage,
  translate,
} from '../../shared/pages/i18n';
import { en } from '../../shared/pages/i18n/en';

const EN_KEYS = Object.keys(en).sort() as MessageKey[];
const placeholders = (text: string) => [...new Set([...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]))].sort();
const OTHER_LOCALES = LOCALES.filter((l) => l !== 'en');
const NBSP = '\u00a0';
const NNBSP = '\u202f';

describe('catalogues', () => {
  it.each(OTHER_LOCALES)('%s has exactly the keys en has', (locale) => {
    const keys = Object.keys(catalogue(locale));
    expect(EN_KEYS.filter((k) => !keys.includes(k)), 'missing').toEqual([]);
    expect(keys.filter((k) => !(k in en)), 'extra').toEqual([]);
  });

  it.each(OTHER_LOCALES)('%s uses the same placeholders as en in every message', (locale) => {
    const differing = EN_KEYS.filter((key) => placeholders(catalogue(locale)[key]).join() !== placeholders(en[key]).join());
    expect(differing).toEqual([]);
  });

  it.each(LOCALES)('%s has no empty message, no HTML and no untranslated help body', (locale) => {
    const messages = catalogue(locale);
    for (const key of EN_KEYS) {
      expect(messages[key].trim(), key).not.toBe('');
      expect(messages[key], key).not.toMatch(/<[a-z/]/i);
      if (locale !== 'en' && key.startsWith('help.') && key.endsWith('.body')) expect(messages[key], key).not.toBe(en[key]);
    }
  });

  it('keys are grouped by a known prefix', () => {
    expect(EN_KEYS.filter((k) => !/^(common|pay|donate|pos|widget|wallet|help)\./.test(k))).toEqual([]);
  });
});

describe('translate', () => {
  it('fills placeholders and leaves unknown ones visible', () => {
    expect(translate('en', 'pay.sendExactly', { amount: '1.5', currency: 'USDT' })).toBe('Send exactly 1.5 USDT');
    expect(translate('en', 'pay.sendExactly', { amount: '1.5' })).toBe('Send exactly 1.5 {currency}');
    expect(translate('ru', 'pay.status.seen', { k: 2, n: 12 })).toBe('Платёж обнаружен, ждём подтверждений: 2 из 12');
  });

  it('does not escape or re-expand values (the views escape)', () => {
    expect(translate('en', 'pay.order', { orderId: '<b>{orderId}</b>' })).toBe('Order <b>{orderId}</b>');
  });
});

describe('negotiateLocale', () => {
  it('takes the query first, then the invoice, then Accept-Language, then en', () => {
    expect(negotiateLocale({ query: 'de', invoiceLocale: 'ru', acceptLanguage: 'fr' })).toBe('de');
    expect(negotiateLocale({ query: 'xx', invoiceLocale: 'ru', acceptLanguage: 'fr' })).toBe('ru');
    expect(negotiateLocale({ query: null, invoiceLocale: 'pt', acceptLanguage: 'fr' })).toBe('fr');
    expect(negotiateLocale({ acceptLanguage: 'pt-BR, ja' })).toBe('en');
    expect(negotiateLocale({})).toBe('en');
  });

  it('strips the region and ignores case', () => {
    expect(negotiateLocale({ query: 'RU_ru' })).toBe('ru');
    expect(negotiateLocale({ invoiceLocale: 'es-MX' })).toBe('es');
    expect(negotiateLocale({ acceptLanguage: 'de-AT' })).toBe('de');
  });

  it('orders Accept-Language by q, then by position, skipping q=0 and what we do not speak', () => {
    expect(parseAcceptLanguage('fr;q=0.5, tr;q=0.9, pt, de-CH;q=0.9')).toEqual(['tr', 'de', 'fr']);
    expect(parseAcceptLanguage('ru;q=0, en;q=0.1')).toEqual(['en']);
    expect(parseAcceptLanguage('*, es;q=0.2')).toEqual(['es']);
    expect(parseAcceptLanguage('de;q=abc, fr')).toEqual(['fr']);
    expect(parseAcceptLanguage('')).toEqual([]);
  });

  it('reads only the first entries of a huge header', () => {
    expect(parseAcceptLanguage(`${'xx, '.repeat(10_000)}de`)).toEqual([]);
  });
});

describe('formatting', () => {
  it('formats fiat exactly in the locale', () => {
    expect(formatFiat('de', '1234.50', 'EUR')).toBe(`1.234,50${NBSP}€`);
    expect(formatFiat('en', '1234.5', 'USD')).toBe('$1,234.50');
    expect(formatFiat('en', '12345678901234567.89', 'USD')).toBe('$12,345,678,901,234,567.89');
    expect(formatFiat('ru', '1234567.5', 'RUB')).toBe(`1${NBSP}234${NBSP}567,50${NBSP}₽`);
    expect(formatFiat('fr', '1234.5', 'EUR')).toBe(`1${NNBSP}234,50${NBSP}€`);
    expect(formatFiat('tr', '1234.5', 'TRY')).toBe('₺1.234,50');
    expect(formatFiat('en', '1500', 'JPY')).toBe('¥1,500');
  });

  it('keeps fiat digits beyond the minor unit instead of rounding them away', () => {
    expect(formatFiat('en', '0.005', 'USD')).toBe('$0.005');
  });

  it('formats crypto with every given digit and the locale separators', () => {
    expect(formatCrypto('en', '0.000001', 'ETH')).toBe(`0.000001${NBSP}ETH`);
    expect(formatCrypto('en', '1234567.123456789012345678', 'ETH')).toBe(`1,234,567.123456789012345678${NBSP}ETH`);
    expect(formatCrypto('ru', '1234.000001', 'USDT')).toBe(`1${NBSP}234,000001${NBSP}USDT`);
    expect(formatCrypto('fr', '12345.10', 'USDT')).toBe(`12${NNBSP}345,10${NBSP}USDT`);
    expect(formatCrypto('de', '100000', 'TRX')).toBe(`100.000${NBSP}TRX`);
    expect(formatCrypto('es', '1234.5', 'USDC')).toBe(`1234,5${NBSP}USDC`); // CLDR: Spanish groups from five digits
    expect(formatCrypto('tr', '98765432109876543210.5', 'USDT')).toBe(`98.765.432.109.876.543.210,5${NBSP}USDT`);
  });

  it('refuses what is not a plain decimal string', () => {
    for (const bad of ['1e3', '1,5', '', 'NaN', '.5']) {
      expect(() => formatCrypto('en', bad, 'ETH'), bad).toThrow(RangeError);
      expect(() => formatFiat('en', bad, 'USD'), bad).toThrow(RangeError);
    }
  });

  it('formats a moment in the given time zone and names it', () => {
    const at = Date.UTC(2025, 0, 5, 14, 3);
    expect(formatDateTime('de', at)).toBe('5. Jan. 2025, 14:03 UTC');
    expect(formatDateTime('en', at, 'Europe/Moscow')).toMatch(/Jan 5, 2025.*05:03\sPM.*GMT\+3/);
  });

  it('formats the countdown as a clock, with days in the locale words', () => {
    expect(formatDuration('en', (23 * 3600 + 59 * 60 + 12) * 1000)).toBe('23:59:12');
    expect(formatDuration('en', (86_400 + 2 * 3600 + 3 * 60 + 4) * 1000)).toBe('1 d 02:03:04');
    expect(formatDuration('fr', 2 * 86_400_000)).toBe('2 j 00:00:00');
    expect(formatDuration('ru', 86_400_000 + 500)).toBe('1 д 00:00:01');
    expect(formatDuration('en', 0)).toBe('00:00:00');
    expect(formatDuration('en', -5000)).toBe('00:00:00');
  });
});

describe('clientMessages', () => {
  it.each(LOCALES)('%s gives the script its messages as plain JSON', (locale) => {
    const messages = clientMessages(locale);
    expect(Object.keys(messages).sort()).toEqual([...CLIENT_MESSAGE_KEYS].sort());
    expect(JSON.parse(JSON.stringify(messages))).toEqual(messages);
    expect(messages['pay.status.paid']).toBe(catalogue(locale)['pay.status.paid']);
  });
});

describe('help', () => {
  const STATES: PaymentPageState[] = ['choose', 'waiting', 'seen', 'paid', 'partial', 'overpaid', 'late', 'expired', 'canceled'];

  it('every topic has a unique kebab-case slug and texts in every language', () => {
    expect(new Set(HELP_TOPICS.map((t) => t.slug)).size).toBe(HELP_TOPICS.length);
    for (const topic of HELP_TOPICS) {
      expect(topic.slug).toMatch(/^[a-z]+(-[a-z]+)*$/);
      for (const locale of LOCALES) {
        expect(catalogue(locale)[topic.title], `${locale} ${topic.title}`).toBeTruthy();
        expect(catalogue(locale)[topic.body], `${locale} ${topic.body}`).toBeTruthy();
      }
    }
  });

  it('every help text key belongs to a topic', () => {
    const topicKeys = new Set(HELP_TOPICS.flatMap((t) => [t.title, t.body]));
    const pageKeys = ['help.heading', 'help.intro', 'help.backToPayment', 'help.related', 'help.allTopics', 'help.stillStuck', 'help.contactMerchant', 'help.contactMerchantInShop', 'help.contactShop', 'help.group.paying', 'help.group.problems'];
    expect(EN_KEYS.filter((k) => k.startsWith('help.') && !topicKeys.has(k) && !pageKeys.includes(k))).toEqual([]);
  });

  it.each(LOCALES)('%s help bodies have 4 to 10 blocks or list items', (locale) => {
    for (const topic of HELP_TOPICS) {
      const blocks = helpBlocks(catalogue(locale)[topic.body]);
      const count = blocks.reduce((n, b) => n + (b.kind === 'list' ? b.items.length : 1), 0);
      expect(count, `${locale} ${topic.slug}`).toBeGreaterThanOrEqual(4);
      expect(count, `${locale} ${topic.slug}`).toBeLessThanOrEqual(10);
    }
  });

  it('finds a topic by slug, and nothing for an unknown one', () => {
    expect(helpTopic('expired')).toEqual({ slug: 'expired', title: 'help.expired.title', body: 'help.expired.body' });
    expect(helpTopic('nope')).toBeUndefined();
  });

  it('offers at least one topic in every payment page state', () => {
    for (const state of STATES) expect(helpTopicsFor(state).length, state).toBeGreaterThan(0);
    expect(helpTopicsFor('partial').map((t) => t.slug)).toEqual(['paid-too-little', 'exact-amount']);
    expect(helpTopicsFor('seen').map((t) => t.slug)).toEqual(['unconfirmed']);
  });

  it('splits a body into paragraphs and lists', () => {
    expect(helpBlocks('One\nline.\n\n- a\n- b\n\nEnd.')).toEqual([
      { kind: 'paragraph', text: 'One line.' },
      { kind: 'list', items: ['a', 'b'] },
      { kind: 'paragraph', text: 'End.' },
    ]);
  });
});
