/** POST /admin/projects/{shopId}/payouts/batches/{batchId}/approve (`tollgate payout batch approve SHOP ID --code 123456`). */
import { presentPayoutBatch } from '../../shared/api/native/payout-batches';
import { approveBatch } from '../../shared/app/payout-batches';
import { withProject } from '../../shared/app/projects';
import { route } from '../kit/http';
import { shopIdOf } from './admin-common';
import { approveBatchInput } from './payout-batch-common';

export const adminPayoutBatchApprove = route({
  route: 'admin.payout_batch.approve',
  input: approveBatchInput,
  run: ({ deps, input, req, now }) => withProject(deps, shopIdOf(req), (p) => approveBatch(deps, p, input.batchId, input.code, now, 'cli')),
  present: (v) => presentPayoutBatch(v.batch, v.items),
});
