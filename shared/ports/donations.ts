/** The store of donation pages and of the donation invoices recorded under each. */

import type { DonationPage } from '../domain/donation';
import type { InvoiceId } from '../domain/ids';

export interface DonationStore {
  /** False when the slug is taken (by any project). */
  create(page: DonationPage): Promise<boolean>;
  get(slug: string): Promise<DonationPage | null>;
  /** Conditional on the version the caller read; false when someone else changed it first. */
  save(page: DonationPage, expectedVersion: number): Promise<boolean>;
  /** A project's pages, oldest first, `limit` at a time; `next` continues, null at the end. */
  listByProject(shopId: string, limit: number, after: string | null): Promise<{ pages: DonationPage[]; next: string | null }>;
  /**
   * Numbers the next donation of an enabled page (1, 2, ...), for its `order_id`; null when the
   * page is missing or switched off by the time of the write.
   */
  nextDonationNumber(slug: string): Promise<number | null>;
  /** The ids of the page's donation invoices, newest first, at most `limit`; `more` when some were left out. */
  invoiceIds(slug: string, limit: number): Promise<{ ids: InvoiceId[]; more: boolean }>;
}
