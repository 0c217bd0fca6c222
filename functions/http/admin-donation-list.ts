/** GET /admin/projects/{shopId}/donations (`tollgate donation list`). */
import { listDonationPages } from '../../shared/app/donations';
import { withProject } from '../../shared/app/projects';
import { route } from '../kit/http';
import { shopIdOf } from './admin-common';
import { listDonationsInput, presentList } from './donation-common';

export const adminDonationList = route({
  route: 'admin.donation.list',
  input: listDonationsInput,
  run: ({ deps, input, req }) => withProject(deps, shopIdOf(req), (p) => listDonationPages(deps, { shopId: p.shopId, limit: input.limit, after: input.cursor ?? null })),
  present: (out, ctx) => presentList(out, ctx),
});
