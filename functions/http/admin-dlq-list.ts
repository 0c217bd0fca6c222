import { presentDeadLetter } from '../../shared/api/admin/dead-letters';
import { ok } from '../../shared/domain/result';
import { route } from '../kit/http';
import { DLQ_PAGE_MAX, queueOf } from './admin-common';

/** A queue's parked messages, left in place. */
export const adminDlqList = route({
  route: 'admin.dlq.list',
  input: queueOf,
  run: async ({ deps, input }) => ok(await deps.deadLetters.list(input, DLQ_PAGE_MAX)),
  present: (letters) => letters.map(presentDeadLetter),
});
