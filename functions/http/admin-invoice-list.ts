/** GET /admin/projects/{shopId}/invoices?status=&limit=&cursor= (`tollgate invoice list`): CryptoCloud's invoice view, newest first. */
import { listAdminInvoicesQuery } from '../../shared/api/admin/invoices';
import { presentInvoice } from '../../shared/api/cryptocloud/presenters';
import { chainHeadsFor, pageInvoices } from '../../shared/app/invoices';
import { withProject } from '../../shared/app/projects';
import { ok } from '../../shared/domain/result';
import { fromSchema, inQuery, route } from '../kit/http';
import { shopIdOf } from './admin-common';

const input = fromSchema(listAdminInvoicesQuery, inQuery);

export const adminInvoiceList = route({
  route: 'admin.invoice.list',
  input,
  run: ({ deps, input, req }) =>
    withProject(deps, shopIdOf(req), async (project) => {
      const page = await pageInvoices(deps, project, { status: input.status, offset: input.cursor ?? 0, limit: input.limit });
      return ok({ ...page, project, heads: await chainHeadsFor(deps, page.invoices) });
    }),
  present: ({ invoices, next, project, heads }, { deps }) => ({
    invoices: invoices.map((i) => presentInvoice({ ...deps.settings, heads }, i, project)),
    next_cursor: next === null ? null : String(next),
  }),
});
