/** PATCH /admin/projects/{shopId}/withdrawal-rules/{ruleId} (`tollgate rule update`). */
import { withProject } from '../../shared/app/projects';
import { updateWithdrawalRule } from '../../shared/app/withdrawal-rules';
import { presentWithdrawalRule } from '../../shared/api/native/withdrawal-rules';
import { route } from '../kit/http';
import { shopIdOf } from './admin-common';
import { updateInput } from './withdrawal-rule-common';

export const adminWithdrawalRuleUpdate = route({
  route: 'admin.withdrawal_rule.update',
  input: updateInput,
  run: ({ deps, input, now, req }) => withProject(deps, shopIdOf(req), (p) => updateWithdrawalRule(deps, p, { now, actor: 'cli', code: input.code }, input.change)),
  present: (view) => presentWithdrawalRule(view),
});
