/** POST /api/withdrawals {wallet_id, amount}: a withdrawal to a saved wallet past its cooling-off (Idempotency-Key makes a retry safe). */
import { NativeWithdrawalRequest, presentWithdrawal } from '../../shared/api/native/withdrawals';
import { requestWalletWithdrawal } from '../../shared/app/withdrawals';
import { fromSchema, type HttpRequest, requireProject, route, withRequest } from '../kit/http';
import { idempotencyOf, idempotencyProblem } from './withdrawal-common';

const body = fromSchema(NativeWithdrawalRequest);
export const nativeWithdrawalInput = withRequest((req: HttpRequest) => {
  const problem = idempotencyProblem(req);
  return problem ? { ok: false as const, errors: problem } : body(req);
}, body);

export const withdrawalCreate = route({
  route: 'api.withdrawal.create',
  input: nativeWithdrawalInput,
  run: ({ deps, project, input, now, req }) => requestWalletWithdrawal(deps, requireProject(project), { walletId: input.wallet_id, amount: input.amount, source: 'native_api', idempotency: idempotencyOf(req) }, now),
  present: (w) => presentWithdrawal(w),
  status: 201,
});
