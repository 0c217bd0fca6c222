/**
 * Reads both the invoice use cases and the postback sender need. They live apart from either so
 * that neither imports the other (invoices queue postbacks; postbacks show chain heads).
 */

import type { ChainId } from '../domain/currencies';
import { type InvoiceId, invoiceUuid } from '../domain/ids';
import type { Invoice } from '../domain/invoice/invoice';
import type { Project } from '../domain/project';
import { err, ok, type Result } from '../domain/result';
import type { Deps } from '../ports';
import type { AppError } from './errors';

/** The invoice when it belongs to this project; another project's invoice reads as not found. */
export async function loadOwnInvoice(deps: Deps, project: Project, id: InvoiceId): Promise<Result<Invoice, AppError>> {
  const invoice = await deps.invoices.get(id);
  return invoice && invoice.shopId === project.shopId ? ok(invoice) : err({ kind: 'invoice.not_found', invoiceId: invoiceUuid(id) });
}

/** Chain heads for the `confirmations` of the payments these invoices show (one read per chain). */
export async function chainHeadsFor(deps: Deps, invoices: readonly Invoice[]): Promise<Map<ChainId, number>> {
  const chains = new Set(invoices.flatMap((i) => i.payments.filter((p) => p.state === 'pending' || p.state === 'credited').map((p) => p.transfer.chain)));
  const heads = new Map<ChainId, number>();
  for (const chain of chains) {
    const head = await deps.payments.chainHead(chain);
    if (head) heads.set(chain, head.number);
  }
  return heads;
}
