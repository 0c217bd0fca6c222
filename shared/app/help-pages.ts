/**
 * What a help page knows about the payment it was opened from (`/help/...?invoice=INV-…`): the
 * merchant to name and to contact, the way back, and whether it is a test payment. Only public
 * settings leave here, as on the payment page.
 */
import type { InvoiceId } from '../domain/ids';
import type { Project } from '../domain/project';
import { ok, type Result } from '../domain/result';
import type { Deps } from '../ports';
import type { AppError } from './errors';

export type HelpContext = {
  invoiceId: InvoiceId;
  /** The locale the invoice was created with: the page's language unless the customer picks one. */
  invoiceLocale: string;
  testMode: boolean;
  merchant: Pick<Project['settings'], 'name' | 'logoUrl' | 'supportContact'>;
};

/**
 * The invoice's help context, or null when there is no invoice, or it (or its project) does not
 * exist. Null is not an error: help is for anyone, and a page that answered differently for a
 * well-formed unknown id would be one more way to probe which ids exist.
 */
export async function helpContext(deps: Pick<Deps, 'invoices' | 'projects'>, id: InvoiceId | null): Promise<Result<HelpContext | null, AppError>> {
  if (!id) return ok(null);
  const invoice = await deps.invoices.get(id);
  const project = invoice ? await deps.projects.get(invoice.shopId) : null;
  if (!invoice || !project) return ok(null);
  const { name, logoUrl, supportContact } = project.settings;
  return ok({ invoiceId: invoice.id, invoiceLocale: invoice.locale, testMode: invoice.testMode, merchant: { name, logoUrl, supportContact } });
}
