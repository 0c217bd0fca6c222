/** GET /api/donations/{slug}: the page and its totals (paid donations: count, per currency, in USD). */
import { showDonationPage } from '../../shared/app/donations';
import { requireProject, route } from '../kit/http';
import { presentWithTotals, showDonationInput } from './donation-common';

export const donationShow = route({
  route: 'api.donation.show',
  input: showDonationInput,
  run: ({ deps, project, input }) => showDonationPage(deps, { shopId: requireProject(project).shopId, slug: input }),
  present: (out, ctx) => presentWithTotals(out, ctx),
});
