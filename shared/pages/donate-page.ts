/**
 * The donation page, `/donate/{slug}`: the page's title, description and logo, preset amounts, a
 * free amount within min..max, and the donor's optional name and message. The donor picks the
 * crypto on the payment page the form leads to. Works without script: the form posts to the
 * public endpoint, which answers with a page that moves on to the payment page.
 */
import type { DonationPage } from '../domain/donation';
import { formatDecimal } from '../domain/money';
import { FIAT_MINOR_UNITS } from '../domain/currencies';
import { DONOR_MESSAGE_LENGTH_MAX, DONOR_NAME_LENGTH_MAX } from '../domain/donation';
import type { Project } from '../domain/project';
import { type Html, html, jsonData, page } from './html';
import { formatFiat, type Locale, translate } from './i18n';
import { renderCustomerPage } from './layout';

export type DonatePageModel = { page: DonationPage; project: Project; locale: Locale };

export const donateEndpoint = (slug: string) => `/api/public/donations/${encodeURIComponent(slug)}/invoices`;

/** Blank-line separated paragraphs; single newlines stay inside a paragraph (CSS keeps them). */
const paragraphs = (text: string): Html[] =>
  text
    .split(/\r?\n\s*\r?\n/)
    .map((p) => p.trim())
    .filter(Boolean)
    .map((p) => html`<p>${p}</p>`);

function form(m: DonatePageModel): Html {
  const { page: d, locale } = m;
  const t = (key: Parameters<typeof translate>[1], params?: Parameters<typeof translate>[2]) => translate(locale, key, params);
  const money = (v: Parameters<typeof formatDecimal>[0]) => formatFiat(locale, formatDecimal(v), d.fiat);
  const limits = { min: money(d.min), max: money(d.max) };
  const step = formatDecimal({ units: 1n, scale: FIAT_MINOR_UNITS[d.fiat] });
  const messages = { amountInvalid: t('donate.amountInvalid', limits), failed: t('common.error.body'), tooMany: t('common.tooManyRequests'), min: formatDecimal(d.min), max: formatDecimal(d.max), scale: FIAT_MINOR_UNITS[d.fiat] };
  return html`<form id="donate-form" class="donate-form" method="post" action="${donateEndpoint(d.slug)}">
${
  d.presets.length > 0
    ? html`<fieldset class="presets"><legend>${t('donate.presets')}</legend><div class="preset-grid">${d.presets.map(
        (p) => html`<button type="submit" class="btn preset" name="preset" value="${formatDecimal(p)}" aria-pressed="false">${money(p)}</button>`,
      )}</div></fieldset>`
    : ''
}
<div class="field"><label for="donate-amount">${d.presets.length > 0 ? t('donate.customAmount') : t('pos.amount')}</label>
<div class="amount-row"><input id="donate-amount" name="amount" type="number" inputmode="decimal" min="${formatDecimal(d.min)}" max="${formatDecimal(d.max)}" step="${step}" ${d.presets.length > 0 ? '' : html`required`} aria-describedby="donate-limits"><span class="fiat">${d.fiat}</span></div>
<p id="donate-limits" class="hint">${t('donate.limits', limits)}</p></div>
${d.collectName ? html`<div class="field"><label for="donate-name">${t('donate.name')}</label><input id="donate-name" name="name" type="text" maxlength="${DONOR_NAME_LENGTH_MAX}" autocomplete="name"></div>` : ''}
${d.collectMessage ? html`<div class="field"><label for="donate-message">${t('donate.message')}</label><textarea id="donate-message" name="message" rows="3" maxlength="${DONOR_MESSAGE_LENGTH_MAX}"></textarea></div>` : ''}
<p id="donate-error" class="form-error" role="alert" aria-live="assertive"></p>
<button type="submit" class="btn btn-primary" id="donate-submit">${t('donate.submit')}</button>
<p class="hint">${t('donate.nextStep')}</p>
</form>${jsonData('donate-data', { endpoint: donateEndpoint(d.slug), messages })}`;
}

export function renderDonatePage(m: DonatePageModel): string {
  const { page: d, project, locale } = m;
  const logo = d.logoUrl ? html`<img class="donate-logo" src="${d.logoUrl}" alt="" width="72" height="72">` : '';
  const body = html`<section class="donate${d.enabled ? '' : ' donate-closed'}">${logo}<h1>${d.title}</h1>${
    d.description ? html`<div class="donate-description">${paragraphs(d.description)}</div>` : ''
  }${d.enabled ? form(m) : html`<p class="closed-note" role="status">${translate(locale, 'donate.closed')}</p>`}</section>`;
  return renderCustomerPage({
    locale,
    title: `${d.title} · ${project.settings.name}`,
    project: project.settings,
    testMode: project.settings.testMode,
    path: `/donate/${encodeURIComponent(d.slug)}`,
    body,
    styles: ['donate.css'],
    scripts: d.enabled ? ['donate.js'] : [],
  });
}

/** The answer to a form post without script: the payment page's link, followed at once by the browser. */
export function renderDonateContinue(input: { link: string; locale: Locale; title: string }): string {
  const go = translate(input.locale, 'donate.continue');
  return page({
    title: input.title,
    lang: input.locale,
    head: html`<meta http-equiv="refresh" content="0;url=${input.link}">`,
    styles: ['donate.css'],
    body: html`<main class="card"><p><a class="btn btn-primary" href="${input.link}">${go}</a></p></main>`,
  });
}

