/** Native JSON for the postback log and resend (dead letters: shared/api/admin/dead-letters.ts). */
import type { PostbackLogView } from '../../app/postbacks';
import type { PostbackEvent } from '../../domain/postbacks';

const iso = (at: number) => new Date(at).toISOString();

export const presentPostbackEvent = (e: PostbackEvent & { delivered?: boolean }) => ({
  event_id: e.id,
  event: e.kind,
  confirmed_via: e.via ?? '',
  payment: e.paymentKey ?? '',
  ...(e.delivered === undefined ? {} : { delivered: e.delivered }),
});

export const presentPostbackLog = (view: PostbackLogView) => ({
  events: view.events.map(presentPostbackEvent),
  attempts: view.attempts.map((a) => ({
    event_id: a.eventId,
    event: a.kind,
    attempt: a.attempt,
    at: iso(a.at),
    target: a.target,
    outcome: a.outcome,
    http_status: a.httpStatus,
    latency_ms: a.latencyMs,
    response: a.response,
    resend: a.resend,
  })),
});
