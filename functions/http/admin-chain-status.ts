import { presentChainStatus } from '../../shared/api/admin/chains';
import { ok } from '../../shared/domain/result';
import { runtime } from '../kit/deps';
import { route } from '../kit/http';
import { noInput } from './admin-common';

export const adminChainStatus = route({
  route: 'admin.chain.status',
  input: noInput,
  run: async ({ deps }) => {
    const { chainState } = runtime();
    return ok(await Promise.all(deps.chains.map(async (d) => ({ deployment: d, checkpoint: await chainState.get(d.chain) }))));
  },
  present: (rows) => rows.map((r) => presentChainStatus(r.deployment, r.checkpoint)),
});
