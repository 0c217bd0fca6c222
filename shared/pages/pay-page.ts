/**
 * The payment page, `/pay/{shortId}`: what the invoice is for, the currency choice, then the exact
 * amount, the deposit address and a QR code, with the live status above them.
 *
 * Every state's section is rendered here, hidden unless it is the current one (`data-states` lists
 * the states a block shows in), so the first paint is right without JavaScript and pay.js only
 * toggles `hidden` and fills the numbers (`data-v`) from the status poll.
 */
import { CHAINS, type CryptoCurrency, FIAT_MINOR_UNITS, findCrypto } from '../domain/currencies';
import type { ChainDeployment } from '../domain/chains';
import { invoiceUuid } from '../domain/ids';
import { type Invoice, returnUrl } from '../domain/invoice/invoice';
import { PAYER_STATES, type PayerState, type PayerView } from '../domain/invoice/payer-view';
import { formatDecimal, fromUnits, ratioToScale } from '../domain/money';
import { unitsToUsd } from '../domain/pricing';
import { paymentUri } from '../domain/payment-uri';
import type { Project } from '../domain/project';
import type { Instant } from '../domain/time';
import { helpTopicsFor } from './help';
import { type Html, html, jsonData } from './html';
import { catalogue, clientMessages, formatCrypto, formatDateTime, formatDuration, formatFiat, type Locale, type MessageKey, translate } from './i18n';
import { renderCustomerPage } from './layout';

export type PaymentPageModel = {
  invoice: Invoice;
  view: PayerView;
  project: Project;
  locale: Locale;
  /** The chains this deployment serves: the choice is limited to them, the warning names their contracts. */
  chains: readonly ChainDeployment[];
  now: Instant;
  /** The local runtime's "Pay with the test wallet" button (test invoices only). */
  testWallet: boolean;
  /** A choice posted without script was refused (`?choice=failed`, or `email` when it lacked one): the form says why. */
  choiceRefused?: 'failed' | 'email' | null;
};

/** States in which the customer is asked to send (amount, address and QR shown). */
const SENDING: readonly PayerState[] = ['waiting', 'partial'];
/** States after which nothing changes for the customer: the script stops polling. */
export const FINAL_STATES: readonly PayerState[] = ['paid', 'overpaid', 'late', 'expired', 'canceled'];

type Tone = 'info' | 'ok' | 'warn' | 'bad';
const STATUS: Record<PayerState, { key: MessageKey; tone: Tone }> = {
  // The choice form is its own heading; no status box.
  choose: { key: 'pay.chooseCurrency', tone: 'info' },
  waiting: { key: 'pay.status.waiting', tone: 'info' },
  seen: { key: 'pay.status.seen', tone: 'info' },
  paid: { key: 'pay.status.paid', tone: 'ok' },
  partial: { key: 'pay.status.partial', tone: 'warn' },
  overpaid: { key: 'pay.status.overpaid', tone: 'ok' },
  late: { key: 'pay.status.late', tone: 'warn' },
  expired: { key: 'pay.status.expired', tone: 'bad' },
  canceled: { key: 'pay.status.canceled', tone: 'bad' },
};

/** A block shown only in `states`: hidden now unless the page is in one of them. */
const shownIn = (states: readonly PayerState[], current: PayerState) => ({ states: states.join(' '), hidden: !states.includes(current) });

/**
 * A catalogue message with each `{name}` as `<span data-v="name">` (`scope-name` when scoped, for a
 * name used twice on the page), so the script can refill the numbers.
 */
function message(locale: Locale, key: MessageKey, values: Record<string, string>, scope = ''): Html {
  const parts = catalogue(locale)[key].split(/\{(\w+)\}/);
  return html`${parts.map((part, i) => (i % 2 === 1 ? html`<span data-v="${scope ? `${scope}-${part}` : part}">${values[part] ?? ''}</span>` : part))}`;
}

/** A crypto amount's digits in the locale (no code): '1 234,5'. */
const digits = (locale: Locale, decimal: string) => formatCrypto(locale, decimal, '').trimEnd();

/** ERC20 → ERC-20: how wallets and exchanges label the token standard. */
const standardOf = (c: CryptoCurrency) => (c.contract === null ? null : CHAINS[c.chain].network.code.replace(/^(ERC|TRC|BEP)(\d+)$/, '$1-$2'));
/** The network as wallets and exchanges name it where the customer picks it: 'Tron (TRC-20)', 'Ethereum'. */
export const networkOf = (c: CryptoCurrency) => {
  const standard = standardOf(c);
  return standard ? `${CHAINS[c.chain].name} (${standard})` : CHAINS[c.chain].name;
};

/**
 * Send only this token on this network (with its contract, for a token): the payment and the wallet
 * page alike. The network is named as the customer's wallet names it, not as the deployment does
 * (a local stand-in says 'as Tron').
 */
export const networkWarning = (locale: Locale, currency: CryptoCurrency, contract: string | null): Html =>
  html`<p class="warning">${
    contract
      ? message(locale, 'pay.networkWarning', { token: currency.ticker, network: networkOf(currency), contract })
      : message(locale, 'pay.networkWarningNative', { token: currency.ticker, network: networkOf(currency) })
  }</p>`;

/** What can be chosen: the invoice's currencies that a served chain carries, grouped by chain. */
function choices(invoice: Invoice, chains: readonly ChainDeployment[]) {
  return chains
    .map((deployment) => ({ deployment, currencies: deployment.currencies.map((s) => s.currency).filter((c) => invoice.availableCurrencies.includes(c.code)) }))
    .filter((group) => group.currencies.length > 0);
}

function chooseForm(m: PaymentPageModel, emailNeeded: boolean): Html {
  const t = (key: MessageKey) => translate(m.locale, key);
  const groups = choices(m.invoice, m.chains);
  const only = groups.length === 1 && groups[0].currencies.length === 1;
  const current = m.view.offer?.code;
  const option = (c: CryptoCurrency) => {
    return html`<label class="option"><input type="radio" name="currency" value="${c.code}" required${only || c.code === current ? html` checked` : ''}><img src="/assets/icons/${c.ticker.toLowerCase()}.svg" alt="" width="32" height="32"><span class="option-text"><strong>${c.ticker}</strong> <span class="muted">${standardOf(c) ? translate(m.locale, 'pay.payWith', { currency: c.name, network: networkOf(c) }) : c.name}</span></span></label>`;
  };
  // Posts to the page itself without script (page.pay_choose); the script sends the same choice to the select route.
  return html`<form id="choose" class="choose" method="post" action="/pay/${m.invoice.id}" data-states="choose"${m.view.state === 'choose' ? '' : html` hidden`} novalidate>
<input type="hidden" name="locale" value="${m.locale}">
<h2>${t('pay.chooseCurrency')}</h2>
${groups.map((g) => html`<fieldset class="network"><legend>${t('pay.network')}: ${g.deployment.name}</legend>${g.currencies.map((c) => option(c))}</fieldset>`)}
${
  emailNeeded
    ? html`<div class="field"><label for="email">${t('pay.email')}</label><input id="email" name="email" type="email" autocomplete="email" inputmode="email" maxlength="254" required aria-describedby="email-hint" data-missing="${t('pay.emailRequired')}" data-invalid="${t('pay.emailInvalid')}"><p id="email-hint" class="hint">${t('pay.emailHint')}</p></div>`
    : ''
}
${m.choiceRefused ? html`<p class="form-error" role="alert">${t(m.choiceRefused === 'email' ? 'pay.emailRequired' : 'pay.selectFailed')}</p>` : html`<p class="form-error" role="alert" hidden></p>`}
<button class="btn btn-primary" type="submit">${t('pay.continue')}</button>
</form>`;
}

function statusBox(m: PaymentPageModel, values: Record<string, string>): Html {
  // The payment on its way says which rule it waits for; before one is seen, the offer's chain's usual rule.
  const offerChain = m.view.offer ? findCrypto(m.view.offer.code)?.chain : undefined;
  const usualRule = m.chains.find((c) => c.chain === offerChain)?.confirmations.normal;
  const seenByTag = m.view.progress ? typeof m.view.progress.required !== 'number' : usualRule !== undefined && 'tag' in usualRule;
  return html`<div class="status-live" role="status" aria-live="polite">${PAYER_STATES.filter((s) => s !== 'choose').map((state) => {
    const { key, tone } = STATUS[state];
    const shown = shownIn([state], m.view.state);
    const text =
      state === 'seen'
        ? // Counted blocks say "k of n"; a finality tag (Tron's solidified, Ethereum's finalized) has no n to count to. pay.js switches with the rule.
          html`<p class="status-text" data-seen="blocks"${seenByTag ? html` hidden` : ''}>${message(m.locale, key, values)}</p><p class="status-text" data-seen="tag"${seenByTag ? '' : html` hidden`}>${translate(m.locale, 'pay.status.seenFinality')}</p>`
        : html`<p class="status-text">${message(m.locale, key, values)}</p>`;
    return html`<div class="status status-${tone}" data-states="${shown.states}"${shown.hidden ? html` hidden` : ''}><span class="status-icon" aria-hidden="true"></span><div>${text}${
      state === 'seen' ? html`<p class="status-sub">${message(m.locale, 'pay.status.seenEta', values)}</p>` : ''
    }</div></div>`;
  })}</div>`;
}

function payPanel(m: PaymentPageModel, currency: CryptoCurrency, deployment: ChainDeployment | undefined, canChange: boolean): Html {
  const offer = m.view.offer!;
  const t = (key: MessageKey, params?: Record<string, string>) => translate(m.locale, key, params);
  const contract = deployment?.currencies.find((s) => s.currency.code === currency.code)?.contract ?? null;
  const remaining = formatDecimal(fromUnits(m.view.remaining, currency.decimals));
  // EVM wallets read the amount from the QR (EIP-681); Tron's QR is the bare address, so the customer types the amount.
  const qrHasAmount = deployment !== undefined && paymentUri(deployment, currency, offer.address, 1n) !== offer.address;
  const shown = shownIn(SENDING, m.view.state);
  return html`<section class="pay" aria-labelledby="amount-label" data-states="${shown.states}"${shown.hidden ? html` hidden` : ''}>
<div class="field due"><span class="label" id="amount-label">${t('pay.exactAmount')}</span>
<div class="copy-row"><p class="amount"><span data-v="due">${digits(m.locale, remaining)}</span> <span class="code">${currency.ticker}</span></p><button type="button" class="btn btn-copy" data-copied="${t('common.copied')}" data-copy="${remaining}" data-copy-of="due" aria-label="${t('common.copy')}: ${t('pay.exactAmount')}">${t('common.copy')}</button></div>
${networkFeeLine(m, currency)}</div>
<figure class="qr"><img id="qr" src="/pay/${m.invoice.id}/qr.svg?v=${m.view.remaining.toString()}" alt="${t(qrHasAmount ? 'pay.qrAlt' : 'pay.qrAltAddress')}" width="240" height="240">${qrHasAmount ? '' : html`<figcaption class="hint">${t('pay.qrAddressOnly')}</figcaption>`}</figure>
<div class="field"><span class="label" id="address-label">${t('pay.address')}</span>
<div class="copy-row"><code class="address" aria-labelledby="address-label">${offer.address}</code><button type="button" class="btn btn-copy" data-copied="${t('common.copied')}" data-copy="${offer.address}" aria-label="${t('common.copy')}: ${t('pay.address')}">${t('common.copy')}</button></div>
<p class="hint">${t('pay.addressHint')}</p></div>
${networkWarning(m.locale, currency, contract)}
<p class="lock">${message(m.locale, 'pay.rateLockedUntil', { time: formatDateTime(m.locale, offer.lockedUntil) }, 'lock')} <span class="muted">${t('pay.rateLockedHint')}</span></p>
${canChange ? html`<button type="button" class="btn btn-link" id="change-currency" data-states="waiting"${m.view.state === 'waiting' ? '' : html` hidden`}>${t('pay.changeCurrency')}</button>` : ''}
${
  m.testWallet
    ? html`<div class="test-pay"><button type="button" class="btn btn-test" id="test-pay">${t('pay.testWallet')}</button><p class="hint">${t('pay.testWalletHint')}</p><p class="form-error" role="alert" hidden></p></div>`
    : ''
}
<noscript><p class="hint">${t('pay.noscript')}</p></noscript>
</section>`;
}

/**
 * Client-side, the amount includes the network fee (the estimated cost of moving the payment on,
 * shared/domain/network-fee.ts): say how much, in the coin and in dollars (rounded up to a cent).
 * Merchant-side the customer pays exactly the price, so there is nothing to explain.
 */
function networkFeeLine(m: PaymentPageModel, currency: CryptoCurrency): Html | '' {
  const offer = m.view.offer;
  if (!offer || m.invoice.sideCommission !== 'client' || offer.transferFee <= 0n) return '';
  const fee = formatCrypto(m.locale, formatDecimal(fromUnits(offer.transferFee, currency.decimals)), currency.ticker);
  const cents = ratioToScale(unitsToUsd(offer.transferFee, offer.usdPerUnit, currency), 2, 'up');
  const usd = formatFiat(m.locale, formatDecimal(fromUnits(cents, 2)), 'USD');
  return html`<p class="hint network-fee">${translate(m.locale, 'pay.networkFeeIncluded', { fee, usd, network: networkOf(currency) })}</p>`;
}

/** Return buttons: the success URL after payment, the fail URL once the invoice closed unpaid; none without a URL. */
function returnLinks(m: PaymentPageModel): Html {
  const success = returnUrl(m.project.settings.successUrl, m.invoice);
  const fail = returnUrl(m.project.settings.failUrl, m.invoice);
  const link = (url: string, states: readonly PayerState[], key: MessageKey, kind: string) => {
    if (!url) return '';
    const shown = shownIn(states, m.view.state);
    // `_top`: in the widget's overlay the shop's page replaces the shop's page, not the frame.
    return html`<a class="btn ${kind} return" href="${url}" target="_top" data-states="${shown.states}"${shown.hidden ? html` hidden` : ''}>${translate(m.locale, key)}</a>`;
  };
  return html`${link(success, ['paid', 'overpaid', 'late'], 'pay.returnToShop', 'btn-primary')}${link(fail, ['expired', 'canceled'], 'pay.backToShop', 'btn-secondary')}`;
}

/** The help topics of each state, most useful first (helpTopicsFor); only the current state's list shows. */
function helpLinks(m: PaymentPageModel): Html {
  const query = `?invoice=${invoiceUuid(m.invoice.id)}&locale=${m.locale}`;
  return html`<nav class="help-links" aria-labelledby="help-heading"><h2 id="help-heading">${translate(m.locale, 'common.help')}</h2>${PAYER_STATES.map((state) => {
    const shown = shownIn([state], m.view.state);
    return html`<ul data-states="${shown.states}"${shown.hidden ? html` hidden` : ''}>${helpTopicsFor(state).map((topic) => html`<li><a href="/help/${topic.slug}${query}">${translate(m.locale, topic.title)}</a></li>`)}</ul>`;
  })}</nav>`;
}

export function renderPaymentPage(m: PaymentPageModel): string {
  const { invoice, view, locale } = m;
  const t = (key: MessageKey, params?: Record<string, string>) => translate(locale, key, params);
  const fiat = formatFiat(locale, formatDecimal(fromUnits(invoice.price.minor, FIAT_MINOR_UNITS[invoice.price.currency])), invoice.price.currency);
  const currency = view.offer ? findCrypto(view.offer.code) : undefined;
  const deployment = currency ? m.chains.find((c) => c.chain === currency.chain) : undefined;
  const decimal = (units: bigint) => (currency ? formatDecimal(fromUnits(units, currency.decimals)) : '0');
  const due = view.offer?.amountToPay ?? 0n;
  const paid = due > view.remaining ? due - view.remaining : 0n;
  const values: Record<string, string> = {
    k: String(view.progress?.confirmations ?? 0),
    n: String(view.progress?.required ?? ''),
    minutes: String(Math.max(1, Math.ceil((view.progress?.expectedMs ?? 0) / 60_000))),
    paid: digits(locale, decimal(paid)),
    total: digits(locale, decimal(due)),
    remaining: digits(locale, decimal(view.remaining)),
    currency: currency?.ticker ?? '',
    extra: currency ? formatCrypto(locale, decimal(view.overpaidBy), currency.ticker) : '',
  };
  const emailNeeded = m.project.settings.emailRequired && invoice.email === null;
  const canChange = view.state === 'waiting' && invoice.payments.length === 0 && choices(invoice, m.chains).reduce((n, g) => n + g.currencies.length, 0) > 1;
  const timer = shownIn(['choose', 'waiting', 'partial'], view.state);
  const body = html`<section class="summary" aria-labelledby="page-title">
<h1 id="page-title" class="visually-hidden">${t('pay.heading')}</h1>
<p class="label">${t('pay.amountToPay')}</p>
<p class="fiat">${fiat}</p>
${invoice.orderId ? html`<p class="order">${t('pay.order', { orderId: invoice.orderId })}</p>` : ''}
${invoice.description ? html`<p class="description">${invoice.description}</p>` : ''}
<p class="timer" data-states="${timer.states}"${timer.hidden ? html` hidden` : ''}>${message(locale, 'pay.timeLeft', { time: formatDuration(locale, invoice.expiresAt - m.now) })}</p>
</section>
${statusBox(m, values)}
${view.state === 'choose' || canChange ? chooseForm(m, emailNeeded) : ''}
${currency ? payPanel(m, currency, deployment, canChange) : ''}
${returnLinks(m)}
${helpLinks(m)}
${jsonData('pay-data', {
  id: invoiceUuid(invoice.id),
  state: view.state,
  locale,
  final: FINAL_STATES,
  expiresAt: invoice.expiresAt,
  lockedUntil: view.offer?.lockedUntil ?? null,
  currency: view.offer?.code ?? null,
  ticker: currency?.ticker ?? null,
  decimals: currency?.decimals ?? 0,
  amountToPay: decimal(due),
  remaining: decimal(view.remaining),
  paidAny: invoice.payments.length > 0,
  widgetOrigins: m.project.settings.widgetOrigins,
  messages: clientMessages(locale),
})}`;
  return renderCustomerPage({
    locale,
    title: `${m.project.settings.name}: ${t('pay.heading')}`,
    project: m.project.settings,
    testMode: invoice.testMode,
    path: `/pay/${invoice.id}`,
    body,
    styles: ['pay.css'],
    scripts: ['copy.js', 'pay.js'],
  });
}
