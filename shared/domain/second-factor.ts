/**
 * A project's second factor: a TOTP secret (RFC 6238, 30 s steps) with recovery codes. It guards
 * every change of where money may go (withdrawal wallets) and every withdrawal.
 *
 * The rules, decided here with the clock passed in (the app verifies codes through otplib and
 * hands the outcome over):
 * - A code is accepted once: its time step must be later than the last step used. A replay, or
 *   any code of an earlier step, is refused as `code_already_used`.
 * - Wrong codes in a row lock the factor:
 *
 *     wrong #1..#4 ── counted ──▶ wrong #5 ── locked 15 min ──▶ (expires) ── wrong #6 ── locked 30 min ─▶ …
 *     any accepted code ── resets the count and the lock
 *
 *   While locked, no code is even checked (so the lock cannot be probed), and the refusal names
 *   when it ends. The duration doubles with every further wrong code, up to a day.
 * - Ten recovery codes, shown once at enrolment and stored as hashes, each usable once, wherever
 *   a code is asked for (a lost phone does not strand the funds).
 */
import { HOUR_MS, type Instant, MINUTE_MS } from './time';

/** Wrong codes in a row before the factor locks. */
export const WRONG_CODES_BEFORE_LOCK = 5;
export const FIRST_LOCK_MS = 15 * MINUTE_MS;
export const LOCK_MS_MAX = 24 * HOUR_MS;
export const RECOVERY_CODE_COUNT = 10;
/** A TOTP code's step: 30 s (what every authenticator app uses). */
export const TOTP_STEP_SECONDS = 30;
/** The clock skew allowed between a phone and the server, either way: one step. */
export const TOTP_TOLERANCE_SECONDS = 30;

export type SecondFactorStatus =
  /** Enrolment started: the secret was shown, no code confirmed it yet. Guards nothing; starting again replaces it. Exit: `active` on a confirmed code. */
  | 'pending'
  /** Confirmed: every guarded change needs a fresh code. Exit: none (re-enrolment keeps it active and swaps the secret once the new one is confirmed). */
  | 'active';

export type RecoveryCode = { hash: string; usedAt: Instant | null };

export type SecondFactor = {
  shopId: string;
  status: SecondFactorStatus;
  /** The secret in force (pending: the one being enrolled), sealed with the project secrets key. */
  secretSealed: string;
  /** Re-enrolment of an active factor: the new secret, in force only once a code of it is confirmed. */
  nextSecretSealed: string | null;
  /** The last time step whose code was accepted: that step and every earlier one are spent. */
  lastUsedStep: number | null;
  /** Wrong codes since the last accepted one. */
  failures: number;
  lockedUntil: Instant | null;
  recoveryCodes: RecoveryCode[];
  createdAt: Instant;
  enabledAt: Instant | null;
  version: number;
};

/** Why a code was not accepted (what `requireFreshCode` answers besides ok). */
export type CodeRefusal =
  | { kind: 'second_factor_required' }
  | { kind: 'invalid_code'; attemptsLeft: number }
  | { kind: 'code_already_used' }
  | { kind: 'locked'; until: Instant };

/** What a code turned out to be, once checked (the app asks otplib or compares a recovery hash). */
export type CodeCheck =
  | { kind: 'totp'; step: number }
  | { kind: 'totp_spent' }
  | { kind: 'recovery'; index: number }
  | { kind: 'recovery_spent' }
  | { kind: 'wrong' };

/** What the text someone typed can be: six digits, a recovery code, or neither. */
export type CodeShape = 'totp' | 'recovery' | 'malformed';

/** Recovery codes read `xxxxx-xxxxx` (base32, lower case): never mistaken for six digits. */
const RECOVERY_SHAPE = /^[a-z2-7]{5}-[a-z2-7]{5}$/;

/** Spaces and case are forgiven: people copy codes from apps and paper. */
export function normalizeCode(text: string): string {
  return text.replace(/\s+/g, '').toLowerCase();
}

export function codeShape(normalized: string): CodeShape {
  if (/^\d{6}$/.test(normalized)) return 'totp';
  return RECOVERY_SHAPE.test(normalized) ? 'recovery' : 'malformed';
}

/** The lock in force at `now`, if any. */
export function lockedUntil(factor: SecondFactor, now: Instant): Instant | null {
  return factor.lockedUntil !== null && factor.lockedUntil > now ? factor.lockedUntil : null;
}

/** How long the `failures`-th wrong code in a row locks the factor (0: not yet). */
export function lockDurationMs(failures: number): number {
  if (failures < WRONG_CODES_BEFORE_LOCK) return 0;
  const doublings = Math.min(failures - WRONG_CODES_BEFORE_LOCK, 20);
  return Math.min(FIRST_LOCK_MS * 2 ** doublings, LOCK_MS_MAX);
}

/** A spent step: the last one used or any earlier one. */
export const isSpentStep = (factor: SecondFactor, step: number): boolean => factor.lastUsedStep !== null && step <= factor.lastUsedStep;

/** The outcome of a checked code: the factor to write (null: nothing changes) and the answer. */
export type CodeDecision =
  | { accepted: true; next: SecondFactor; via: 'totp' | 'recovery' }
  | { accepted: false; next: SecondFactor | null; refusal: CodeRefusal; lockedNow: boolean };

/**
 * Decides a checked code (the caller has already refused a locked factor). A spent code is
 * refused without counting as a guess: it was right once, so it tells an attacker nothing.
 */
export function decideCode(factor: SecondFactor, check: CodeCheck, now: Instant): CodeDecision {
  const reset = { failures: 0, lockedUntil: null, version: factor.version + 1 };
  switch (check.kind) {
    case 'totp':
      return { accepted: true, via: 'totp', next: { ...factor, ...reset, lastUsedStep: Math.max(check.step, factor.lastUsedStep ?? check.step) } };
    case 'recovery':
      return {
        accepted: true,
        via: 'recovery',
        next: { ...factor, ...reset, recoveryCodes: factor.recoveryCodes.map((c, i) => (i === check.index ? { ...c, usedAt: now } : c)) },
      };
    case 'totp_spent':
    case 'recovery_spent':
      return { accepted: false, next: null, refusal: { kind: 'code_already_used' }, lockedNow: false };
    case 'wrong': {
      const failures = factor.failures + 1;
      const lockMs = lockDurationMs(failures);
      const next = { ...factor, failures, lockedUntil: lockMs > 0 ? now + lockMs : factor.lockedUntil, version: factor.version + 1 };
      const refusal: CodeRefusal = lockMs > 0 ? { kind: 'locked', until: now + lockMs } : { kind: 'invalid_code', attemptsLeft: WRONG_CODES_BEFORE_LOCK - failures };
      return { accepted: false, next, refusal, lockedNow: lockMs > 0 };
    }
  }
}

/** A new enrolment (or a restarted one): pending, nothing used, nothing counted. */
export function pendingFactor(shopId: string, secretSealed: string, now: Instant, previousVersion: number): SecondFactor {
  return { shopId, status: 'pending', secretSealed, nextSecretSealed: null, lastUsedStep: null, failures: 0, lockedUntil: null, recoveryCodes: [], createdAt: now, enabledAt: null, version: previousVersion + 1 };
}

/** The secret a confirmation code must come from: the new one during a re-enrolment. */
export const secretToConfirm = (factor: SecondFactor): string => factor.nextSecretSealed ?? factor.secretSealed;

/**
 * A confirmed enrolment: the confirmed secret is in force, its step spent, fresh recovery codes
 * replace any old ones (the old paper is void), the count and lock are cleared.
 */
export function confirmedFactor(factor: SecondFactor, step: number, recoveryHashes: readonly string[], now: Instant): SecondFactor {
  return {
    ...factor,
    status: 'active',
    secretSealed: secretToConfirm(factor),
    nextSecretSealed: null,
    lastUsedStep: step,
    failures: 0,
    lockedUntil: null,
    recoveryCodes: recoveryHashes.map((hash) => ({ hash, usedAt: null })),
    enabledAt: now,
    version: factor.version + 1,
  };
}

export const recoveryCodesLeft = (factor: SecondFactor): number => factor.recoveryCodes.filter((c) => c.usedAt === null).length;
