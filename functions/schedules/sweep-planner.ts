/** Plans sweeps on every served chain: each deposit worth its fee is claimed and its sweep execution started. */
import { planSweeps } from '../../shared/app/sweeps';
import { schedule } from '../kit/schedule';

// The id is declared by the workflows side of the manifest (schedules['sweep-planner']); the cast
// lets this file compile before that lands and is a no-op after.
const SWEEP_PLANNER = 'sweep-planner' as string as Parameters<typeof schedule>[0];

export const handler = schedule(SWEEP_PLANNER, async (deps, now) => {
  const chains = [];
  for (const d of deps.chains) chains.push(await planSweeps(deps, d.chain, now));
  return { due: chains.reduce((n, c) => n + c.due, 0), started: chains.reduce((n, c) => n + c.started, 0), chains };
});
