/** Lambda entry of the withdrawal workflow's Task states (lib/workflows/withdrawal.ts): one step per call. */
import '../kit/chains-evm';
import '../kit/chains-tron';
import '../kit/chain-senders-evm';
import '../kit/chain-senders-tron';
import { broadcastStep, confirmStep, holdStep, releaseStep, settleStep, signStep } from '../../shared/app/withdrawal-steps';
import { workflowTask } from '../kit/workflow-task';

export const handler = workflowTask('withdrawal', {
  hold: (deps, input) => holdStep(deps, input.withdrawalId),
  sign: (deps, input) => signStep(deps, input.withdrawalId),
  broadcast: (deps, input) => broadcastStep(deps, input.withdrawalId),
  confirm: (deps, input) => confirmStep(deps, input.withdrawalId),
  settle: (deps, input) => settleStep(deps, input.withdrawalId),
  release: (deps, input) => releaseStep(deps, input.withdrawalId, input.cause),
});
