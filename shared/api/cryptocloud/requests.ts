/**
 * CryptoCloud v2 request schemas (reference §1.2–1.7, §8). They accept what real clients send and
 * produce typed commands; every failure names its field with a CryptoCloud-style message.
 */
import * as z from 'zod';
import { identifyProblem } from '../../domain/static-wallet';
import { FIAT_CODES, type FiatCode, isFiatCode } from '../../domain/currencies';
import { type InvoiceId, parseInvoiceRef } from '../../domain/ids';
import { type Decimal, parseDecimal } from '../../domain/money';
import { URL_LENGTH_MAX } from '../../domain/project';
import { DAY_MS, HOUR_MS, type Instant, MINUTE_MS, parseRequestDate } from '../../domain/time';
import { INFO_IDS_MAX_WIRE } from './limits';

export const AMOUNT_MAX = 1_000_000_000n;
export const ORDER_ID_LENGTH_MAX = 255;
export const EMAIL_LENGTH_MAX = 254;
/** A payment page shows it in a line or two; anything longer is a page of its own. */
export const DESCRIPTION_LENGTH_MAX = 200;
export const LIFETIME_MS_MIN = MINUTE_MS;
export const LIFETIME_MS_MAX = 30 * 24 * HOUR_MS;

const present = (v: unknown) => v !== undefined && v !== null && v !== '';
const fail = (ctx: z.RefinementCtx, message: string) => {
  ctx.addIssue({ code: 'custom', message });
  return z.NEVER;
};

export const amount = z.unknown().optional().transform((v, ctx): Decimal => {
  if (!present(v)) return fail(ctx, 'amount not passed.');
  if (typeof v !== 'number' && typeof v !== 'string') return fail(ctx, 'Invalid value amount. Expected a number such as 100.5.');
  if (typeof v === 'number' && !Number.isFinite(v)) return fail(ctx, 'Invalid value amount. Expected a finite number.');
  const d = parseDecimal(String(v));
  if (!d.ok) return fail(ctx, `Invalid value amount. ${JSON.stringify(String(v).slice(0, 40))} is not a number.`);
  if (d.value.units <= 0n) return fail(ctx, 'Invalid value amount. It must be greater than 0.');
  if (d.value.units > AMOUNT_MAX * 10n ** BigInt(d.value.scale)) return fail(ctx, `Invalid value amount. It must not exceed ${AMOUNT_MAX}.`);
  return d.value;
}).meta({ type: ['number', 'string'], description: `Greater than 0, at most ${AMOUNT_MAX}; text keeps every digit.`, examples: [100.5], wireRequired: true });

export const fiat = z.unknown().optional().transform((v, ctx): FiatCode => {
  if (!present(v)) return 'USD';
  const code = String(v).trim().toUpperCase();
  if (isFiatCode(code)) return code;
  return fail(ctx, `Invalid account currency specified. Available currencies ${FIAT_CODES.map((c) => `'${c}'`).join(', ')}.`);
}).meta({ type: 'string', enum: [...FIAT_CODES], default: 'USD', description: 'Fiat currency of the amount (case-insensitive).' });

export const optionalText = (field: string, max: number) =>
  z.unknown().optional().transform((v, ctx): string | null => {
    if (!present(v) || v === 'None') return null;
    if (typeof v !== 'string' && typeof v !== 'number') return fail(ctx, `${field} must be a string.`);
    if (typeof v === 'number' && !Number.isSafeInteger(v)) return fail(ctx, `${field} is a number too large (or not whole) to keep exactly: send it as a string.`);
    const s = String(v).trim();
    if (s.length > max) return fail(ctx, `${field} must be at most ${max} characters.`);
    return s.length > 0 ? s : null;
  }).meta({ type: ['string', 'number'], maxLength: max, description: `${field}: optional text of at most ${max} characters.` });

/** Plain text on one line: control characters (newlines included) are refused, not stripped, so what is stored is what was sent. */
const description = optionalText('description', DESCRIPTION_LENGTH_MAX).refine((v) => v === null || !/\p{Cc}/u.test(v), 'description must be plain text on one line.');
/** The wire shape of `add_fields` (documentation: it is read field by field below, not by this schema). */
const AddFieldsDoc = {
  type: 'object',
  description: 'Optional settings; each may also be sent flat, beside `amount`.',
  properties: {
    time_to_pay: { type: ['object', 'string'], properties: { hours: { type: 'integer', minimum: 0 }, minutes: { type: 'integer', minimum: 0 } }, description: 'Invoice lifetime, 1 minute to 720 hours; also as JSON text.' },
    available_currencies: { type: ['array', 'string'], items: { type: 'string' }, description: 'Crypto codes the payer may choose from (`["USDT_TRC20","ETH"]` or `USDT_TRC20,ETH`).' },
    cryptocurrency: { type: 'string', description: 'Preselect one crypto code, such as USDT_TRC20.' },
    description: { type: 'string', maxLength: DESCRIPTION_LENGTH_MAX, description: 'Shown on the payment page; plain text on one line.' },
    notification_url: { type: 'string', format: 'uri', maxLength: URL_LENGTH_MAX, description: "This invoice's postback URL instead of the project's." },
  },
} as const;

/** An optional e-mail: trimmed, bounded, one @; the select route reuses it. */
export const email = optionalText('email', EMAIL_LENGTH_MAX).refine((v) => v === null || /^[^\s@]+@[^\s@]+$/.test(v), 'email is not a valid e-mail address.').meta({ type: 'string', format: 'email', maxLength: EMAIL_LENGTH_MAX, description: "The payer's e-mail (optional)." });

/** `add_fields` that is not an object (form clients send key names only) counts as absent. */
const objectOrEmpty = z.unknown().optional().transform((v) => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {}));

/** `"[A, B]"`, `'["A","B"]'` or `"A,B"` → `["A", "B"]`. */
const splitList = (text: string): string[] => text.replace(/[[\]"'\s]/g, '').split(',').filter(Boolean);

/** `["BTC","ETH"]`, `"[BTC, ETH]"`, `"BTC,ETH"` or a JSON string of an array. */
export function parseCurrencyList(v: unknown): string[] | null {
  if (!present(v) || v === 'None') return null;
  const items = Array.isArray(v) ? v : splitList(String(v));
  const codes = items.map((c) => String(c).trim().toUpperCase()).filter((c) => /^[A-Z0-9_]{2,20}$/.test(c));
  return codes.length > 0 ? codes : null;
}

/** `{hours, minutes}` as an object, a JSON string or a Python dict string. */
function parseTimeToPay(v: unknown): { ok: true; ms: number | null } | { ok: false } {
  if (!present(v) || v === 'None') return { ok: true, ms: null };
  let obj: unknown = v;
  if (typeof v === 'string') {
    try {
      obj = JSON.parse(v.replace(/'/g, '"'));
    } catch {
      return { ok: false };
    }
  }
  if (!obj || typeof obj !== 'object' || Array.isArray(obj)) return { ok: false };
  const { hours = 0, minutes = 0 } = obj as { hours?: unknown; minutes?: unknown };
  const h = Number(hours ?? 0);
  const m = Number(minutes ?? 0);
  if (!Number.isInteger(h) || !Number.isInteger(m) || h < 0 || m < 0) return { ok: false };
  return { ok: true, ms: h * HOUR_MS + m * MINUTE_MS };
}

/**
 * `?locale=`, `{"query":{"locale":..}}` or `locale` in the body. Anything is accepted; what is
 * not a language code counts as absent (null: the project's own locale applies).
 */
export function pickLocale(query: Record<string, string | undefined>, body: Record<string, unknown>): string | null {
  const nested = body.query && typeof body.query === 'object' ? (body.query as Record<string, unknown>).locale : undefined;
  const raw = query.locale || nested || body.locale;
  const locale = typeof raw === 'string' ? raw.trim().toLowerCase() : '';
  return /^[a-z]{2,3}([-_][a-z]{2})?$/.test(locale) ? locale : null;
}

/** `shop_id` on the wire (documentation of the lenient field below). */
const SHOP_ID_DOC = { type: 'string', description: "The project's shop id (`tollgate project show`).", examples: ['a1B2c3D4e5F6g7H8'], wireRequired: true };

export const CreateInvoiceRequest = z
  .object({
    shop_id: z.unknown().optional().transform((v, ctx) => (present(v) ? String(v).trim() : fail(ctx, 'shop_id not passed.'))).meta(SHOP_ID_DOC),
    amount,
    currency: fiat,
    order_id: optionalText('order_id', ORDER_ID_LENGTH_MAX),
    email,
    add_fields: objectOrEmpty.meta(AddFieldsDoc),
    // Flattened add_fields, as some form clients send them.
    time_to_pay: z.unknown().optional().meta(AddFieldsDoc.properties.time_to_pay),
    available_currencies: z.unknown().optional().meta(AddFieldsDoc.properties.available_currencies),
    cryptocurrency: z.unknown().optional().meta(AddFieldsDoc.properties.cryptocurrency),
  })
  .transform((body, ctx) => {
    const extra = body.add_fields;
    const lifetime = parseTimeToPay(extra.time_to_pay ?? body.time_to_pay);
    if (!lifetime.ok || (lifetime.ms !== null && (lifetime.ms < LIFETIME_MS_MIN || lifetime.ms > LIFETIME_MS_MAX))) {
      ctx.addIssue({ code: 'custom', path: ['time_to_pay'], message: 'time_to_pay must be {"hours": int, "minutes": int} between 1 minute and 720 hours.' });
      return z.NEVER;
    }
    const crypto = extra.cryptocurrency ?? body.cryptocurrency;
    const notificationUrl = extra.notification_url;
    const text = description.safeParse(extra.description);
    if (!text.success) {
      ctx.addIssue({ code: 'custom', path: ['description'], message: text.error.issues[0]?.message ?? 'description is invalid.' });
      return z.NEVER;
    }
    if (present(notificationUrl) && (typeof notificationUrl !== 'string' || notificationUrl.trim().length > URL_LENGTH_MAX)) {
      ctx.addIssue({ code: 'custom', path: ['notification_url'], message: `notification_url must be an http(s) URL of at most ${URL_LENGTH_MAX} characters.` });
      return z.NEVER;
    }
    return {
      shopId: body.shop_id,
      amount: body.amount,
      fiat: body.currency,
      orderId: body.order_id,
      email: body.email,
      description: text.data,
      lifetimeMs: lifetime.ms,
      availableCurrencies: parseCurrencyList(extra.available_currencies ?? body.available_currencies),
      cryptocurrency: present(crypto) && crypto !== 'None' ? String(crypto).trim().toUpperCase() : null,
      notificationUrl: present(notificationUrl) && notificationUrl !== 'None' ? String(notificationUrl).trim() : null,
    };
  });

const invoiceRef = (field: string) =>
  z.unknown().optional().transform((v, ctx): InvoiceId => {
    const id = typeof v === 'string' || typeof v === 'number' ? parseInvoiceRef(String(v)) : null;
    return id?.ok ? id.value : fail(ctx, `${field} must be an invoice id such as INV-XXXXXXXX or XXXXXXXX; got ${JSON.stringify(v)?.slice(0, 40)}.`);
  }).meta({ type: 'string', description: `${field}: an invoice id, INV-XXXXXXXX or XXXXXXXX.`, examples: ['INV-8C5T1W2Z'], wireRequired: true });;

const date = (field: string) =>
  z.unknown().optional().transform((v, ctx): Instant => {
    if (!present(v)) return fail(ctx, `${field} not passed. Use the format dd.mm.yyyy.`);
    const at = typeof v === 'string' ? parseRequestDate(v) : null;
    return at ?? fail(ctx, `${field} ${JSON.stringify(v)} is not a date in the format dd.mm.yyyy.`);
  }).meta({ type: 'string', description: `${field}: a date, dd.mm.yyyy.`, examples: ['01.05.2025'], wireRequired: true });;

/** Statistics and lists read every invoice in the range; a year bounds the work per request. */
export const DATE_RANGE_DAYS_MAX = 366;

const DateRange = z
  .object({ start: date('start'), end: date('end') })
  .refine((r) => r.end >= r.start, { path: ['end'], message: 'end must be on or after start.' })
  .refine((r) => r.end - r.start < DATE_RANGE_DAYS_MAX * DAY_MS, { path: ['end'], message: `The range from start to end may span at most ${DATE_RANGE_DAYS_MAX} days.` });

/** Deep offsets cost a read of every skipped invoice; past this, narrow the dates instead. */
export const LIST_OFFSET_MAX = 10_000;
/** Larger limits are accepted and clamped to a page (100) by the use case, not refused. */
const LIMIT_ACCEPTED_MAX = 1_000_000;

const boundedInt = (field: string, fallback: number, max: number) =>
  z.unknown().optional().transform((v, ctx): number => {
    if (!present(v) || v === 'None') return fallback;
    const n = Number(v);
    return Number.isInteger(n) && n >= 0 && n <= max ? n : fail(ctx, `${field} must be a whole number from 0 to ${max}.`);
  }).meta({ type: ['integer', 'string'], minimum: 0, maximum: max, default: fallback, description: `${field}: a whole number from 0 to ${max}.` });;

export const ListInvoicesRequest = z.object({ offset: boundedInt('offset', 0, LIST_OFFSET_MAX), limit: boundedInt('limit', 10, LIMIT_ACCEPTED_MAX) }).and(DateRange);
export const StatisticsRequest = DateRange;

/** True for the list-shaped body some SDKs send to /info (reference §1.4). */
export const looksLikeList = (body: Record<string, unknown>) => body.uuids === undefined && body.uuid === undefined && present(body.start);

export const InvoiceInfoRequest = z
  .object({
    uuids: z.unknown().optional().meta({ type: ['array', 'string'], items: { type: 'string' }, maxItems: INFO_IDS_MAX_WIRE, description: `Invoice ids (INV-XXXXXXXX or XXXXXXXX), at most ${INFO_IDS_MAX_WIRE}.` }),
    uuid: z.unknown().optional().meta({ type: 'string', description: 'One invoice id (older clients).' }),
  })
  .transform((body, ctx) => {
    const raw = present(body.uuids) ? body.uuids : body.uuid;
    if (!present(raw)) return fail(ctx, 'uuids not passed.');
    const list = Array.isArray(raw) ? raw : typeof raw === 'string' && raw.trim().startsWith('[') ? splitList(raw) : [raw];
    if (list.length > INFO_IDS_MAX_WIRE) return fail(ctx, `Max ${INFO_IDS_MAX_WIRE} uuids per request; got ${list.length}.`);
    const ids: InvoiceId[] = [];
    for (const item of list) {
      const id = typeof item === 'string' || typeof item === 'number' ? parseInvoiceRef(String(item)) : null;
      if (!id?.ok) return fail(ctx, `uuids contains ${JSON.stringify(item)?.slice(0, 40)}, which is not an invoice id such as INV-XXXXXXXX.`);
      ids.push(id.value);
    }
    return { ids };
  });

export const CancelInvoiceRequest = z.object({
  uuid: z.unknown().optional().transform((v, ctx) => (present(v) ? v : fail(ctx, 'uuid is required'))).pipe(invoiceRef('uuid')).meta({ type: 'string', description: 'The invoice id, INV-XXXXXXXX or XXXXXXXX.', wireRequired: true }),
});

export const InvoiceRefRequest = z.object({ uuid: invoiceRef('uuid') });

/** `/v2/invoice/static/create` (reference §1.8): `identify` is the merchant's customer id, bounded and printable. */
export const StaticWalletRequest = z.object({
  shop_id: z.unknown().optional().transform((v, ctx) => (present(v) ? String(v).trim() : fail(ctx, 'shop_id not passed.'))).meta(SHOP_ID_DOC),
  currency: z
    .unknown()
    .optional()
    .transform((v, ctx) => (typeof v === 'string' && v.trim() !== '' && v.length <= 40 ? v.trim().toUpperCase() : fail(ctx, 'currency not passed. Use a crypto code such as USDT_TRC20 or ETH.'))).meta({ type: 'string', maxLength: 40, description: 'Crypto code, such as USDT_TRC20 or ETH.', wireRequired: true }),
  identify: z
    .unknown()
    .optional()
    .transform((v, ctx) => {
      if (!present(v)) return fail(ctx, 'identify not passed: send your customer id.');
      if (typeof v !== 'string' && typeof v !== 'number') return fail(ctx, 'identify must be text (your customer id).');
      // JSON numbers past 2^53 arrive rounded: two customers' ids would name one wallet.
      if (typeof v === 'number' && !Number.isSafeInteger(v)) return fail(ctx, 'identify is a number too large (or not whole) to keep exactly: send it as a string.');
      const text = String(v).trim();
      const problem = identifyProblem(text);
      return problem ? fail(ctx, problem) : text;
    }).meta({ type: ['string', 'number'], description: 'Your customer id: one wallet per project, currency and identify.', wireRequired: true }),
});

/** zod issues → CryptoCloud's `{field: message}` map, first message per field. */
export function fieldErrors(error: z.ZodError, renameTo?: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const issue of error.issues) {
    const field = renameTo ?? String(issue.path[0] ?? 'uuids');
    out[field] ??= issue.message;
  }
  return out;
}
