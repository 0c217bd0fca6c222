/** Native postback endpoints: the attempt log of an invoice, and resend. */
import { presentPostbackEvent, presentPostbackLog } from '../../shared/api/native/postbacks';
import { postbackLogOf, resendPostbacks } from '../../shared/app/postbacks';
import { requireProject, route } from '../kit/http';
import { pathId } from './invoice-payments';

export const invoicePostbacks = route({
  route: 'api.invoice.postbacks',
  input: pathId,
  run: ({ deps, project, input }) => postbackLogOf(deps, requireProject(project), input),
  present: (view) => presentPostbackLog(view),
});

export const invoicePostbacksResend = route({
  route: 'api.invoice.postbacks_resend',
  input: pathId,
  run: ({ deps, project, input }) => resendPostbacks(deps, requireProject(project), input),
  present: (events) => ({ queued: events.map((e) => presentPostbackEvent(e)) }),
  status: 202,
});
