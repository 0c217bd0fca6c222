/**
 * One mass payout, one execution named by its id (funds-out part 2). Skeleton: the helper
 * replaces this with Hold → Map over legs (bounded concurrency) → Close.
 */
import type { Asl, DefinitionOptions } from './asl';
import { task } from './asl';

export const PAYOUT_BATCH_TIMEOUT_SECONDS = 12 * 3600;

export function payoutBatchDefinition(o: DefinitionOptions): Asl {
  return {
    Comment: 'Tollgate mass payout (lib/workflows/payout-batch.ts)',
    StartAt: 'Hold',
    TimeoutSeconds: PAYOUT_BATCH_TIMEOUT_SECONDS,
    States: {
      Hold: task(o, 'hold', { 'batchId.$': '$.batchId' }, 'Holds every item up front and plans the legs', 'Done', null),
      Done: { Type: 'Succeed', Comment: 'Every leg ended' },
    },
  };
}
