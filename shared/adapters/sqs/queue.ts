import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { Queue, QueueName } from '../../ports';

/** Sends to SQS (or the local SQS engine); message bodies are JSON with bigints as strings. */
export class SqsQueue implements Queue {
  private readonly client: SQSClient;

  constructor(
    private readonly urls: Record<QueueName, string>,
    settings: { region: string; endpoint?: string },
  ) {
    this.client = new SQSClient({
      region: settings.region,
      ...(settings.endpoint ? { endpoint: settings.endpoint, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } } : {}),
    });
  }

  async send(queue: QueueName, message: { id: string; body: unknown }): Promise<void> {
    const body = JSON.stringify({ id: message.id, ...(message.body as object) }, (_k, v) => (typeof v === 'bigint' ? v.toString() : v));
    await this.client.send(new SendMessageCommand({ QueueUrl: this.urls[queue], MessageBody: body }));
  }
}
