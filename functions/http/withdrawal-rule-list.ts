/** GET /api/withdrawal-rules: the key's project's automatic withdrawal rules, by currency, with each schedule's next run. */
import { listWithdrawalRules } from '../../shared/app/withdrawal-rules';
import { presentWithdrawalRules } from '../../shared/api/native/withdrawal-rules';
import { requireProject, route } from '../kit/http';
import { noInput } from './admin-common';

export const withdrawalRuleList = route({
  route: 'api.withdrawal_rule.list',
  input: noInput,
  run: ({ deps, project, now }) => listWithdrawalRules(deps, requireProject(project), now),
  present: (views) => presentWithdrawalRules(views),
});
