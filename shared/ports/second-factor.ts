/** The second factor, withdrawal wallets and the audit trail: what the use cases need (adapters in shared/adapters). */

import type { AuditEvent } from '../domain/audit';
import type { SecondFactor } from '../domain/second-factor';
import type { Instant } from '../domain/time';
import type { WithdrawalWallet } from '../domain/withdrawal-wallet';

/**
 * TOTP (otplib 13) and recovery codes. The time is always passed in: the engine never reads a
 * clock, so a test's clock moves codes, steps and locks together.
 */
export interface TotpEngine {
  /** A new base32 secret (160 bits). */
  newSecret(): string;
  /** The `otpauth://totp/...` URI an authenticator app scans. */
  otpauthUri(input: { issuer: string; account: string; secret: string }): string;
  /**
   * Whether `token` is the code of a step around `at` (± the tolerance), later than
   * `afterTimeStep` when given; `timeStep` is the step it matched.
   */
  verify(input: { secret: string; token: string; at: Instant; afterTimeStep?: number }): Promise<{ valid: true; timeStep: number } | { valid: false }>;
  /** Fresh recovery codes, `xxxxx-xxxxx` (50 random bits each). */
  newRecoveryCodes(count: number): string[];
  /** What is stored of a recovery code. */
  hashRecoveryCode(normalized: string): string;
}

/** A change of the factor to write with another change, in one transaction (conditional on `expectedVersion`; null: it must not exist). */
export type FactorWrite = { factor: SecondFactor; expectedVersion: number | null };

export interface SecondFactorStore {
  get(shopId: string): Promise<SecondFactor | null>;
  /** Writes the factor (conditional on the version read) and the audit events, in one transaction; false when someone else changed it first. */
  save(write: FactorWrite, events: readonly AuditEvent[]): Promise<boolean>;
}

export interface WithdrawalWalletStore {
  get(shopId: string, walletId: string): Promise<WithdrawalWallet | null>;
  /** Every wallet of the project, removed ones included, oldest first (bounded: WITHDRAWAL_WALLETS_PER_PROJECT_MAX). */
  list(shopId: string): Promise<WithdrawalWallet[]>;
  /**
   * Writes the wallet (new when `expectedVersion` is null, else conditional on it), the factor
   * whose fresh code allowed it (conditional on its version: the same code cannot pass twice),
   * and the audit events, in one transaction. False when either changed first.
   */
  write(wallet: WithdrawalWallet, expectedVersion: number | null, factor: FactorWrite, events: readonly AuditEvent[]): Promise<boolean>;
}

export interface AuditLog {
  /** Appends one event on its own (withdrawal steps; changes of factors and wallets write theirs in their own transactions). */
  append(event: AuditEvent): Promise<void>;
  /** A project's events, newest first, `limit` at a time; `next` continues, null at the end. */
  list(shopId: string, limit: number, after: string | null): Promise<{ events: AuditEvent[]; next: string | null }>;
}
