/**
 * The admin route group (what the tollgate CLI calls) through its real Lambda handler, and the
 * CLI itself through the local HTTP host: every route answers, and both dead-letter queues
 * (postbacks and chain observations) can be listed and redriven, on the local SQS engine.
 */
import type { AddressInfo } from 'node:net';
import { ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from '../../lib/cli/main';
import { CliError } from '../../lib/cli/target';
import { type LocalQueues, startQueues } from '../../lib/local/engines/queues';
import { createHttpHost } from '../../lib/local/http-host';
import type { QueueId, RouteId } from '../../lib/manifest';
import { SqsQueue } from '../../shared/adapters/sqs/queue';
import { ADMIN_TOKEN, type CallOptions, call, newProject, useTestGateway } from '../support/gateway';

let queues: LocalQueues;
let sqs: SQSClient;
const asAdmin = (route: RouteId, options: CallOptions = {}) => call(route, { contentType: null, ...options, headers: { authorization: `Bearer ${ADMIN_TOKEN}`, ...options.headers } });

/** Parks messages in a queue's DLQ, as the queue does after maxReceiveCount failed deliveries. */
const park = (queue: QueueId, bodies: object[]) =>
  new SqsQueue({ [queue]: queues.urls[queue].dlqUrl }, { region: 'us-east-1', endpoint: queues.endpoint }).sendMany(
    queue,
    bodies.map((body, i) => ({ id: `parked-${i}`, body })),
  );

/** Everything waiting in a queue (hidden for 30 s once read, so each message is seen once). */
async function drainQueue(url: string): Promise<string[]> {
  const out: string[] = [];
  for (;;) {
    const got = await sqs.send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10, VisibilityTimeout: 30 }));
    if (!got.Messages?.length) return out;
    out.push(...got.Messages.map((m) => m.Body ?? ''));
  }
}

/** An observation as the watcher sends it; the DLQ routes never parse it, they move it as is. */
const observation = (n: number) => ({ kind: 'transfer.seen', chain: 'ethereum', txHash: `0x${String(n).padStart(64, '0')}`, logIndex: n, blockNumber: 100 + n });

beforeAll(async () => {
  queues = await startQueues();
  sqs = new SQSClient({ endpoint: queues.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  await useTestGateway({
    SQS_ENDPOINT: queues.endpoint,
    QUEUE_URL_POSTBACKS: queues.urls.postbacks.url,
    QUEUE_URL_OBSERVATIONS: queues.urls.observations.url,
    QUEUE_URL_POSTBACKS_DLQ: queues.urls.postbacks.dlqUrl,
    QUEUE_URL_OBSERVATIONS_DLQ: queues.urls.observations.dlqUrl,
  });
}, 30_000);

afterAll(async () => {
  await queues?.stop();
});

describe('admin routes', () => {
  it('refuses a call without the admin token', async () => {
    const res = await call('admin.project.list', { contentType: null, headers: { authorization: 'Bearer not-the-admin-token-at-all' } });
    expect(res.status).toBe(403);
    expect(res.body).toEqual({ status: 'error', result: { authorization: 'Unauthorized request.' } });
  });

  it('creates, lists, shows, updates a project and rotates its keys', async () => {
    const made = await asAdmin('admin.project.create', { body: { name: 'Admin shop', locale: 'en' }, contentType: 'application/json' });
    expect(made.status).toBe(201);
    const created = made.body.result as { shop_id: string; api_key: string; secret_key: string; name: string };
    expect(created).toMatchObject({ name: 'Admin shop', api_key: expect.any(String), secret_key: expect.any(String) });
    const listed = (await asAdmin('admin.project.list')).body.result as { shop_id: string }[];
    expect(listed.map((p) => p.shop_id)).toContain(created.shop_id);
    const shown = await asAdmin('admin.project.show', { pathParameters: { shopId: created.shop_id } });
    expect(shown.body.result).toMatchObject({ shop_id: created.shop_id, test_mode: true });
    expect(shown.body.result).not.toHaveProperty('api_key');
    const updated = await asAdmin('admin.project.update', { pathParameters: { shopId: created.shop_id }, body: { postback_format: 'json' }, contentType: 'application/json' });
    expect(updated.body.result).toMatchObject({ settings: { postback_format: 'json' } });
    const rotated = await asAdmin('admin.project.rotate_keys', { pathParameters: { shopId: created.shop_id }, body: { secret: true }, contentType: 'application/json' });
    expect(rotated.status).toBe(200);
    expect(rotated.body.result).toMatchObject({ shop_id: created.shop_id, secret_key: expect.any(String) });
    expect((rotated.body.result as { secret_key: string }).secret_key).not.toBe(created.secret_key);
    expect(rotated.body.result).not.toHaveProperty('api_key');
    const missing = await asAdmin('admin.project.show', { pathParameters: { shopId: 'NOPE' } });
    expect(missing.status).toBe(404);
    expect(missing.body.status).toBe('error');
  });

  it('confirms a test invoice by its id alone, then shows and resends its postbacks', async () => {
    const { apiKey, shopId } = await newProject();
    const made = (await call('invoice.create', { apiKey, body: { shop_id: shopId, amount: 5 } })).body.result as { uuid: string };
    const confirmed = await asAdmin('admin.invoice.confirm_test', { pathParameters: { invoiceId: made.uuid } });
    expect(confirmed.status).toBe(200);
    expect(confirmed.body.result).toMatchObject({ uuid: made.uuid, status: 'paid' });
    const log = await asAdmin('admin.invoice.postbacks', { pathParameters: { invoiceId: made.uuid } });
    expect(log.body.result).toMatchObject({ events: [{ event_id: `${made.uuid}:success`, event: 'invoice.paid' }] });
    const resent = await asAdmin('admin.invoice.postbacks_resend', { pathParameters: { invoiceId: made.uuid } });
    expect(resent.status).toBe(202);
    expect((resent.body.result as { queued: unknown[] }).queued).toHaveLength(1);
    await drainQueue(queues.urls.postbacks.url);
  });

  it('creates a payment link for a project: the CryptoCloud create answer, with lifetime, order id and description', async () => {
    const { apiKey, shopId } = await newProject();
    const made = await asAdmin('admin.invoice.create', {
      pathParameters: { shopId },
      body: { amount: 25, currency: 'EUR', order_id: 'LINK-1', add_fields: { time_to_pay: { hours: 2 }, description: 'Consulting, 1 hour' } },
      contentType: 'application/json',
    });
    expect(made.status).toBe(201);
    const link = made.body.result as { uuid: string; link: string; created: string; expiry_date: string };
    expect(link).toMatchObject({ link: `https://pay.test/pay/${link.uuid.slice(4)}`, amount_in_fiat: 25, fiat_currency: 'EUR', status: 'created', description: 'Consulting, 1 hour', test_mode: true });
    const at = (s: string) => Date.parse(`${s.slice(0, 19).replace(' ', 'T')}Z`);
    expect(at(link.expiry_date) - at(link.created)).toBe(2 * 3_600_000);
    // The same shape as the merchant's own create, and the invoice is the project's.
    const own = (await call('invoice.create', { apiKey, body: { shop_id: shopId, amount: 1 } })).body.result as object;
    expect(Object.keys(link).sort()).toEqual(Object.keys(own).sort());
    const [info] = (await call('invoice.info', { apiKey, body: { uuids: [link.uuid] } })).body.result as { order_id: string; description: string }[];
    expect(info).toMatchObject({ order_id: 'LINK-1', description: 'Consulting, 1 hour' });
  });

  it('answers a bad payment link request with the field that is wrong', async () => {
    const { shopId } = await newProject();
    const create = (shop: string, body: object) => asAdmin('admin.invoice.create', { pathParameters: { shopId: shop }, body, contentType: 'application/json' });
    expect((await create('NOPE', { amount: 5 })).body).toEqual({ status: 'error', result: { shop_id: 'Project NOPE not found' } });
    const refused = {
      amount: await create(shopId, {}),
      currency: await create(shopId, { amount: 5, currency: 'XYZ' }),
      description: await create(shopId, { amount: 5, add_fields: { description: 'x'.repeat(201) } }),
      oneLine: await create(shopId, { amount: 5, add_fields: { description: 'two\nlines' } }),
      time_to_pay: await create(shopId, { amount: 5, add_fields: { time_to_pay: { hours: 721 } } }),
    };
    for (const res of Object.values(refused)) expect(res.status).toBe(400);
    expect(Object.keys(refused.amount.body.result as object)).toEqual(['amount']);
    expect(Object.keys(refused.currency.body.result as object)).toEqual(['currency']);
    expect(refused.description.body.result).toEqual({ description: 'description must be at most 200 characters.' });
    expect(refused.oneLine.body.result).toEqual({ description: 'description must be plain text on one line.' });
    expect(Object.keys(refused.time_to_pay.body.result as object)).toEqual(['time_to_pay']);
  });

  it('answers each bad invoice reference with the envelope', async () => {
    expect((await asAdmin('admin.invoice.confirm_test', { pathParameters: { invoiceId: 'junk' } })).body).toEqual({ status: 'error', result: { uuid: 'expected an invoice id such as INV-XXXXXXXX' } });
    for (const route of ['admin.invoice.confirm', 'admin.invoice.postbacks', 'admin.invoice.postbacks_resend', 'admin.invoice.confirm_test'] as const) {
      const res = await asAdmin(route, { pathParameters: { invoiceId: 'INV-ZZZZZZZZ' } });
      expect(res.status, route).toBe(400);
      expect(res.body, route).toEqual({ status: 'error', result: { validate_error: 'Invoice INV-ZZZZZZZZ not found' } });
    }
    const attach = await asAdmin('admin.invoice.attach_tx', { pathParameters: { invoiceId: 'junk' }, body: {}, contentType: 'application/json' });
    expect(attach.status).toBe(400);
    expect(Object.keys(attach.body.result as object).sort()).toEqual(['invoice_id', 'tx_hash']);
  });

  it('shows every served chain, and refuses a rescan of an unknown chain or a reversed range', async () => {
    const status = (await asAdmin('admin.chain.status')).body.result as { chain: string; scanned_to: number | null; confirmations: { normal: unknown } }[];
    expect(status.map((s) => s.chain)).toContain('ethereum');
    expect(status.find((s) => s.chain === 'ethereum')).toMatchObject({ scanned_to: null, head: null, lag_blocks: null, confirmations: { normal: expect.anything() } });
    const refused = await asAdmin('admin.chain.rescan', { pathParameters: { chain: 'dogechain' }, body: { from: 9, to: 3 }, contentType: 'application/json' });
    expect(refused.status).toBe(400);
    expect(refused.body.result).toEqual({ chain: 'unknown chain', to: 'to must not be below from' });
  });
});

describe('dead-letter queues', () => {
  it('lists parked chain observations in place, and redrive moves each back to the observations queue once', async () => {
    await park('observations', [observation(1), observation(2), observation(3)]);
    const listed = await asAdmin('admin.dlq.list', { pathParameters: { queue: 'observations' } });
    expect(listed.status).toBe(200);
    const letters = listed.body.result as { message_id: string; sent_at: string; receives: number; job: { txHash: string } }[];
    expect(letters.map((l) => l.job.txHash).sort()).toEqual([1, 2, 3].map((n) => observation(n).txHash));
    expect(letters[0]).toMatchObject({ message_id: expect.any(String), sent_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) });
    // Listing consumed nothing: a second listing shows the same messages.
    expect(((await asAdmin('admin.dlq.list', { pathParameters: { queue: 'observations' } })).body.result as unknown[]).length).toBe(3);
    // The other queue's DLQ is its own.
    expect((await asAdmin('admin.dlq.list', { pathParameters: { queue: 'postbacks' } })).body.result).toEqual([]);

    const redriven = await asAdmin('admin.dlq.redrive', { pathParameters: { queue: 'observations' } });
    expect(redriven.status).toBe(200);
    expect(redriven.body.result).toEqual({ queue: 'observations', moved: 3 });
    expect((await asAdmin('admin.dlq.list', { pathParameters: { queue: 'observations' } })).body.result).toEqual([]);
    const back = (await drainQueue(queues.urls.observations.url)).map((b) => JSON.parse(b) as { txHash: string; blockNumber: number });
    expect(back.map((o) => o.txHash).sort()).toEqual([1, 2, 3].map((n) => observation(n).txHash));
    expect(back.find((o) => o.txHash === observation(2).txHash)).toMatchObject(observation(2));
  });

  it('refuses a queue that has no DLQ with the envelope', async () => {
    for (const route of ['admin.dlq.list', 'admin.dlq.redrive'] as const) {
      const res = await asAdmin(route, { pathParameters: { queue: 'invoices' } });
      expect(res.status, route).toBe(400);
      expect(res.body, route).toEqual({ status: 'error', result: { queue: 'expected one of postbacks, observations' } });
    }
  });
});

describe('tollgate CLI', () => {
  const cli = async (url: string, ...args: string[]) => {
    let printed = '';
    await run([...args, '--endpoint', url, '--admin-token', ADMIN_TOKEN], {}, (s) => {
      printed += s;
    });
    return printed;
  };

  it('link create prints a payment link, and names the flag that is wrong', async () => {
    const host = createHttpHost();
    await new Promise<void>((ready) => host.listen(0, '127.0.0.1', ready));
    const url = `http://127.0.0.1:${(host.address() as AddressInfo).port}`;
    try {
      const { shopId } = await newProject();
      const printed = await cli(url, 'link', 'create', '--shop', shopId, '--amount', '25', '--currency', 'eur', '--lifetime', '90m', '--description', 'Consulting');
      expect(printed).toMatch(/^link {9}https:\/\/pay\.test\/pay\/[0-9A-Z]{8}\n/);
      expect(printed).toMatch(/\namount {7}25 EUR\n/);
      expect(printed).toMatch(/\ndescription {2}Consulting\n/);
      const json = JSON.parse(await cli(url, 'link', 'create', '--shop', shopId, '--amount', '9.99', '--order-id', 'A-7', '--json'));
      expect(json).toMatchObject({ amount_in_fiat: 9.99, fiat_currency: 'USD', description: '', link: expect.stringMatching(/^https:\/\/pay\.test\/pay\//) });
      const refused: [string[], RegExp][] = [
        [['--shop', shopId], /needs --amount/],
        [['--amount', '5'], /needs --shop/],
        [['--shop', shopId, '--amount', 'ten'], /--amount must be a number greater than 0.*"ten"/],
        [['--shop', shopId, '--amount', '0'], /--amount must be a number greater than 0/],
        [['--shop', shopId, '--amount=-1'], /--amount must be a number greater than 0/],
        [['--shop', shopId, '--amount', '5', '--currency', 'XYZ'], /unknown --currency "XYZ"; one of USD, /],
        [['--shop', shopId, '--amount', '5', '--lifetime', '2w'], /--lifetime must be .* 30m, 2h or 3d/],
        [['--shop', shopId, '--amount', '5', '--lifetime', '31d'], /--lifetime must be/],
        [['--shop', 'NOPE', '--amount', '5'], /no project with shop id "NOPE"/],
        [['--shop', shopId, '--amount', '5', '--description', 'x'.repeat(201)], /description: description must be at most 200 characters/],
      ];
      for (const [args, message] of refused) await expect(cli(url, 'link', 'create', ...args), args.join(' ')).rejects.toThrow(message);
    } finally {
      await new Promise((done) => host.close(done));
    }
  });

  it('chain dlq and postback dlq list and redrive their own queue, through the HTTP API', async () => {
    const host = createHttpHost();
    await new Promise<void>((ready) => host.listen(0, '127.0.0.1', ready));
    const url = `http://127.0.0.1:${(host.address() as AddressInfo).port}`;
    try {
      await park('observations', [observation(7), observation(8)]);
      await park('postbacks', [{ eventId: 'INV-AAAAAAAA:success', kind: 'invoice.paid', invoiceId: 'AAAAAAAA' }]);
      const listed = JSON.parse(await cli(url, 'chain', 'dlq', 'list', '--json')) as { job: { txHash: string } }[];
      expect(listed.map((l) => l.job.txHash).sort()).toEqual([observation(7).txHash, observation(8).txHash]);
      expect(JSON.parse(await cli(url, 'chain', 'dlq', 'redrive', '--json'))).toEqual({ queue: 'observations', moved: 2 });
      expect(JSON.parse(await cli(url, 'chain', 'dlq', 'list', '--json'))).toEqual([]);
      expect((await drainQueue(queues.urls.observations.url)).map((b) => JSON.parse(b).txHash).sort()).toEqual([observation(7).txHash, observation(8).txHash]);

      expect(JSON.parse(await cli(url, 'postback', 'dlq', 'list', '--json'))).toEqual([expect.objectContaining({ job: expect.objectContaining({ eventId: 'INV-AAAAAAAA:success' }) })]);
      expect(await cli(url, 'postback', 'dlq', 'redrive')).toMatch(/queue\s+postbacks\nmoved\s+1\n/);
      expect(await drainQueue(queues.urls.postbacks.url)).toHaveLength(1);
      await expect(cli(url, 'chain', 'dlq', 'purge')).rejects.toThrow(new CliError('chain dlq needs list or redrive'));
    } finally {
      await new Promise((done) => host.close(done));
    }
  });
});
