/** The audit trail: making events (ids from the IdSource) and reading a project's trail, newest first. */
import { AUDIT_EVENTS_PER_PAGE_MAX, type AuditAction, type AuditActor, type AuditDetails, type AuditEvent } from '../domain/audit';
import { ok, type Result } from '../domain/result';
import type { Instant } from '../domain/time';
import type { Deps } from '../ports';
import type { AppError } from './errors';

export type AuditInput = { shopId: string; at: Instant; actor: AuditActor; action: AuditAction; subject: string; details?: AuditDetails };

/** Events per page of the trail (the routes' `limit` bound). */
export const AUDIT_PER_LIST_MAX = AUDIT_EVENTS_PER_PAGE_MAX;

/** A new event, to be written with the change it records. */
export function auditEvent(deps: Pick<Deps, 'ids'>, input: AuditInput): AuditEvent {
  return { id: deps.ids.auditEventId(), shopId: input.shopId, at: input.at, actor: input.actor, action: input.action, subject: input.subject, details: input.details ?? {} };
}

/** Appends an event on its own: for actions whose own write cannot carry it (withdrawal steps). */
export async function recordAudit(deps: Pick<Deps, 'ids' | 'audit'>, input: AuditInput): Promise<AuditEvent> {
  const event = auditEvent(deps, input);
  await deps.audit.append(event);
  return event;
}

/** A page of the project's trail, newest first. */
export async function listAudit(deps: Deps, input: { shopId: string; limit: number; after: string | null }): Promise<Result<{ events: AuditEvent[]; next: string | null }, AppError>> {
  const limit = Math.min(Math.max(Math.trunc(input.limit) || 1, 1), AUDIT_EVENTS_PER_PAGE_MAX);
  return ok(await deps.audit.list(input.shopId, limit, input.after));
}
