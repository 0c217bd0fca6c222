/** GET /api/payouts/batches?limit=&cursor=: the key's project's mass payouts, newest first (without their items). */
import { presentPayoutBatchList } from '../../shared/api/native/payout-batches';
import { listBatches } from '../../shared/app/payout-batches';
import { requireProject, route } from '../kit/http';
import { listBatchesInput } from './payout-batch-common';

export const payoutBatchList = route({
  route: 'api.payout_batch.list',
  input: listBatchesInput,
  run: ({ deps, project, input }) => listBatches(deps, requireProject(project), input),
  present: (page) => presentPayoutBatchList(page),
});
