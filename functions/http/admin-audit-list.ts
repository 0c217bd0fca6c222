/** GET /admin/projects/{shopId}/audit?limit=&cursor= (`tollgate audit SHOP_ID`). */
import { listAudit } from '../../shared/app/audit';
import { withProject } from '../../shared/app/projects';
import { presentAuditPage } from '../../shared/api/native/withdrawal-wallets';
import { route } from '../kit/http';
import { shopIdOf } from './admin-common';
import { auditInput } from './withdrawal-wallet-common';

export const adminAuditList = route({
  route: 'admin.audit.list',
  input: auditInput,
  run: ({ deps, input, req }) => withProject(deps, shopIdOf(req), (p) => listAudit(deps, { shopId: p.shopId, limit: input.limit, after: input.cursor })),
  present: (page) => presentAuditPage(page),
});
