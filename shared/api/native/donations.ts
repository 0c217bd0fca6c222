/**
 * Donation pages on the wire (`/api/donations`, `/admin/projects/{shopId}/donations`, and the
 * donor's `POST /api/public/donations/{slug}/invoices`): snake_case in, snake_case out.
 */
import * as z from 'zod';
import { type DonationField, type DonationPage, type DonationPatch, type DonationTotals, DONOR_MESSAGE_LENGTH_MAX, DONOR_NAME_LENGTH_MAX } from '../../domain/donation';
import { findCrypto } from '../../domain/currencies';
import { invoiceUuid } from '../../domain/ids';
import { type Invoice, payPath } from '../../domain/invoice/invoice';
import { formatDecimal, fromUnits, ratioToScale } from '../../domain/money';
import { isoTime } from '../../domain/time';

/** Domain field → the name the API uses for it (error maps name the field the client sent). */
export const DONATION_WIRE_FIELDS: Record<DonationField, string> = {
  slug: 'slug',
  title: 'title',
  description: 'description',
  logoUrl: 'logo_url',
  presets: 'presets',
  fiat: 'currency',
  min: 'min_amount',
  max: 'max_amount',
  currencies: 'cryptocurrencies',
  collectName: 'collect_name',
  collectMessage: 'collect_message',
  enabled: 'enabled',
};

const list = (max: number) => z.union([z.array(z.union([z.string().max(40), z.number()])).max(max), z.string().max(2000)]).optional();
const amount = z.union([z.string().max(40), z.number()]).optional();
const flag = z.union([z.boolean(), z.enum(['true', 'false'])]).optional();
const asList = (v: (string | number)[] | string | undefined) => (v === undefined ? undefined : typeof v === 'string' ? v.split(',') : v.map(String));
const asFlag = (v: boolean | 'true' | 'false' | undefined) => (v === undefined ? undefined : v === true || v === 'true');
const asText = (v: string | number | undefined) => (v === undefined ? undefined : String(v));

const patchShape = z.object({
  title: z.string({ error: 'title must be text' }).max(400).optional(),
  description: z.string({ error: 'description must be text' }).max(4000).optional(),
  logo_url: z.union([z.string().max(4096), z.null()], { error: 'logo_url must be an https URL or null' }).optional(),
  presets: list(20),
  currency: z.string({ error: 'currency must be a fiat code such as USD' }).max(10).optional(),
  min_amount: amount,
  max_amount: amount,
  cryptocurrencies: list(100),
  collect_name: flag,
  collect_message: flag,
  enabled: flag,
});

const toPatch = (b: z.infer<typeof patchShape>): DonationPatch => ({
  title: b.title,
  description: b.description,
  logoUrl: b.logo_url,
  presets: asList(b.presets),
  fiat: b.currency,
  min: asText(b.min_amount),
  max: asText(b.max_amount),
  currencies: asList(b.cryptocurrencies),
  collectName: asFlag(b.collect_name),
  collectMessage: asFlag(b.collect_message),
  enabled: asFlag(b.enabled),
});

export const DonationPatchRequest = patchShape.transform(toPatch);

/** Create: the patch plus the slug (checked by the domain, so its message is the domain's). */
export const CreateDonationRequest = patchShape
  .extend({ slug: z.string({ error: 'slug is required: 3 to 40 characters of a-z, 0-9 and -' }).max(100) })
  .transform((b) => ({ slug: b.slug.trim(), patch: toPatch(b) }));

export const ListDonationsQuery = z.object({
  limit: z.coerce.number().int().min(1).max(100).optional().default(20),
  cursor: z.string().max(200).optional(),
});

const donorText = (max: number) => z.string({ error: 'must be text' }).max(max).optional().nullable().transform((v) => v ?? null);

/**
 * The donor's request: an amount in the page's currency (`preset` is the preset button a form
 * without script sent; a typed `amount` wins), and, when the page asks, a name and a message.
 * Lengths are checked against the page by the domain; these caps only bound the work.
 */
export const DonateRequest = z
  .object({
    amount: z.union([z.string().max(40), z.number()], { error: 'amount must be a number such as 10' }).optional(),
    preset: z.string().max(40).optional(),
    name: donorText(DONOR_NAME_LENGTH_MAX * 4),
    message: donorText(DONOR_MESSAGE_LENGTH_MAX * 4),
  })
  .transform((b, ctx) => {
    const typed = b.amount === undefined ? '' : String(b.amount).trim();
    const amount = typed !== '' ? typed : (b.preset ?? '').trim();
    if (amount === '') {
      ctx.addIssue({ code: 'custom', message: 'amount is required, e.g. 10', path: ['amount'] });
      return z.NEVER;
    }
    return { amount, name: b.name, message: b.message };
  });

/** The donor's answer: the invoice and its payment page, where the crypto is chosen. */
export const presentDonationInvoice = (invoice: Pick<Invoice, 'id' | 'locale'>, publicBaseUrl: string) => ({
  invoice_id: invoiceUuid(invoice.id),
  link: `${publicBaseUrl}${payPath(invoice)}`,
});

export const donationPath = (slug: string) => `/donate/${encodeURIComponent(slug)}`;

export function presentDonationPage(page: DonationPage, publicBaseUrl: string) {
  return {
    slug: page.slug,
    shop_id: page.shopId,
    link: `${publicBaseUrl}${donationPath(page.slug)}`,
    title: page.title,
    description: page.description,
    logo_url: page.logoUrl,
    currency: page.fiat,
    presets: page.presets.map(formatDecimal),
    min_amount: formatDecimal(page.min),
    max_amount: formatDecimal(page.max),
    cryptocurrencies: page.currencies,
    collect_name: page.collectName,
    collect_message: page.collectMessage,
    enabled: page.enabled,
    created: isoTime(page.createdAt),
  };
}

/** Totals: amounts as exact decimal strings per crypto code, USD rounded to the cent. */
export function presentDonationTotals(totals: DonationTotals & { complete: boolean }) {
  return {
    count: totals.count,
    by_currency: Object.fromEntries(
      [...totals.byCurrency].map(([code, units]) => [code, formatDecimal(fromUnits(units, findCrypto(code)?.decimals ?? 0))]),
    ),
    usd: formatDecimal({ units: ratioToScale(totals.usd, 2, 'half_up'), scale: 2 }),
    complete: totals.complete,
  };
}
