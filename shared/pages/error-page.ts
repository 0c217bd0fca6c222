/** The page a customer sees when a page route fails: what happened in plain words, never internals. */
import { html } from './html';
import { negotiateLocale, translate } from './i18n';
import { renderCustomerPage } from './layout';

export function renderErrorPage(status: number, acceptLanguage: string | null): string {
  const locale = negotiateLocale({ acceptLanguage });
  const [title, text] =
    status === 429
      ? [translate(locale, 'common.error.title'), translate(locale, 'common.tooManyRequests')]
      : status >= 500
        ? [translate(locale, 'common.error.title'), translate(locale, 'common.error.body')]
        : [translate(locale, 'common.notFound.title'), translate(locale, 'common.notFound.body')];
  return renderCustomerPage({ locale, title, project: null, testMode: false, path: '', body: html`<h1>${title}</h1><p>${text}</p>` });
}
