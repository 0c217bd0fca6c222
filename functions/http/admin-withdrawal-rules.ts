/** `tollgate rule create|list|update|delete`: /admin/projects/{shopId}/withdrawal-rules, the same use cases as /api/withdrawal-rules. */
import { withProject } from '../../shared/app/projects';
import { createWithdrawalRule, deleteWithdrawalRule, listWithdrawalRules, updateWithdrawalRule } from '../../shared/app/withdrawal-rules';
import { presentWithdrawalRule, presentWithdrawalRules } from '../../shared/api/native/withdrawal-rules';
import { route } from '../kit/http';
import { noInput, shopIdOf } from './admin-common';
import { createInput, deleteInput, updateInput } from './withdrawal-rule-common';

export const adminWithdrawalRuleList = route({
  route: 'admin.withdrawal_rule.list',
  input: noInput,
  run: ({ deps, now, req }) => withProject(deps, shopIdOf(req), (p) => listWithdrawalRules(deps, p, now)),
  present: (views) => presentWithdrawalRules(views),
});

export const adminWithdrawalRuleCreate = route({
  route: 'admin.withdrawal_rule.create',
  input: createInput,
  run: ({ deps, input, now, req }) => withProject(deps, shopIdOf(req), (p) => createWithdrawalRule(deps, p, { now, actor: 'cli', code: input.code }, input.rule)),
  present: (view) => presentWithdrawalRule(view),
});

export const adminWithdrawalRuleUpdate = route({
  route: 'admin.withdrawal_rule.update',
  input: updateInput,
  run: ({ deps, input, now, req }) => withProject(deps, shopIdOf(req), (p) => updateWithdrawalRule(deps, p, { now, actor: 'cli', code: input.code }, input.change)),
  present: (view) => presentWithdrawalRule(view),
});

export const adminWithdrawalRuleDelete = route({
  route: 'admin.withdrawal_rule.delete',
  input: deleteInput,
  run: ({ deps, input, now, req }) => withProject(deps, shopIdOf(req), (p) => deleteWithdrawalRule(deps, p, { now, actor: 'cli', code: input.code }, { ruleId: input.ruleId })),
  present: (view) => presentWithdrawalRule(view),
});
