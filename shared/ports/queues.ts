/** The SQS queues and their dead-letter queues. */

import type { Instant } from '../domain/time';

export type QueueName = 'postbacks' | 'observations';

export interface Queue {
  send(queue: QueueName, message: { id: string; body: unknown }): Promise<void>;
  /** Sends many (SQS batches of 10); resolves when all are accepted. */
  sendMany(queue: QueueName, messages: { id: string; body: unknown }[]): Promise<void>;
  /** Hides a received message for `seconds` before it is delivered again (a retry's backoff). */
  retryAfter(queue: QueueName, receiptHandle: string, seconds: number): Promise<void>;
}

/** A message parked in a queue's dead-letter queue. */
export type DeadLetter = { messageId: string; body: string; sentAt: Instant | null; receives: number };

export interface DeadLetters {
  /** Up to `max` parked messages, left in place. */
  list(queue: QueueName, max: number): Promise<DeadLetter[]>;
  /** Moves up to `max` parked messages back to the queue (each starts its attempts afresh). */
  redrive(queue: QueueName, max: number): Promise<number>;
}
