/**
 * A project's second factor: enrolment (start, confirm with a first code), its status, and the
 * fresh code every guarded change needs. Codes are checked with the TotpEngine port (otplib) at
 * the request's instant; the rules (replay, lockout, recovery codes) are the domain's
 * (shared/domain/second-factor.ts). Each change of the factor is written conditional on the
 * version read, with its audit events in the same transaction; a lost race is read again.
 */
import type { AuditActor, AuditEvent } from '../domain/audit';
import type { Project } from '../domain/project';
import { err, ok, type Result } from '../domain/result';
import {
  type CodeCheck,
  type CodeRefusal,
  codeShape,
  confirmedFactor,
  decideCode,
  lockedUntil,
  normalizeCode,
  pendingFactor,
  RECOVERY_CODE_COUNT,
  recoveryCodesLeft,
  type SecondFactor,
  secretToConfirm,
} from '../domain/second-factor';
import type { Instant } from '../domain/time';
import type { Deps, FactorWrite } from '../ports';
import { auditEvent } from './audit';
import type { AppError } from './errors';

/** The issuer an authenticator app shows beside the code. */
export const TOTP_ISSUER = 'Tollgate';
/** Rereads after losing a conditional write to a concurrent request of the same project. */
const RACE_RETRIES_MAX = 10;
/** The audit subject of factor events. */
const SUBJECT = 'second_factor';

/** A refusal as the API renders it. */
export const refusedBySecondFactor = (refusal: CodeRefusal): AppError => ({ kind: 'second_factor.refused', refusal });

/** A fresh code, accepted but not yet written: the caller writes `write` and `events` with its own change, in one transaction. */
export type SpentCode = { write: FactorWrite; events: AuditEvent[]; via: 'totp' | 'recovery' };

/** What a caller's commit answers: its result, or that a concurrent writer won (the code is then checked again). */
export type CommitOutcome<T> = Result<T, AppError> | 'conflict';

async function checkCode(deps: Deps, factor: SecondFactor, code: string, now: Instant): Promise<CodeCheck> {
  const normalized = normalizeCode(code);
  const shape = codeShape(normalized);
  if (shape === 'recovery') {
    const hash = deps.totp.hashRecoveryCode(normalized);
    const index = factor.recoveryCodes.findIndex((c) => c.hash === hash);
    if (index < 0) return { kind: 'wrong' };
    return factor.recoveryCodes[index].usedAt === null ? { kind: 'recovery', index } : { kind: 'recovery_spent' };
  }
  if (shape !== 'totp') return { kind: 'wrong' };
  const secret = await deps.cipher.decrypt(factor.secretSealed);
  const afterTimeStep = factor.lastUsedStep ?? undefined;
  const fresh = await deps.totp.verify({ secret, token: normalized, at: now, afterTimeStep });
  if (fresh.valid) return { kind: 'totp', step: fresh.timeStep };
  if (afterTimeStep === undefined) return { kind: 'wrong' };
  // Right but spent (a replay, or a step at or before the last one used): refused, not counted as a guess.
  const any = await deps.totp.verify({ secret, token: normalized, at: now });
  return any.valid ? { kind: 'totp_spent' } : { kind: 'wrong' };
}

/** Records a refused guess (and the lock it may start); false when a concurrent change came first. */
async function recordRefusal(deps: Deps, factor: SecondFactor, next: SecondFactor, lockedNow: boolean, actor: AuditActor, now: Instant): Promise<boolean> {
  const events = lockedNow ? [auditEvent(deps, { shopId: factor.shopId, at: now, actor, action: 'second_factor.locked', subject: SUBJECT, details: { until: next.lockedUntil, failures: next.failures } })] : [];
  const saved = await deps.secondFactors.save({ factor: next, expectedVersion: factor.version }, events);
  if (saved && lockedNow) deps.log.warn('second_factor.locked', { shopId: factor.shopId, until: next.lockedUntil, failures: next.failures });
  return saved;
}

/**
 * Spends a fresh code of the project's active factor and lets `commit` write it with its own
 * change, in one transaction: if the change is not written, the code is not spent; if two
 * requests race with one code, one commit wins and the other is told the code was used.
 * Wrong codes are counted (and lock the factor) whether or not anything else is written.
 */
export async function withFreshCode<T>(
  deps: Deps,
  input: { shopId: string; code: string; now: Instant; actor: AuditActor },
  commit: (spent: SpentCode) => Promise<CommitOutcome<T>>,
): Promise<Result<T, AppError>> {
  const { shopId, now, actor } = input;
  for (let attempt = 0; attempt < RACE_RETRIES_MAX; attempt += 1) {
    const factor = await deps.secondFactors.get(shopId);
    if (factor?.status !== 'active') return err(refusedBySecondFactor({ kind: 'second_factor_required' }));
    // Locked: the code is not even checked, so a lock cannot be used to test guesses.
    const until = lockedUntil(factor, now);
    if (until !== null) return err(refusedBySecondFactor({ kind: 'locked', until }));
    const decision = decideCode(factor, await checkCode(deps, factor, input.code, now), now);
    if (!decision.accepted) {
      if (decision.next === null || (await recordRefusal(deps, factor, decision.next, decision.lockedNow, actor, now))) return err(refusedBySecondFactor(decision.refusal));
      continue;
    }
    const events =
      decision.via === 'recovery'
        ? [auditEvent(deps, { shopId, at: now, actor, action: 'second_factor.recovery_code_used', subject: SUBJECT, details: { recovery_codes_left: recoveryCodesLeft(decision.next) } })]
        : [];
    const outcome = await commit({ write: { factor: decision.next, expectedVersion: factor.version }, events, via: decision.via });
    if (outcome !== 'conflict') return outcome;
  }
  throw new Error(`the second factor of ${shopId} kept changing while a code was checked; retry`);
}

/**
 * For the withdrawal integrator: spends a fresh code of the project's factor on its own write.
 * ok, or a typed refusal: `second_factor_required` (not enrolled), `invalid_code`,
 * `code_already_used`, `locked` (with `until`).
 */
export async function requireFreshCode(deps: Deps, shopId: string, code: string, now: Instant, actor: AuditActor = 'api'): Promise<Result<{ via: 'totp' | 'recovery' }, CodeRefusal>> {
  const out = await withFreshCode(deps, { shopId, code, now, actor }, async (spent) => ((await deps.secondFactors.save(spent.write, spent.events)) ? ok({ via: spent.via }) : 'conflict'));
  if (out.ok) return out;
  if (out.error.kind === 'second_factor.refused') return err(out.error.refusal);
  throw new Error(`invariant: a code check refused with ${out.error.kind}`);
}

export type EnrolmentStart = { secret: string; otpauthUri: string; reenrolment: boolean };

/**
 * Starts an enrolment: a new secret, shown once with its otpauth URI, in force only once a code
 * of it is confirmed. An active factor keeps guarding until then, and starting over needs a
 * fresh code of it (a stolen API key alone cannot swap the factor).
 */
export async function startEnrolment(deps: Deps, project: Project, input: { code: string | null; now: Instant; actor: AuditActor }): Promise<Result<EnrolmentStart, AppError>> {
  const { shopId } = project;
  const secret = deps.totp.newSecret();
  const sealed = await deps.cipher.encrypt(secret);
  const otpauthUri = deps.totp.otpauthUri({ issuer: TOTP_ISSUER, account: `${project.settings.name} (${shopId})`, secret });
  const started = (reenrolment: boolean) => auditEvent(deps, { shopId, at: input.now, actor: input.actor, action: 'second_factor.enrolment_started', subject: SUBJECT, details: { reenrolment } });
  for (let attempt = 0; attempt < RACE_RETRIES_MAX; attempt += 1) {
    const current = await deps.secondFactors.get(shopId);
    if (current?.status === 'active') {
      if (input.code === null) return err({ kind: 'second_factor.code_missing' });
      return withFreshCode(deps, { shopId, code: input.code, now: input.now, actor: input.actor }, async (spent) => {
        const write = { ...spent.write, factor: { ...spent.write.factor, nextSecretSealed: sealed } };
        return (await deps.secondFactors.save(write, [...spent.events, started(true)])) ? ok({ secret, otpauthUri, reenrolment: true }) : 'conflict';
      });
    }
    const next = pendingFactor(shopId, sealed, input.now, current?.version ?? 0);
    if (await deps.secondFactors.save({ factor: next, expectedVersion: current?.version ?? null }, [started(false)])) return ok({ secret, otpauthUri, reenrolment: false });
  }
  throw new Error(`the second factor of ${shopId} kept changing while an enrolment started; retry`);
}

/** The recovery codes in the clear: returned once, by the confirmation that made them. */
export type EnrolmentConfirmed = { recoveryCodes: string[]; enabledAt: Instant; reenrolment: boolean };

/** Confirms the started enrolment with a code of its new secret: the factor is active, and ten recovery codes are made. */
export async function confirmEnrolment(deps: Deps, shopId: string, input: { code: string; now: Instant; actor: AuditActor }): Promise<Result<EnrolmentConfirmed, AppError>> {
  const { now, actor } = input;
  for (let attempt = 0; attempt < RACE_RETRIES_MAX; attempt += 1) {
    const factor = await deps.secondFactors.get(shopId);
    if (!factor || (factor.status === 'active' && factor.nextSecretSealed === null)) return err({ kind: 'second_factor.not_started', active: factor !== null });
    const until = lockedUntil(factor, now);
    if (until !== null) return err(refusedBySecondFactor({ kind: 'locked', until }));
    const normalized = normalizeCode(input.code);
    const secret = await deps.cipher.decrypt(secretToConfirm(factor));
    // The new secret has no spent step yet; only a code of it confirms (a recovery code proves nothing about the new phone).
    const checked = codeShape(normalized) === 'totp' ? await deps.totp.verify({ secret, token: normalized, at: now }) : { valid: false as const };
    if (!checked.valid) {
      const decision = decideCode(factor, { kind: 'wrong' }, now);
      if (decision.accepted || decision.next === null) throw new Error('invariant: a wrong code is refused and counted');
      if (await recordRefusal(deps, factor, decision.next, decision.lockedNow, actor, now)) return err(refusedBySecondFactor(decision.refusal));
      continue;
    }
    const recoveryCodes = deps.totp.newRecoveryCodes(RECOVERY_CODE_COUNT);
    const next = confirmedFactor(factor, checked.timeStep, recoveryCodes.map(deps.totp.hashRecoveryCode), now);
    const reenrolment = factor.status === 'active';
    const enabled = auditEvent(deps, { shopId, at: now, actor, action: 'second_factor.enabled', subject: SUBJECT, details: { reenrolment, recovery_codes: RECOVERY_CODE_COUNT } });
    if (await deps.secondFactors.save({ factor: next, expectedVersion: factor.version }, [enabled])) {
      deps.log.info('second_factor.enabled', { shopId, reenrolment });
      return ok({ recoveryCodes, enabledAt: now, reenrolment });
    }
  }
  throw new Error(`the second factor of ${shopId} kept changing while an enrolment was confirmed; retry`);
}

export type SecondFactorState = {
  status: 'none' | 'pending' | 'active';
  enabledAt: Instant | null;
  reenrolmentPending: boolean;
  recoveryCodesLeft: number;
  lockedUntil: Instant | null;
};

export async function secondFactorStatus(deps: Deps, shopId: string, now: Instant): Promise<Result<SecondFactorState, AppError>> {
  const factor = await deps.secondFactors.get(shopId);
  if (!factor) return ok({ status: 'none', enabledAt: null, reenrolmentPending: false, recoveryCodesLeft: 0, lockedUntil: null });
  return ok({
    status: factor.status,
    enabledAt: factor.enabledAt,
    reenrolmentPending: factor.status === 'active' && factor.nextSecretSealed !== null,
    recoveryCodesLeft: recoveryCodesLeft(factor),
    lockedUntil: lockedUntil(factor, now),
  });
}
