/**
 * The SQS consumer pipeline: each record is parsed and handled on its own, failures are
 * reported per record (`batchItemFailures`) so one bad message neither blocks nor repeats the
 * others. A message that keeps failing reaches the DLQ after the queue's maxReceiveCount.
 */
import middy from '@middy/core';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import type { QueueId } from '../../lib/manifest';
import type { Deps } from '../../shared/ports';
import { runtime } from './deps';

export function consumer<M>(queue: QueueId, parse: (body: unknown) => M, handle: (deps: Deps, message: M) => Promise<void>) {
  return middy<SQSEvent, SQSBatchResponse>().handler(async (event) => {
    const { deps } = runtime();
    const log = deps.log.child({ queue });
    const failures: SQSBatchResponse['batchItemFailures'] = [];
    for (const record of event.Records) {
      const receives = Number(record.attributes?.ApproximateReceiveCount ?? '1');
      try {
        await handle(deps, parse(JSON.parse(record.body)));
      } catch (e) {
        failures.push({ itemIdentifier: record.messageId });
        log.error('queue.message_failed', { messageId: record.messageId, receives, error: e instanceof Error ? e.message : String(e), stack: e instanceof Error ? e.stack : undefined });
      }
    }
    return { batchItemFailures: failures };
  });
}
