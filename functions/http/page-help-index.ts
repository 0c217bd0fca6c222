/** GET /help: the help topics; `?invoice=INV-…` speaks for that invoice's merchant. */
import { invoicePathId } from '../../shared/api/native/requests';
import { type HelpContext, helpContext } from '../../shared/app/help-pages';
import { renderHelpIndex } from '../../shared/pages/help-page';
import { negotiateLocale } from '../../shared/pages/i18n';
import { type HttpRequest, replyRoute } from '../kit/http';

/**
 * The invoice a help page was opened from. A malformed id is no error: it reads as no invoice,
 * like an unknown one, so the page answers the same and help never fails a customer.
 */
export const helpInvoice = (req: HttpRequest) => {
  const id = invoicePathId.safeParse(req.query.invoice ?? '');
  return id.success ? id.data : null;
};

/** `?locale=`, then the invoice's language, then the browser's. */
export const helpLocale = (req: HttpRequest, context: HelpContext | null) =>
  negotiateLocale({ query: req.query.locale, invoiceLocale: context?.invoiceLocale, acceptLanguage: req.headers['accept-language'] });

export const pageHelpIndex = replyRoute({
  route: 'page.help_index',
  input: (req) => ({ ok: true, value: helpInvoice(req) }),
  request: {},
  run: ({ deps, input }) => helpContext(deps, input),
  reply: (context, { req }) => ({ contentType: 'text/html; charset=utf-8', body: renderHelpIndex({ locale: helpLocale(req, context), context }) }),
});
