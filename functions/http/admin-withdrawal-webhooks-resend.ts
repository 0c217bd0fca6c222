/** POST /admin/withdrawals/{withdrawalId}/webhooks/resend: `tollgate withdraw resend ID`, any project's withdrawal. */
import { presentWithdrawalEvent } from '../../shared/api/native/withdrawal-webhooks';
import { resendWithdrawalWebhooks } from '../../shared/app/withdrawal-webhooks';
import { route } from '../kit/http';
import { withdrawalIdOf } from './withdrawal-webhooks';

export const adminWithdrawalWebhooksResend = route({
  route: 'admin.withdrawal.webhooks_resend',
  input: withdrawalIdOf,
  run: ({ deps, input }) => resendWithdrawalWebhooks(deps, 'operator', input),
  present: (events) => ({ queued: events.map((e) => presentWithdrawalEvent(e)) }),
  status: 202,
});
