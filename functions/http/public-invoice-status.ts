/** GET /api/public/invoices/{invoiceId}: the payment page's status poll (ETag; 304 when unchanged). */
import { payerStatus } from '../../shared/app/payment-page';
import { presentPayerStatus } from '../../shared/pages/payer-status';
import { etagOf } from '../kit/etag';
import { replyRoute } from '../kit/http';
import { pathId } from './invoice-payments';

export const publicInvoiceStatus = replyRoute({
  route: 'public.invoice.status',
  input: pathId,
  run: ({ deps, input, now }) => payerStatus(deps, input, now),
  reply: ({ invoice, view }) => {
    const body = JSON.stringify(presentPayerStatus(invoice, view));
    return { contentType: 'application/json; charset=utf-8', body, etag: etagOf(body), cacheControl: 'no-cache' };
  },
});
