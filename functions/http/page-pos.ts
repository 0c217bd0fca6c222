/** GET /pos/{token}: the POS terminal page; an unknown, malformed or revoked token is the 404 page. */
import { posToken } from '../../shared/api/native/pos-widget';
import { openPosTerminal } from '../../shared/app/pos';
import { err } from '../../shared/domain/result';
import { negotiateLocale } from '../../shared/pages/i18n';
import { renderPosPage } from '../../shared/pages/pos-page';
import { hashKey } from '../kit/deps';
import { replyRoute } from '../kit/http';

export const pagePos = replyRoute({
  route: 'page.pos',
  input: (req) => ({ ok: true, value: req.pathParameters.token ?? '' }),
  request: {},
  run: async ({ deps, input }) => {
    if (!posToken.safeParse(input).success) return err({ kind: 'pos.not_found' as const });
    const terminal = await openPosTerminal(deps, hashKey, input);
    return terminal.ok ? { ok: true, value: { ...terminal.value, token: input } } : terminal;
  },
  reply: (model, { req }) => ({
    contentType: 'text/html; charset=utf-8',
    body: renderPosPage({ ...model, locale: negotiateLocale({ query: req.query.locale ?? null, invoiceLocale: model.project.settings.locale, acceptLanguage: req.headers['accept-language'] ?? null }) }),
  }),
});
