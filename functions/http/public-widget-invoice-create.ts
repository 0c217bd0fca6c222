/**
 * POST /api/public/widget/invoices: the widget button's invoice. Browsers send it as a form post
 * (a CORS-simple request, so no preflight); only the project's widget origins may read the answer.
 */
import { presentPublicInvoice, WidgetInvoiceRequest } from '../../shared/api/native/pos-widget';
import { createWidgetInvoice } from '../../shared/app/widget';
import { fromSchema, route } from '../kit/http';

const input = fromSchema(WidgetInvoiceRequest);

export const publicWidgetInvoiceCreate = route({
  route: 'public.widget.invoice_create',
  input,
  run: ({ deps, input, req, now }) => createWidgetInvoice(deps, { ...input, origin: req.headers.origin ?? null, now }),
  present: ({ invoice }, { deps }) => presentPublicInvoice(deps.settings.publicBaseUrl, invoice),
  corsOrigin: ({ origin }) => origin,
  status: 201,
});
