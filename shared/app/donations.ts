/**
 * Donation pages: the merchant's side (create, list, show with totals, update) and the donor's
 * (the page, and a donation: an invoice through the normal create path, marked as the page's).
 */
import { checkDonation, type DonationPage, type DonationPatch, type DonationTotals, donationOrderId, donationTotals, isDonationSlug, newDonationPage, applyDonationPatch } from '../domain/donation';
import type { Invoice } from '../domain/invoice/invoice';
import type { Project } from '../domain/project';
import { err, ok, type Result } from '../domain/result';
import type { Instant } from '../domain/time';
import type { Deps } from '../ports';
import { createInvoice, ownInvoiceCommand } from './create-invoice';
import type { AppError } from './errors';

/** Pages per list call. */
export const DONATION_PAGES_PER_LIST_MAX = 100;
/**
 * Donation invoices a totals read looks at, newest first. The cost of one `show`: one GetItem of
 * the page, one Query of the page's invoice records (~100 B each, so one page of reads for all
 * of them), and one BatchGetItem per 100 invoices (an invoice item is 2-4 KB: ~1 RCU each,
 * strongly consistent). At this cap: 10 BatchGets, about 1,000 RCUs. Beyond it the totals say
 * `complete: false` (a page that big wants a materialized total kept by crediting).
 */
export const DONATION_TOTALS_INVOICES_MAX = 1000;

export type DonationPageWithTotals = { page: DonationPage; totals: DonationTotals & { complete: boolean } };

const notFound = (slug: string): AppError => ({ kind: 'donation.not_found', slug });

/** The page if it belongs to this project; another project's page is "not found", so its existence is never revealed. */
async function ownPage(deps: Deps, shopId: string, slug: string): Promise<Result<DonationPage, AppError>> {
  const page = isDonationSlug(slug) ? await deps.donations.get(slug) : null;
  return page && page.shopId === shopId ? ok(page) : err(notFound(slug));
}

export async function createDonationPage(deps: Deps, input: { shopId: string; slug: string; patch: DonationPatch; now: Instant }): Promise<Result<DonationPage, AppError>> {
  const page = newDonationPage(input);
  if (!page.ok) return err({ kind: 'donation.invalid', errors: page.error });
  if (!(await deps.donations.create(page.value))) return err({ kind: 'donation.slug_taken', slug: input.slug });
  deps.log.info('donation.page_created', { shopId: input.shopId, slug: input.slug });
  return ok(page.value);
}

export async function updateDonationPage(deps: Deps, input: { shopId: string; slug: string; patch: DonationPatch }): Promise<Result<DonationPage, AppError>> {
  const current = await ownPage(deps, input.shopId, input.slug);
  if (!current.ok) return current;
  const next = applyDonationPatch(current.value, input.patch);
  if (!next.ok) return err({ kind: 'donation.invalid', errors: next.error });
  if (!(await deps.donations.save(next.value, current.value.version))) throw new Error(`donation page ${input.slug} changed while being updated; retry`);
  deps.log.info('donation.page_updated', { shopId: input.shopId, slug: input.slug, fields: Object.keys(input.patch) });
  return ok(next.value);
}

export async function listDonationPages(deps: Deps, input: { shopId: string; limit: number; after: string | null }) {
  return ok(await deps.donations.listByProject(input.shopId, Math.min(Math.max(input.limit, 1), DONATION_PAGES_PER_LIST_MAX), input.after));
}

/** The page with its totals, computed from its donation invoices (see DONATION_TOTALS_INVOICES_MAX for the cost). */
export async function showDonationPage(deps: Deps, input: { shopId: string; slug: string }): Promise<Result<DonationPageWithTotals, AppError>> {
  const page = await ownPage(deps, input.shopId, input.slug);
  if (!page.ok) return page;
  const { ids, more } = await deps.donations.invoiceIds(input.slug, DONATION_TOTALS_INVOICES_MAX);
  const invoices = await deps.invoices.getMany(ids);
  return ok({ page: page.value, totals: { ...donationTotals(invoices), complete: !more } });
}

/** What the public page shows: the page and its project's name, logo and support contact. */
export async function donationPageView(deps: Deps, slug: string): Promise<Result<{ page: DonationPage; project: Project }, AppError>> {
  const page = isDonationSlug(slug) ? await deps.donations.get(slug) : null;
  const project = page ? await deps.projects.get(page.shopId) : null;
  return page && project ? ok({ page, project }) : err(notFound(slug));
}

/**
 * A donor's gift: checked against the page (enabled, amount within min..max), numbered, then an
 * invoice through the normal create path with `order_id` `donation:<slug>:<n>`, the page's
 * currencies, and the donation mark (which the invoice store records under the page). The donor
 * picks the crypto on the payment page.
 */
export async function donate(deps: Deps, input: { slug: string; amount: string; name: string | null; message: string | null; now: Instant }): Promise<Result<Invoice, AppError>> {
  const view = await donationPageView(deps, input.slug);
  if (!view.ok) return view;
  const { page, project } = view.value;
  if (!page.enabled) return err({ kind: 'donation.closed', slug: page.slug });
  const checked = checkDonation(page, input);
  if (!checked.ok) return err({ kind: 'donation.rejected', errors: checked.error });
  const n = await deps.donations.nextDonationNumber(page.slug);
  if (n === null) return err({ kind: 'donation.closed', slug: page.slug });
  return createInvoice(
    deps,
    ownInvoiceCommand({
      project,
      amount: checked.value.amount,
      fiat: page.fiat,
      orderId: donationOrderId(page.slug, n),
      description: page.title,
      availableCurrencies: page.currencies.length > 0 ? page.currencies : null,
      donation: checked.value.mark,
      now: input.now,
    }),
  );
}

export const DEMO_DONATION_SLUG = 'demo';

/** The local demo's donation page (`/donate/demo`), made once for the demo project; kept as it is afterwards. */
export async function ensureDemoDonation(deps: Deps, shopId: string, now: Instant): Promise<DonationPage> {
  const existing = await deps.donations.get(DEMO_DONATION_SLUG);
  if (existing) return existing;
  const made = await createDonationPage(deps, {
    shopId,
    slug: DEMO_DONATION_SLUG,
    now,
    patch: {
      title: 'Support the demo shop',
      description: 'A test donation page of the local gateway. Pick an amount, then pay it from the test wallet on the payment page.',
      presets: ['5', '10', '25'],
      min: '1',
      max: '500',
    },
  });
  if (made.ok) return made.value;
  const raced = await deps.donations.get(DEMO_DONATION_SLUG);
  if (raced) return raced;
  throw new Error(`could not create the demo donation page: ${JSON.stringify(made.error)}`);
}
