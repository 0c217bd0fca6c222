/**
 * The customer pages' language layer: catalogues, locale negotiation and locale-aware formatting.
 * Pure (Intl only). Nothing here escapes HTML: parameters go in verbatim and the views escape.
 */
import { de } from './de';
import { en } from './en';
import { es } from './es';
import { fr } from './fr';
import { ru } from './ru';
import { tr } from './tr';
import type { Catalogue, MessageKey } from './types';

export type { Catalogue, MessageKey } from './types';

export const LOCALES = ['en', 'ru', 'de', 'es', 'fr', 'tr'] as const;
export type Locale = (typeof LOCALES)[number];
export const DEFAULT_LOCALE: Locale = 'en';

/** For the language picker: each language named in itself. */
export const LOCALE_NAMES: Record<Locale, string> = { en: 'English', ru: 'Русский', de: 'Deutsch', es: 'Español', fr: 'Français', tr: 'Türkçe' };

const CATALOGUES: Record<Locale, Catalogue> = { en, ru, de, es, fr, tr };

export const isLocale = (value: string): value is Locale => (LOCALES as readonly string[]).includes(value);

export const catalogue = (locale: Locale): Catalogue => CATALOGUES[locale];

export type MessageParams = Readonly<Record<string, string | number | bigint>>;

/** Fills `{name}` placeholders in one pass (a value containing `{x}` is not expanded again); unknown ones stay visible. */
export const fill = (template: string, params?: MessageParams): string =>
  params ? template.replace(/\{(\w+)\}/g, (whole, name: string) => (Object.hasOwn(params, name) ? String(params[name]) : whole)) : template;

export const translate = (locale: Locale, key: MessageKey, params?: MessageParams): string => fill(CATALOGUES[locale][key], params);

/** `ru`, `RU`, `ru-RU`, `ru_ru` → ru; anything else → null. */
export function toLocale(tag: string | null | undefined): Locale | null {
  const language = (tag ?? '').trim().toLowerCase().split(/[-_]/)[0];
  return isLocale(language) ? language : null;
}

/** Accept-Language beyond these many entries is ignored: the header is cheap to send, so it stays cheap to read. */
const ACCEPT_LANGUAGE_ENTRIES_MAX = 20;

/** Languages of an Accept-Language header we speak, best first (q descending, then header order; q=0 excluded). */
export function parseAcceptLanguage(header: string): Locale[] {
  const entries = header.split(',', ACCEPT_LANGUAGE_ENTRIES_MAX).flatMap((part, order) => {
    const [tag, ...attributes] = part.split(';');
    const qText = attributes.map((a) => a.trim()).find((a) => a.startsWith('q='))?.slice(2);
    const q = qText === undefined ? 1 : Number(qText);
    const locale = toLocale(tag);
    return locale && Number.isFinite(q) && q > 0 ? [{ locale, q, order }] : [];
  });
  entries.sort((a, b) => b.q - a.q || a.order - b.order);
  return [...new Set(entries.map((e) => e.locale))];
}

/**
 * The page's language: the `?locale=` the customer picked, then the invoice's (the shop's choice at
 * creation), then the browser's Accept-Language, then English. Unsupported values fall through.
 */
/** A page with no invoice of its own (donation, static wallet) speaks `?locale=`, else the visitor's browser's language, else the project's. */
export const visitorLocale = (query: string | undefined, acceptLanguage: string | undefined, projectLocale: string): Locale =>
  toLocale(query) ?? parseAcceptLanguage(acceptLanguage ?? '')[0] ?? toLocale(projectLocale) ?? DEFAULT_LOCALE;

export function negotiateLocale(input: { query?: string | null; invoiceLocale?: string | null; acceptLanguage?: string | null }): Locale {
  return toLocale(input.query) ?? toLocale(input.invoiceLocale) ?? parseAcceptLanguage(input.acceptLanguage ?? '')[0] ?? DEFAULT_LOCALE;
}

const DECIMAL_TEXT = /^(-?)(\d+)(?:\.(\d+))?$/;
/** Intl.NumberFormat refuses more fraction digits than this (Node 20). */
const INTL_FRACTION_DIGITS_MAX = 20;

/** Checked here so a bad string fails loudly instead of printing NaN. */
function splitDecimal(text: string): { negative: boolean; whole: string; fraction: string } {
  const m = DECIMAL_TEXT.exec(text);
  if (!m) throw new RangeError(`not a decimal string: ${JSON.stringify(text.slice(0, 40))}`);
  return { negative: m[1] === '-', whole: m[2], fraction: m[3] ?? '' };
}

/**
 * A fiat amount in the locale's currency format, exactly: Intl formats the decimal string itself
 * (no float), with at least the currency's minor digits and every digit given ('1234.50' EUR in de →
 * '1.234,50 €').
 */
export function formatFiat(locale: Locale, decimal: string, currency: string): string {
  const { fraction } = splitDecimal(decimal);
  const standard = new Intl.NumberFormat(locale, { style: 'currency', currency });
  const minor = standard.resolvedOptions().minimumFractionDigits ?? 2;
  if (fraction.length <= minor) return standard.format(decimal as `${number}`);
  if (fraction.length > INTL_FRACTION_DIGITS_MAX) throw new RangeError(`too many fraction digits for ${currency}: ${decimal}`);
  const exact = new Intl.NumberFormat(locale, { style: 'currency', currency, minimumFractionDigits: minor, maximumFractionDigits: fraction.length });
  return exact.format(decimal as `${number}`);
}

/** The locale's decimal separator (group separators come from formatting the whole part as a bigint). */
const decimalSeparator = (locale: Locale): string =>
  new Intl.NumberFormat(locale).formatToParts(1.5).find((p) => p.type === 'decimal')?.value ?? '.';

/**
 * A crypto amount with every digit given (no rounding, no float, trailing zeros kept as given) and
 * the locale's separators, then the code: '1234.000001' USDT in ru → '1 234,000001 USDT'.
 */
export function formatCrypto(locale: Locale, decimal: string, code: string): string {
  const { negative, whole, fraction } = splitDecimal(decimal);
  const grouped = new Intl.NumberFormat(locale).format(BigInt(whole));
  const number = `${negative ? '-' : ''}${grouped}${fraction ? decimalSeparator(locale) + fraction : ''}`;
  return `${number}\u00a0${code}`;
}

/** A moment for the customer, with its time zone named ('5. Jan. 2025, 14:03 UTC'). */
export const formatDateTime = (locale: Locale, epochMs: number, timeZone = 'UTC'): string =>
  new Intl.DateTimeFormat(locale, { year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', timeZone, timeZoneName: 'short' }).format(
    epochMs,
  );

const SECONDS_PER_DAY = 86_400;
const pad2 = (n: number) => String(n).padStart(2, '0');

/**
 * The countdown: '23:59:12', or '1 d 02:03:04' past a day (the day word from the catalogue, so the
 * browser script can do the same with clientMessages). Seconds round up, so '00:00:00' means over.
 */
export function formatDuration(locale: Locale, ms: number): string {
  const total = Math.max(0, Math.ceil(ms / 1000));
  const days = Math.floor(total / SECONDS_PER_DAY);
  const rest = total % SECONDS_PER_DAY;
  const time = `${pad2(Math.floor(rest / 3600))}:${pad2(Math.floor((rest % 3600) / 60))}:${pad2(rest % 60)}`;
  return days > 0 ? translate(locale, 'common.durationDays', { days, time }) : time;
}

/** The messages the payment page's browser script needs; it fills their placeholders itself. */
export const CLIENT_MESSAGE_KEYS = [
  'common.durationDays',
  'common.tooManyRequests',
  'common.error.body',
  'pay.timeLeft',
  'pay.status.waiting',
  'pay.status.seen',
  'pay.status.seenEta',
  'pay.status.paid',
  'pay.status.partial',
  'pay.status.overpaid',
  'pay.status.late',
  'pay.status.expired',
  'pay.status.canceled',
  'pay.paying',
  'pay.selectFailed',
  'pay.testWalletFailed',
] as const satisfies readonly MessageKey[];
export type ClientMessageKey = (typeof CLIENT_MESSAGE_KEYS)[number];

/** A plain object (JSON-safe) of the client messages in one language, to embed in the page. */
export const clientMessages = (locale: Locale): Record<ClientMessageKey, string> =>
  Object.fromEntries(CLIENT_MESSAGE_KEYS.map((key) => [key, CATALOGUES[locale][key]])) as Record<ClientMessageKey, string>;
