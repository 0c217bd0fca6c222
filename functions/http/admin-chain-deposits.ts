/** GET /admin/chains/{chain}/deposits (`tollgate chain deposits CHAIN`): received, unswept and swept per deposit address. */
import { listDepositsQuery, presentDepositList } from '../../shared/api/admin/deposits';
import { chainPathId } from '../../shared/api/native/requests';
import { listDeposits } from '../../shared/app/sweeps';
import { err, ok } from '../../shared/domain/result';
import { fromSchema, type HttpRequest, route, inQuery, inPath, withRequest } from '../kit/http';

const chainOf = fromSchema(chainPathId, inPath('chain'), 'chain');
const pageOf = fromSchema(listDepositsQuery, inQuery);

const depositsInput = withRequest((req: HttpRequest) => {
  const chain = chainOf(req);
  const page = pageOf(req);
  if (chain.ok && page.ok) return { ok: true as const, value: { chain: chain.value, limit: page.value.limit, after: page.value.cursor ?? null } };
  return { ok: false as const, errors: { ...(chain.ok ? {} : chain.errors), ...(page.ok ? {} : page.errors) } };
}, chainOf, pageOf);

export const adminChainDeposits = route({
  route: 'admin.chain.deposits',
  input: depositsInput,
  run: async ({ deps, input }) =>
    deps.chains.some((d) => d.chain === input.chain) ? ok(await listDeposits(deps, input.chain, { limit: input.limit, after: input.after })) : err({ kind: 'chain.not_served' as const, code: input.chain }),
  present: (page) => presentDepositList(page),
});
