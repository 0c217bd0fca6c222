/** POST /admin/projects/{shopId}/payouts/batches (`tollgate payout batch create`): the same use case as the native route. */
import { presentPayoutBatch } from '../../shared/api/native/payout-batches';
import { createBatch } from '../../shared/app/payout-batches';
import { withProject } from '../../shared/app/projects';
import { route } from '../kit/http';
import { shopIdOf } from './admin-common';
import { createBatchInput } from './payout-batch-common';
import { idempotencyOf } from './withdrawal-common';

export const adminPayoutBatchCreate = route({
  route: 'admin.payout_batch.create',
  input: createBatchInput,
  run: ({ deps, input, req, now }) => withProject(deps, shopIdOf(req), (p) => createBatch(deps, p, { items: input.items, source: 'cli', idempotency: idempotencyOf(req) }, now)),
  present: (v) => presentPayoutBatch(v.batch, v.items),
  status: 201,
});
