/** GET /donate/{slug}: a donation page (a closed note when switched off). */
import { donationPageView } from '../../shared/app/donations';
import { renderDonatePage } from '../../shared/pages/donate-page';
import { visitorLocale } from '../../shared/pages/i18n';
import { replyRoute } from '../kit/http';
import { slugOf } from './donation-common';

export const pageDonate = replyRoute({
  route: 'page.donate',
  input: (req) => ({ ok: true as const, value: slugOf(req) }),
  request: {},
  run: ({ deps, input }) => donationPageView(deps, input),
  reply: ({ page, project }, { req }) => ({
    contentType: 'text/html; charset=utf-8',
    body: renderDonatePage({ page, project, locale: visitorLocale(req.query.locale ?? req.query.lang, req.headers['accept-language'], project.settings.locale) }),
  }),
});
