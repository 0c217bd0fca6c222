/** Plans sweeps on every served chain: each deposit worth its fee is claimed and its sweep execution started. */
import { planSweeps } from '../../shared/app/sweeps';
import { schedule } from '../kit/schedule';

export const handler = schedule('sweep-planner', async (deps, now) => {
  const chains = [];
  for (const d of deps.chains) chains.push(await planSweeps(deps, d.chain, now));
  return { due: chains.reduce((n, c) => n + c.due, 0), started: chains.reduce((n, c) => n + c.started, 0), chains };
});
