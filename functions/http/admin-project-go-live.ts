/** `tollgate project go-live SHOP_ID`: the go-live checklist, each item pass/fail/warn with its fix. */
import { presentGoLive } from '../../shared/api/admin/go-live';
import { checkGoLive } from '../../shared/app/go-live';
import { runtime } from '../kit/deps';
import { type HttpRequest, route } from '../kit/http';
import { reconciliationReaders } from '../kit/reconciliation';
import { shopIdOf } from './admin-common';

export const projectGoLive = route({
  route: 'admin.project.go_live',
  input: (req: HttpRequest) => ({ ok: true as const, value: shopIdOf(req) }),
  request: {},
  // ALARM_EMAIL_CONFIGURED: the stack says whether its AlarmEmail parameter is set (unset locally: no stack).
  run: ({ deps, input }) => checkGoLive(deps, reconciliationReaders(), input, { alarmEmailConfigured: runtime().config.ALARM_EMAIL_CONFIGURED }),
  present: (report) => presentGoLive(report),
});
