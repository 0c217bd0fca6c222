import { presentInvoice } from '../../shared/api/cryptocloud/presenters';
import { confirmInvoice } from '../../shared/app/invoice-payments';
import { ok } from '../../shared/domain/result';
import { route } from '../kit/http';
import { invoiceAndProject } from './admin-common';
import { pathId } from './invoice-payments';

export const adminInvoiceConfirm = route({
  route: 'admin.invoice.confirm',
  input: pathId,
  run: async ({ deps, input, now }) => {
    const found = await invoiceAndProject(deps, input);
    if (!found.ok) return found;
    const done = await confirmInvoice(deps, found.value.project, input, now);
    return done.ok ? ok({ invoice: done.value, project: found.value.project }) : done;
  },
  present: ({ invoice, project }, { deps }) => presentInvoice(deps.settings, invoice, project),
});
