/** Lambda entry for the `pages` route group (lib/manifest.ts): what a customer's browser reads. */
import { httpGroup } from '../kit/http';
import { pageAsset } from './page-asset';
import { pageDonate } from './page-donate';
import { pageHelp } from './page-help';
import { pageHelpIndex } from './page-help-index';
import { pagePay } from './page-pay';
import { pagePayQr } from './page-pay-qr';
import { pagePos } from './page-pos';
import { pageWallet } from './page-wallet';
import { pageWalletQr } from './page-wallet-qr';
import { pageWidgetScript } from './page-widget-script';
import { openApiJson, pageApiDocs } from './page-openapi';
import { publicInvoiceStatus } from './public-invoice-status';
import { publicWalletStatus } from './public-wallet-status';

export const handler = httpGroup([pagePay, pagePayQr, publicInvoiceStatus, pageHelpIndex, pageHelp, pageAsset, pagePos, pageWidgetScript, pageDonate, pageWallet, pageWalletQr, publicWalletStatus, openApiJson, pageApiDocs]);
