/** GET /api/withdrawals?limit=&cursor=: the key's project's withdrawals, newest first. */
import { presentWithdrawalList } from '../../shared/api/native/withdrawals';
import { listWithdrawals } from '../../shared/app/withdrawals';
import { requireProject, route } from '../kit/http';
import { listInput } from './withdrawal-common';

export const withdrawalList = route({
  route: 'api.withdrawal.list',
  input: listInput,
  run: ({ deps, project, input }) => listWithdrawals(deps, requireProject(project), input),
  present: (page) => presentWithdrawalList(page),
});
