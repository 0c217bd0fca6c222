/** The admin view of a queue's dead-letter queue: which queue, and each parked message. */
import * as z from 'zod';
import { isoTime } from '../../domain/time';

/** Queues with a DLQ an operator may list and redrive (the `{queue}` of /admin/queues/{queue}/dlq). */
export const DEAD_LETTER_QUEUES = ['postbacks', 'observations'] as const;
export const deadLetterQueuePathId = z.enum(DEAD_LETTER_QUEUES, { error: `expected one of ${DEAD_LETTER_QUEUES.join(', ')}` });

/** A parked message as the DeadLetters port returns it. */
type Parked = { messageId: string; body: string; sentAt: number | null; receives: number };

/** A parked message, with its body decoded when it is one of ours (a postback job or an observation). */
export function presentDeadLetter(d: Parked) {
  let job: unknown = null;
  try {
    job = JSON.parse(d.body);
  } catch {
    job = d.body;
  }
  return { message_id: d.messageId, sent_at: d.sentAt === null ? null : isoTime(d.sentAt), receives: d.receives, job };
}
