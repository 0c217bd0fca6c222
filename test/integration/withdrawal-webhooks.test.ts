/**
 * Withdrawal webhooks end to end on real parts, through the one postback sender: the postbacks
 * queue on the local SQS engine, the real consumer (functions/queues/postbacks.ts) polled as
 * Lambda's event source would, the table on DynamoDB Local, and real HTTP receivers that verify
 * the Tollgate-Signature header with the README's recipe. Withdrawals are written with the real
 * store and moved with the domain's moveWithdrawal, as the workflow's steps do (the workflow
 * itself is not needed to test what it tells the merchant). Backoff is 0 s here.
 */
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashKey } from '../../functions/kit/deps';
import { run } from '../../lib/cli/main';
import { type LocalQueues, startQueues } from '../../lib/local/engines/queues';
import { createHttpHost } from '../../lib/local/http-host';
import { type SqsHandler, startQueueConsumers } from '../../lib/local/queue-host';
import { queueEnvironment } from '../../lib/manifest';
import { postbackFields } from '../../shared/api/cryptocloud/postback';
import { withdrawalWebhookBody } from '../../shared/api/native/withdrawal-webhooks';
import { confirmTestInvoice } from '../../shared/app/invoices';
import { deliverPostback } from '../../shared/app/postbacks';
import { rotateKeys } from '../../shared/app/projects';
import { notifyWithdrawal } from '../../shared/app/withdrawal-webhooks';
import { jobOf, postbackEventsOf, retryDelaySeconds } from '../../shared/domain/postbacks';
import { moveWithdrawal, type Withdrawal, type WithdrawalStatus } from '../../shared/domain/withdrawal';
import { withdrawalEventsOf, withdrawalJobOf } from '../../shared/domain/withdrawal-events';
import type { Deps } from '../../shared/ports';
import { createTestInvoice } from '../support/builders';
import { fixedRandom } from '../support/fixed-sources';
import { ADMIN_TOKEN, call, newProject, useTestGateway } from '../support/gateway';
import { type Answer, type Receiver, type Received, startReceiver, verifySignature } from '../support/postback-receiver';
import { requestedWithdrawal, signedTransfer } from '../support/withdrawal-builder';

const TIMEOUT_MS = 1_000;
let deps: Deps;
let queues: LocalQueues;
let consumers: { stop(): Promise<void> };
const receivers: Receiver[] = [];

beforeAll(async () => {
  queues = await startQueues();
  ({ deps } = await useTestGateway({
    SQS_ENDPOINT: queues.endpoint,
    ...queueEnvironment(queues.urls),
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    POSTBACK_ALLOW_LOOPBACK: 'true',
    POSTBACK_RETRY_FIRST_SECONDS: '0',
    POSTBACK_RETRY_MAX_SECONDS: '0',
    POSTBACK_TIMEOUT_MS: String(TIMEOUT_MS),
  }));
  consumers = startQueueConsumers(queues.endpoint, [
    { queueUrl: queues.urls.postbacks.url, batchSize: 10, load: async () => ((await import('../../functions/queues/postbacks')) as { handler: SqsHandler }).handler },
  ]);
}, 60_000);

afterAll(async () => {
  await consumers?.stop();
  for (const r of receivers) await r.stop();
  await queues?.stop();
});

async function receiver(answer?: (n: number, r: Received) => Answer) {
  const r = await startReceiver(answer);
  receivers.push(r);
  return r;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const nowSeconds = () => Math.floor(Date.now() / 1000);

/** As a workflow step does: queue what the write adds, then write (conditional on the version read). */
async function create(shopId: string): Promise<Withdrawal> {
  const w = requestedWithdrawal(shopId, Date.now());
  await notifyWithdrawal(deps, null, w);
  expect(await deps.withdrawals.create(w, {})).toEqual({ kind: 'created' });
  return w;
}

async function move(w: Withdrawal, to: WithdrawalStatus, patch: Parameters<typeof moveWithdrawal>[3] = {}): Promise<Withdrawal> {
  const next = moveWithdrawal(w, to, Date.now(), patch);
  if (!next) throw new Error(`no edge ${w.status} -> ${to}`);
  await notifyWithdrawal(deps, w, next);
  expect(await deps.withdrawals.save(next, w.version)).toBe(true);
  return next;
}

type LogAnswer = { events: { event_id: string; event: string; delivered: boolean }[]; attempts: { event_id: string; attempt: number; outcome: string; http_status: number | null; response: string; resend: boolean }[] };

async function webhookLog(apiKey: string, id: string): Promise<LogAnswer> {
  const res = await call('api.withdrawal.webhooks', { apiKey, pathParameters: { withdrawalId: id }, contentType: null });
  expect(res.status).toBe(200);
  return res.body.result as LogAnswer;
}

/** Polls until `check` passes (the consumer records an attempt just after the receiver answers). */
async function eventually<T>(read: () => Promise<T>, check: (v: T) => boolean, timeoutMs = 10_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = await read();
    if (check(v) || Date.now() > until) return v;
    await sleep(50);
  }
}

const eventIds = (received: Received[]) => received.map((r) => r.headers['tollgate-event-id']);

describe('a withdrawal moving created → broadcast → confirmed', () => {
  it('sends three signed native webhooks in order, each once even when its job is delivered twice', async () => {
    const r = await receiver();
    const s = await newProject({ notificationUrl: r.url });
    const tx = signedTransfer(1, Date.now());
    let w = await create(s.shopId);
    await r.waitFor(1);
    w = await move(w, 'held');
    w = await move(w, 'signed', { tx });
    w = await move(w, 'broadcast');
    await r.waitFor(2);
    w = await move(w, 'confirmed', { landed: { hash: tx.hash, blockNumber: 42 } });
    const got = await r.waitFor(3);
    expect(eventIds(got)).toEqual([`${w.id}:created`, `${w.id}:broadcast`, `${w.id}:confirmed`]);
    for (const p of got) {
      expect(p.format).toBe('json');
      expect(p.headers['content-type']).toBe('application/json');
      expect(p.headers['tollgate-event']).toBe(p.fields.event);
      expect(verifySignature(p.headers['tollgate-signature'] as string, p.raw, s.secretKey, nowSeconds())).toBe(true);
      expect(verifySignature(p.headers['tollgate-signature'] as string, p.raw, 'another-secret', nowSeconds())).toBe(false);
      // Native only: no CryptoCloud form fields, no JWT.
      expect(p.fields.token).toBeUndefined();
    }
    expect(got[0].fields).toMatchObject({ event: 'withdrawal.created', event_id: `${w.id}:created`, withdrawal: { id: w.id, currency: 'USDT_ERC20', amount: '25', fee: '1', to_address: w.toAddress } });
    expect(got[1].fields).toMatchObject({ event: 'withdrawal.broadcast', withdrawal: { tx_hash: tx.hash } });
    expect(got[2].fields).toMatchObject({ event: 'withdrawal.confirmed', withdrawal: { status: 'confirmed', tx_hash: tx.hash, reason: null } });

    // Every job again, as an at-least-once queue may deliver it: already delivered, nothing is sent.
    await deps.queue.sendMany('postbacks', withdrawalEventsOf(w).map((e) => ({ id: `again:${e.id}`, body: withdrawalJobOf(w, e) })));
    await sleep(1_500);
    expect(r.received).toHaveLength(3);
    const log = await webhookLog(s.apiKey, w.id);
    expect(log.events).toEqual(withdrawalEventsOf(w).map((e) => ({ event_id: e.id, event: e.kind, delivered: true })));
    expect(log.attempts.map((a) => [a.event_id, a.attempt, a.outcome])).toEqual(got.map((p) => [p.headers['tollgate-event-id'], 1, 'delivered']));
  });

  it('a failed withdrawal tells why; one never broadcast sends no broadcast event', async () => {
    const r = await receiver();
    const s = await newProject({ notificationUrl: r.url });
    let w = await create(s.shopId);
    w = await move(w, 'failed', { reason: 'insufficient balance' });
    const got = await r.waitFor(2);
    await sleep(300);
    expect(r.received).toHaveLength(2);
    const failed = got.find((p) => p.fields.event === 'withdrawal.failed');
    expect(failed?.fields).toMatchObject({ event_id: `${w.id}:failed`, withdrawal: { status: 'failed', reason: 'insufficient balance', tx_hash: null } });
  });

  it('after key rotate --secret the webhook header carries both secrets during the grace period', async () => {
    const r = await receiver();
    const s = await newProject({ notificationUrl: r.url });
    const rotated = await rotateKeys(deps, hashKey, s.shopId, { api: false, secret: true }, Date.now());
    if (!rotated.ok) throw new Error('rotate failed');
    await create(s.shopId);
    const [got] = await r.waitFor(1);
    const header = got.headers['tollgate-signature'] as string;
    expect(header.match(/v1=/g)?.length).toBe(2);
    expect(verifySignature(header, got.raw, rotated.value.keys.secretKey as string, nowSeconds())).toBe(true);
    expect(verifySignature(header, got.raw, s.secretKey, nowSeconds())).toBe(true);
  });
});

describe('the sender sends only what the stored withdrawal has', () => {
  it('drops a job for a status the stored withdrawal does not have, without a request or an attempt', async () => {
    const r = await receiver();
    const s = await newProject({ notificationUrl: r.url });
    const w = requestedWithdrawal(s.shopId, Date.now());
    // Stored without its created webhook queued: only the stale job reaches the sender.
    await deps.withdrawals.create(w, {});
    // A job made for a write that lost its race: the stored version, a status it never reached.
    const stale = withdrawalJobOf(w, { id: `${w.id}:confirmed`, kind: 'withdrawal.confirmed' });
    await deps.queue.send('postbacks', { id: 'stale', body: stale });
    expect(await deliverPostback(deps, { invoice: postbackFields, withdrawal: withdrawalWebhookBody }, stale, 1)).toEqual({ kind: 'skipped', reason: 'event_not_recorded' });
    await sleep(1_000);
    expect(r.connections()).toBe(0);
    expect((await webhookLog(s.apiKey, w.id)).attempts).toEqual([]);
  });
});

describe('failures, log and resend', () => {
  it('retries a failing receiver with the invoices backoff until it answers 2xx; every attempt is in the log', async () => {
    const r = await receiver((n) => (n <= 2 ? { status: n === 1 ? 500 : 404, body: `down ${n}` } : { status: 200, body: 'ok' }));
    const s = await newProject({ notificationUrl: r.url });
    const w = await create(s.shopId);
    await r.waitFor(3);
    const log = await eventually(() => webhookLog(s.apiKey, w.id), (l) => l.attempts.length >= 3);
    await sleep(300);
    expect(r.received).toHaveLength(3);
    expect(log.attempts.map((a) => [a.event_id, a.attempt, a.outcome, a.http_status, a.response])).toEqual([
      [`${w.id}:created`, 1, 'rejected', 500, 'down 1'],
      [`${w.id}:created`, 2, 'rejected', 404, 'down 2'],
      [`${w.id}:created`, 3, 'delivered', 200, 'ok'],
    ]);
    expect(log.events).toEqual([{ event_id: `${w.id}:created`, event: 'withdrawal.created', delivered: true }]);
  });

  it('waits the same jittered backoff as an invoice postback for the same receive count', async () => {
    const failing = await receiver(() => ({ status: 503, body: 'down' }));
    const s = await newProject({ notificationUrl: failing.url });
    const w = requestedWithdrawal(s.shopId, Date.now());
    await deps.withdrawals.create(w, {});
    const invoice = await createTestInvoice(deps, s.project, { cryptocurrency: 'USDT_ERC20' });
    // Its own postback is not queued: the consumer must not add attempts while the test counts.
    const unqueued: Deps = { ...deps, queue: { send: async () => {}, sendMany: async () => {}, retryAfter: async () => {} } };
    const paid = await confirmTestInvoice(unqueued, s.project, invoice.id, Date.now());
    if (!paid.ok) throw new Error(JSON.stringify(paid.error));
    const policy = { attempts: 16, firstDelaySeconds: 60, maxDelaySeconds: 43_200 };
    const fixed: Deps = { ...deps, random: fixedRandom(0.25), settings: { ...deps.settings, publicBaseUrl: 'https://pay.test', postbacks: { ...deps.settings.postbacks, retry: policy } } };
    const renderers = { invoice: postbackFields, withdrawal: withdrawalWebhookBody };
    const forWithdrawal = await deliverPostback(fixed, renderers, withdrawalJobOf(w, withdrawalEventsOf(w)[0]), 3);
    const forInvoice = await deliverPostback(fixed, renderers, jobOf(paid.value, postbackEventsOf(paid.value)[0]), 3);
    expect(forWithdrawal).toEqual({ kind: 'retry', afterSeconds: retryDelaySeconds(3, policy, 0.25), reason: 'HTTP 503' });
    expect(forInvoice).toEqual(forWithdrawal);
    expect(forWithdrawal.kind === 'retry' && forWithdrawal.afterSeconds).toBe(216);
    // The last receive gives up, so the queue parks the job in the DLQ as it does an invoice's.
    expect(await deliverPostback(fixed, renderers, withdrawalJobOf(w, withdrawalEventsOf(w)[0]), policy.attempts)).toEqual({ kind: 'gave_up', reason: 'HTTP 503' });
  });

  it('resend sends the same event ids again and logs them as resends; another project sees nothing; the admin twins work', async () => {
    const r = await receiver();
    const s = await newProject({ notificationUrl: r.url });
    let w = await create(s.shopId);
    await r.waitFor(1);
    w = await move(w, 'canceled', { reason: 'merchant canceled' });
    await r.waitFor(2);
    const res = await call('api.withdrawal.webhooks_resend', { apiKey: s.apiKey, pathParameters: { withdrawalId: w.id.toLowerCase() }, contentType: null });
    expect(res.status).toBe(202);
    expect((res.body.result as { queued: { event_id: string }[] }).queued.map((e) => e.event_id)).toEqual([`${w.id}:created`, `${w.id}:canceled`]);
    const all = await r.waitFor(4);
    expect(new Set(eventIds(all.slice(2)))).toEqual(new Set(eventIds(all.slice(0, 2))));
    const log = await eventually(() => webhookLog(s.apiKey, w.id), (l) => l.attempts.length >= 4);
    expect(log.attempts.filter((a) => a.resend).map((a) => [a.attempt, a.outcome])).toEqual([
      [2, 'delivered'],
      [2, 'delivered'],
    ]);

    const other = await newProject();
    for (const route of ['api.withdrawal.webhooks', 'api.withdrawal.webhooks_resend'] as const) {
      const foreign = await call(route, { apiKey: other.apiKey, pathParameters: { withdrawalId: w.id }, contentType: null });
      expect(foreign.status, route).toBe(404);
      expect(foreign.body).toEqual({ status: 'error', result: { withdrawal: `No withdrawal ${w.id} in this project` } });
    }
    const bad = await call('api.withdrawal.webhooks', { apiKey: s.apiKey, pathParameters: { withdrawalId: 'INV#1' }, contentType: null });
    expect(bad.status).toBe(400);
    expect(bad.body.result).toHaveProperty('withdrawal_id');

    const admin = { headers: { authorization: `Bearer ${ADMIN_TOKEN}` }, pathParameters: { withdrawalId: w.id }, contentType: null };
    const adminLog = await call('admin.withdrawal.webhooks', admin);
    expect(adminLog.status).toBe(200);
    expect((adminLog.body.result as LogAnswer).attempts).toHaveLength(4);
    expect((await call('admin.withdrawal.webhooks_resend', admin)).status).toBe(202);
    await r.waitFor(6);
    expect((await call('admin.withdrawal.webhooks', { ...admin, headers: { authorization: 'Bearer not-the-admin-token-at-all' } })).status).toBe(403);
  });
});

describe('tollgate withdraw webhooks|resend', () => {
  it('shows the log and resends through the admin routes', async () => {
    const r = await receiver();
    const s = await newProject({ notificationUrl: r.url });
    const w = await create(s.shopId);
    await r.waitFor(1);
    await eventually(() => webhookLog(s.apiKey, w.id), (l) => l.attempts.length >= 1);
    const host = createHttpHost();
    await new Promise<void>((ready) => host.listen(0, '127.0.0.1', ready));
    const url = `http://127.0.0.1:${(host.address() as AddressInfo).port}`;
    const cli = async (...args: string[]) => {
      let printed = '';
      await run([...args, '--endpoint', url, '--admin-token', ADMIN_TOKEN, '--json'], {}, (text) => {
        printed += text;
      });
      return JSON.parse(printed);
    };
    try {
      expect(await cli('withdraw', 'webhooks', w.id)).toMatchObject({ events: [{ event_id: `${w.id}:created`, delivered: true }], attempts: [{ attempt: 1, outcome: 'delivered' }] });
      expect(await cli('withdraw', 'resend', w.id)).toEqual({ queued: [{ event_id: `${w.id}:created`, event: 'withdrawal.created' }] });
      const [, again] = await r.waitFor(2);
      expect(again.headers['tollgate-event-id']).toBe(`${w.id}:created`);
      await expect(cli('withdraw', 'webhooks', 'INV-NOPE0000')).rejects.toThrow(/No withdrawal INV-NOPE0000/);
    } finally {
      await new Promise((done) => host.close(done));
    }
  });
});

describe('invoice jobs keep working', () => {
  it('a job in the old shape (no subject) still delivers the invoice postback', async () => {
    const r = await receiver();
    const s = await newProject({ notificationUrl: r.url, postbackFormat: 'json' });
    const invoice = await createTestInvoice(deps, s.project, { cryptocurrency: 'USDT_ERC20' });
    const paid = await confirmTestInvoice(deps, s.project, invoice.id, Date.now());
    if (!paid.ok) throw new Error(JSON.stringify(paid.error));
    const [first] = await r.waitFor(1);
    // Exactly the body a sender before withdrawals queued: no subject field.
    const old = { eventId: `INV-${invoice.id}:success`, invoiceId: invoice.id, shopId: s.shopId, kind: 'invoice.paid', version: paid.value.version, force: true };
    await deps.queue.send('postbacks', { id: 'old-shape', body: old });
    const [, again] = await r.waitFor(2);
    expect(again.headers['tollgate-event-id']).toBe(first.headers['tollgate-event-id']);
    expect(again.fields).toMatchObject({ status: 'success', invoice_id: invoice.id, event: 'invoice.paid' });
    expect(verifySignature(again.headers['tollgate-signature'] as string, again.raw, s.secretKey, nowSeconds())).toBe(true);
  });
});
