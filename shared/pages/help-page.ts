/**
 * The customer help pages, `/help` and `/help/{slug}`. Opened from a payment page they carry its
 * invoice (`?invoice=INV-…`): then they speak for that merchant, show its support contact and lead
 * back to the payment; otherwise they are neutral Tollgate help.
 */
import { type InvoiceId, invoiceUuid } from '../domain/ids';
import { isHttpUrl, type Project } from '../domain/project';
import { HELP_GROUPS, type HelpTopic, helpBlocks, relatedHelpTopics } from './help';
import { type Html, html } from './html';
import { catalogue, fill, type Locale, translate } from './i18n';
import { renderCustomerPage } from './layout';

/** The payment the customer came from, as the app's help context gives it. */
export type HelpPageContext = {
  invoiceId: InvoiceId;
  testMode: boolean;
  merchant: Pick<Project['settings'], 'name' | 'logoUrl' | 'supportContact'>;
};

export type HelpPageModel = { locale: Locale; context: HelpPageContext | null };

/** Conservative on purpose: no spaces, quotes, `?` or `&`, so a mailto: link can carry nothing but the address. */
const EMAIL = /^[^\s@<>()"',;:?&]+@[^\s@<>()"',;:?&]+\.[a-z]{2,}$/i;

/** An e-mail address becomes a mailto: link, an http(s) URL a link; anything else (a phone, a handle) stays text. */
function contactValue(contact: string): Html {
  if (EMAIL.test(contact)) return html`<a href="mailto:${contact}">${contact}</a>`;
  if (isHttpUrl(contact)) return html`<a href="${contact}">${contact}</a>`;
  return html`<strong>${contact}</strong>`;
}

/** Help links keep the payment and the language, so a customer never loses either while reading. */
function helpHref(slug: string | null, m: HelpPageModel): string {
  const query = new URLSearchParams(m.context ? { invoice: invoiceUuid(m.context.invoiceId) } : {});
  query.set('locale', m.locale);
  return `/help${slug ? `/${slug}` : ''}?${query}`;
}

function backToPayment(m: HelpPageModel): Html {
  if (!m.context) return html``;
  return html`<p class="help-back"><a href="/pay/${m.context.invoiceId}?locale=${m.locale}"><span aria-hidden="true">← </span>${translate(m.locale, 'help.backToPayment')}</a></p>`;
}

/** Who can actually help: the merchant, by its contact when it gave one. */
function contactBox(m: HelpPageModel): Html {
  const merchant = m.context?.merchant;
  const contact = merchant?.supportContact;
  let text: Html;
  if (merchant && contact) {
    // The template is split around {contact} before filling, so a name containing "{contact}" stays text.
    const [before, after = ''] = catalogue(m.locale)['help.contactMerchant'].split('{contact}');
    text = html`${fill(before, { merchant: merchant.name })}${contactValue(contact)}${fill(after, { merchant: merchant.name })}`;
  } else if (merchant) text = html`${translate(m.locale, 'help.contactMerchantInShop', { merchant: merchant.name })}`;
  else text = html`${translate(m.locale, 'help.contactShop')}`;
  return html`<aside class="help-contact" aria-labelledby="help-contact-title"><h2 id="help-contact-title">${translate(m.locale, 'help.stillStuck')}</h2><p>${text}</p></aside>`;
}

function topicList(topics: readonly HelpTopic[], m: HelpPageModel, className: string): Html {
  return html`<ul class="${className}">${topics.map((t) => html`<li><a href="${helpHref(t.slug, m)}">${translate(m.locale, t.title)}</a></li>`)}</ul>`;
}

function body(topic: HelpTopic, locale: Locale): Html {
  return html`${helpBlocks(translate(locale, topic.body)).map((b) => (b.kind === 'list' ? html`<ul>${b.items.map((i) => html`<li>${i}</li>`)}</ul>` : html`<p>${b.text}</p>`))}`;
}

function frame(m: HelpPageModel, title: string, path: string, content: Html): string {
  const merchant = m.context?.merchant;
  return renderCustomerPage({
    locale: m.locale,
    title,
    // The contact is shown in the page itself, with a link; the footer need not repeat it.
    project: merchant ? { ...merchant, supportContact: null } : null,
    testMode: m.context?.testMode ?? false,
    path: m.context ? `${path}?invoice=${invoiceUuid(m.context.invoiceId)}` : path,
    body: html`<div class="help">${content}</div>`,
    styles: ['help.css'],
  });
}

/** `/help`: every topic, the intro, and whom to contact. */
export function renderHelpIndex(m: HelpPageModel): string {
  const heading = translate(m.locale, 'help.heading');
  return frame(
    m,
    heading,
    '/help',
    html`${backToPayment(m)}<h1>${heading}</h1><p class="help-intro">${translate(m.locale, 'help.intro')}</p>${HELP_GROUPS.map(
      (g, i) => html`<section class="help-group" aria-labelledby="help-group-${i}"><h2 id="help-group-${i}">${translate(m.locale, g.title)}</h2>${topicList(g.topics, m, 'help-topics')}</section>`,
    )}${contactBox(m)}`,
  );
}

/** `/help/{slug}`: one answer, then whom to contact, the related questions and the way to all topics. */
export function renderHelpTopic(m: HelpPageModel & { topic: HelpTopic }): string {
  const title = translate(m.locale, m.topic.title);
  return frame(
    m,
    `${title} · ${translate(m.locale, 'help.heading')}`,
    `/help/${m.topic.slug}`,
    html`${backToPayment(m)}<article class="help-article"><h1>${title}</h1>${body(m.topic, m.locale)}</article>${contactBox(m)}<nav class="help-related" aria-labelledby="help-related-title"><h2 id="help-related-title">${translate(m.locale, 'help.related')}</h2>${topicList(relatedHelpTopics(m.topic.slug), m, 'help-topics')}</nav><p class="help-all"><a href="${helpHref(null, m)}">${translate(m.locale, 'help.allTopics')}</a></p>`,
  );
}
