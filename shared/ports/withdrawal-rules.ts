/** Automatic withdrawal rules (issue 14 §2): what the use cases and the evaluator need of the table. */
import type { AuditEvent } from '../domain/audit';
import type { WithdrawalRule } from '../domain/withdrawal-rule';
import type { FactorWrite } from './second-factor';

export interface WithdrawalRuleStore {
  /** The project's rule of `code`, strongly consistent. */
  get(shopId: string, code: string): Promise<WithdrawalRule | null>;
  /** Every rule of the project (at most one per currency), by currency. */
  list(shopId: string): Promise<WithdrawalRule[]>;
  /**
   * A merchant's change: writes the rule (new when `expectedVersion` is null, which also fails
   * when the currency already has a rule; else conditional on it), the factor whose fresh code
   * allowed it, and the audit events, in one transaction. False when any of them changed first.
   */
  write(rule: WithdrawalRule, expectedVersion: number | null, factor: FactorWrite, events: readonly AuditEvent[]): Promise<boolean>;
  /** Deletes the rule (conditional on its version) with the factor's change and the audit events, in one transaction. */
  remove(rule: WithdrawalRule, factor: FactorWrite, events: readonly AuditEvent[]): Promise<boolean>;
  /** The evaluator's change (re-arm, claim, finish): conditional on the version read; false when someone else wrote first. */
  save(rule: WithdrawalRule, expectedVersion: number): Promise<boolean>;
  /** Every enabled rule of the deployment, `limit` per page (an index read: eventually consistent, so a write re-checks the version). */
  enabled(limit: number, after: string | null): Promise<{ rules: WithdrawalRule[]; next: string | null }>;
}
