/** Lambda entry of the mass payout workflow's Task states (lib/workflows/payout-batch.ts): one step per call. */
import '../kit/chains-evm';
import '../kit/chains-tron';
import '../kit/chain-senders-evm';
import '../kit/chain-senders-tron';
import { workflowTask } from '../kit/workflow-task';

export const handler = workflowTask('payout_batch', {
  hold: async (_deps, input) => ({ batchId: String(input.batchId) }),
});
