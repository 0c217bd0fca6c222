/** POST /admin/projects/{shopId}/withdrawals/{withdrawalId}/cancel (`tollgate withdraw cancel`). */
import { presentWithdrawal } from '../../shared/api/native/withdrawals';
import { withProject } from '../../shared/app/projects';
import { cancelWithdrawal } from '../../shared/app/withdrawals';
import { route } from '../kit/http';
import { shopIdOf } from './admin-common';
import { withdrawalIdInput } from './withdrawal-common';

export const adminWithdrawalCancel = route({
  route: 'admin.withdrawal.cancel',
  input: withdrawalIdInput,
  run: ({ deps, input, req, now }) => withProject(deps, shopIdOf(req), (p) => cancelWithdrawal(deps, p, input, now)),
  present: (w) => presentWithdrawal(w),
});
