/**
 * The POS terminal, `/pos/{token}`: staff type an amount and press Charge; the customer scans the
 * QR on the same screen; it turns green when paid, and "Next sale" starts over. pos.js does the
 * work (create, QR, status poll); this view is the markup and the messages it needs.
 */
import { CHAINS, FIAT_MINOR_UNITS, findCrypto } from '../domain/currencies';
import { formatDecimal, fromUnits } from '../domain/money';
import type { PosLink } from '../domain/pos';
import type { Project } from '../domain/project';
import { html, jsonData } from './html';
import { clientMessages, formatFiat, type Locale, translate } from './i18n';
import { renderCustomerPage } from './layout';

export type PosPageModel = { link: PosLink; project: Project; token: string; locale: Locale };

export function renderPosPage(m: PosPageModel): string {
  const t = (key: Parameters<typeof translate>[1], params?: Parameters<typeof translate>[2]) => translate(m.locale, key, params);
  const currency = findCrypto(m.link.currency);
  const network = currency ? CHAINS[currency.chain].name : '';
  const max = formatFiat(m.locale, formatDecimal(fromUnits(m.link.maxMinor, FIAT_MINOR_UNITS[m.link.fiat])), m.link.fiat);
  const min = formatFiat(m.locale, formatDecimal(fromUnits(1n, FIAT_MINOR_UNITS[m.link.fiat])), m.link.fiat);
  const payWith = t('pay.payWith', { currency: currency?.name ?? m.link.currency, network });
  const data = {
    createUrl: `/api/public/pos/${m.token}/invoices`,
    fiat: m.link.fiat,
    fiatDecimals: FIAT_MINOR_UNITS[m.link.fiat],
    maxMinor: m.link.maxMinor.toString(),
    ticker: currency?.ticker ?? m.link.currency,
    locale: m.locale,
    messages: {
      ...clientMessages(m.locale),
      amountInvalid: t('donate.amountInvalid', { min, max }),
      sendExactly: t('pay.sendExactly'),
      paid: t('pos.paid'),
      scanToPay: t('pos.scanToPay'),
    },
  };
  const body = html`<div class="pos" id="pos" data-state="entry">
<h1 class="pos-title">${m.link.label ?? t('pos.charge')}</h1>
<p class="pos-currency">${payWith}</p>
<form id="pos-entry" class="pos-entry" novalidate>
  <label for="pos-amount" class="pos-label">${t('pos.amount')} (${m.link.fiat})</label>
  <input id="pos-amount" name="amount" class="pos-amount" type="text" inputmode="decimal" autocomplete="off" enterkeyhint="go" required aria-describedby="pos-limit pos-error" placeholder="0">
  <p id="pos-limit" class="pos-hint">${t('pos.limit', { max })}</p>
  <p id="pos-error" class="pos-error" role="alert"></p>
  <button type="submit" class="pos-charge">${t('pos.charge')}</button>
</form>
<section id="pos-sale" class="pos-sale" aria-labelledby="pos-sale-title" hidden>
  <h2 id="pos-sale-title" class="pos-sale-title" tabindex="-1">${t('pos.scanToPay')}</h2>
  <p class="pos-fiat" id="pos-fiat"></p>
  <img id="pos-qr" class="pos-qr" alt="${t('pay.qrAlt')}" width="240" height="240">
  <p class="pos-crypto"><span id="pos-crypto"></span></p>
  <p class="pos-address-label">${t('pay.address')}</p>
  <p class="pos-address"><code id="pos-address"></code></p>
  <p id="pos-status" class="pos-status" role="status" aria-live="polite"></p>
  <div class="pos-actions">
    <button type="button" id="pos-next" class="pos-next" hidden>${t('pos.nextSale')}</button>
    <button type="button" id="pos-cancel" class="pos-cancel">${t('pos.cancel')}</button>
  </div>
</section>
</div>${jsonData('pos-data', data)}`;
  return renderCustomerPage({
    locale: m.locale,
    title: `${m.project.settings.name}: ${m.link.label ?? t('pos.charge')}`,
    project: m.project.settings,
    testMode: m.project.settings.testMode,
    path: `/pos/${m.token}`,
    body,
    styles: ['pos.css'],
    scripts: ['pos.js'],
  });
}
