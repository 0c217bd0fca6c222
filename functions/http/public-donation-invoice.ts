/**
 * POST /api/public/donations/{slug}/invoices: a donor's gift becomes an invoice of the page's
 * project (rate-limited per client; bounded by the page). JSON in, `{ invoice_id, link }` out; a
 * form posted without script gets a page that moves on to the payment page.
 */
import { donate } from '../../shared/app/donations';
import { success } from '../../shared/api/cryptocloud/envelope';
import { DonateRequest, presentDonationInvoice } from '../../shared/api/native/donations';
import { renderDonateContinue } from '../../shared/pages/donate-page';
import { visitorLocale } from '../../shared/pages/i18n';
import { fromSchema, replyRoute, requestOf } from '../kit/http';
import { slugOf } from './donation-common';

const body = fromSchema(DonateRequest);

export const publicDonationInvoice = replyRoute({
  route: 'public.donation.invoice',
  input: (req) => {
    const parsed = body(req);
    return parsed.ok ? { ok: true as const, value: { ...parsed.value, slug: slugOf(req) } } : parsed;
  },
  request: requestOf(body),
  run: ({ deps, input, now }) => donate(deps, { ...input, now }),
  reply: (invoice, { deps, req }) => {
    const answer = presentDonationInvoice(invoice, deps.settings.publicBaseUrl);
    if (req.headers['content-type']?.startsWith('application/x-www-form-urlencoded')) {
      const locale = visitorLocale(undefined, req.headers['accept-language'], invoice.locale);
      return { contentType: 'text/html; charset=utf-8', body: renderDonateContinue({ link: answer.link, locale, title: invoice.description ?? answer.invoice_id }) };
    }
    return { status: 201, contentType: 'application/json; charset=utf-8', body: JSON.stringify(success(answer)) };
  },
});
