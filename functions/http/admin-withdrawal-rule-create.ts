/** POST /admin/projects/{shopId}/withdrawal-rules (`tollgate rule create`): the same use case as /api/withdrawal-rules. */
import { withProject } from '../../shared/app/projects';
import { createWithdrawalRule } from '../../shared/app/withdrawal-rules';
import { presentWithdrawalRule } from '../../shared/api/native/withdrawal-rules';
import { route } from '../kit/http';
import { shopIdOf } from './admin-common';
import { createInput } from './withdrawal-rule-common';

export const adminWithdrawalRuleCreate = route({
  route: 'admin.withdrawal_rule.create',
  input: createInput,
  run: ({ deps, input, now, req }) => withProject(deps, shopIdOf(req), (p) => createWithdrawalRule(deps, p, { now, actor: 'cli', code: input.code }, input.rule)),
  present: (view) => presentWithdrawalRule(view),
});
