/** POST /api/withdrawals/{withdrawalId}/cancel: only before it is signed; the hold is returned. */
import { presentWithdrawal } from '../../shared/api/native/withdrawals';
import { cancelWithdrawal } from '../../shared/app/withdrawals';
import { requireProject, route } from '../kit/http';
import { withdrawalIdInput } from './withdrawal-common';

export const withdrawalCancel = route({
  route: 'api.withdrawal.cancel',
  input: withdrawalIdInput,
  run: ({ deps, project, input, now }) => cancelWithdrawal(deps, requireProject(project), input, now),
  present: (w) => presentWithdrawal(w),
});
