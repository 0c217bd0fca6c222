/** GET /admin/projects/{shopId}/withdrawals/{withdrawalId} (`tollgate withdraw show`). */
import { presentWithdrawal } from '../../shared/api/native/withdrawals';
import { withProject } from '../../shared/app/projects';
import { showWithdrawal } from '../../shared/app/withdrawals';
import { route } from '../kit/http';
import { shopIdOf } from './admin-common';
import { withdrawalIdInput } from './withdrawal-common';

export const adminWithdrawalShow = route({
  route: 'admin.withdrawal.show',
  input: withdrawalIdInput,
  run: ({ deps, input, req }) => withProject(deps, shopIdOf(req), (p) => showWithdrawal(deps, p, input)),
  present: (w) => presentWithdrawal(w),
});
