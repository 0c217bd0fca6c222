/** The postbacks queue's message contract (crediting, the withdrawal workflow and resend → sender). */
import * as z from 'zod';
import type { PostbackJob } from '../../domain/postbacks';
import { WITHDRAWAL_EVENT_KINDS } from '../../domain/withdrawal-events';

const common = {
  eventId: z.string().min(1).max(300),
  shopId: z.string().min(1).max(64),
  version: z.number().int().nonnegative(),
  force: z.boolean().default(false),
};

/** An invoice's job: no `subject` (the shape of jobs queued before withdrawals existed) or `subject: 'invoice'`. */
const InvoiceJobSchema = z.object({
  subject: z.literal('invoice').optional(),
  invoiceId: z.string().regex(/^[A-Z0-9]{8}$/),
  kind: z.enum(['invoice.paid', 'payment.late', 'payment.duplicate', 'payment.reversed', 'static_wallet.blocked_receipt']),
  ...common,
});

/** A withdrawal's job. The id becomes a key segment (`WITHDRAWAL#<id>`): the characters withdrawal ids use, nothing else. */
const WithdrawalJobSchema = z.object({
  subject: z.literal('withdrawal'),
  withdrawalId: z.string().regex(/^[A-Z0-9-]{1,20}$/),
  kind: z.enum(WITHDRAWAL_EVENT_KINDS),
  ...common,
});

export const PostbackJobSchema = z.union([WithdrawalJobSchema, InvoiceJobSchema]);

export const parsePostbackJob = (body: unknown): PostbackJob => PostbackJobSchema.parse(body);
