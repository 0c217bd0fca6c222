/** GET /help/{topic}: one help topic; an unknown topic is the 404 page. */
import { helpContext } from '../../shared/app/help-pages';
import { err, ok } from '../../shared/domain/result';
import { helpTopic } from '../../shared/pages/help';
import { renderHelpTopic } from '../../shared/pages/help-page';
import { replyRoute } from '../kit/http';
import { helpInvoice, helpLocale } from './page-help-index';

export const pageHelp = replyRoute({
  route: 'page.help',
  input: (req) => ({ ok: true, value: { topic: req.pathParameters.topic ?? '', invoice: helpInvoice(req) } }),
  request: {},
  run: async ({ deps, input }) => {
    const topic = helpTopic(input.topic);
    if (!topic) return err({ kind: 'page.not_found', path: `/help/${input.topic.slice(0, 100)}` });
    const context = await helpContext(deps, input.invoice);
    return context.ok ? ok({ topic, context: context.value }) : context;
  },
  reply: ({ topic, context }, { req }) => ({ contentType: 'text/html; charset=utf-8', body: renderHelpTopic({ locale: helpLocale(req, context), context, topic }) }),
});
