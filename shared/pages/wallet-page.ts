/**
 * A static wallet's customer page, `/wallet/{uuid}`: the customer's permanent deposit address, its
 * QR code, what to send on which network, and the wallet's recent transfers with their state.
 *
 * Everything is rendered here, so the page is complete without script; wallet.js re-renders the
 * transfers from the status poll (presentWalletStatus) and shows times in the reader's own zone.
 *
 * What it never shows: the merchant's customer id (`identify`: the merchant's key for the customer,
 * possibly an e-mail or an account number, and this link is easily forwarded or screenshotted),
 * the receipts' invoice ids, fees or the merchant's net, and anything of other wallets.
 *
 * A blocked wallet keeps its address on the page, but as plain text under a notice: no QR code and
 * no Copy button, because the shop asked that nothing more be sent there. Hiding the address
 * would protect nothing (the customer already has it in their wallet's history) and would leave
 * them unable to check which address the notice is about when they talk to the shop.
 */
import { formatDecimal, fromUnits, parseDecimal } from '../domain/money';
import type { Project } from '../domain/project';
import { type CustomerReceipt, type CustomerWallet, RECENT_RECEIPTS_SHOWN } from '../domain/wallet-view';
import { type Html, html, jsonData } from './html';
import { catalogue, formatCrypto, formatDateTime, formatFiat, type Locale, type MessageKey, translate } from './i18n';
import { renderCustomerPage } from './layout';
import { networkOf, networkWarning } from './pay-page';

export type WalletPageModel = CustomerWallet & { project: Project; locale: Locale };


/** The status poll's JSON: this wallet's state and its latest transfers. No customer id, no invoice ids, no fees. */
export function presentWalletStatus(w: CustomerWallet) {
  return {
    id: w.wallet.id,
    blocked: w.wallet.blocked,
    receipts: w.receipts.map((r) => ({
      at: r.at,
      amount: formatDecimal(fromUnits(r.amount, w.currency.decimals)),
      state: r.state,
      confirmations: r.progress?.confirmations ?? null,
      required: r.progress?.required ?? null,
      after_block: r.afterBlock,
    })),
    more: w.more,
  };
}
export type WalletStatusJson = ReturnType<typeof presentWalletStatus>;

/** The messages wallet.js needs to redraw the transfers; it fills their placeholders itself. */
const CLIENT_KEYS = [
  'wallet.receipt.confirming',
  'wallet.receipt.confirmingFinality',
  'wallet.receipt.credited',
  'wallet.receipt.notCredited',
  'wallet.receipt.afterBlock',
  'wallet.latest',
] as const satisfies readonly MessageKey[];

/** How a transfer's state looks: the pages' status tones (wallet.js has the same map). */
const STATE_TONE: Record<CustomerReceipt['state'], 'info' | 'ok' | 'warn'> = { confirming: 'info', credited: 'ok', not_credited: 'warn' };

function stateText(locale: Locale, r: Pick<CustomerReceipt, 'state' | 'progress'>): string {
  if (r.state === 'credited') return translate(locale, 'wallet.receipt.credited');
  if (r.state === 'not_credited') return translate(locale, 'wallet.receipt.notCredited');
  // A finality tag (Tron's solidified, Ethereum's finalized) has no count to show.
  const required = r.progress?.required;
  return typeof required === 'number' ? translate(locale, 'wallet.receipt.confirming', { k: r.progress?.confirmations ?? 0, n: required }) : translate(locale, 'wallet.receipt.confirmingFinality');
}

const amountText = (m: WalletPageModel, r: CustomerReceipt) => formatCrypto(m.locale, formatDecimal(fromUnits(r.amount, m.currency.decimals)), m.currency.ticker);

/** One transfer; wallet.js builds the same markup (keep the two alike). */
function receiptRow(m: WalletPageModel, r: CustomerReceipt): Html {
  const amount = amountText(m, r);
  return html`<li class="receipt"><div class="receipt-main"><span class="receipt-amount">${amount}</span><time class="receipt-time" datetime="${new Date(r.at).toISOString()}">${formatDateTime(m.locale, r.at)}</time></div><span class="receipt-state tone-${STATE_TONE[r.state]}">${stateText(m.locale, r)}</span>${
    r.afterBlock ? html`<p class="receipt-note">${translate(m.locale, 'wallet.receipt.afterBlock')}</p>` : ''
  }</li>`;
}

function receiptsSection(m: WalletPageModel): Html {
  const t = (key: MessageKey, params?: Record<string, string | number>) => translate(m.locale, key, params);
  const merchant = m.project.settings.name;
  return html`<section class="receipts" aria-labelledby="receipts-heading">
<h2 id="receipts-heading">${t('wallet.receipts')}</h2>
<div aria-live="polite"><ul class="receipt-list" id="receipts"${m.receipts.length === 0 ? html` hidden` : ''}>${m.receipts.map((r) => receiptRow(m, r))}</ul>
<p class="receipts-empty" id="receipts-empty"${m.receipts.length > 0 ? html` hidden` : ''}>${t(m.wallet.blocked ? 'wallet.receiptsNone' : 'wallet.receiptsEmpty')}</p></div>
<p class="hint" id="receipts-more"${m.more ? '' : html` hidden`}>${t('wallet.receiptsMore', { count: RECENT_RECEIPTS_SHOWN })}</p>
<p class="hint">${t('wallet.receiptsMissing', { merchant })}</p>
<noscript><p class="hint">${t('pay.noscript')}</p></noscript>
</section>`;
}

/**
 * The latest transfer at the top, where the customer looks after sending (the list is further
 * down, past the QR code); a link to the list. Hidden until there is one; wallet.js keeps it current.
 */
function latestTransfer(m: WalletPageModel): Html {
  const r = m.receipts[0];
  const tone = r ? STATE_TONE[r.state] : 'info';
  return html`<a class="latest status status-${tone}" id="latest" href="#receipts-heading"${r ? '' : html` hidden`}><span class="status-icon" aria-hidden="true"></span><span class="latest-text"><span class="status-text" data-latest="amount">${
    r ? translate(m.locale, 'wallet.latest', { amount: amountText(m, r) }) : ''
  }</span> <span class="status-sub" data-latest="state">${r ? stateText(m.locale, r) : ''}</span></span></a>`;
}

/** Where to send, for a wallet in use: QR, address, network warning, the minimum, and the steps. */
function depositPanel(m: WalletPageModel): Html {
  const t = (key: MessageKey, params?: Record<string, string>) => translate(m.locale, key, params);
  const { currency, deployment, wallet } = m;
  const served = deployment.currencies.find((s) => s.currency.code === currency.code);
  const contract = served?.contract ?? null;
  // Below the network fee a transfer is kept apart, not credited (isDustReceipt): say so, in dollars.
  const feeUsd = served ? parseDecimal(served.transferFeeUsd) : null;
  const fee = feeUsd?.ok && feeUsd.value.units > 0n ? formatFiat(m.locale, formatDecimal(feeUsd.value), 'USD') : null;
  return html`<section class="deposit" aria-labelledby="address-label">
<figure class="qr"><img id="qr" src="/wallet/${wallet.id}/qr.svg" alt="${t('pay.qrAltAddress')}" width="240" height="240"><figcaption class="hint">${t('wallet.qrAddressOnly')}</figcaption></figure>
<div class="field"><span class="label" id="address-label">${t('pay.address')}</span>
<div class="copy-row"><code class="address" aria-labelledby="address-label">${wallet.address}</code><button type="button" class="btn btn-copy" data-copied="${t('common.copied')}" data-copy="${wallet.address}" aria-label="${t('common.copy')}: ${t('pay.address')}">${t('common.copy')}</button></div>
<p class="hint">${t('wallet.addressHint')}</p></div>
${networkWarning(m.locale, currency, contract)}
${fee ? html`<p class="hint minimum">${t('wallet.minimum', { fee })}</p>` : ''}
<details class="how-to"><summary>${t('wallet.howTo')}</summary><ol>
<li>${t('wallet.step.open')}</li>
<li>${t('wallet.step.pick', { token: currency.ticker, network: networkOf(currency) })}</li>
<li>${t('wallet.step.address')}</li>
<li>${t('wallet.step.confirm')}</li>
<li>${t('wallet.step.wait')}</li>
</ol><p class="buy"><a href="/help/buy-crypto?locale=${m.locale}">${t('help.buy-crypto.title')}</a></p></details>
</section>`;
}

/** A blocked wallet: why not to send, whom to ask, and the address as plain text to compare with. */
function blockedNotice(m: WalletPageModel): Html {
  const t = (key: MessageKey, params?: Record<string, string>) => translate(m.locale, key, params);
  const { name: merchant, supportContact } = m.project.settings;
  const hint = supportContact ? t('wallet.blockedHintContact', { merchant, contact: supportContact }) : t('wallet.blockedHint', { merchant });
  return html`<div class="status status-warn" role="status"><span class="status-icon" aria-hidden="true"></span><div><p class="status-text">${t('wallet.blocked', { merchant })}</p><p class="status-sub">${hint}</p></div></div>
<div class="field"><span class="label" id="address-label">${t('pay.address')}</span><code class="address address-retired" aria-labelledby="address-label">${m.wallet.address}</code></div>`;
}

export function renderWalletPage(m: WalletPageModel): string {
  const { locale, currency, wallet, project } = m;
  const t = (key: MessageKey, params?: Record<string, string>) => translate(locale, key, params);
  // A blocked wallet's page is about not using it: its heading says so first.
  const heading = wallet.blocked ? t('wallet.retiredAddress') : t('wallet.heading', { currency: currency.ticker });
  const body = html`<section class="summary wallet-summary" aria-labelledby="page-title">
<h1 id="page-title">${heading}</h1>
<p class="network-line"><img src="/assets/icons/${currency.ticker.toLowerCase()}.svg" alt="" width="24" height="24"><span><strong>${currency.ticker}</strong> · ${networkOf(currency)}</span></p>
${wallet.blocked ? '' : html`<p class="intro">${t('wallet.intro', { currency: currency.ticker, merchant: project.settings.name })}</p>`}
</section>
${wallet.blocked ? '' : latestTransfer(m)}
${wallet.blocked ? blockedNotice(m) : depositPanel(m)}
${receiptsSection(m)}
${jsonData('wallet-data', {
  id: wallet.id,
  locale,
  blocked: wallet.blocked,
  ticker: currency.ticker,
  messages: Object.fromEntries(CLIENT_KEYS.map((key) => [key, catalogue(locale)[key]])),
})}`;
  return renderCustomerPage({
    locale,
    title: `${project.settings.name}: ${heading}`,
    project: project.settings,
    testMode: project.settings.testMode,
    path: `/wallet/${wallet.id}`,
    body,
    styles: ['pay.css', 'wallet.css'],
    scripts: ['copy.js', 'wallet.js'],
  });
}
