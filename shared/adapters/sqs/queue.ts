import { ChangeMessageVisibilityBatchCommand, ChangeMessageVisibilityCommand, DeleteMessageBatchCommand, ReceiveMessageCommand, SendMessageBatchCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { dlqUrlEnv, queueUrlEnv } from '../../config';
import type { DeadLetter, DeadLetters, Queue, QueueName } from '../../ports';

/** SQS accepts at most 10 messages per batch. */
const SQS_BATCH_MAX = 10;
const BATCH_RETRIES_MAX = 3;

const encode = (message: { id: string; body: unknown }) =>
  JSON.stringify({ id: message.id, ...(message.body as object) }, (_k, v) => (typeof v === 'bigint' ? v.toString() : v));

/** The SQS API caps a hidden message at 12 hours. */
const VISIBILITY_SECONDS_MAX = 43_200;

export type QueueUrls = Partial<Record<QueueName, string>>;

const sqsClient = (settings: { region: string; endpoint?: string }) =>
  new SQSClient({
    region: settings.region,
    ...(settings.endpoint ? { endpoint: settings.endpoint, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } } : {}),
  });

const urlOf = (urls: QueueUrls, queue: QueueName, env: string): string => {
  const url = urls[queue];
  if (!url) throw new Error(`no URL configured for queue ${queue} (${env}; lib/manifest.ts access names the queues each function is given)`);
  return url;
};

/** Sends to SQS (or the local SQS engine); message bodies are JSON with bigints as strings. */
export class SqsQueue implements Queue {
  private readonly client: SQSClient;

  constructor(
    private readonly urls: QueueUrls,
    settings: { region: string; endpoint?: string },
  ) {
    this.client = sqsClient(settings);
  }

  private url(queue: QueueName): string {
    return urlOf(this.urls, queue, queueUrlEnv(queue));
  }

  async retryAfter(queue: QueueName, receiptHandle: string, seconds: number): Promise<void> {
    const timeout = Math.max(0, Math.min(VISIBILITY_SECONDS_MAX, Math.round(seconds)));
    await this.client.send(new ChangeMessageVisibilityCommand({ QueueUrl: this.url(queue), ReceiptHandle: receiptHandle, VisibilityTimeout: timeout }));
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

/**
 * Dead-letter queues: list without consuming (messages are hidden briefly, then reappear), and
 * redrive by sending each back to its queue before deleting it, so a crash in between repeats a
 * message (the sender de-duplicates) and never loses one.
 */
export class SqsDeadLetters implements DeadLetters {
  private readonly client: SQSClient;

  constructor(
    private readonly queueUrls: QueueUrls,
    private readonly dlqUrls: QueueUrls,
    settings: { region: string; endpoint?: string },
  ) {
    this.client = sqsClient(settings);
  }

  private async receive(queue: QueueName, max: number, visibilitySeconds: number) {
    const dlq = urlOf(this.dlqUrls, queue, dlqUrlEnv(queue));
    const seen = new Map<string, { messageId: string; body: string; receipt: string; sentAt: number | null; receives: number }>();
    while (seen.size < max) {
      const got = await this.client.send(
        new ReceiveMessageCommand({ QueueUrl: dlq, MaxNumberOfMessages: Math.min(10, max - seen.size), WaitTimeSeconds: 0, VisibilityTimeout: visibilitySeconds, MessageSystemAttributeNames: ['SentTimestamp', 'ApproximateReceiveCount'] }),
      );
      const fresh = (got.Messages ?? []).filter((m) => !seen.has(m.MessageId ?? ''));
      if (fresh.length === 0) break;
      for (const m of fresh) {
        const sent = Number(m.Attributes?.SentTimestamp);
        seen.set(m.MessageId ?? '', { messageId: m.MessageId ?? '', body: m.Body ?? '', receipt: m.ReceiptHandle ?? '', sentAt: Number.isFinite(sent) ? sent : null, receives: Number(m.Attributes?.ApproximateReceiveCount ?? 0) });
      }
    }
    return { dlq, messages: [...seen.values()] };
  }

  async list(queue: QueueName, max: number): Promise<DeadLetter[]> {
    // Hidden while the listing pages through them, then released at once, so a redrive right
    // after a listing finds every message.
    const { dlq, messages } = await this.receive(queue, max, 30);
    for (let i = 0; i < messages.length; i += SQS_BATCH_MAX) {
      const part = messages.slice(i, i + SQS_BATCH_MAX);
      await this.client.send(new ChangeMessageVisibilityBatchCommand({ QueueUrl: dlq, Entries: part.map((m, j) => ({ Id: String(j), ReceiptHandle: m.receipt, VisibilityTimeout: 0 })) }));
    }
    return messages.map(({ receipt: _r, ...rest }) => rest);
  }

  async redrive(queue: QueueName, max: number): Promise<number> {
    const { dlq, messages } = await this.receive(queue, max, 60);
    const target = urlOf(this.queueUrls, queue, queueUrlEnv(queue));
    let movedCount = 0;
    for (let i = 0; i < messages.length; i += SQS_BATCH_MAX) {
      const part = messages.slice(i, i + SQS_BATCH_MAX);
      const sent = await this.client.send(new SendMessageBatchCommand({ QueueUrl: target, Entries: part.map((m, j) => ({ Id: String(j), MessageBody: m.body })) }));
      const ok = new Set((sent.Successful ?? []).map((s) => s.Id));
      const moved = part.filter((_, j) => ok.has(String(j)));
      if (moved.length > 0) await this.client.send(new DeleteMessageBatchCommand({ QueueUrl: dlq, Entries: moved.map((m, j) => ({ Id: String(j), ReceiptHandle: m.receipt })) }));
      movedCount += moved.length;
    }
    return movedCount;
  }
}
