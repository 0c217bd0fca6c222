/** GET /admin/invoices/{invoiceId} (`tollgate invoice show`): the invoice as `/v2/invoice/merchant/info` shows it to its project. */
import { presentInvoice } from '../../shared/api/cryptocloud/presenters';
import { strayReviewsFor } from '../../shared/app/invoice-payments';
import { chainHeadsFor } from '../../shared/app/invoices';
import { ok } from '../../shared/domain/result';
import { route } from '../kit/http';
import { invoiceAndProject } from './admin-common';
import { pathId } from './invoice-payments';

export const adminInvoiceShow = route({
  route: 'admin.invoice.show',
  input: pathId,
  run: async ({ deps, input }) => {
    const found = await invoiceAndProject(deps, input);
    if (!found.ok) return found;
    const { invoice, project } = found.value;
    return ok({ invoice, project, heads: await chainHeadsFor(deps, [invoice]), strays: await strayReviewsFor(deps, [invoice]) });
  },
  present: ({ invoice, project, heads, strays }, { deps }) => presentInvoice({ ...deps.settings, heads, strays }, invoice, project),
});
