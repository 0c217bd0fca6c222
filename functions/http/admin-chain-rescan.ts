import { chainPathId, RescanRequest } from '../../shared/api/native/requests';
import { rescanRange, WatchSet } from '../../shared/app/chain-watcher';
import { err, ok } from '../../shared/domain/result';
import { watcherDeps } from '../kit/deps';
import { fromSchema, type HttpRequest, route, inPath, withRequest } from '../kit/http';

const chainOf = fromSchema(chainPathId, inPath('chain'), 'chain');
const rescanBody = fromSchema(RescanRequest);

/** The chain in the path and the block range in the body, with every problem reported together. */
const rescanInput = withRequest((req: HttpRequest) => {
  const chain = chainOf(req);
  const range = rescanBody(req);
  if (chain.ok && range.ok) return { ok: true as const, value: { chain: chain.value, range: range.value } };
  return { ok: false as const, errors: { ...(chain.ok ? {} : chain.errors), ...(range.ok ? {} : range.errors) } };
}, chainOf, rescanBody);

export const adminChainRescan = route({
  route: 'admin.chain.rescan',
  input: rescanInput,
  run: async ({ deps, input }) => {
    const deployment = deps.chains.find((d) => d.chain === input.chain);
    if (!deployment) return err({ kind: 'chain.not_served' as const, code: input.chain });
    const watcher = watcherDeps(input.chain);
    return ok({ chain: input.chain, ...input.range, ...(await rescanRange(watcher, deployment, new WatchSet(input.chain, watcher.watched), input.range)) });
  },
  present: (out) => out,
});
