/**
 * Donation pages (`/donate/{slug}`): a permanent page of a project where anyone may give an amount
 * within the page's bounds. Each donation is an ordinary invoice (shared/app/create-invoice.ts)
 * carrying a `DonationMark`, so pricing, postbacks and the ledger are the invoice's own.
 */
import { ENABLED_CRYPTO_CODES, FIAT_CODES, FIAT_MINOR_UNITS, type FiatCode, findCrypto, isFiatCode } from './currencies';
import type { Invoice } from './invoice/invoice';
import { offerFor } from './invoice/payments';
import { addRatio, type Decimal, formatDecimal, parseDecimal, pow10, type Ratio, ratio } from './money';
import { unitsToUsd } from './pricing';
import { URL_LENGTH_MAX } from './project';
import { err, ok, type Result } from './result';
import type { Instant } from './time';

export const DONATION_SLUG = /^[a-z0-9-]{3,40}$/;
export const DONATION_TITLE_LENGTH_MAX = 100;
export const DONATION_DESCRIPTION_LENGTH_MAX = 1000;
export const DONATION_PRESETS_MAX = 6;
/** A donation page is for gifts, not for invoices of any size: larger sums go through the API. */
export const DONATION_AMOUNT_CAP = 1_000_000n;
export const DONOR_NAME_LENGTH_MAX = 80;
export const DONOR_MESSAGE_LENGTH_MAX = 500;

export type DonationPage = {
  /** The page's address and its id: unique across projects, never changed. */
  slug: string;
  shopId: string;
  title: string;
  /** Plain text; paragraphs split by blank lines when shown. */
  description: string;
  /** An https image; null: the project's logo. */
  logoUrl: string | null;
  /** One-tap amounts, each within min..max, in `fiat`. */
  presets: Decimal[];
  fiat: FiatCode;
  min: Decimal;
  max: Decimal;
  /** What the donor may pay with; empty: every currency the project enables. */
  currencies: string[];
  collectName: boolean;
  collectMessage: boolean;
  /** Off: the page says it is closed and its endpoint refuses new donations. */
  enabled: boolean;
  createdAt: Instant;
  version: number;
};

/** Stored on each donation invoice: whose page it came through, and what the donor chose to say. */
export type DonationMark = { slug: string; name: string | null; message: string | null };

/** Text fields as the API and the CLI carry them; every field optional (a create needs title). */
export type DonationPatch = Partial<{
  title: string;
  description: string;
  logoUrl: string | null;
  presets: string[];
  fiat: string;
  min: string;
  max: string;
  currencies: string[];
  collectName: boolean;
  collectMessage: boolean;
  enabled: boolean;
}>;

export type DonationField = keyof DonationPatch | 'slug';
export type DonationError = { field: DonationField; message: string };

export function isDonationSlug(slug: string): boolean {
  return DONATION_SLUG.test(slug);
}

const hasControl = (text: string, allowNewlines: boolean) => [...text].some((ch) => ch.charCodeAt(0) < 32 && !(allowNewlines && (ch === '\n' || ch === '\r' || ch === '\t')));
const compare = (a: Decimal, b: Decimal) => {
  const scale = Math.max(a.scale, b.scale);
  const x = a.units * pow10(scale - a.scale);
  const y = b.units * pow10(scale - b.scale);
  return x < y ? -1 : x > y ? 1 : 0;
};
export const compareDecimal = compare;

/** A positive fiat amount with no more decimals than the currency has, at most the cap. */
function parseAmount(text: string, fiat: FiatCode): Decimal | null {
  const d = parseDecimal(text);
  if (!d.ok || d.value.units <= 0n || d.value.scale > FIAT_MINOR_UNITS[fiat]) return null;
  return compare(d.value, { units: DONATION_AMOUNT_CAP, scale: 0 }) <= 0 ? d.value : null;
}

const defaults = (slug: string, shopId: string, now: Instant): DonationPage => ({
  slug,
  shopId,
  title: '',
  description: '',
  logoUrl: null,
  presets: [],
  fiat: 'USD',
  min: { units: 1n, scale: 0 },
  max: { units: 10_000n, scale: 0 },
  currencies: [],
  collectName: true,
  collectMessage: true,
  enabled: true,
  createdAt: now,
  version: 1,
});

/** A new page: the patch over the defaults (USD, 1..10000, name and message collected); title required. */
export function newDonationPage(input: { slug: string; shopId: string; now: Instant; patch: DonationPatch }): Result<DonationPage, DonationError[]> {
  const slugErrors: DonationError[] = isDonationSlug(input.slug) ? [] : [{ field: 'slug', message: 'slug must be 3 to 40 characters of a-z, 0-9 and -' }];
  const titleMissing: DonationError[] = input.patch.title === undefined ? [{ field: 'title', message: `title is required (1 to ${DONATION_TITLE_LENGTH_MAX} characters)` }] : [];
  const applied = applyDonationPatch(defaults(input.slug, input.shopId, input.now), input.patch);
  const errors = [...slugErrors, ...titleMissing, ...(applied.ok ? [] : applied.error)];
  return errors.length > 0 || !applied.ok ? err(errors) : ok({ ...applied.value, version: 1 });
}

/**
 * Applies a patch, validating every field and the page as a whole (presets within min..max,
 * min below max); returns every problem, not just the first, like applySettingsPatch.
 */
export function applyDonationPatch(current: DonationPage, patch: DonationPatch): Result<DonationPage, DonationError[]> {
  const errors: DonationError[] = [];
  const next: DonationPage = { ...current, version: current.version + 1 };
  if (patch.title !== undefined) {
    const title = patch.title.trim();
    if (title.length === 0 || title.length > DONATION_TITLE_LENGTH_MAX || hasControl(title, false)) errors.push({ field: 'title', message: `title must be one line of 1 to ${DONATION_TITLE_LENGTH_MAX} characters` });
    else next.title = title;
  }
  if (patch.description !== undefined) {
    const description = patch.description.trim();
    if (description.length > DONATION_DESCRIPTION_LENGTH_MAX || hasControl(description, true)) errors.push({ field: 'description', message: `description must be plain text of at most ${DONATION_DESCRIPTION_LENGTH_MAX} characters` });
    else next.description = description;
  }
  if (patch.logoUrl !== undefined) {
    const url = patch.logoUrl?.trim() ?? '';
    if (url === '') next.logoUrl = null;
    else if (isHttpsUrl(url)) next.logoUrl = url;
    else errors.push({ field: 'logoUrl', message: `logoUrl must be an https URL of at most ${URL_LENGTH_MAX} characters` });
  }
  if (patch.fiat !== undefined) {
    const code = patch.fiat.trim().toUpperCase();
    if (isFiatCode(code)) next.fiat = code;
    else errors.push({ field: 'fiat', message: `currency must be one of ${FIAT_CODES.join(', ')}` });
  }
  const amount = (field: 'min' | 'max', text: string | undefined) => {
    if (text === undefined) return;
    const parsed = parseAmount(text, next.fiat);
    if (parsed) next[field] = parsed;
    else errors.push({ field, message: `${field} must be an amount greater than 0 and at most ${DONATION_AMOUNT_CAP}, with at most ${FIAT_MINOR_UNITS[next.fiat]} decimals for ${next.fiat}` });
  };
  amount('min', patch.min);
  amount('max', patch.max);
  // Amounts kept from before a currency change must fit its decimals too (a donor could never give them).
  const tooFine = (d: Decimal) => d.scale > FIAT_MINOR_UNITS[next.fiat];
  for (const field of ['min', 'max'] as const) {
    if (patch[field] === undefined && tooFine(next[field])) errors.push({ field, message: `${field} ${formatDecimal(next[field])} has more decimals than ${next.fiat} allows (${FIAT_MINOR_UNITS[next.fiat]})` });
  }
  if (compare(next.min, next.max) > 0) errors.push({ field: 'max', message: `max (${formatDecimal(next.max)}) must not be below min (${formatDecimal(next.min)})` });
  if (patch.presets !== undefined) {
    const given = patch.presets.map((p) => p.trim()).filter(Boolean);
    const parsed = given.map((p) => parseAmount(p, next.fiat));
    if (given.length > DONATION_PRESETS_MAX) errors.push({ field: 'presets', message: `presets may list at most ${DONATION_PRESETS_MAX} amounts` });
    else if (parsed.some((p) => p === null)) errors.push({ field: 'presets', message: `presets must be amounts greater than 0 such as 5,10,25` });
    else next.presets = (parsed as Decimal[]).filter((p, i, all) => all.findIndex((q) => compare(p, q) === 0) === i);
  }
  if (patch.presets === undefined && next.presets.some(tooFine)) errors.push({ field: 'presets', message: `presets ${next.presets.filter(tooFine).map(formatDecimal).join(', ')} have more decimals than ${next.fiat} allows (${FIAT_MINOR_UNITS[next.fiat]})` });
  const outside = next.presets.filter((p) => compare(p, next.min) < 0 || compare(p, next.max) > 0);
  if (outside.length > 0) errors.push({ field: 'presets', message: `presets ${outside.map(formatDecimal).join(', ')} are outside min..max (${formatDecimal(next.min)}..${formatDecimal(next.max)})` });
  if (patch.currencies !== undefined) {
    const codes = [...new Set(patch.currencies.map((c) => c.trim().toUpperCase()).filter(Boolean))];
    const unknown = codes.filter((c) => !ENABLED_CRYPTO_CODES.includes(c));
    if (unknown.length > 0) errors.push({ field: 'currencies', message: `cryptocurrencies has codes this build cannot accept: ${unknown.join(', ')}. Available: ${ENABLED_CRYPTO_CODES.join(', ')}` });
    else next.currencies = codes;
  }
  if (patch.collectName !== undefined) next.collectName = patch.collectName;
  if (patch.collectMessage !== undefined) next.collectMessage = patch.collectMessage;
  if (patch.enabled !== undefined) next.enabled = patch.enabled;
  return errors.length > 0 ? err(errors) : ok(next);
}

function isHttpsUrl(u: string): boolean {
  if (u.length > URL_LENGTH_MAX || /\s/.test(u)) return false;
  try {
    const url = new URL(u);
    return url.protocol === 'https:' && url.hostname.length > 0;
  } catch {
    return false;
  }
}

export type DonationRequestError = { field: 'amount' | 'name' | 'message'; message: string };

/**
 * A donor's request checked against the page: an amount within min..max (in the page's fiat,
 * its decimals at most), and the name and message only when the page asks for them.
 */
export function checkDonation(page: DonationPage, input: { amount: string; name: string | null; message: string | null }): Result<{ amount: Decimal; mark: DonationMark }, DonationRequestError[]> {
  const errors: DonationRequestError[] = [];
  const amount = parseDecimal(input.amount);
  const fits = amount.ok && amount.value.scale <= FIAT_MINOR_UNITS[page.fiat] && compare(amount.value, page.min) >= 0 && compare(amount.value, page.max) <= 0;
  if (!fits) errors.push({ field: 'amount', message: `amount must be from ${formatDecimal(page.min)} to ${formatDecimal(page.max)} ${page.fiat}` });
  const text = (field: 'name' | 'message', value: string | null, max: number, allowed: boolean) => {
    const trimmed = value?.trim() ?? '';
    if (trimmed === '' || !allowed) return null;
    if (trimmed.length > max || hasControl(trimmed, field === 'message')) {
      errors.push({ field, message: `${field} must be plain text of at most ${max} characters` });
      return null;
    }
    return trimmed;
  };
  const name = text('name', input.name, DONOR_NAME_LENGTH_MAX, page.collectName);
  const message = text('message', input.message, DONOR_MESSAGE_LENGTH_MAX, page.collectMessage);
  if (errors.length > 0 || !amount.ok) return err(errors);
  return ok({ amount: amount.value, mark: { slug: page.slug, name, message } });
}

/** The invoice's `order_id`: the page and the donation's number on it (1, 2, ...; a failed create leaves a gap). */
export const donationOrderId = (slug: string, n: number): string => `donation:${slug}:${n}`;

export type DonationTotals = {
  /** Donation invoices that received money (paid, overpaid, partial or late). */
  count: number;
  /** Received, in base units, per crypto code. */
  byCurrency: Map<string, bigint>;
  /** What was received, valued at each invoice's locked rate (its offer's `usdPerUnit`). */
  usd: Ratio;
};

/**
 * Sums what donors gave: each donation invoice that received money counts once (a gift short of
 * the amount the donor typed, or one that arrived late, is still money the merchant got), for
 * every payment credited to it, in the coin of the offer it paid, valued in USD at the rate it was credited at (the offer's
 * locked rate, or the market's for a volatile coin paid after the lock). Not `amountPaid`: that
 * holds only the current offer's coin, so a gift sent to an offer shown before the donor switched
 * currency would be missed. Pure: the caller loads the invoices.
 */
export function donationTotals(invoices: readonly Invoice[]): DonationTotals {
  const totals: DonationTotals = { count: 0, byCurrency: new Map(), usd: ratio(0n, 1n) };
  for (const invoice of invoices) {
    let received = false;
    for (const payment of invoice.payments) {
      if (payment.state !== 'credited' || payment.code === null) continue;
      const offer = offerFor(invoice, payment.code, payment.transfer);
      const currency = findCrypto(payment.code);
      if (!offer || !currency) continue;
      received = true;
      const amount = payment.transfer.amount;
      totals.byCurrency.set(payment.code, (totals.byCurrency.get(payment.code) ?? 0n) + amount);
      totals.usd = addRatio(totals.usd, unitsToUsd(amount, payment.valuedUsdPerUnit ?? offer.usdPerUnit, currency));
    }
    if (received) totals.count += 1;
  }
  return totals;
}
