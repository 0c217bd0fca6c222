/** Delivering postbacks: the attempt log, the outbound transport and the signer. */

import type { InvoiceId } from '../domain/ids';
import type { Instant } from '../domain/time';

/**
 * Whose attempt log: an invoice (its id) or a withdrawal. Each log lives in its subject's own
 * partition, so it is read with the subject and goes where the subject goes.
 */
export type PostbackSubject = InvoiceId | { withdrawalId: string };

/** One try at delivering a postback, as the merchant sees it in the log. */
export type PostbackAttempt = ({ invoiceId: InvoiceId; withdrawalId?: undefined } | { withdrawalId: string; invoiceId?: undefined }) & {
  eventId: string;
  kind: string;
  attempt: number;
  at: Instant;
  /** Origin and path only: a query string may carry the merchant's own secret. */
  target: string;
  outcome: 'delivered' | 'rejected' | 'timeout' | 'unreachable' | 'refused' | 'no_url';
  httpStatus: number | null;
  latencyMs: number;
  /** The first 1 KB of the answer, or why there was none. */
  response: string;
  resend: boolean;
};

export interface PostbackLog {
  record(attempt: PostbackAttempt): Promise<void>;
  /** Oldest first. */
  attemptsOf(subject: PostbackSubject): Promise<PostbackAttempt[]>;
  isDelivered(subject: PostbackSubject, eventId: string): Promise<boolean>;
  markDelivered(subject: PostbackSubject, eventId: string, at: Instant): Promise<void>;
}

export type OutboundRequest = { url: string; body: string; headers: Record<string, string>; timeoutMs: number };

export type OutboundResult =
  | { kind: 'answered'; status: number; latencyMs: number; snippet: string }
  | { kind: 'refused'; reason: string; latencyMs: number }
  | { kind: 'timeout' | 'unreachable'; reason: string; latencyMs: number };

/** POSTs to a merchant's server under the SSRF policy; never throws for the far side's faults. */
export interface PostbackTransport {
  post(request: OutboundRequest): Promise<OutboundResult>;
}

/** HS256 JWTs and HMAC signatures (jose and node:crypto behind it). */
export interface PostbackSigner {
  token(claims: { id: string; exp: number }, secret: string): Promise<string>;
  hmacHex(secret: string, payload: string): string;
}
