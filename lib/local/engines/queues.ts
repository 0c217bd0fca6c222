/**
 * Local queues: fauxqs, an in-process SQS engine with visibility timeout, redrive to a DLQ and
 * the real SQS wire API, so the same SQS adapter runs locally and on AWS. Queues and DLQs come
 * from the manifest.
 */
import { startFauxqs } from 'fauxqs';
import { DLQ_RETENTION_DAYS, type QueueId, queues } from '../../manifest';

export type LocalQueues = { endpoint: string; urls: Record<QueueId, { url: string; dlqUrl: string }>; stop(): Promise<void> };

export async function startQueues(): Promise<LocalQueues> {
  const server = await startFauxqs({ port: 0, host: '127.0.0.1', logger: false });
  const urls = {} as LocalQueues['urls'];
  for (const [id, spec] of Object.entries(queues) as [QueueId, (typeof queues)[QueueId]][]) {
    const dlq = server.createQueue(`${id}-dlq`, { attributes: { MessageRetentionPeriod: String(DLQ_RETENTION_DAYS * 86_400) } });
    const main = server.createQueue(id, {
      attributes: {
        VisibilityTimeout: String(spec.visibilityTimeoutSeconds),
        MessageRetentionPeriod: String(spec.retentionDays * 86_400),
        RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlq.queueArn, maxReceiveCount: String(spec.maxReceiveCount) }),
      },
    });
    urls[id] = { url: main.queueUrl, dlqUrl: dlq.queueUrl };
  }
  return { endpoint: `http://127.0.0.1:${server.port}`, urls, stop: () => server.stop() };
}
