/** GET /admin/projects/{shopId}/donations/{slug} (`tollgate donation show`): the page and its totals. */
import { showDonationPage } from '../../shared/app/donations';
import { withProject } from '../../shared/app/projects';
import { route } from '../kit/http';
import { shopIdOf } from './admin-common';
import { presentWithTotals, showDonationInput } from './donation-common';

export const adminDonationShow = route({
  route: 'admin.donation.show',
  input: showDonationInput,
  run: ({ deps, input, req }) => withProject(deps, shopIdOf(req), (p) => showDonationPage(deps, { shopId: p.shopId, slug: input })),
  present: (out, ctx) => presentWithTotals(out, ctx),
});
