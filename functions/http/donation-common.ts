/** What the native and admin donation routes share: path and body parsing, and the answers. */
import type { DonationPageWithTotals } from '../../shared/app/donations';
import { CreateDonationRequest, DonationPatchRequest, ListDonationsQuery, presentDonationPage, presentDonationTotals } from '../../shared/api/native/donations';
import type { DonationPage } from '../../shared/domain/donation';
import type { Deps } from '../../shared/ports';
import { fromSchema, type HttpRequest, inQuery, withRequest } from '../kit/http';

export const slugOf = (req: HttpRequest) => req.pathParameters.slug ?? '';

export const createDonationInput = fromSchema(CreateDonationRequest);
export const listDonationsInput = fromSchema(ListDonationsQuery, inQuery);
const patch = fromSchema(DonationPatchRequest);
export const updateDonationInput = withRequest((req: HttpRequest) => {
  const parsed = patch(req);
  return parsed.ok ? { ok: true as const, value: { slug: slugOf(req), patch: parsed.value } } : parsed;
}, patch);
export const showDonationInput = withRequest((req: HttpRequest) => ({ ok: true as const, value: slugOf(req) }), {});

export const presentPage = (page: DonationPage, { deps }: { deps: Deps }) => presentDonationPage(page, deps.settings.publicBaseUrl);
export const presentList = ({ pages, next }: { pages: DonationPage[]; next: string | null }, { deps }: { deps: Deps }) => ({
  donations: pages.map((p) => presentDonationPage(p, deps.settings.publicBaseUrl)),
  next_cursor: next,
});
export const presentWithTotals = ({ page, totals }: DonationPageWithTotals, { deps }: { deps: Deps }) => ({
  ...presentDonationPage(page, deps.settings.publicBaseUrl),
  totals: presentDonationTotals(totals),
});
