/** POST /api/payouts/batches {items: [{currency, to_address, amount, reference}]}: a mass payout (Idempotency-Key and references make a retry safe). */
import { presentPayoutBatch } from '../../shared/api/native/payout-batches';
import { createBatch } from '../../shared/app/payout-batches';
import { requireProject, route } from '../kit/http';
import { createBatchInput } from './payout-batch-common';
import { idempotencyOf } from './withdrawal-common';

export const payoutBatchCreate = route({
  route: 'api.payout_batch.create',
  input: createBatchInput,
  run: ({ deps, project, input, now, req }) => createBatch(deps, requireProject(project), { items: input.items, source: 'native_api', idempotency: idempotencyOf(req) }, now),
  present: (v) => presentPayoutBatch(v.batch, v.items),
  status: 201,
});
