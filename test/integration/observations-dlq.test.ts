/**
 * A chain observation that crediting kept failing on is parked in the observations DLQ by the
 * queue itself (maxReceiveCount), and nothing credits it until an operator redrives it: then it
 * is credited like any other. Real parts: anvil, DynamoDB Local, the local SQS engine, the real
 * watcher, crediting and admin handler.
 */
import { GetQueueAttributesCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queues as queueSpecs } from '../../lib/manifest';
import type { Project } from '../../shared/domain/project';
import { ADMIN_TOKEN, call, newProject } from '../support/gateway';
import { type Harness, usePaymentsHarness } from '../support/payments-harness';

let h: Harness;
let project: Project;
let sqs: SQSClient;

beforeAll(async () => {
  h = await usePaymentsHarness();
  ({ project } = await newProject({ partialTolerance: 'none' }));
  await h.settle();
  sqs = new SQSClient({ endpoint: h.queues.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
}, 60_000);

afterAll(async () => {
  await h?.stop();
});

const parkedCount = async () =>
  Number((await sqs.send(new GetQueueAttributesCommand({ QueueUrl: h.queues.urls.observations.dlqUrl, AttributeNames: ['ApproximateNumberOfMessages'] }))).Attributes?.ApproximateNumberOfMessages ?? 0);

/** Fails every queued observation until the queue parks it: each receive counts as a failed delivery. */
async function failUntilParked(): Promise<void> {
  const deliveriesMax = queueSpecs.observations.maxReceiveCount + 2;
  for (let round = 0; round < deliveriesMax * 2; round += 1) {
    const got = await sqs.send(new ReceiveMessageCommand({ QueueUrl: h.queues.urls.observations.url, MaxNumberOfMessages: 10, VisibilityTimeout: 0 }));
    if (!got.Messages?.length && (await parkedCount()) > 0) return;
  }
  throw new Error('the observations queue never parked its messages');
}

const asAdmin = (route: 'admin.dlq.list' | 'admin.dlq.redrive') => call(route, { contentType: null, headers: { authorization: `Bearer ${ADMIN_TOKEN}` }, pathParameters: { queue: 'observations' } });

describe('the observations DLQ', () => {
  it('holds a payment the queue parked until an operator redrives it; then it is credited', async () => {
    const invoice = await h.invoiceFor(project, 'USDT_ERC20', 25);
    const { txHash } = await h.pay(invoice.selection?.address ?? '', invoice.selection?.amountToPay ?? 0n);
    // Watcher passes only (no crediting) until it has reported the transfer.
    let seen = 0;
    for (let round = 0; round < 5 && seen === 0; round += 1) seen += (await h.pass()).observations;
    expect(seen).toBeGreaterThanOrEqual(1);
    await failUntilParked();

    // The watcher has moved on: more blocks and passes do not bring the payment back.
    await h.mine(3);
    await h.settle();
    expect(await h.invoice(invoice.id)).toMatchObject({ status: 'created', payments: [] });

    const listed = (await asAdmin('admin.dlq.list')).body.result as { job: unknown; receives: number }[];
    // The message as the watcher sent it (its shape is crediting's business, not the DLQ's).
    expect(listed.filter((l) => JSON.stringify(l.job).includes(txHash)).length).toBeGreaterThanOrEqual(1);
    const redriven = await asAdmin('admin.dlq.redrive');
    expect(redriven.status).toBe(200);
    expect((redriven.body.result as { moved: number }).moved).toBe(listed.length);
    expect(await parkedCount()).toBe(0);

    await h.settle();
    expect(await h.invoice(invoice.id)).toMatchObject({ status: 'paid', amountPaid: invoice.selection?.amountToPay });
  });
});
