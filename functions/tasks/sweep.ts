/** Lambda entry of the sweep workflow's Task states (lib/workflows/sweep.ts): one step per call. */
import '../kit/chains-evm';
import '../kit/chains-tron';
import '../kit/chain-senders-evm';
import '../kit/chain-senders-tron';
import { confirmStep, settleStep, startStep, topUpStep, transferStep } from '../../shared/app/sweeps';
import { workflowTask } from '../kit/workflow-task';

export const handler = workflowTask('sweep', {
  start: (deps, input) => startStep(deps, input.sweepId),
  top_up: (deps, input) => topUpStep(deps, input.sweepId),
  transfer: (deps, input) => transferStep(deps, input.sweepId),
  confirm: (deps, input) => confirmStep(deps, input.sweepId),
  settle: (deps, input) => settleStep(deps, input.sweepId),
});
