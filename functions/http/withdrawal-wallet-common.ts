/** What the native and admin withdrawal wallet, audit and second-factor routes share: input parsing. */
import { AUDIT_PER_LIST_MAX } from '../../shared/app/audit';
import { AuditQuery, ChangeWithdrawalWalletRequest, ListWithdrawalWalletsQuery, RemoveWithdrawalWalletRequest } from '../../shared/api/native/withdrawal-wallets';
import { fromSchema, type HttpRequest, inQuery, withRequest } from '../kit/http';

export const walletIdOf = (req: HttpRequest) => req.pathParameters.walletId ?? '';

export const listInput = fromSchema(ListWithdrawalWalletsQuery, inQuery);

export const auditInput = fromSchema(AuditQuery(AUDIT_PER_LIST_MAX), inQuery);

const changeBody = fromSchema(ChangeWithdrawalWalletRequest);
/** PATCH .../{walletId}: the path's wallet with the body's change and code. */
export const changeInput = withRequest((req: HttpRequest) => {
  const body = changeBody(req);
  return body.ok ? { ok: true as const, value: { walletId: walletIdOf(req), ...body.value } } : body;
}, changeBody);

const removeBody = fromSchema(RemoveWithdrawalWalletRequest);
/** DELETE .../{walletId}: the body carries the code (`totp_code`). */
export const removeInput = withRequest((req: HttpRequest) => {
  const body = removeBody(req);
  return body.ok ? { ok: true as const, value: { walletId: walletIdOf(req), code: body.value.totp_code } } : body;
}, removeBody);
