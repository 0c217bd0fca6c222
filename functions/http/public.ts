/** Lambda entry for the `public` route group (lib/manifest.ts): keyless, bounded invoice creation. */
import { httpGroup } from '../kit/http';
import { publicPosInvoiceCreate } from './public-pos-invoice-create';
import { publicWidgetInvoiceCreate } from './public-widget-invoice-create';

export const handler = httpGroup([publicPosInvoiceCreate, publicWidgetInvoiceCreate]);
