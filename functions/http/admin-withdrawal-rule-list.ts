/** GET /admin/projects/{shopId}/withdrawal-rules (`tollgate rule list`). */
import { withProject } from '../../shared/app/projects';
import { listWithdrawalRules } from '../../shared/app/withdrawal-rules';
import { presentWithdrawalRules } from '../../shared/api/native/withdrawal-rules';
import { route } from '../kit/http';
import { noInput, shopIdOf } from './admin-common';

export const adminWithdrawalRuleList = route({
  route: 'admin.withdrawal_rule.list',
  input: noInput,
  run: ({ deps, now, req }) => withProject(deps, shopIdOf(req), (p) => listWithdrawalRules(deps, p, now)),
  present: (views) => presentWithdrawalRules(views),
});
