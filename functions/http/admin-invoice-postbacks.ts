import { presentPostbackLog } from '../../shared/api/native/postbacks';
import { postbackLogOf } from '../../shared/app/postbacks';
import { route } from '../kit/http';
import { invoiceAndProject } from './admin-common';
import { pathId } from './invoice-payments';

export const adminInvoicePostbacks = route({
  route: 'admin.invoice.postbacks',
  input: pathId,
  run: async ({ deps, input }) => {
    const found = await invoiceAndProject(deps, input);
    return found.ok ? postbackLogOf(deps, found.value.project, input) : found;
  },
  present: (view) => presentPostbackLog(view),
});
