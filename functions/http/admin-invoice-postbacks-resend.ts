import { presentPostbackEvent } from '../../shared/api/native/postbacks';
import { resendPostbacks } from '../../shared/app/postbacks';
import { route } from '../kit/http';
import { invoiceAndProject } from './admin-common';
import { pathId } from './invoice-payments';

export const adminInvoicePostbacksResend = route({
  route: 'admin.invoice.postbacks_resend',
  input: pathId,
  run: async ({ deps, input }) => {
    const found = await invoiceAndProject(deps, input);
    return found.ok ? resendPostbacks(deps, found.value.project, input) : found;
  },
  present: (events) => ({ queued: events.map((e) => presentPostbackEvent(e)) }),
  status: 202,
});
