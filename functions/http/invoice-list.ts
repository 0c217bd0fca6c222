import { chainHeadsFor, listInvoices } from '../../shared/app/invoices';
import { presentInvoice } from '../../shared/api/cryptocloud/presenters';
import { ListInvoicesRequest } from '../../shared/api/cryptocloud/requests';
import { ok } from '../../shared/domain/result';
import { fromSchema, requireProject, route } from '../kit/http';
import { InvoiceList } from '../../shared/api/cryptocloud/responses';

const input = fromSchema(ListInvoicesRequest);

export const invoiceList = route({
  route: 'invoice.list',
  input: input,
  response: InvoiceList,
  run: async ({ deps, project, input }) => {
    const invoices = await listInvoices(deps, requireProject(project), input, input.offset, input.limit);
    return ok({ invoices, heads: await chainHeadsFor(deps, invoices) });
  },
  present: ({ invoices, heads }, { deps, project }) => invoices.map((i) => presentInvoice({ ...deps.settings, heads }, i, requireProject(project))),
});
