/**
 * What the merchant is told, derived from the invoice alone (README "Postbacks").
 *
 * The events a merchant gets are a pure function of the invoice's state, so the crediting
 * consumer queues exactly the events a write adds, the sender sends only events the stored
 * invoice really has (a job queued before a write that then lost its race is dropped), and
 * resend re-derives the same events with the same ids.
 */
import { invoiceUuid } from './ids';
import type { Invoice } from './invoice/invoice';
import type { PostbackFormat } from './project';
import type { WithdrawalPostbackJob } from './withdrawal-events';

export type PostbackKind = 'invoice.paid' | 'payment.late' | 'payment.duplicate' | 'payment.reversed' | 'static_wallet.blocked_receipt';

/** How an invoice reached `paid`/`overpaid`. */
export type PaidVia = 'payment' | 'tolerance' | 'manual' | 'test';

export type PostbackEvent = {
  /** Stable across retries and resends: merchants de-duplicate on it. */
  id: string;
  kind: PostbackKind;
  via: PaidVia | null;
  /** The payment a late, duplicate or reversed event is about. */
  paymentKey: string | null;
};

/** `payment.reversed` and `static_wallet.blocked_receipt` have no CryptoCloud status: they go out only as native webhooks. */
export const isCryptoCloudPostback = (kind: PostbackKind): boolean => kind !== 'payment.reversed' && kind !== 'static_wallet.blocked_receipt';

/** Transfer keys hold `#`, which table keys reserve; event ids use `:` instead. */
const eventId = (invoice: Invoice, ...parts: string[]) => [invoiceUuid(invoice.id), ...parts.map((p) => p.replaceAll('#', ':'))].join(':');

function paidVia(invoice: Invoice): PaidVia {
  if (invoice.facts.confirmedWithoutPayment) return 'test';
  if (invoice.facts.confirmedManually) return 'manual';
  if (invoice.facts.confirmedWithinTolerance) return 'tolerance';
  return 'payment';
}

export function postbackEventsOf(invoice: Invoice): PostbackEvent[] {
  const events: PostbackEvent[] = [];
  // An invoice becomes paid or overpaid once; later payments are duplicates, and a reversal
  // keeps the status, so one `success` id per invoice is enough.
  if (invoice.status === 'paid' || invoice.status === 'overpaid') events.push({ id: eventId(invoice, 'success'), kind: 'invoice.paid', via: paidVia(invoice), paymentKey: null });
  // A receipt to a wallet the merchant blocked: credited (the customer's money is the merchant's), and said so on its own.
  const blockedReceipt = invoice.facts.walletBlocked ? invoice.payments.find((p) => p.state === 'credited' || p.state === 'reversed') : undefined;
  if (blockedReceipt) events.push({ id: eventId(invoice, 'blocked'), kind: 'static_wallet.blocked_receipt', via: null, paymentKey: blockedReceipt.key });
  for (const p of invoice.payments) {
    // A reversed payment was credited first: its late/duplicate event stays part of the history.
    if ((p.state === 'credited' || p.state === 'reversed') && (p.classification === 'late' || p.classification === 'duplicate'))
      events.push({ id: eventId(invoice, p.classification, p.key), kind: `payment.${p.classification}`, via: null, paymentKey: p.key });
    if (p.state === 'reversed') events.push({ id: eventId(invoice, 'reversed', p.key), kind: 'payment.reversed', via: null, paymentKey: p.key });
  }
  return events;
}

/** Events `after` has that `before` did not: what a write adds. */
export function newPostbackEvents(before: Invoice | null, after: Invoice): PostbackEvent[] {
  const had = new Set((before ? postbackEventsOf(before) : []).map((e) => e.id));
  return postbackEventsOf(after).filter((e) => !had.has(e.id));
}

/**
 * What a queued postback job carries; the body is built from the invoice at send time.
 * `version` is the invoice version whose write adds the event: jobs are queued just before that
 * write, so a sender that finds an older version waits for it rather than dropping the job.
 */
export type InvoicePostbackJob = { subject?: 'invoice'; eventId: string; invoiceId: string; shopId: string; kind: PostbackKind; version: number; force: boolean };

/**
 * A job names its subject: an invoice (no `subject`, the shape jobs had before withdrawals, so
 * jobs already queued keep working) or a withdrawal (./withdrawal-events.ts). One queue, one sender.
 */
export type PostbackJob = InvoicePostbackJob | WithdrawalPostbackJob;

export const isWithdrawalJob = (job: PostbackJob): job is WithdrawalPostbackJob => job.subject === 'withdrawal';

export const jobOf = (invoice: Invoice, event: PostbackEvent, force = false): InvoicePostbackJob => ({
  eventId: event.id,
  invoiceId: invoice.id,
  shopId: invoice.shopId,
  kind: event.kind,
  version: invoice.version,
  force,
});

/** A job that arrives before its write is retried this often, this many times, then dropped. */
export const UNWRITTEN_RETRY_SECONDS = 1;
export const UNWRITTEN_RETRIES_MAX = 10;

export type RetryPolicy = {
  /** Delivery attempts in all, the first included; the queue's maxReceiveCount matches it. */
  attempts: number;
  firstDelaySeconds: number;
  /** SQS cannot hide a message for longer than 12 hours. */
  maxDelaySeconds: number;
};

/** 16 attempts over about 3 days: 1, 2, 4 … 512 minutes, then every 12 hours. */
export const POSTBACK_RETRY: RetryPolicy = { attempts: 16, firstDelaySeconds: 60, maxDelaySeconds: 12 * 3600 };

/**
 * Seconds to wait after failed attempt `attempt` (1-based): exponential, capped, with ±20 %
 * jitter so a merchant coming back up is not hit by every retry at once. `random` is in [0, 1).
 */
export function retryDelaySeconds(attempt: number, policy: RetryPolicy, random: number): number {
  const base = Math.min(policy.maxDelaySeconds, policy.firstDelaySeconds * 2 ** Math.max(0, attempt - 1));
  return Math.min(policy.maxDelaySeconds, Math.round(base * (0.8 + 0.4 * random)));
}

/** The schedule without jitter, for the README and its test. */
export const retrySchedule = (policy: RetryPolicy): number[] =>
  Array.from({ length: policy.attempts - 1 }, (_, i) => Math.min(policy.maxDelaySeconds, policy.firstDelaySeconds * 2 ** i));

/** The first bytes of an answer are kept with each attempt. */
export const RESPONSE_SNIPPET_BYTES = 1024;
export const POSTBACK_TIMEOUT_MS_DEFAULT = 10_000;
/** JWT lifetime: CryptoCloud's tokens are valid for 5 minutes. */
export const POSTBACK_TOKEN_TTL_SECONDS = 300;
/** After `key rotate --secret`, the old secret still signs the native header this long. */
export const SECRET_GRACE_MS_DEFAULT = 24 * 3600 * 1000;

/**
 * `Tollgate-Signature: t=<unix seconds>,v1=<hex>[,v1=<hex>]`: HMAC-SHA256 over `<t>.<raw body>`
 * with each secret that is valid now (the new one first, the old one during the grace period).
 */
export const signedPayload = (unixSeconds: number, body: string) => `${unixSeconds}.${body}`;
export const signatureHeader = (unixSeconds: number, signatures: string[]) => [`t=${unixSeconds}`, ...signatures.map((s) => `v1=${s}`)].join(',');

export function parseSignatureHeader(header: string): { t: number; signatures: string[] } | null {
  const parts = header.split(',').map((p) => p.trim().split('='));
  const t = Number(parts.find(([k]) => k === 't')?.[1]);
  const signatures = parts.filter(([k, v]) => k === 'v1' && v).map(([, v]) => v);
  return Number.isInteger(t) && signatures.length > 0 ? { t, signatures } : null;
}

/** The wire fields of a postback but `token` (shared/api/cryptocloud/postback.ts builds them). */
export type PostbackFields = Record<string, unknown> & { invoice_id: string };

export type EncodedPostback = { contentType: string; body: string };

/**
 * Form mode sends every field as text and `invoice_info` (and `payment`) as one JSON string
 * (reference §8). Native events (`payment.reversed`) are always JSON: they are Tollgate's own.
 */
export function encodePostback(fields: PostbackFields, token: string, format: PostbackFormat, event: PostbackEvent): EncodedPostback {
  const all = { ...fields, token };
  if (format === 'json' || !isCryptoCloudPostback(event.kind)) return { contentType: 'application/json', body: JSON.stringify(all) };
  const form = new URLSearchParams();
  for (const [k, v] of Object.entries(all)) form.append(k, typeof v === 'object' && v !== null ? JSON.stringify(v) : String(v));
  return { contentType: 'application/x-www-form-urlencoded', body: form.toString() };
}
