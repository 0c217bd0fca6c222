/** A project (CryptoCloud's "shop") and its settings, with the defaults a new project gets. */

import { ENABLED_CRYPTO_CODES, findCrypto } from './currencies';
import { type Decimal, parseDecimal } from './money';
import { type NetworkPolicy, notificationUrlProblem } from './network';
import { err, ok, type Result } from './result';
import { type Instant, MINUTE_MS } from './time';

export type FeeSide = 'client' | 'merchant';
export type PostbackFormat = 'json' | 'form';

/**
 * Partial payments within the tolerance are confirmed automatically (reference §3: "with a $1
 * tolerance, a $10 invoice paid at $9.5 is confirmed").
 */
export type PartialTolerance = { kind: 'none' } | { kind: 'usd'; value: Decimal } | { kind: 'percent'; value: Decimal };

export type ProjectSettings = {
  name: string;
  notificationUrl: string | null;
  /** Form is what most CryptoCloud listeners read (reference §8). */
  postbackFormat: PostbackFormat;
  successUrl: string | null;
  failUrl: string | null;
  /** Who pays the sweep (transfer) fee. */
  sideCommission: FeeSide;
  /** Who pays the service fee; self-hosting charges none, so the default fee is 0. */
  sideCommissionCc: FeeSide;
  serviceFeePercent: Decimal;
  invoiceLifetimeMinutes: number;
  enabledCurrencies: string[];
  partialTolerance: PartialTolerance;
  /** New projects start in test mode, as at CryptoCloud. */
  testMode: boolean;
  locale: string;
  /** Shown on the payment and donation pages (an https image URL); null: the project's initial. */
  logoUrl: string | null;
  /** How a customer reaches the merchant (e-mail, chat handle or URL), shown on the pages and help. */
  supportContact: string | null;
  /**
   * Origins (scheme://host[:port]) whose pages may embed the widget: they alone may create widget
   * invoices and frame the payment page. Empty: the widget is off.
   */
  widgetOrigins: string[];
  /** The payment page asks the payer for an e-mail before showing an address (CryptoCloud's `is_email_required`). */
  emailRequired: boolean;
  /**
   * CryptoCloud's `out/create` pays ANY address with only the withdrawal key: off until the
   * merchant turns it on, and then at most this many USD a day (UTC) across currencies.
   */
  apiPayoutsEnabled: boolean;
  apiPayoutDailyLimitUsd: Decimal;
  /** A mass payout worth more than this many USD waits for a fresh code of the project's second factor. */
  payoutApprovalAboveUsd: Decimal;
  /** The IANA time zone scheduled withdrawal rules run in (`Europe/Berlin`); UTC by default. */
  timeZone: string;
};

export type Project = {
  shopId: string;
  /** CryptoCloud's integer `project.id`. */
  number: number;
  createdAt: Instant;
  settings: ProjectSettings;
  /** sha256 of the API key; the key itself is shown once. */
  apiKeyHash: string;
  /** The postback signing secret, encrypted at rest (it must be usable for signing, so not hashed). */
  secretKeyCipher: string;
  secretKeyRotatedAt: Instant;
  /** The secret before the last rotation: it still signs the native header for a grace period. */
  previousSecretKeyCipher: string | null;
  /** sha256 of the withdrawal API key (CryptoCloud's separate key for `out/create`); null until issued. */
  withdrawalKeyHash: string | null;
  version: number;
};

/** What API payouts may send a day when the merchant turns them on without choosing a limit. */
export const API_PAYOUT_DAILY_LIMIT_USD_DEFAULT = '1000';
/** Mass payouts above this many USD wait for a second-factor code unless the project says otherwise. */
export const PAYOUT_APPROVAL_ABOVE_USD_DEFAULT = '1000';

export const INVOICE_LIFETIME_MINUTES_DEFAULT = 24 * 60;
export const INVOICE_LIFETIME_MINUTES_MIN = 5;
export const INVOICE_LIFETIME_MINUTES_MAX = 30 * 24 * 60;
export const PROJECT_NAME_LENGTH_MAX = 100;
export const URL_LENGTH_MAX = 2048;
export const SUPPORT_CONTACT_LENGTH_MAX = 200;
export const WIDGET_ORIGINS_MAX = 10;
/**
 * A percentage tolerance confirms a short payment as paid without a human. Above this, a payer
 * could keep a real share of every invoice; a larger shortfall stays partial for the merchant.
 */
export const PARTIAL_TOLERANCE_PERCENT_MAX = 10;

export function defaultSettings(name: string): ProjectSettings {
  return {
    name,
    notificationUrl: null,
    postbackFormat: 'form',
    successUrl: null,
    failUrl: null,
    // Merchant-side fees keep `amount` equal to what the payer must send, which is what H2H
    // integrations display; a merchant can move either fee to the client.
    sideCommission: 'merchant',
    sideCommissionCc: 'merchant',
    serviceFeePercent: { units: 0n, scale: 0 },
    invoiceLifetimeMinutes: INVOICE_LIFETIME_MINUTES_DEFAULT,
    enabledCurrencies: [...ENABLED_CRYPTO_CODES],
    partialTolerance: { kind: 'none' },
    testMode: true,
    locale: 'en',
    logoUrl: null,
    supportContact: null,
    widgetOrigins: [],
    emailRequired: false,
    apiPayoutsEnabled: false,
    apiPayoutDailyLimitUsd: { units: BigInt(API_PAYOUT_DAILY_LIMIT_USD_DEFAULT), scale: 0 },
    payoutApprovalAboveUsd: { units: BigInt(PAYOUT_APPROVAL_ABOVE_USD_DEFAULT), scale: 0 },
    timeZone: 'UTC',
  };
}

/** Settings as text, the shape CLI flags and the admin API carry. */
export type SettingsPatch = Partial<{
  name: string;
  notificationUrl: string | null;
  postbackFormat: string;
  successUrl: string | null;
  failUrl: string | null;
  sideCommission: string;
  sideCommissionCc: string;
  serviceFeePercent: string;
  invoiceLifetimeMinutes: number;
  enabledCurrencies: string[];
  partialTolerance: string;
  testMode: boolean;
  locale: string;
  logoUrl: string | null;
  supportContact: string | null;
  widgetOrigins: string[];
  emailRequired: boolean;
  apiPayoutsEnabled: boolean;
  apiPayoutDailyLimitUsd: string;
  payoutApprovalAboveUsd: string;
  timeZone: string;
}>;

export type SettingsError = { field: keyof SettingsPatch; message: string };

/** `https://shop.example` or `http://localhost:8080`: an origin exactly as a browser sends it (no path, no slash). */
export function parseOrigin(text: string): string | null {
  try {
    const url = new URL(text.trim());
    if ((url.protocol !== 'http:' && url.protocol !== 'https:') || url.origin !== text.trim()) return null;
    return url.origin;
  } catch {
    return null;
  }
}

/** http(s) with a host, parseable by the WHATWG URL parser that presenters use later. */
export function isHttpUrl(u: string): boolean {
  if (u.length > URL_LENGTH_MAX || /\s/.test(u)) return false;
  try {
    const url = new URL(u);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname.length > 0;
  } catch {
    return false;
  }
}
const isSide = (s: string): s is FeeSide => s === 'client' || s === 'merchant';

/** `none`, `1.5usd`/`$1.5`, or `2%`. */
export function parseTolerance(text: string): PartialTolerance | null {
  const t = text.trim().toLowerCase();
  if (t === 'none' || t === '0') return { kind: 'none' };
  const percent = /^(\d+(?:\.\d+)?)\s*%$/.exec(t);
  const usd = /^\$?\s*(\d+(?:\.\d+)?)\s*(?:usd)?$/.exec(t);
  const match = percent ?? usd;
  if (!match) return null;
  const value = parseDecimal(match[1]);
  if (!value.ok) return null;
  if (percent && value.value.units > 100n * 10n ** BigInt(value.value.scale)) return null;
  return percent ? { kind: 'percent', value: value.value } : { kind: 'usd', value: value.value };
}

const STRICT_NETWORK: NetworkPolicy = { allowLoopback: false };

/**
 * Applies a patch, validating every field; returns every problem, not just the first. The
 * notification URL must also pass the SSRF policy (`network`).
 */
export function applySettingsPatch(current: ProjectSettings, patch: SettingsPatch, network: NetworkPolicy = STRICT_NETWORK): Result<ProjectSettings, SettingsError[]> {
  const errors: SettingsError[] = [];
  const next: ProjectSettings = { ...current };
  const url = (field: 'notificationUrl' | 'successUrl' | 'failUrl', value: string | null | undefined) => {
    if (value === undefined) return;
    if (value === null || value === '') next[field] = null;
    else if (isHttpUrl(value)) next[field] = value;
    else errors.push({ field, message: `${field} must be an http(s) URL of at most ${URL_LENGTH_MAX} characters` });
  };
  if (patch.name !== undefined) {
    const name = patch.name.trim();
    if (name.length === 0 || name.length > PROJECT_NAME_LENGTH_MAX) errors.push({ field: 'name', message: `name must be 1 to ${PROJECT_NAME_LENGTH_MAX} characters` });
    else next.name = name;
  }
  url('notificationUrl', patch.notificationUrl);
  const refused = next.notificationUrl && patch.notificationUrl ? notificationUrlProblem(next.notificationUrl, network) : null;
  if (refused) errors.push({ field: 'notificationUrl', message: `notificationUrl ${refused}` });
  url('successUrl', patch.successUrl);
  url('failUrl', patch.failUrl);
  if (patch.postbackFormat !== undefined) {
    if (patch.postbackFormat === 'json' || patch.postbackFormat === 'form') next.postbackFormat = patch.postbackFormat;
    else errors.push({ field: 'postbackFormat', message: 'postbackFormat must be json or form' });
  }
  for (const field of ['sideCommission', 'sideCommissionCc'] as const) {
    const side = patch[field];
    if (side === undefined) continue;
    if (isSide(side)) next[field] = side;
    else errors.push({ field, message: `${field} must be client or merchant` });
  }
  if (patch.serviceFeePercent !== undefined) {
    const fee = parseDecimal(patch.serviceFeePercent);
    if (fee.ok && fee.value.units >= 0n && fee.value.units <= 100n * 10n ** BigInt(fee.value.scale)) next.serviceFeePercent = fee.value;
    else errors.push({ field: 'serviceFeePercent', message: 'serviceFeePercent must be a number from 0 to 100' });
  }
  if (patch.invoiceLifetimeMinutes !== undefined) {
    const m = patch.invoiceLifetimeMinutes;
    if (Number.isInteger(m) && m >= INVOICE_LIFETIME_MINUTES_MIN && m <= INVOICE_LIFETIME_MINUTES_MAX) next.invoiceLifetimeMinutes = m;
    else errors.push({ field: 'invoiceLifetimeMinutes', message: `invoiceLifetimeMinutes must be an integer from ${INVOICE_LIFETIME_MINUTES_MIN} to ${INVOICE_LIFETIME_MINUTES_MAX}` });
  }
  if (patch.enabledCurrencies !== undefined) {
    const codes = patch.enabledCurrencies.map((c) => c.trim().toUpperCase()).filter(Boolean);
    const unknown = codes.filter((c) => !ENABLED_CRYPTO_CODES.includes(c));
    if (codes.length === 0) errors.push({ field: 'enabledCurrencies', message: 'enabledCurrencies must name at least one currency' });
    else if (unknown.length > 0)
      errors.push({ field: 'enabledCurrencies', message: `enabledCurrencies has codes this build cannot accept: ${unknown.join(', ')}${unknown.some((c) => findCrypto(c)) ? ' (known, but their chain is not enabled yet)' : ''}` });
    else next.enabledCurrencies = [...new Set(codes)];
  }
  if (patch.partialTolerance !== undefined) {
    const tolerance = parseTolerance(patch.partialTolerance);
    if (!tolerance) errors.push({ field: 'partialTolerance', message: 'partialTolerance must be none, an amount in USD such as 1.5usd, or a percentage such as 2%' });
    else if (tolerance.kind === 'percent' && tolerance.value.units > BigInt(PARTIAL_TOLERANCE_PERCENT_MAX) * 10n ** BigInt(tolerance.value.scale)) {
      errors.push({ field: 'partialTolerance', message: `partialTolerance may be at most ${PARTIAL_TOLERANCE_PERCENT_MAX}%; a larger shortfall stays partial for the merchant to confirm` });
    } else next.partialTolerance = tolerance;
  }
  if (patch.logoUrl !== undefined) {
    if (patch.logoUrl === null || patch.logoUrl === '') next.logoUrl = null;
    else if (isHttpUrl(patch.logoUrl) && patch.logoUrl.startsWith('https://')) next.logoUrl = patch.logoUrl;
    else errors.push({ field: 'logoUrl', message: `logoUrl must be an https URL of at most ${URL_LENGTH_MAX} characters` });
  }
  if (patch.supportContact !== undefined) {
    const contact = patch.supportContact?.trim() ?? '';
    if (contact.length > SUPPORT_CONTACT_LENGTH_MAX || [...contact].some((ch) => ch.charCodeAt(0) < 32)) errors.push({ field: 'supportContact', message: `supportContact must be one line of at most ${SUPPORT_CONTACT_LENGTH_MAX} characters` });
    else next.supportContact = contact === '' ? null : contact;
  }
  if (patch.widgetOrigins !== undefined) {
    const given = patch.widgetOrigins.map((o) => o.trim()).filter(Boolean);
    const bad = given.filter((o) => parseOrigin(o) === null);
    if (bad.length > 0) errors.push({ field: 'widgetOrigins', message: `widgetOrigins must be origins such as https://shop.example (no path, no trailing slash): ${bad.slice(0, 3).join(', ')}` });
    else if (given.length > WIDGET_ORIGINS_MAX) errors.push({ field: 'widgetOrigins', message: `widgetOrigins may list at most ${WIDGET_ORIGINS_MAX} origins` });
    else next.widgetOrigins = [...new Set(given)];
  }
  if (patch.testMode !== undefined) next.testMode = patch.testMode;
  if (patch.emailRequired !== undefined) next.emailRequired = patch.emailRequired;
  if (patch.apiPayoutsEnabled !== undefined) next.apiPayoutsEnabled = patch.apiPayoutsEnabled;
  const usdAmount = (field: 'apiPayoutDailyLimitUsd' | 'payoutApprovalAboveUsd', value: string | undefined) => {
    if (value === undefined) return;
    const amount = parseDecimal(value);
    if (amount.ok && amount.value.units >= 0n && amount.value.scale <= 2 && amount.value.units <= 10_000_000n * 10n ** BigInt(amount.value.scale)) next[field] = amount.value;
    else errors.push({ field, message: `${field} must be an amount in USD from 0 to 10000000 with at most 2 decimals` });
  };
  usdAmount('apiPayoutDailyLimitUsd', patch.apiPayoutDailyLimitUsd);
  usdAmount('payoutApprovalAboveUsd', patch.payoutApprovalAboveUsd);
  if (patch.timeZone !== undefined) {
    if (isTimeZone(patch.timeZone)) next.timeZone = patch.timeZone;
    else errors.push({ field: 'timeZone', message: 'timeZone must be an IANA time zone such as UTC or Europe/Berlin' });
  }
  if (patch.locale !== undefined) {
    if (/^[a-z]{2}(-[A-Za-z]{2})?$/.test(patch.locale)) next.locale = patch.locale;
    else errors.push({ field: 'locale', message: 'locale must be a language code such as en or ru' });
  }
  return errors.length > 0 ? err(errors) : ok(next);
}

export const invoiceLifetimeMs = (settings: ProjectSettings) => settings.invoiceLifetimeMinutes * MINUTE_MS;

/** Whether the runtime knows `zone` as an IANA time zone (`Intl` throws on an unknown one). */
export function isTimeZone(zone: string): boolean {
  if (zone.length === 0 || zone.length > 64) return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}
