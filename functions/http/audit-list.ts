/** GET /api/audit?limit=&cursor=: the key's project's audit trail, newest first. */
import { listAudit } from '../../shared/app/audit';
import { presentAuditPage } from '../../shared/api/native/withdrawal-wallets';
import { requireProject, route } from '../kit/http';
import { auditInput } from './withdrawal-wallet-common';

export const auditList = route({
  route: 'api.audit.list',
  input: auditInput,
  run: ({ deps, project, input }) => listAudit(deps, { shopId: requireProject(project).shopId, limit: input.limit, after: input.cursor }),
  present: (page) => presentAuditPage(page),
});
