/** POST /api/withdrawals/{withdrawalId}/webhooks/resend: every webhook event of the withdrawal again, same event ids (native). */
import { presentWithdrawalEvent } from '../../shared/api/native/withdrawal-webhooks';
import { resendWithdrawalWebhooks } from '../../shared/app/withdrawal-webhooks';
import { requireProject, route } from '../kit/http';
import { withdrawalIdOf } from './withdrawal-webhooks';

export const withdrawalWebhooksResend = route({
  route: 'api.withdrawal.webhooks_resend',
  input: withdrawalIdOf,
  run: ({ deps, project, input }) => resendWithdrawalWebhooks(deps, requireProject(project), input),
  present: (events) => ({ queued: events.map((e) => presentWithdrawalEvent(e)) }),
  status: 202,
});
