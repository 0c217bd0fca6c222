/** GET /api/donations?limit=&cursor=: the key's project's donation pages, oldest first. */
import { listDonationPages } from '../../shared/app/donations';
import { requireProject, route } from '../kit/http';
import { listDonationsInput, presentList } from './donation-common';

export const donationList = route({
  route: 'api.donation.list',
  input: listDonationsInput,
  run: ({ deps, project, input }) => listDonationPages(deps, { shopId: requireProject(project).shopId, limit: input.limit, after: input.cursor ?? null }),
  present: (out, ctx) => presentList(out, ctx),
});
