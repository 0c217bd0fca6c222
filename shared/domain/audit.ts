/**
 * The audit trail: one append-only event per change of where money may go (the second factor,
 * withdrawal wallets) and per money-moving action (withdrawals), written in the same transaction
 * as the change it records (DESIGN §8).
 */
import type { Instant } from './time';

/** Who acted: the native API (a project key), the CLI (the admin token), or the gateway itself. */
export type AuditActor = 'api' | 'cli' | 'system';

export type AuditAction =
  | 'second_factor.enrolment_started'
  | 'second_factor.enabled'
  | 'second_factor.locked'
  | 'second_factor.recovery_code_used'
  | 'withdrawal_wallet.added'
  | 'withdrawal_wallet.changed'
  | 'withdrawal_wallet.removed'
  /** Automatic withdrawal rules: the merchant's changes, and each firing (`fired` with its withdrawal, or `skipped` with why). */
  | 'withdrawal_rule.created'
  | 'withdrawal_rule.changed'
  | 'withdrawal_rule.deleted'
  | 'withdrawal_rule.fired'
  | 'withdrawal_rule.skipped'
  /** Withdrawals record their own steps (`withdrawal.requested`, `withdrawal.canceled`, …). */
  | `withdrawal.${string}`
  /** Mass payouts: created, approved, an approval refused. */
  | `payout_batch.${string}`;

/** Flat and small: an event is read in a table, and never holds a secret. */
export type AuditDetails = Readonly<Record<string, string | number | boolean | null>>;

export type AuditEvent = {
  id: string;
  shopId: string;
  at: Instant;
  actor: AuditActor;
  action: AuditAction;
  /** What the event is about: a wallet id, a withdrawal id, or `second_factor`. */
  subject: string;
  details: AuditDetails;
};

/** Events per page of the trail. */
export const AUDIT_EVENTS_PER_PAGE_MAX = 100;
