/** The postbacks queue's message contract (crediting and resend → sender). */
import * as z from 'zod';
import type { PostbackJob } from '../../domain/postbacks';

export const PostbackJobSchema = z.object({
  eventId: z.string().min(1).max(300),
  invoiceId: z.string().regex(/^[A-Z0-9]{8}$/),
  shopId: z.string().min(1).max(64),
  kind: z.enum(['invoice.paid', 'payment.late', 'payment.duplicate', 'payment.reversed', 'static_wallet.blocked_receipt']),
  version: z.number().int().nonnegative(),
  force: z.boolean().default(false),
});

export const parsePostbackJob = (body: unknown): PostbackJob => PostbackJobSchema.parse(body);
