/** GET /admin/projects/{shopId}/payouts/batches/{batchId} (`tollgate payout batch show`, and the progress of `create`). */
import { presentPayoutBatch } from '../../shared/api/native/payout-batches';
import { showBatch } from '../../shared/app/payout-batches';
import { withProject } from '../../shared/app/projects';
import { route } from '../kit/http';
import { shopIdOf } from './admin-common';
import { batchIdOf } from './payout-batch-common';

export const adminPayoutBatchShow = route({
  route: 'admin.payout_batch.show',
  input: (req) => ({ ok: true as const, value: batchIdOf(req) }),
  request: {},
  run: ({ deps, input, req }) => withProject(deps, shopIdOf(req), (p) => showBatch(deps, p, input)),
  present: (v) => presentPayoutBatch(v.batch, v.items),
});
