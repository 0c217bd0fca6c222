/** POST /admin/projects/{shopId}/donations (`tollgate donation create`): the native create on behalf of the project. */
import { createDonationPage } from '../../shared/app/donations';
import { withProject } from '../../shared/app/projects';
import { route } from '../kit/http';
import { shopIdOf } from './admin-common';
import { createDonationInput, presentPage } from './donation-common';

export const adminDonationCreate = route({
  route: 'admin.donation.create',
  input: createDonationInput,
  run: ({ deps, input, now, req }) => withProject(deps, shopIdOf(req), (p) => createDonationPage(deps, { shopId: p.shopId, slug: input.slug, patch: input.patch, now })),
  present: (out, ctx) => presentPage(out, ctx),
  status: 201,
});
