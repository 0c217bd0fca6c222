/** Lambda entry for the `pages` route group (lib/manifest.ts): what a customer's browser reads. */
import { httpGroup } from '../kit/http';
import { pageAsset } from './page-asset';
import { pageDonate } from './page-donate';
import { pagePay } from './page-pay';
import { pagePayQr } from './page-pay-qr';
import { publicInvoiceStatus } from './public-invoice-status';

export const handler = httpGroup([pagePay, pagePayQr, publicInvoiceStatus, pageAsset, pageDonate]);
