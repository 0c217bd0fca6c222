/** PATCH /api/donations/{slug}: edit a page, or switch it off with `enabled: false`. */
import { updateDonationPage } from '../../shared/app/donations';
import { requireProject, route } from '../kit/http';
import { presentPage, updateDonationInput } from './donation-common';

export const donationUpdate = route({
  route: 'api.donation.update',
  input: updateDonationInput,
  run: ({ deps, project, input }) => updateDonationPage(deps, { shopId: requireProject(project).shopId, ...input }),
  present: (out, ctx) => presentPage(out, ctx),
});
