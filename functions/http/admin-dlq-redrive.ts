import { ok } from '../../shared/domain/result';
import { route } from '../kit/http';
import { DLQ_PAGE_MAX, queueOf } from './admin-common';

/** Moves a page of a queue's parked messages back to it; each starts its attempts afresh. */
export const adminDlqRedrive = route({
  route: 'admin.dlq.redrive',
  input: queueOf,
  run: async ({ deps, input, log }) => {
    const moved = await deps.deadLetters.redrive(input, DLQ_PAGE_MAX);
    log.info('dlq.redriven', { queue: input, moved });
    return ok({ queue: input, moved });
  },
  present: (out) => out,
});
