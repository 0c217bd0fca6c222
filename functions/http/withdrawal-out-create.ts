/** POST /v2/invoice/api/out/create (reference §1.9): CryptoCloud's payout, with the withdrawal key. */
import { OutCreateRequestDoc, parseOutCreate, presentOutCreated } from '../../shared/api/cryptocloud/withdrawals';
import { requestWithdrawal } from '../../shared/app/withdrawals';
import { type HttpRequest, requireProject, route } from '../kit/http';
import { idempotencyOf, idempotencyProblem } from './withdrawal-common';
import { OutCreated } from '../../shared/api/cryptocloud/responses';

const input = (req: HttpRequest) => {
  const problem = idempotencyProblem(req);
  return problem ? { ok: false as const, errors: problem } : parseOutCreate(req.body);
};

export const withdrawalOutCreate = route({
  route: 'invoice.out_create',
  input,
  request: { body: OutCreateRequestDoc },
  response: OutCreated,
  run: ({ deps, project, input, now, req }) =>
    requestWithdrawal(deps, requireProject(project), { code: input.currencyCode, toAddress: input.toAddress, walletId: null, amount: input.amount, source: 'cryptocloud_api', idempotency: idempotencyOf(req) }, now),
  present: (w) => presentOutCreated(w),
});
