/** POST /api/payouts/batches/{batchId}/approve {code}: a batch above the approval threshold runs once a fresh second-factor code approves it. */
import { presentPayoutBatch } from '../../shared/api/native/payout-batches';
import { approveBatch } from '../../shared/app/payout-batches';
import { requireProject, route } from '../kit/http';
import { approveBatchInput } from './payout-batch-common';

export const payoutBatchApprove = route({
  route: 'api.payout_batch.approve',
  input: approveBatchInput,
  run: ({ deps, project, input, now }) => approveBatch(deps, requireProject(project), input.batchId, input.code, now, 'api'),
  present: (v) => presentPayoutBatch(v.batch, v.items),
});
