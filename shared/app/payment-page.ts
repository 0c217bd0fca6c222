/**
 * The customer's side of an invoice: what the payment page, its QR code and its status poll read.
 * Only the invoice (the short id is the capability), its project's public settings and chain heads.
 */
import type { ChainDeployment } from '../domain/chains';
import { findCrypto } from '../domain/currencies';
import { type InvoiceId, invoiceUuid } from '../domain/ids';
import type { Invoice } from '../domain/invoice/invoice';
import { type PayerView, payerView } from '../domain/invoice/payer-view';
import { paymentUri } from '../domain/payment-uri';
import type { Project } from '../domain/project';
import { err, ok, type Result } from '../domain/result';
import type { Instant } from '../domain/time';
import type { Deps } from '../ports';
import type { AppError } from './errors';

export type PayerInvoice = { invoice: Invoice; view: PayerView; deployment: ChainDeployment | null };
export type PaymentPage = PayerInvoice & { project: Project };

const notFound = (id: InvoiceId): AppError => ({ kind: 'invoice.not_found', invoiceId: invoiceUuid(id) });

function payer(deps: Pick<Deps, 'chains'>, invoice: Invoice, heads: ReadonlyMap<string, number>, now: Instant): PayerInvoice {
  const view = payerView(invoice, { now, heads: heads as ReadonlyMap<never, number>, chains: deps.chains });
  const chain = view.offer ? findCrypto(view.offer.code)?.chain : undefined;
  return { invoice, view, deployment: deps.chains.find((c) => c.chain === chain) ?? null };
}

/** One read of the invoice with every served chain's head. */
async function payerInvoice(deps: Pick<Deps, 'invoices' | 'chains'>, id: InvoiceId, now: Instant): Promise<Result<PayerInvoice, AppError>> {
  const found = await deps.invoices.getWithHeads(id, deps.chains.map((c) => c.chain));
  return found ? ok(payer(deps, found.invoice, found.heads, now)) : err(notFound(id));
}

/**
 * The status poll (and the QR code). A static wallet's receipt has none: its customer's page is
 * the wallet's, and a QR code with the receipt's amount would invite paying it again.
 */
export async function payerStatus(deps: Pick<Deps, 'invoices' | 'chains'>, id: InvoiceId, now: Instant): Promise<Result<PayerInvoice, AppError>> {
  const status = await payerInvoice(deps, id, now);
  return status.ok && status.value.invoice.staticWallet ? err(notFound(id)) : status;
}

/** The page: the status, and the project's name, logo, support contact and return URLs (a receipt's page redirects to its wallet's). */
export async function paymentPage(deps: Pick<Deps, 'invoices' | 'chains' | 'projects'>, id: InvoiceId, now: Instant): Promise<Result<PaymentPage, AppError>> {
  const status = await payerInvoice(deps, id, now);
  if (!status.ok) return status;
  const project = await deps.projects.get(status.value.invoice.shopId);
  if (!project) return err(notFound(id));
  return ok({ ...status.value, project });
}

/** What the QR code holds now: the amount still due to the current offer's address (the address alone once nothing is due). */
export async function paymentQrSvg(deps: Pick<Deps, 'invoices' | 'chains' | 'qr'>, id: InvoiceId, now: Instant): Promise<Result<{ svg: string; uri: string }, AppError>> {
  const status = await payerStatus(deps, id, now);
  if (!status.ok) return status;
  const { view, deployment } = status.value;
  const currency = view.offer ? findCrypto(view.offer.code) : undefined;
  if (!view.offer || !currency || !deployment) return err(notFound(id));
  const uri = paymentUri(deployment, currency, view.offer.address, view.remaining);
  return ok({ svg: await deps.qr.svg(uri), uri });
}
