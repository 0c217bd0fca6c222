/** `tollgate reconcile`: runs the reconciliation now and answers its report (drift is logged and alarmed as on the schedule). */
import { presentReconciliation } from '../../shared/api/admin/reconciliation';
import { reconcile } from '../../shared/app/reconciliation';
import { ok } from '../../shared/domain/result';
import { route } from '../kit/http';
import { reconciliationReaders } from '../kit/reconciliation';
import { noInput } from './admin-common';

export const adminReconcile = route({
  route: 'admin.reconcile',
  input: noInput,
  run: async ({ deps }) => ok(await reconcile(deps, reconciliationReaders())),
  present: (report) => presentReconciliation(report),
});
