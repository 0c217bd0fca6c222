/**
 * Local queues (fauxqs) with the local event-source poller: visibility timeout, retries, DLQ;
 * and test-confirm's postback job reaching the postbacks queue.
 */
import { GetQueueAttributesCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { startFauxqs } from 'fauxqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startQueueConsumers } from '../../lib/local/queue-host';
import { startQueues, type LocalQueues } from '../../lib/local/engines/queues';
import { call, newProject, useTestGateway } from '../support/gateway';
import { queueUrlEnv } from '../../lib/manifest';
import { SqsDeadLetters, SqsQueue } from '../../shared/adapters/sqs/queue';

type Fauxqs = Awaited<ReturnType<typeof startFauxqs>>;
let server: Fauxqs;
let local: LocalQueues;
const endpoint = () => `http://127.0.0.1:${server.port}`;
const sqs = (at = endpoint()) => new SQSClient({ endpoint: at, region: 'us-east-1', credentials: { accessKeyId: 'l', secretAccessKey: 'l' } });

const until = async (check: () => Promise<boolean>, attempts = 60, intervalMs = 250) => {
  for (let i = 0; i < attempts; i += 1) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, intervalMs));
  }
  throw new Error('condition not met in time');
};

beforeAll(async () => {
  server = await startFauxqs({ port: 0, host: '127.0.0.1', logger: false });
  local = await startQueues();
});
afterAll(async () => {
  await server.stop();
  await local.stop();
});

describe('local queue host', () => {
  it('deletes successes, redelivers failures after the visibility timeout, then parks them in the DLQ', async () => {
    const dlq = server.createQueue('work-dlq');
    const work = server.createQueue('work', {
      attributes: { VisibilityTimeout: '1', RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlq.queueArn, maxReceiveCount: '2' }) },
    });
    const queue = new SqsQueue({ postbacks: work.queueUrl }, { region: 'us-east-1', endpoint: endpoint() });
    await queue.send('postbacks', { id: 'good', body: {} });
    await queue.send('postbacks', { id: 'bad', body: {} });
    const seen: string[] = [];
    const host = startQueueConsumers(endpoint(), [
      {
        queueUrl: work.queueUrl,
        batchSize: 10,
        load: async () => async (event) => ({
          batchItemFailures: event.Records.flatMap((r) => {
            const { id } = JSON.parse(r.body) as { id: string };
            seen.push(id);
            return id === 'bad' ? [{ itemIdentifier: r.messageId }] : [];
          }),
        }),
      },
    ]);
    await until(async () => {
      const attrs = await sqs().send(new GetQueueAttributesCommand({ QueueUrl: dlq.queueUrl, AttributeNames: ['ApproximateNumberOfMessages'] }));
      return attrs.Attributes?.ApproximateNumberOfMessages === '1';
    });
    await host.stop();
    expect(seen.filter((id) => id === 'good')).toHaveLength(1);
    expect(seen.filter((id) => id === 'bad')).toHaveLength(2);
    const parked = await sqs().send(new ReceiveMessageCommand({ QueueUrl: dlq.queueUrl }));
    expect(JSON.parse(parked.Messages?.[0]?.Body ?? '{}').id).toBe('bad');
  });

  it('creates every manifest queue with its DLQ', async () => {
    const attrs = await sqs(local.endpoint).send(new GetQueueAttributesCommand({ QueueUrl: local.urls.postbacks.url, AttributeNames: ['All'] }));
    expect(attrs.Attributes?.RedrivePolicy).toContain('postbacks-dlq');
    expect(attrs.Attributes?.VisibilityTimeout).toBe('60');
  });
});

describe('test-confirm', () => {
  it('marks a test invoice paid and queues its postback job; live invoices are refused', async () => {
    await useTestGateway({ SQS_ENDPOINT: local.endpoint, [queueUrlEnv('postbacks')]: local.urls.postbacks.url });
    const { apiKey, shopId } = await newProject();
    const made = (await call('invoice.create', { apiKey, body: { shop_id: shopId, amount: 5 } })).body.result as { uuid: string };
    const confirmed = await call('invoice.test_confirm', { apiKey, body: { uuid: made.uuid } });
    expect(confirmed.status).toBe(200);
    expect(confirmed.body.result).toMatchObject({ status: 'paid', invoice_status: 'success', step: 3, amount_paid: 0 });
    const got = await new SQSClient({ endpoint: local.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'l', secretAccessKey: 'l' } }).send(
      new ReceiveMessageCommand({ QueueUrl: local.urls.postbacks.url, WaitTimeSeconds: 1 }),
    );
    expect(JSON.parse(got.Messages?.[0]?.Body ?? '{}')).toMatchObject({ eventId: `${made.uuid}:success`, kind: 'invoice.paid', invoiceId: made.uuid.slice(4) });
    const twice = await call('invoice.test_confirm', { apiKey, body: { uuid: made.uuid } });
    expect(twice.status).toBe(400);

    const live = await newProject({ testMode: false });
    const liveInvoice = (await call('invoice.create', { apiKey: live.apiKey, body: { shop_id: live.shopId, amount: 5 } })).body.result as { uuid: string };
    const refused = await call('invoice.test_confirm', { apiKey: live.apiKey, body: { uuid: liveInvoice.uuid } });
    expect(refused.status).toBe(400);
    expect(String((refused.body.result as Record<string, string>).validate_error)).toContain('cannot be confirmed without payment');
  });

  it('refuses once the project has gone live, even for an invoice made in test mode', async () => {
    const { apiKey, shopId } = await newProject();
    const made = (await call('invoice.create', { apiKey, body: { shop_id: shopId, amount: 5 } })).body.result as { uuid: string };
    const { updateProject } = await import('../../shared/app/projects');
    const { runtime } = await import('../../functions/kit/deps');
    await updateProject(runtime().deps, shopId, { testMode: false });
    const refused = await call('invoice.test_confirm', { apiKey, body: { uuid: made.uuid } });
    expect(refused.status).toBe(400);
  });

  it('changes nothing when the queue is down', async () => {
    await useTestGateway({ SQS_ENDPOINT: 'http://127.0.0.1:9', [queueUrlEnv('postbacks')]: 'http://127.0.0.1:9/000000000000/postbacks' });
    const { apiKey, shopId } = await newProject();
    const made = (await call('invoice.create', { apiKey, body: { shop_id: shopId, amount: 5 } })).body.result as { uuid: string };
    const res = await call('invoice.test_confirm', { apiKey, body: { uuid: made.uuid } });
    expect(res.status).toBe(500);
    expect(res.body.result).toEqual({ server: expect.stringContaining('Internal error; request id') });
    expect(JSON.stringify(res.body)).not.toMatch(/at .*\.ts|ECONNREFUSED|stack/);
    const info = await call('invoice.info', { apiKey, body: { uuids: [made.uuid] } });
    expect((info.body.result as { status: string }[])[0].status).toBe('created');
  });
});

describe('dead letters', () => {
  it('lists every parked message without holding it back, and redrive moves each to its queue once', async () => {
    const urls = { postbacks: local.urls.postbacks.url };
    const letters = new SqsDeadLetters(urls, { postbacks: local.urls.postbacks.dlqUrl }, { region: 'us-east-1', endpoint: local.endpoint });
    const parked = new SqsQueue({ postbacks: local.urls.postbacks.dlqUrl }, { region: 'us-east-1', endpoint: local.endpoint });
    await parked.sendMany('postbacks', Array.from({ length: 25 }, (_, i) => ({ id: `m${i}`, body: { n: i } })));
    const first = await letters.list('postbacks', 100);
    expect(first).toHaveLength(25);
    expect(first[0]).toMatchObject({ messageId: expect.any(String), sentAt: expect.any(Number) });
    // Listing twice shows the same messages: nothing was consumed or hidden.
    expect((await letters.list('postbacks', 100)).map((d) => d.messageId).sort()).toEqual(first.map((d) => d.messageId).sort());
    expect(await letters.redrive('postbacks', 100)).toBe(25);
    expect(await letters.list('postbacks', 100)).toEqual([]);
    const back: string[] = [];
    for (;;) {
      const got = await sqs(local.endpoint).send(new ReceiveMessageCommand({ QueueUrl: local.urls.postbacks.url, MaxNumberOfMessages: 10, VisibilityTimeout: 30 }));
      if (!got.Messages?.length) break;
      back.push(...got.Messages.map((m) => m.Body ?? ''));
    }
    // Only ours: the test-confirm case above left its own job in this queue.
    expect(back.map((b) => JSON.parse(b).n).filter((n) => typeof n === 'number').sort((a, b) => a - b)).toEqual(Array.from({ length: 25 }, (_, i) => i));
  });
});
