/** The payment page, `/pay/{shortId}` (placeholder view: replaced by the full page). */
import { invoiceUuid } from '../domain/ids';
import type { Invoice } from '../domain/invoice/invoice';
import type { PayerView } from '../domain/invoice/payer-view';
import type { Project } from '../domain/project';
import { html, page } from './html';

export type PaymentPageModel = { invoice: Invoice; view: PayerView; project: Project; locale: string; testWallet: boolean };

export function renderPaymentPage(m: PaymentPageModel): string {
  return page({
    title: `${m.project.settings.name}: ${invoiceUuid(m.invoice.id)}`,
    lang: m.locale,
    body: html`<main class="card"><h1>${m.project.settings.name}</h1><p data-state="${m.view.state}">${invoiceUuid(m.invoice.id)}</p>${m.view.offer ? html`<p class="address">${m.view.offer.address}</p><img src="/pay/${m.invoice.id}/qr.svg" alt="QR">` : ''}</main>`,
  });
}
