/** GET /admin/projects/{shopId}/withdrawals (`tollgate withdraw list`). */
import { presentWithdrawalList } from '../../shared/api/native/withdrawals';
import { withProject } from '../../shared/app/projects';
import { listWithdrawals } from '../../shared/app/withdrawals';
import { route } from '../kit/http';
import { shopIdOf } from './admin-common';
import { listInput } from './withdrawal-common';

export const adminWithdrawalList = route({
  route: 'admin.withdrawal.list',
  input: listInput,
  run: ({ deps, input, req }) => withProject(deps, shopIdOf(req), (p) => listWithdrawals(deps, p, input)),
  present: (page) => presentWithdrawalList(page),
});
