/**
 * Withdrawal wallets, the second factor and the audit trail on the native wire
 * (`/api/withdrawal-wallets`, `/api/audit`, `/admin/projects/{shopId}/...`): snake_case, times
 * in ISO 8601. Every change carries `totp_code`: a fresh code of the project's authenticator, or
 * one of its recovery codes.
 */
import * as z from 'zod';
import type { AuditEvent } from '../../domain/audit';
import { CHAINS, findCrypto } from '../../domain/currencies';
import { isoTime, type Instant } from '../../domain/time';
import type { WithdrawalWallet } from '../../domain/withdrawal-wallet';

/** Longer than any code or recovery code; anything longer is not one. */
const CODE_LENGTH_MAX = 32;
const ADDRESS_LENGTH_MAX = 128;
/** Labels are checked by the use case (shared/domain/withdrawal-wallet.ts); this only bounds the read. */
const LABEL_LENGTH_MAX = 256;
const CURSOR_LENGTH_MAX = 400;
export const AUDIT_PER_PAGE_DEFAULT = 50;

const totpCode = z
  .string({ error: 'totp_code is required: a fresh code of the project\'s authenticator app (or a recovery code).' })
  .trim()
  .min(1, 'totp_code is required: a fresh code of the project\'s authenticator app (or a recovery code).')
  .max(CODE_LENGTH_MAX, 'totp_code is not a code: send the 6 digits of the authenticator app, or a recovery code.');

const text = (field: string, max: number) => z.string({ error: `${field} must be text.` }).max(max, `${field} is longer than ${max} characters.`);

export const AddWithdrawalWalletRequest = z.object({
  currency: z.string({ error: 'currency is required: the code the wallet receives, such as USDT_TRC20.' }).max(40, 'currency is not a currency code.'),
  address: z.string({ error: 'address is required.' }).max(ADDRESS_LENGTH_MAX, `address is longer than ${ADDRESS_LENGTH_MAX} characters.`),
  label: text('label', LABEL_LENGTH_MAX).optional().default(''),
  totp_code: totpCode,
});

export const ChangeWithdrawalWalletRequest = z.object({
  address: text('address', ADDRESS_LENGTH_MAX).optional().transform((v) => v ?? null),
  label: text('label', LABEL_LENGTH_MAX).optional().transform((v) => v ?? null),
  totp_code: totpCode,
});

export const RemoveWithdrawalWalletRequest = z.object({ totp_code: totpCode });

/** `?removed=true` lists removed wallets too. */
export const ListWithdrawalWalletsQuery = z.object({ removed: z.enum(['true', 'false'], { error: 'removed must be true or false.' }).optional().transform((v) => v === 'true') });

/** Starting an enrolment: a code of the current factor when one is active. */
export const StartSecondFactorRequest = z.object({ totp_code: totpCode.optional().transform((v) => v ?? null) });
export const ConfirmSecondFactorRequest = z.object({ totp_code: totpCode });

export const AuditQuery = (limitMax: number) =>
  z.object({
    limit: z.coerce
      .number({ error: `limit must be a whole number from 1 to ${limitMax}.` })
      .int(`limit must be a whole number from 1 to ${limitMax}.`)
      .min(1, `limit must be a whole number from 1 to ${limitMax}.`)
      .max(limitMax, `limit must be a whole number from 1 to ${limitMax}.`)
      .optional()
      .default(AUDIT_PER_PAGE_DEFAULT),
    cursor: z
      .string()
      .max(CURSOR_LENGTH_MAX, 'cursor must be the next_cursor of the previous page.')
      .regex(/^[A-Za-z0-9_-]*$/, 'cursor must be the next_cursor of the previous page.')
      .optional()
      .transform((v) => (v === undefined || v === '' ? null : v)),
  });

/** `usable`: whether it may receive a withdrawal at `now` (false while cooling off, and once removed). */
export const presentWithdrawalWallet = (w: WithdrawalWallet, now: Instant) => {
  const chain = findCrypto(w.code)?.chain;
  return {
    id: w.id,
    shop_id: w.shopId,
    currency: w.code,
    network: chain ? CHAINS[chain].network.code : null,
    address: w.address,
    label: w.label,
    created: isoTime(w.createdAt),
    usable_from: isoTime(w.usableFrom),
    usable: w.removedAt === null && now >= w.usableFrom,
    removed_at: w.removedAt === null ? null : isoTime(w.removedAt),
  };
};

export const presentWithdrawalWallets = (wallets: WithdrawalWallet[], now: Instant) => ({ withdrawal_wallets: wallets.map((w) => presentWithdrawalWallet(w, now)) });

export const presentAuditEvent = (e: AuditEvent) => ({ id: e.id, at: isoTime(e.at), actor: e.actor, action: e.action, subject: e.subject, details: e.details });

export const presentAuditPage = (page: { events: AuditEvent[]; next: string | null }) => ({ events: page.events.map(presentAuditEvent), next_cursor: page.next });

/** An enrolment's start: the secret and its URI, shown once (the CLI draws the URI as a QR code). */
export const presentEnrolmentStart = (s: { secret: string; otpauthUri: string; reenrolment: boolean }) => ({
  secret: s.secret,
  otpauth_uri: s.otpauthUri,
  reenrolment: s.reenrolment,
  next: 'Scan the URI (or type the secret) into an authenticator app, then confirm with its current code.',
});

export const presentEnrolmentConfirmed = (c: { recoveryCodes: string[]; enabledAt: Instant; reenrolment: boolean }) => ({
  status: 'active',
  enabled_at: isoTime(c.enabledAt),
  reenrolment: c.reenrolment,
  recovery_codes: c.recoveryCodes,
  note: 'Recovery codes are shown once: store them offline. Each works once, wherever a code is asked for.',
});

export const presentSecondFactorStatus = (s: { status: string; enabledAt: Instant | null; reenrolmentPending: boolean; recoveryCodesLeft: number; lockedUntil: Instant | null }) => ({
  status: s.status,
  enabled_at: s.enabledAt === null ? null : isoTime(s.enabledAt),
  reenrolment_pending: s.reenrolmentPending,
  recovery_codes_left: s.recoveryCodesLeft,
  locked_until: s.lockedUntil === null ? null : isoTime(s.lockedUntil),
});
