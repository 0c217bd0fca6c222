/** POST /admin/projects/{shopId}/withdrawals (`tollgate withdraw create`): to a saved wallet only, as the native route. */
import { presentWithdrawal } from '../../shared/api/native/withdrawals';
import { withProject } from '../../shared/app/projects';
import { requestWalletWithdrawal } from '../../shared/app/withdrawals';
import { route } from '../kit/http';
import { shopIdOf } from './admin-common';
import { idempotencyOf } from './withdrawal-common';
import { nativeWithdrawalInput } from './withdrawal-create';

export const adminWithdrawalCreate = route({
  route: 'admin.withdrawal.create',
  input: nativeWithdrawalInput,
  run: ({ deps, input, req, now }) =>
    withProject(deps, shopIdOf(req), (p) => requestWalletWithdrawal(deps, p, { walletId: input.wallet_id, amount: input.amount, source: 'cli', idempotency: idempotencyOf(req) }, now)),
  present: (w) => presentWithdrawal(w),
  status: 201,
});
