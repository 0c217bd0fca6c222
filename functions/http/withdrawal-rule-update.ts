/** PATCH /api/withdrawal-rules/{ruleId} {enabled?, wallet_id?, trigger fields?, totp_code}: switch on or off, another wallet, a new trigger. */
import { updateWithdrawalRule } from '../../shared/app/withdrawal-rules';
import { presentWithdrawalRule } from '../../shared/api/native/withdrawal-rules';
import { requireProject, route } from '../kit/http';
import { updateInput } from './withdrawal-rule-common';

export const withdrawalRuleUpdate = route({
  route: 'api.withdrawal_rule.update',
  input: updateInput,
  run: ({ deps, project, input, now }) => updateWithdrawalRule(deps, requireProject(project), { now, actor: 'api', code: input.code }, input.change),
  present: (view) => presentWithdrawalRule(view),
});
