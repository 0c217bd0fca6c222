/** Native JSON for the postback log, resend and the dead-letter queue. */
import type { PostbackLogView } from '../../app/postbacks';
import type { PostbackEvent } from '../../domain/postbacks';
import type { DeadLetter } from '../../ports';

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

/** A parked job, with its body decoded when it is one of ours. */
export function presentDeadLetter(d: DeadLetter) {
  let job: unknown = null;
  try {
    job = JSON.parse(d.body);
  } catch {
    job = d.body;
  }
  return { message_id: d.messageId, sent_at: d.sentAt === null ? null : iso(d.sentAt), receives: d.receives, job };
}
