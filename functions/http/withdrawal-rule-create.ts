/** POST /api/withdrawal-rules {wallet_id, trigger, threshold_usd | every, weekday, day, time, enabled?, totp_code}: one rule per currency. */
import { createWithdrawalRule } from '../../shared/app/withdrawal-rules';
import { presentWithdrawalRule } from '../../shared/api/native/withdrawal-rules';
import { requireProject, route } from '../kit/http';
import { createInput } from './withdrawal-rule-common';

export const withdrawalRuleCreate = route({
  route: 'api.withdrawal_rule.create',
  input: createInput,
  run: ({ deps, project, input, now }) => createWithdrawalRule(deps, requireProject(project), { now, actor: 'api', code: input.code }, input.rule),
  present: (view) => presentWithdrawalRule(view),
});
