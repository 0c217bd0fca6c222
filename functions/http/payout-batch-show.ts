/** GET /api/payouts/batches/{batchId}: the batch and each item's status (queued, sent, confirmed, failed with its reason). */
import { presentPayoutBatch } from '../../shared/api/native/payout-batches';
import { showBatch } from '../../shared/app/payout-batches';
import { requireProject, route } from '../kit/http';
import { batchIdOf } from './payout-batch-common';

export const payoutBatchShow = route({
  route: 'api.payout_batch.show',
  input: (req) => ({ ok: true as const, value: batchIdOf(req) }),
  request: {},
  run: ({ deps, project, input }) => showBatch(deps, requireProject(project), input),
  present: (v) => presentPayoutBatch(v.batch, v.items),
});
