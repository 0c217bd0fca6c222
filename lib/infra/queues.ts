/** Every queue of the manifest, each with its DLQ, encrypted and TLS-only. */
import { Duration } from 'aws-cdk-lib';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { DLQ_RETENTION_DAYS, type QueueId, queues } from '../manifest';

export class Queues extends Construct {
  readonly byId = {} as Record<QueueId, { queue: Queue; dlq: Queue }>;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    for (const [queueId, spec] of Object.entries(queues) as [QueueId, (typeof queues)[QueueId]][]) {
      const dlq = new Queue(this, `${queueId}Dlq`, {
        encryption: QueueEncryption.SQS_MANAGED,
        enforceSSL: true,
        retentionPeriod: Duration.days(DLQ_RETENTION_DAYS),
      });
      const queue = new Queue(this, `${queueId}Queue`, {
        encryption: QueueEncryption.SQS_MANAGED,
        enforceSSL: true,
        visibilityTimeout: Duration.seconds(spec.visibilityTimeoutSeconds),
        retentionPeriod: Duration.days(spec.retentionDays),
        deadLetterQueue: { queue: dlq, maxReceiveCount: spec.maxReceiveCount },
      });
      this.byId[queueId] = { queue, dlq };
    }
  }
}
