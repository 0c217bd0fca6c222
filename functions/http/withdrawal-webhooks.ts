/** GET /api/withdrawals/{withdrawalId}/webhooks: the withdrawal's webhook events and every attempt (native). */
import { presentWithdrawalWebhookLog, withdrawalPathId } from '../../shared/api/native/withdrawal-webhooks';
import { withdrawalWebhookLogOf } from '../../shared/app/withdrawal-webhooks';
import { fromSchema, requireProject, route, inPath } from '../kit/http';

/** The `{withdrawalId}` of the webhook routes, native and admin. */
export const withdrawalIdOf = fromSchema(withdrawalPathId, inPath('withdrawalId'), 'withdrawal_id');

export const withdrawalWebhooks = route({
  route: 'api.withdrawal.webhooks',
  input: withdrawalIdOf,
  run: ({ deps, project, input }) => withdrawalWebhookLogOf(deps, requireProject(project), input),
  present: (view) => presentWithdrawalWebhookLog(view),
});
