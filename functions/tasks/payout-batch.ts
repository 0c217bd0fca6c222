/** Lambda entry of the mass payout workflow's Task states (lib/workflows/payout-batch.ts): one step per call. */
import '../kit/chains-evm';
import '../kit/chains-tron';
import '../kit/chain-senders-evm';
import '../kit/chain-senders-tron';
import { closeBatch, confirmLeg, holdBatch, releaseLeg, sendLeg, settleLeg } from '../../shared/app/payout-steps';
import { workflowTask } from '../kit/workflow-task';

const legOf = (input: Record<string, unknown>) => ({ batchId: String(input.batchId ?? ''), legId: String(input.legId ?? '') });

export const handler = workflowTask('payout_batch', {
  hold: (deps, input) => holdBatch(deps, String(input.batchId ?? '')),
  send: (deps, input) => sendLeg(deps, legOf(input)),
  confirm: (deps, input) => confirmLeg(deps, legOf(input)),
  settle: (deps, input) => settleLeg(deps, legOf(input)),
  release: (deps, input) => releaseLeg(deps, legOf(input), input.cause),
  close: (deps, input) => closeBatch(deps, String(input.batchId ?? '')),
});
