/** The admin invoice list (`tollgate invoice list`): a status filter and an offset cursor over the project's invoices, newest first. */
import * as z from 'zod';
import { INVOICE_STATUSES } from '../../domain/invoice/status';

/** Rows per page of `GET /admin/projects/{shopId}/invoices`. */
export const ADMIN_INVOICES_PER_PAGE_MAX = 100;

export const listAdminInvoicesQuery = z.object({
  status: z.enum(INVOICE_STATUSES, { error: `status must be one of ${INVOICE_STATUSES.join(', ')}` }).optional(),
  limit: z.coerce.number().int().min(1, 'limit must be 1 or more').max(ADMIN_INVOICES_PER_PAGE_MAX, `limit must be at most ${ADMIN_INVOICES_PER_PAGE_MAX}`).default(50),
  cursor: z.string().regex(/^\d{1,6}$/, 'cursor must be the next_cursor of an earlier page').transform(Number).optional(),
});
