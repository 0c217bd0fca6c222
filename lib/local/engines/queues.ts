/**
 * Local queues: fauxqs, an in-process SQS engine with visibility timeout, redrive to a DLQ and
 * the real SQS wire API, so the same SQS adapter runs locally and on AWS. Queues and DLQs come
 * from the manifest.
 *
 * fauxqs's own `startFauxqs` always listens on 0.0.0.0 (its `host` option only names queue
 * URLs), which would let anyone on the network read and send the gateway's messages. So the app
 * is built with `buildApp` and listened on loopback here, and the queues are created through
 * the SQS API itself.
 */
import { CreateQueueCommand, GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { buildApp } from 'fauxqs';
import { DLQ_RETENTION_DAYS, type QueueId, queues } from '../../manifest';
import { LOOPBACK_HOST } from './dynamodb';

export type LocalQueues = { endpoint: string; urls: Record<QueueId, { url: string; dlqUrl: string }>; stop(): Promise<void> };

export async function startQueues(): Promise<LocalQueues> {
  // `host` keeps the queue URLs in the form fauxqs gave them before (sqs.<region>.127.0.0.1:<port>).
  const app = buildApp({ logger: false, host: LOOPBACK_HOST });
  await app.listen({ port: 0, host: LOOPBACK_HOST });
  const address = app.server.address();
  if (!address || typeof address !== 'object') throw new Error('the local SQS engine did not report its port');
  const endpoint = `http://${LOOPBACK_HOST}:${address.port}`;
  const sqs = new SQSClient({ endpoint, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  try {
    const urls = {} as LocalQueues['urls'];
    for (const [id, spec] of Object.entries(queues) as [QueueId, (typeof queues)[QueueId]][]) {
      const dlq = await sqs.send(new CreateQueueCommand({ QueueName: `${id}-dlq`, Attributes: { MessageRetentionPeriod: String(DLQ_RETENTION_DAYS * 86_400) } }));
      const dlqUrl = dlq.QueueUrl ?? '';
      const dlqArn = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: dlqUrl, AttributeNames: ['QueueArn'] }))).Attributes?.QueueArn;
      if (!dlqArn) throw new Error(`the local SQS engine gave no ARN for ${id}-dlq`);
      const main = await sqs.send(
        new CreateQueueCommand({
          QueueName: id,
          Attributes: {
            VisibilityTimeout: String(spec.visibilityTimeoutSeconds),
            MessageRetentionPeriod: String(spec.retentionDays * 86_400),
            RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlqArn, maxReceiveCount: String(spec.maxReceiveCount) }),
          },
        }),
      );
      urls[id] = { url: main.QueueUrl ?? '', dlqUrl };
    }
    return { endpoint, urls, stop: () => app.close() };
  } catch (e) {
    await app.close();
    throw e;
  } finally {
    sqs.destroy();
  }
}
