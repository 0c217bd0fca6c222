/**
 * The frame every customer page shares: the merchant's name and logo, the test-mode badge, the
 * language picker, and a footer with the merchant's support contact. Each page brings its own body,
 * its own stylesheet besides pages.css, and its own deferred script.
 */
import type { Project } from '../domain/project';
import { type Html, html, page } from './html';
import { LOCALE_NAMES, LOCALES, type Locale, translate } from './i18n';

export type CustomerPage = {
  locale: Locale;
  title: string;
  /** The merchant the page speaks for; null on pages of no project (help index without context). */
  project: Pick<Project['settings'], 'name' | 'logoUrl' | 'supportContact'> | null;
  testMode: boolean;
  /** The page's own path and query (without `locale`), so the language links keep the customer where they are. */
  path: string;
  body: Html;
  styles?: readonly string[];
  scripts?: readonly string[];
};

const withLocale = (path: string, locale: Locale): string => `${path}${path.includes('?') ? '&' : '?'}locale=${locale}`;

function header(p: CustomerPage): Html {
  const name = p.project?.name ?? 'Tollgate';
  const logo = p.project?.logoUrl ? html`<img class="logo" src="${p.project.logoUrl}" alt="" width="40" height="40">` : html`<span class="logo logo-initial" aria-hidden="true">${[...name][0]?.toUpperCase() ?? 'T'}</span>`;
  return html`<header class="top"><div class="brand">${logo}<span class="merchant">${name}</span></div>${
    p.testMode ? html`<span class="badge-test" title="${translate(p.locale, 'common.testModeHint')}">${translate(p.locale, 'common.testMode')}</span>` : ''
  }</header>`;
}

function footer(p: CustomerPage): Html {
  const contact = p.project?.supportContact;
  return html`<footer class="foot">${contact ? html`<p class="support">${translate(p.locale, 'common.contactMerchant', { contact })}</p>` : ''}<nav class="langs" aria-label="${translate(p.locale, 'common.language')}">${LOCALES.map((l) =>
    l === p.locale ? html`<span class="lang current" aria-current="true" lang="${l}">${LOCALE_NAMES[l]}</span>` : html`<a class="lang" href="${withLocale(p.path, l)}" lang="${l}" hreflang="${l}">${LOCALE_NAMES[l]}</a>`,
  )}</nav><p class="powered">${translate(p.locale, 'common.footer', { merchant: p.project?.name ?? 'Tollgate' })}</p></footer>`;
}

export function renderCustomerPage(p: CustomerPage): string {
  return page({
    title: p.title,
    lang: p.locale,
    styles: p.styles,
    scripts: p.scripts,
    body: html`<div class="shell">${header(p)}<main id="main" class="card">${p.body}</main>${footer(p)}</div>`,
  });
}
