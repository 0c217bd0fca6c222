/** Lambda entry for the `public` route group (lib/manifest.ts): invoices a stranger may start without a key (donations, POS, widget). */
import { httpGroup } from '../kit/http';
import { pagePayChoose } from './page-pay-choose';
import { publicDonationInvoice } from './public-donation-invoice';
import { publicPosInvoiceCreate } from './public-pos-invoice-create';
import { publicWidgetInvoiceCreate } from './public-widget-invoice-create';

export const handler = httpGroup([pagePayChoose, publicDonationInvoice, publicPosInvoiceCreate, publicWidgetInvoiceCreate]);
