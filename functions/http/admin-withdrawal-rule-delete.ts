/** DELETE /admin/projects/{shopId}/withdrawal-rules/{ruleId} (`tollgate rule delete`). */
import { withProject } from '../../shared/app/projects';
import { deleteWithdrawalRule } from '../../shared/app/withdrawal-rules';
import { presentWithdrawalRule } from '../../shared/api/native/withdrawal-rules';
import { route } from '../kit/http';
import { shopIdOf } from './admin-common';
import { deleteInput } from './withdrawal-rule-common';

export const adminWithdrawalRuleDelete = route({
  route: 'admin.withdrawal_rule.delete',
  input: deleteInput,
  run: ({ deps, input, now, req }) => withProject(deps, shopIdOf(req), (p) => deleteWithdrawalRule(deps, p, { now, actor: 'cli', code: input.code }, { ruleId: input.ruleId })),
  present: (view) => presentWithdrawalRule(view),
});
