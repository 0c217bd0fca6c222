/** GET /admin/projects/{shopId}/second-factor (`tollgate project totp status`): never the secret or the codes. */
import { withProject } from '../../shared/app/projects';
import { secondFactorStatus } from '../../shared/app/second-factor';
import { presentSecondFactorStatus } from '../../shared/api/native/withdrawal-wallets';
import { route } from '../kit/http';
import { noInput, shopIdOf } from './admin-common';

export const adminSecondFactorStatus = route({
  route: 'admin.second_factor.status',
  input: noInput,
  run: ({ deps, now, req }) => withProject(deps, shopIdOf(req), (p) => secondFactorStatus(deps, p.shopId, now)),
  present: (state) => presentSecondFactorStatus(state),
});
