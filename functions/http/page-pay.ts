/** GET /pay/{invoiceId}: the invoice's payment page (the `link` of every invoice). */
import { paymentPage } from '../../shared/app/payment-page';
import { negotiateLocale } from '../../shared/pages/i18n';
import { renderPaymentPage } from '../../shared/pages/pay-page';
import { replyRoute } from '../kit/http';
import { pathId } from './invoice-payments';

export const pagePay = replyRoute({
  route: 'page.pay',
  input: pathId,
  run: ({ deps, input, now }) => paymentPage(deps, input, now),
  reply: (model, { deps, req, now }) => {
    // A static wallet's receipt is not paid from a page: its customer's page is the wallet's.
    const wallet = model.invoice.staticWallet;
    if (wallet) return { status: 302, location: `/wallet/${wallet.id}`, contentType: 'text/html; charset=utf-8', body: '' };
    return {
      contentType: 'text/html; charset=utf-8',
      body: renderPaymentPage({
        ...model,
        // `?lang=` is what invoice links carry (payPath); `?locale=` is what the language links set.
        locale: negotiateLocale({ query: req.query.locale ?? req.query.lang, invoiceLocale: model.invoice.locale, acceptLanguage: req.headers['accept-language'] }),
        chains: deps.chains,
        now,
        testWallet: deps.settings.testWallet && model.invoice.testMode,
        choiceRefused: req.query.choice === 'email' ? 'email' : req.query.choice === 'failed' ? 'failed' : null,
      }),
      // Only a widget-enabled project's own sites may frame its payment page.
      frameAncestors: model.project.settings.widgetOrigins,
    };
  },
});
