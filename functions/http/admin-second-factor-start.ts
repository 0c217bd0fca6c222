/**
 * POST /admin/projects/{shopId}/second-factor {totp_code?} (`tollgate project totp enable`): a new
 * secret and its otpauth URI, shown once; an active factor needs a fresh code of it to start over.
 */
import { withProject } from '../../shared/app/projects';
import { startEnrolment } from '../../shared/app/second-factor';
import { presentEnrolmentStart, StartSecondFactorRequest } from '../../shared/api/native/withdrawal-wallets';
import { fromSchema, route } from '../kit/http';
import { shopIdOf } from './admin-common';

const input = fromSchema(StartSecondFactorRequest);

export const adminSecondFactorStart = route({
  route: 'admin.second_factor.start',
  input,
  run: ({ deps, input, now, req }) => withProject(deps, shopIdOf(req), (p) => startEnrolment(deps, p, { code: input.totp_code, now, actor: 'cli' })),
  present: (started) => presentEnrolmentStart(started),
});
