/** PATCH /admin/projects/{shopId}/donations/{slug} (`tollgate donation update`). */
import { updateDonationPage } from '../../shared/app/donations';
import { withProject } from '../../shared/app/projects';
import { route } from '../kit/http';
import { shopIdOf } from './admin-common';
import { presentPage, updateDonationInput } from './donation-common';

export const adminDonationUpdate = route({
  route: 'admin.donation.update',
  input: updateDonationInput,
  run: ({ deps, input, req }) => withProject(deps, shopIdOf(req), (p) => updateDonationPage(deps, { shopId: p.shopId, ...input })),
  present: (out, ctx) => presentPage(out, ctx),
});
