import { confirmTestInvoice } from '../../shared/app/invoices';
import { presentInvoice } from '../../shared/api/cryptocloud/presenters';
import { InvoiceRefRequest } from '../../shared/api/cryptocloud/requests';
import { fromSchema, requireProject, route } from '../kit/http';

const input = fromSchema(InvoiceRefRequest);

export const invoiceTestConfirm = route({
  route: 'invoice.test_confirm',
  input: input,
  run: ({ deps, project, input, now }) => confirmTestInvoice(deps, requireProject(project), input.uuid, now),
  present: (invoice, { deps, project }) => presentInvoice(deps.settings, invoice, requireProject(project)),
});
