/** What the native and admin withdrawal rule routes share: input parsing (the rule id from the path, the code and trigger from the body). */
import { CreateWithdrawalRuleRequest, DeleteWithdrawalRuleRequest, triggerInputOf, UpdateWithdrawalRuleRequest } from '../../shared/api/native/withdrawal-rules';
import { fromSchema, type HttpRequest, withRequest } from '../kit/http';

const ruleIdOf = (req: HttpRequest) => req.pathParameters.ruleId ?? '';

const createBody = fromSchema(CreateWithdrawalRuleRequest);
/** POST: the wallet, the trigger and the code. */
export const createInput = withRequest((req: HttpRequest) => {
  const body = createBody(req);
  if (!body.ok) return body;
  const b = body.value;
  return { ok: true as const, value: { code: b.totp_code, rule: { walletId: b.wallet_id, currency: b.currency, enabled: b.enabled, trigger: triggerInputOf(b) } } };
}, createBody);

const updateBody = fromSchema(UpdateWithdrawalRuleRequest);
/** PATCH .../{ruleId}: the path's rule with the body's change and code. */
export const updateInput = withRequest((req: HttpRequest) => {
  const body = updateBody(req);
  if (!body.ok) return body;
  const b = body.value;
  return { ok: true as const, value: { code: b.totp_code, change: { ruleId: ruleIdOf(req), walletId: b.wallet_id, enabled: b.enabled, trigger: triggerInputOf(b) } } };
}, updateBody);

const deleteBody = fromSchema(DeleteWithdrawalRuleRequest);
/** DELETE .../{ruleId}: the body carries the code (`totp_code`). */
export const deleteInput = withRequest((req: HttpRequest) => {
  const body = deleteBody(req);
  return body.ok ? { ok: true as const, value: { ruleId: ruleIdOf(req), code: body.value.totp_code } } : body;
}, deleteBody);
