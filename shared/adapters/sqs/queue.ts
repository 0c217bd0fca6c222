import { SendMessageBatchCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { Queue, QueueName } from '../../ports';

/** SQS accepts at most 10 messages per batch. */
const SQS_BATCH_MAX = 10;
const BATCH_RETRIES_MAX = 3;

const encode = (message: { id: string; body: unknown }) =>
  JSON.stringify({ id: message.id, ...(message.body as object) }, (_k, v) => (typeof v === 'bigint' ? v.toString() : v));

/** Sends to SQS (or the local SQS engine); message bodies are JSON with bigints as strings. */
export class SqsQueue implements Queue {
  private readonly client: SQSClient;

  constructor(
    private readonly urls: Partial<Record<QueueName, string>>,
    settings: { region: string; endpoint?: string },
  ) {
    this.client = new SQSClient({
      region: settings.region,
      ...(settings.endpoint ? { endpoint: settings.endpoint, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } } : {}),
    });
  }

  private url(queue: QueueName): string {
    const url = this.urls[queue];
    if (!url) throw new Error(`no URL configured for queue ${queue} (${`QUEUE_URL_${queue.toUpperCase()}`})`);
    return url;
  }

  async send(queue: QueueName, message: { id: string; body: unknown }): Promise<void> {
    await this.client.send(new SendMessageCommand({ QueueUrl: this.url(queue), MessageBody: encode(message) }));
  }

  async sendMany(queue: QueueName, messages: { id: string; body: unknown }[]): Promise<void> {
    for (let i = 0; i < messages.length; i += SQS_BATCH_MAX) {
      let pending = messages.slice(i, i + SQS_BATCH_MAX).map((m, j) => ({ Id: String(j), MessageBody: encode(m) }));
      for (let attempt = 0; pending.length > 0; attempt += 1) {
        if (attempt >= BATCH_RETRIES_MAX) throw new Error(`SQS kept refusing ${pending.length} messages for ${queue}`);
        const out = await this.client.send(new SendMessageBatchCommand({ QueueUrl: this.url(queue), Entries: pending }));
        const failed = new Set((out.Failed ?? []).map((f) => f.Id));
        pending = pending.filter((e) => failed.has(e.Id));
      }
    }
  }
}
