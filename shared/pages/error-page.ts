/** The page a customer sees when a page route fails: what happened in plain words, never internals. */
import { html, page } from './html';

const MESSAGES: Record<'missing' | 'busy' | 'broken', { title: string; text: string }> = {
  missing: { title: 'Page not found', text: 'This payment link does not exist or was mistyped. Check the link you were given, or ask the shop for a new one.' },
  busy: { title: 'Too many requests', text: 'Too many requests came from your network. Wait a minute, then reload the page.' },
  broken: { title: 'Something went wrong', text: 'The page could not be shown. Reload it in a moment; your payment, if you sent one, is not affected.' },
};

export function renderErrorPage(status: number, _acceptLanguage: string | null): string {
  const m = status === 429 ? MESSAGES.busy : status >= 500 ? MESSAGES.broken : MESSAGES.missing;
  return page({ title: m.title, lang: 'en', body: html`<main class="card"><h1>${m.title}</h1><p>${m.text}</p></main>` });
}
