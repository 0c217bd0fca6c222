/** The POS and widget wire shapes: the admin's POS link routes and the two public create routes. */
import * as z from 'zod';
import { FIAT_MINOR_UNITS, findCrypto } from '../../domain/currencies';
import { invoiceUuid } from '../../domain/ids';
import { type Invoice, payPath } from '../../domain/invoice/invoice';
import { formatDecimal, fromUnits } from '../../domain/money';
import { formatPosMax, POS_LABEL_LENGTH_MAX, type PosLink } from '../../domain/pos';
import { WIDGET_ORDER_PREFIX } from '../../domain/widget';
import { isoTime } from '../../domain/time';
import { amount, fiat, optionalText, ORDER_ID_LENGTH_MAX } from '../cryptocloud/requests';

/** A token as the link carries it: 43 base64url characters (32 bytes); anything else is not looked up. */
export const posToken = z.string().regex(/^[A-Za-z0-9_-]{43}$/, 'not a POS link token');

export const CreatePosLinkRequest = z
  .object({
    currency: z.string({ error: 'currency is required, e.g. USDT_ERC20' }).trim().toUpperCase().min(1).max(32),
    fiat,
    max: amount,
    label: optionalText('label', POS_LABEL_LENGTH_MAX).refine((v) => v === null || !/\p{Cc}/u.test(v), 'label must be plain text on one line.'),
  })
  // `amount` names its messages after CryptoCloud's field; here the field is `max`.
  .transform((b) => ({ currency: b.currency, fiat: b.fiat, max: b.max, label: b.label }));

export const PosSaleRequest = z.object({ amount });

export const WidgetInvoiceRequest = z
  .object({
    shop_id: z.string({ error: 'shop_id is required' }).trim().min(1, 'shop_id is required').max(64),
    amount,
    currency: fiat,
    // Room for the `widget:` prefix within the stored order id's bound.
    order_id: optionalText('order_id', ORDER_ID_LENGTH_MAX - WIDGET_ORDER_PREFIX.length),
    locale: z.string().max(10).optional(),
  })
  .transform((b) => ({ shopId: b.shop_id, amount: b.amount, fiat: b.currency, orderId: b.order_id, locale: b.locale && /^[a-z]{2}(-[a-z]{2})?$/i.test(b.locale) ? b.locale.slice(0, 2).toLowerCase() : null }));

export const presentPosLink = (link: PosLink) => ({
  id: link.id,
  label: link.label,
  currency: link.currency,
  fiat: link.fiat,
  max: formatPosMax(link),
  created_at: isoTime(link.createdAt),
  revoked_at: link.revokedAt === null ? null : isoTime(link.revokedAt),
});

/** What the POS page and the widget need to show a new invoice: its page, and (POS) where to pay. */
export function presentPublicInvoice(baseUrl: string, invoice: Invoice) {
  const offer = invoice.selection;
  const decimals = offer ? findCrypto(offer.code)?.decimals : undefined;
  return {
    invoice_id: invoiceUuid(invoice.id),
    link: `${baseUrl}${payPath(invoice)}`,
    // Without a preset currency (the widget) the payer chooses on the page: the fiat price is all there is yet.
    address: offer?.address ?? null,
    amount: offer && decimals !== undefined ? formatDecimal(fromUnits(offer.amountToPay, decimals)) : formatDecimal(fromUnits(invoice.price.minor, FIAT_MINOR_UNITS[invoice.price.currency])),
    currency: offer?.code ?? invoice.price.currency,
    expires_at: isoTime(invoice.expiresAt),
  };
}
