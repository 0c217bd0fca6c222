/** GET /admin/projects/{shopId}/payouts/batches (`tollgate payout batch list`). */
import { presentPayoutBatchList } from '../../shared/api/native/payout-batches';
import { listBatches } from '../../shared/app/payout-batches';
import { withProject } from '../../shared/app/projects';
import { route } from '../kit/http';
import { shopIdOf } from './admin-common';
import { listBatchesInput } from './payout-batch-common';

export const adminPayoutBatchList = route({
  route: 'admin.payout_batch.list',
  input: listBatchesInput,
  run: ({ deps, input, req }) => withProject(deps, shopIdOf(req), (p) => listBatches(deps, p, input)),
  present: (page) => presentPayoutBatchList(page),
});
