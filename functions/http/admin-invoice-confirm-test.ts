import { presentInvoice } from '../../shared/api/cryptocloud/presenters';
import { invoicePathId } from '../../shared/api/native/requests';
import { confirmTestInvoice } from '../../shared/app/invoices';
import { ok } from '../../shared/domain/result';
import { fromSchema, route, inPath } from '../kit/http';
import { invoiceAndProject } from './admin-common';

// Answers `uuid` (the name the CLI shows) where the other invoice routes answer `invoice_id`.
const confirmTestInput = fromSchema(invoicePathId, inPath('invoiceId'), 'uuid');

export const invoiceConfirmTest = route({
  route: 'admin.invoice.confirm_test',
  input: confirmTestInput,
  run: async ({ deps, input, now }) => {
    const found = await invoiceAndProject(deps, input);
    if (!found.ok) return found;
    const done = await confirmTestInvoice(deps, found.value.project, input, now);
    return done.ok ? ok({ invoice: done.value, project: found.value.project }) : done;
  },
  present: ({ invoice, project }, { deps }) => presentInvoice(deps.settings, invoice, project),
});
