/** GET /api/withdrawals/{withdrawalId}: one withdrawal, its status and transaction. */
import { presentWithdrawal } from '../../shared/api/native/withdrawals';
import { showWithdrawal } from '../../shared/app/withdrawals';
import { requireProject, route } from '../kit/http';
import { withdrawalIdInput } from './withdrawal-common';

export const withdrawalShow = route({
  route: 'api.withdrawal.show',
  input: withdrawalIdInput,
  run: ({ deps, project, input }) => showWithdrawal(deps, requireProject(project), input),
  present: (w) => presentWithdrawal(w),
});
