/** `tollgate withdraw list|show|cancel`: the native withdrawal routes on behalf of a project. */
import { presentWithdrawal, presentWithdrawalList } from '../../shared/api/native/withdrawals';
import { withProject } from '../../shared/app/projects';
import { cancelWithdrawal, listWithdrawals, showWithdrawal } from '../../shared/app/withdrawals';
import { route } from '../kit/http';
import { shopIdOf } from './admin-common';
import { listInput, withdrawalIdInput } from './withdrawal-common';

export const adminWithdrawalList = route({
  route: 'admin.withdrawal.list',
  input: listInput,
  run: ({ deps, input, req }) => withProject(deps, shopIdOf(req), (p) => listWithdrawals(deps, p, input)),
  present: (page) => presentWithdrawalList(page),
});

export const adminWithdrawalShow = route({
  route: 'admin.withdrawal.show',
  input: withdrawalIdInput,
  run: ({ deps, input, req }) => withProject(deps, shopIdOf(req), (p) => showWithdrawal(deps, p, input)),
  present: (w) => presentWithdrawal(w),
});

export const adminWithdrawalCancel = route({
  route: 'admin.withdrawal.cancel',
  input: withdrawalIdInput,
  run: ({ deps, input, req, now }) => withProject(deps, shopIdOf(req), (p) => cancelWithdrawal(deps, p, input, now)),
  present: (w) => presentWithdrawal(w),
});
