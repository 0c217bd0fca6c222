/** GET /pay/{invoiceId}: the invoice's payment page (the `link` of every invoice). */
import { paymentPage } from '../../shared/app/payment-page';
import { renderPaymentPage } from '../../shared/pages/pay-page';
import { replyRoute } from '../kit/http';
import { pathId } from './invoice-payments';

export const pagePay = replyRoute({
  route: 'page.pay',
  input: pathId,
  run: ({ deps, input, now }) => paymentPage(deps, input, now),
  reply: (model, { deps, req }) => ({
    contentType: 'text/html; charset=utf-8',
    body: renderPaymentPage({ ...model, locale: req.query.locale ?? req.query.lang ?? model.invoice.locale, testWallet: deps.settings.testWallet && model.invoice.testMode }),
    // Only a widget-enabled project's own sites may frame its payment page.
    frameAncestors: model.project.settings.widgetOrigins,
  }),
});
