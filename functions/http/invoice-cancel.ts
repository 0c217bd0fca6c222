import { cancelInvoice } from '../../shared/app/invoices';
import { CancelInvoiceRequest } from '../../shared/api/cryptocloud/requests';
import { fromSchema, requireProject, route, inBody } from '../kit/http';
import { Canceled } from '../../shared/api/cryptocloud/responses';

// CryptoCloud reports cancel problems under `validate_error` (reference §1.3).
const input = fromSchema(CancelInvoiceRequest, inBody, 'validate_error');

export const invoiceCancel = route({
  route: 'invoice.cancel',
  input,
  response: Canceled,
  run: ({ deps, project, input, now }) => cancelInvoice(deps, requireProject(project), input.uuid, now),
  present: () => ['ok'],
});
