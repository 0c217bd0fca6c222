/** GET /admin/projects/{shopId}/donations/{slug} (`tollgate donation show`): the page and its totals. */
import { showDonationPage, withProject } from '../../shared/app/donations';
import { route } from '../kit/http';
import { shopIdOf } from './admin-common';
import { presentWithTotals, showDonationInput } from './donation-common';

export const adminDonationShow = route({
  route: 'admin.donation.show',
  input: showDonationInput,
  run: ({ deps, input, req }) => withProject(deps, shopIdOf(req), (p) => showDonationPage(deps, { shopId: p.shopId, slug: input })),
  present: (out, ctx) => presentWithTotals(out, ctx),
});
