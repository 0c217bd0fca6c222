/** POST /api/donations: a donation page of the key's project. */
import { createDonationPage } from '../../shared/app/donations';
import { requireProject, route } from '../kit/http';
import { createDonationInput, presentPage } from './donation-common';

export const donationCreate = route({
  route: 'api.donation.create',
  input: createDonationInput,
  run: ({ deps, project, input, now }) => createDonationPage(deps, { shopId: requireProject(project).shopId, slug: input.slug, patch: input.patch, now }),
  present: (out, ctx) => presentPage(out, ctx),
  status: 201,
});
