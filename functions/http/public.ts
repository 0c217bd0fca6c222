/** Lambda entry for the `public` route group (lib/manifest.ts): invoices a stranger may start without a key. */
import { httpGroup } from '../kit/http';
import { publicDonationInvoice } from './public-donation-invoice';

export const handler = httpGroup([publicDonationInvoice]);
