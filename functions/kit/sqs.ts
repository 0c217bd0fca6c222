/**
 * The SQS consumer pipeline: each record is parsed and handled on its own, failures are
 * reported per record (`batchItemFailures`) so one bad message neither blocks nor repeats the
 * others. A message that keeps failing reaches the DLQ after the queue's maxReceiveCount.
 *
 * A handler may also ask for a later retry (`{ retryAfterSeconds }`): the message is hidden for
 * that long and reported failed, which is how postbacks back off for days without a scheduler.
 */
import middy from '@middy/core';
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import type { QueueId } from '../../lib/manifest';
import type { Deps } from '../../shared/ports';
import { RetryLater } from '../../shared/app/work-queues';
import { runtime } from './deps';

export type Retry = { retryAfterSeconds: number };
export type RecordContext = { receives: number };

export function consumer<M>(
  queue: QueueId,
  parse: (body: unknown) => M,
  handle: (deps: Deps, message: M, context: RecordContext) => Promise<void> | Promise<Retry | undefined>,
  options: { concurrent?: boolean } = {},
) {
  return middy<SQSEvent, SQSBatchResponse>().handler(async (event) => {
    const { deps } = runtime();
    const log = deps.log.child({ queue });
    const one = async (record: SQSRecord): Promise<boolean> => {
      const receives = Number(record.attributes?.ApproximateReceiveCount ?? '1');
      try {
        const out = await handle(deps, parse(JSON.parse(record.body)), { receives });
        if (!out) return true;
        await deps.queue.retryAfter(queue, record.receiptHandle, out.retryAfterSeconds);
        return false;
      } catch (e) {
        if (e instanceof RetryLater) {
          const seconds = e.delayAfter(receives);
          log.warn('queue.message_retry_later', { messageId: record.messageId, receives, afterSeconds: seconds, reason: e.message });
          await deps.queue.retryAfter(queue, record.receiptHandle, seconds);
          return false;
        }
        log.error('queue.message_failed', { messageId: record.messageId, receives, error: e instanceof Error ? e.message : String(e), stack: e instanceof Error ? e.stack : undefined });
        return false;
      }
    };
    const results = options.concurrent ? await Promise.all(event.Records.map(one)) : await sequentially(event.Records, one);
    return { batchItemFailures: event.Records.filter((_, i) => !results[i]).map((r) => ({ itemIdentifier: r.messageId })) };
  });
}

async function sequentially<T, R>(items: T[], f: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = [];
  for (const item of items) out.push(await f(item));
  return out;
}
