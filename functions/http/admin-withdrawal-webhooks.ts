/** GET /admin/withdrawals/{withdrawalId}/webhooks: `tollgate withdraw webhooks ID`, any project's withdrawal. */
import { presentWithdrawalWebhookLog } from '../../shared/api/native/withdrawal-webhooks';
import { withdrawalWebhookLogOf } from '../../shared/app/withdrawal-webhooks';
import { route } from '../kit/http';
import { withdrawalIdOf } from './withdrawal-webhooks';

export const adminWithdrawalWebhooks = route({
  route: 'admin.withdrawal.webhooks',
  input: withdrawalIdOf,
  run: ({ deps, input }) => withdrawalWebhookLogOf(deps, 'operator', input),
  present: (view) => presentWithdrawalWebhookLog(view),
});
