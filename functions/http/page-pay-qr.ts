/** GET /pay/{invoiceId}/qr.svg: the QR code of what is due now (a partial payment gets a new one). */
import { paymentQrSvg } from '../../shared/app/payment-page';
import { etagOf } from '../kit/etag';
import { replyRoute } from '../kit/http';
import { pathId } from './invoice-payments';

export const pagePayQr = replyRoute({
  route: 'page.pay_qr',
  input: pathId,
  run: ({ deps, input, now }) => paymentQrSvg(deps, input, now),
  reply: ({ svg }) => ({ contentType: 'image/svg+xml', body: svg, etag: etagOf(svg), cacheControl: 'no-cache' }),
});
