/**
 * The Lambda event source mapping, locally: long-poll each queue that has a consumer, hand the
 * batch to the real handler as an SQSEvent, delete what succeeded and leave the
 * `batchItemFailures` to come back after the visibility timeout (and reach the DLQ after
 * maxReceiveCount, which the engine enforces).
 */
import { DeleteMessageBatchCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';

export type SqsHandler = (event: SQSEvent, context: unknown) => Promise<SQSBatchResponse | undefined>;
export type Consumer = { queueUrl: string; queueArn?: string; batchSize: number; load: () => Promise<SqsHandler> };

const POLL_WAIT_SECONDS = 1;

export function startQueueConsumers(endpoint: string, consumers: Consumer[], onError: (e: unknown) => void = () => {}): { stop(): Promise<void> } {
  const sqs = new SQSClient({ endpoint, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  let stopping = false;
  const loops = consumers.map(async (c) => {
    const handler = await c.load();
    while (!stopping) {
      try {
        const got = await sqs.send(
          new ReceiveMessageCommand({ QueueUrl: c.queueUrl, MaxNumberOfMessages: c.batchSize, WaitTimeSeconds: POLL_WAIT_SECONDS, MessageSystemAttributeNames: ['ApproximateReceiveCount'] }),
        );
        const messages = got.Messages ?? [];
        if (messages.length === 0) continue;
        const event: SQSEvent = {
          Records: messages.map((m) => ({
            messageId: m.MessageId ?? '',
            receiptHandle: m.ReceiptHandle ?? '',
            body: m.Body ?? '',
            attributes: { ApproximateReceiveCount: m.Attributes?.ApproximateReceiveCount ?? '1' } as SQSEvent['Records'][number]['attributes'],
            messageAttributes: {},
            md5OfBody: m.MD5OfBody ?? '',
            eventSource: 'aws:sqs',
            eventSourceARN: c.queueArn ?? c.queueUrl,
            awsRegion: 'us-east-1',
          })),
        };
        let failed = new Set<string>();
        try {
          const out = await handler(event, {});
          failed = new Set((out?.batchItemFailures ?? []).map((f) => f.itemIdentifier));
        } catch (e) {
          // A thrown handler fails the whole batch, as on Lambda.
          failed = new Set(messages.map((m) => m.MessageId ?? ''));
          onError(e);
        }
        const done = messages.filter((m) => !failed.has(m.MessageId ?? ''));
        if (done.length > 0) {
          await sqs.send(new DeleteMessageBatchCommand({ QueueUrl: c.queueUrl, Entries: done.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle ?? '' })) }));
        }
      } catch (e) {
        onError(e);
        await new Promise((r) => setTimeout(r, 500));
      }
    }
  });
  return {
    stop: async () => {
      stopping = true;
      await Promise.allSettled(loops);
    },
  };
}
