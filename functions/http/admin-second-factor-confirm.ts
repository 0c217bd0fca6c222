/** POST /admin/projects/{shopId}/second-factor/confirm {totp_code}: the factor is active; its recovery codes are answered once. */
import { withProject } from '../../shared/app/projects';
import { confirmEnrolment } from '../../shared/app/second-factor';
import { ConfirmSecondFactorRequest, presentEnrolmentConfirmed } from '../../shared/api/native/withdrawal-wallets';
import { fromSchema, route } from '../kit/http';
import { shopIdOf } from './admin-common';

const input = fromSchema(ConfirmSecondFactorRequest);

export const adminSecondFactorConfirm = route({
  route: 'admin.second_factor.confirm',
  input,
  run: ({ deps, input, now, req }) => withProject(deps, shopIdOf(req), (p) => confirmEnrolment(deps, p.shopId, { code: input.totp_code, now, actor: 'cli' })),
  present: (confirmed) => presentEnrolmentConfirmed(confirmed),
});
