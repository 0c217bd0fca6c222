/** DELETE /api/withdrawal-rules/{ruleId} {totp_code}: the rule never fires again. */
import { deleteWithdrawalRule } from '../../shared/app/withdrawal-rules';
import { presentWithdrawalRule } from '../../shared/api/native/withdrawal-rules';
import { requireProject, route } from '../kit/http';
import { deleteInput } from './withdrawal-rule-common';

export const withdrawalRuleDelete = route({
  route: 'api.withdrawal_rule.delete',
  input: deleteInput,
  run: ({ deps, project, input, now }) => deleteWithdrawalRule(deps, requireProject(project), { now, actor: 'api', code: input.code }, { ruleId: input.ruleId }),
  present: (view) => presentWithdrawalRule(view),
});
