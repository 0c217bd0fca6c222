import { AttachTxRequest } from '../../shared/api/native/requests';
import { attachTransaction } from '../../shared/app/invoice-payments';
import { ok } from '../../shared/domain/result';
import { fromSchema, route } from '../kit/http';
import { invoiceAndProject } from './admin-common';
import { idAnd, presentAttached } from './invoice-payments';

const attachInput = idAnd(fromSchema(AttachTxRequest));

export const adminInvoiceAttachTx = route({
  route: 'admin.invoice.attach_tx',
  input: attachInput,
  run: async ({ deps, input }) => {
    const found = await invoiceAndProject(deps, input.id);
    if (!found.ok) return found;
    const out = await attachTransaction(deps, found.value.project, input.id, input.body.tx_hash);
    return out.ok ? ok(out.value.transfers) : out;
  },
  present: (transfers) => ({ accepted: presentAttached(transfers) }),
  status: 202,
});
