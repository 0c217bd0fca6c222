/**
 * Postbacks end to end on real parts: the postbacks queue on the local SQS engine, the real
 * consumer (functions/queues/postbacks.ts) polled as Lambda's event source would, the table on
 * DynamoDB Local, the devnet for payments, and real HTTP receivers that verify what they get with
 * jose and the README's HMAC recipe. Backoff is 0 s here so 16 attempts take a moment.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashKey } from '../../functions/kit/deps';
import { type SqsHandler, startQueueConsumers } from '../../lib/local/queue-host';
import { confirmTestInvoice } from '../../shared/app/invoices';
import { rotateKeys } from '../../shared/app/projects';
import { revert, snapshot } from '../../lib/local/engines/devnet';
import type { Invoice } from '../../shared/domain/invoice/invoice';
import { jobOf } from '../../shared/domain/postbacks';
import { makeLogger } from '../../shared/log';
import { createTestInvoice } from '../support/builders';
import { ADMIN_TOKEN, call, newProject } from '../support/gateway';
import { type Harness, usePaymentsHarness } from '../support/payments-harness';
import { type Answer, type Receiver, type Received, startReceiver, verifySignature, verifyToken } from '../support/postback-receiver';

const TIMEOUT_MS = 1_000;
let h: Harness;
let consumers: { stop(): Promise<void> };
const receivers: Receiver[] = [];

beforeAll(async () => {
  h = await usePaymentsHarness({
    env: { LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent', POSTBACK_ALLOW_LOOPBACK: 'true', POSTBACK_RETRY_FIRST_SECONDS: '0', POSTBACK_RETRY_MAX_SECONDS: '0', POSTBACK_TIMEOUT_MS: String(TIMEOUT_MS) },
  });
  await h.settle(); // the watcher's checkpoint starts at the head: later payments are seen
  consumers = startQueueConsumers(h.queues.endpoint, [
    { queueUrl: h.queues.urls.postbacks.url, batchSize: 10, load: async () => ((await import('../../functions/queues/postbacks')) as { handler: SqsHandler }).handler },
  ]);
}, 60_000);

afterAll(async () => {
  await consumers?.stop();
  for (const r of receivers) await r.stop();
  await h?.stop();
});

async function receiver(answer?: (n: number, r: Received) => Answer) {
  const r = await startReceiver(answer);
  receivers.push(r);
  return r;
}

async function shop(url: string | null, format: 'json' | 'form' = 'form') {
  return newProject({ name: 'Postback shop', ...(url ? { notificationUrl: url } : {}), postbackFormat: format });
}

/** The README's `verifyTollgate`, compiled from the README itself so the docs cannot drift. */
function readmeVerifier(): (header: string, rawBody: string, secret: string) => boolean {
  const source = /function verifyTollgate[\s\S]*?\n}\n/.exec(readFileSync(join(import.meta.dirname, '../../README.md'), 'utf8'))?.[0];
  if (!source) throw new Error('README has no verifyTollgate recipe');
  return new Function('createHmac', 'timingSafeEqual', `${source}\nreturn verifyTollgate;`)(createHmac, timingSafeEqual);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const nowSeconds = () => Math.floor(Date.now() / 1000);

async function attemptsOf(apiKey: string, invoice: Invoice) {
  const res = await call('api.invoice.postbacks', { apiKey, pathParameters: { invoiceId: `INV-${invoice.id}` }, contentType: null });
  expect(res.status).toBe(200);
  return res.body.result as { events: { event_id: string; delivered: boolean }[]; attempts: { outcome: string; attempt: number; http_status: number | null; latency_ms: number; response: string; resend: boolean }[] };
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

async function testPaid(s: Awaited<ReturnType<typeof shop>>, overrides: Parameters<typeof createTestInvoice>[2] = {}) {
  const invoice = await createTestInvoice(h.deps, s.project, { cryptocurrency: 'USDT_ERC20', ...overrides });
  const done = await confirmTestInvoice(h.deps, s.project, invoice.id, Date.now());
  if (!done.ok) throw new Error(JSON.stringify(done.error));
  return invoice;
}

describe('postback format and signatures', () => {
  it('JSON: CryptoCloud fields, a jose-verifiable HS256 token with id and exp, and a valid HMAC header', async () => {
    const r = await receiver();
    const s = await shop(r.url, 'json');
    const invoice = await testPaid(s, { orderId: 'ORDER-77' });
    const [got] = await r.waitFor(1);
    expect(got.format).toBe('json');
    expect(got.headers['content-type']).toBe('application/json');
    expect(got.fields).toMatchObject({ status: 'success', invoice_id: invoice.id, amount_crypto: 10, currency: 'USDT_ERC20', order_id: 'ORDER-77', event: 'invoice.paid', event_id: `INV-${invoice.id}:success`, confirmed_via: 'test' });
    const info = got.fields.invoice_info as Record<string, unknown>;
    expect(info).toMatchObject({ uuid: `INV-${invoice.id}`, status: 'paid', invoice_status: 'success', order_id: 'ORDER-77', test_mode: true });
    const token = await verifyToken(got.fields.token, s.secretKey);
    expect(token.ok).toBe(true);
    if (token.ok) {
      expect(token.claims.id).toBe(invoice.id);
      expect(Number(token.claims.exp) - nowSeconds()).toBeGreaterThan(290);
      expect(Number(token.claims.exp) - nowSeconds()).toBeLessThanOrEqual(300);
    }
    expect((await verifyToken(got.fields.token, 'another-secret-of-at-least-32-bytes!!')).ok).toBe(false);
    expect(verifySignature(got.headers['tollgate-signature'] as string, got.raw, s.secretKey, nowSeconds())).toBe(true);
    expect(verifySignature(got.headers['tollgate-signature'] as string, `${got.raw} `, s.secretKey, nowSeconds())).toBe(false);
    expect(verifySignature(got.headers['tollgate-signature'] as string, got.raw, s.secretKey, nowSeconds() + 301)).toBe(false);
    expect(got.headers['tollgate-event-id']).toBe(`INV-${invoice.id}:success`);
    // The recipe the README gives merchants verifies the same request.
    expect(readmeVerifier()(got.headers['tollgate-signature'] as string, got.raw, s.secretKey)).toBe(true);
    expect(readmeVerifier()(got.headers['tollgate-signature'] as string, got.raw, 'wrong-secret')).toBe(false);
  });

  it('form (the default): every field a form field, invoice_info one JSON string', async () => {
    const r = await receiver();
    const s = await shop(r.url);
    const invoice = await testPaid(s);
    const [got] = await r.waitFor(1);
    expect(got.format).toBe('form');
    const raw = Object.fromEntries(new URLSearchParams(got.raw));
    expect(raw).toMatchObject({ status: 'success', invoice_id: invoice.id, amount_crypto: '10', currency: 'USDT_ERC20', order_id: '' });
    expect(JSON.parse(raw.invoice_info)).toMatchObject({ uuid: `INV-${invoice.id}`, status: 'paid' });
    expect((await verifyToken(raw.token, s.secretKey)).ok).toBe(true);
    expect(verifySignature(got.headers['tollgate-signature'] as string, got.raw, s.secretKey, nowSeconds())).toBe(true);
  });

  it('after key rotate --secret the next postback is signed with the new secret; the header carries both during the grace period', async () => {
    const r = await receiver();
    const s = await shop(r.url);
    const rotated = await rotateKeys(h.deps, hashKey, s.shopId, { api: false, secret: true }, Date.now());
    if (!rotated.ok) throw new Error('rotate failed');
    const fresh = rotated.value.keys.secretKey as string;
    const lines: string[] = [];
    const quiet = h.deps.log;
    h.deps.log = makeLogger({}, 'debug', (l) => lines.push(l));
    try {
      await testPaid({ ...s, project: rotated.value.project });
      await r.waitFor(1);
      await sleep(200);
    } finally {
      h.deps.log = quiet;
    }
    const [got] = r.received;
    // Neither secret nor the token reaches a log line.
    expect(lines.some((l) => l.includes('postback.delivered'))).toBe(true);
    for (const secret of [fresh, s.secretKey, String(got.fields.token)]) expect(lines.some((l) => l.includes(secret))).toBe(false);
    expect((await verifyToken(got.fields.token, fresh)).ok).toBe(true);
    expect((await verifyToken(got.fields.token, s.secretKey)).ok).toBe(false);
    const header = got.headers['tollgate-signature'] as string;
    expect(header.match(/v1=/g)?.length).toBe(2);
    expect(verifySignature(header, got.raw, fresh, nowSeconds())).toBe(true);
    expect(verifySignature(header, got.raw, s.secretKey, nowSeconds())).toBe(true);
  });
});

describe('delivery', () => {
  it('a receiver that fails 3 times then succeeds gets exactly one success and 4 logged attempts', async () => {
    const r = await receiver((n) => (n <= 3 ? { status: n === 2 ? 404 : 500, body: `down ${n}` } : { status: 200, body: 'ok' }));
    const s = await shop(r.url);
    const invoice = await testPaid(s);
    await r.waitFor(4);
    const log = await eventually(() => attemptsOf(s.apiKey, invoice), (l) => l.attempts.length >= 4);
    await sleep(500);
    expect(r.received.length).toBe(4);
    expect(log.attempts.map((a) => [a.attempt, a.outcome, a.http_status, a.response])).toEqual([
      [1, 'rejected', 500, 'down 1'],
      [2, 'rejected', 404, 'down 2'],
      [3, 'rejected', 500, 'down 3'],
      [4, 'delivered', 200, 'ok'],
    ]);
    expect(log.events).toEqual([expect.objectContaining({ event_id: `INV-${invoice.id}:success`, delivered: true })]);
    // Every attempt carries the same event id, and a fresh token.
    expect(new Set(r.received.map((x) => x.headers['tollgate-event-id'])).size).toBe(1);
  });

  it('any 2xx counts as delivered (202, 204), and redirects are answers, not followed', async () => {
    const target = await receiver();
    const r = await receiver((n) => (n === 1 ? { status: 302, headers: { location: target.url } } : { status: n === 2 ? 202 : 204 }));
    const s = await shop(r.url);
    const first = await testPaid(s);
    await r.waitFor(2);
    const second = await testPaid(s);
    await r.waitFor(3);
    expect((await eventually(() => attemptsOf(s.apiKey, first), (l) => l.attempts.length >= 2)).attempts.map((a) => [a.outcome, a.http_status])).toEqual([
      ['rejected', 302],
      ['delivered', 202],
    ]);
    expect((await eventually(() => attemptsOf(s.apiKey, second), (l) => l.attempts.length >= 1)).attempts.map((a) => a.outcome)).toEqual(['delivered']);
    expect(target.received.length).toBe(0);
  });

  it('a receiver that hangs is cut at the timeout, and the next attempt delivers', async () => {
    const r = await receiver((n) => (n === 1 ? 'hang' : { status: 200 }));
    const s = await shop(r.url);
    const invoice = await testPaid(s);
    await r.waitFor(2);
    const log = await eventually(() => attemptsOf(s.apiKey, invoice), (l) => l.attempts.length >= 2);
    expect(log.attempts[0]).toMatchObject({ outcome: 'timeout', http_status: null });
    expect(log.attempts[0].latency_ms).toBeGreaterThanOrEqual(TIMEOUT_MS - 20);
    expect(log.attempts[0].latency_ms).toBeLessThan(TIMEOUT_MS + 2_000);
    expect(log.attempts[1].outcome).toBe('delivered');
  });

  it('when the attempts run out the job lands in the DLQ, and redrive delivers it', async () => {
    let up = false;
    const r = await receiver(() => (up ? { status: 200 } : { status: 503, body: 'maintenance' }));
    const s = await shop(r.url);
    const invoice = await testPaid(s);
    const attempts = h.deps.settings.postbacks.retry.attempts;
    await r.waitFor(attempts, 30_000);
    const parked = await eventually(
      async () => (await call('admin.dlq.list', { headers: { authorization: `Bearer ${ADMIN_TOKEN}` }, pathParameters: { queue: 'postbacks' }, contentType: null })).body.result as { job: { invoiceId: string } }[],
      (l) => l.some((d) => d.job.invoiceId === invoice.id),
    );
    expect(parked.filter((d) => d.job.invoiceId === invoice.id)).toHaveLength(1);
    await sleep(300);
    expect(r.received.length).toBe(attempts);
    up = true;
    const redrive = await call('admin.dlq.redrive', { headers: { authorization: `Bearer ${ADMIN_TOKEN}` }, pathParameters: { queue: 'postbacks' }, contentType: null });
    expect(redrive.status).toBe(200);
    expect((redrive.body.result as { moved: number }).moved).toBeGreaterThanOrEqual(1);
    await r.waitFor(attempts + 1);
    const log = await eventually(() => attemptsOf(s.apiKey, invoice), (l) => l.attempts.length >= attempts + 1);
    expect(log.attempts.filter((a) => a.outcome === 'rejected')).toHaveLength(attempts);
    expect(log.attempts.at(-1)?.outcome).toBe('delivered');
    expect(log.events[0].delivered).toBe(true);
  }, 60_000);

  it('resend sends the same event again and logs it as a resend; a created invoice has nothing to resend', async () => {
    const r = await receiver();
    const s = await shop(r.url);
    const invoice = await testPaid(s);
    await r.waitFor(1);
    const res = await call('api.invoice.postbacks_resend', { apiKey: s.apiKey, pathParameters: { invoiceId: `INV-${invoice.id}` }, contentType: null });
    expect(res.status).toBe(202);
    const [first, again] = await r.waitFor(2);
    expect(again.headers['tollgate-event-id']).toBe(first.headers['tollgate-event-id']);
    const log = await eventually(() => attemptsOf(s.apiKey, invoice), (l) => l.attempts.length >= 2);
    expect(log.attempts.map((a) => a.resend)).toEqual([false, true]);
    const open = await createTestInvoice(h.deps, s.project);
    const none = await call('api.invoice.postbacks_resend', { apiKey: s.apiKey, pathParameters: { invoiceId: open.id }, contentType: null });
    expect(none.status).toBe(400);
    expect(String((none.body.result as { uuid: string }).uuid)).toMatch(/no postback to send yet/);
    const other = await shop(null);
    const foreign = await call('api.invoice.postbacks', { apiKey: other.apiKey, pathParameters: { invoiceId: invoice.id }, contentType: null });
    expect(foreign.body).toEqual({ status: 'error', result: { validate_error: `Invoice INV-${invoice.id} not found` } });
  });

  it('a job whose event the invoice does not have (its write lost a race) is dropped without a request', async () => {
    const r = await receiver();
    const s = await shop(r.url);
    const open = await createTestInvoice(h.deps, s.project);
    await h.deps.queue.send('postbacks', { id: 'stale', body: jobOf(open, { id: `INV-${open.id}:success`, kind: 'invoice.paid', via: 'payment', paymentKey: null }) });
    await sleep(1_500);
    expect(r.connections()).toBe(0);
    expect((await attemptsOf(s.apiKey, open)).attempts).toEqual([]);
  });

  it('without a notification URL the attempt is logged as no_url and not retried', async () => {
    const s = await shop(null);
    const invoice = await testPaid(s);
    const log = await eventually(() => attemptsOf(s.apiKey, invoice), (l) => l.attempts.length >= 1);
    await sleep(500);
    expect((await attemptsOf(s.apiKey, invoice)).attempts.map((a) => a.outcome)).toEqual(['no_url']);
    expect(log.attempts[0].response).toMatch(/notification/);
  });
});

describe('per-invoice notification URL', () => {
  it('add_fields.notification_url sends that invoice to its own URL; an internal address is refused at create', async () => {
    const projectWide = await receiver();
    const own = await receiver();
    const s = await shop(projectWide.url);
    const created = await call('invoice.create', { apiKey: s.apiKey, body: { shop_id: s.shopId, amount: 10, currency: 'USD', add_fields: { notification_url: own.url, cryptocurrency: 'USDT_ERC20' } } });
    expect(created.status).toBe(200);
    const uuid = (created.body.result as { uuid: string }).uuid;
    const done = await confirmTestInvoice(h.deps, s.project, uuid.slice(4) as Invoice['id'], Date.now());
    expect(done.ok).toBe(true);
    const [got] = await own.waitFor(1);
    expect(got.fields.invoice_id).toBe(uuid.slice(4));
    expect(projectWide.received.length).toBe(0);

    for (const url of ['http://169.254.169.254/latest/meta-data/', 'http://10.0.0.8/cb', 'ftp://shop.example/cb', 'http://[fd00::1]/cb']) {
      const refused = await call('invoice.create', { apiKey: s.apiKey, body: { shop_id: s.shopId, amount: 10, currency: 'USD', add_fields: { notification_url: url } } });
      expect(refused.status, url).toBe(400);
      expect(refused.body.status).toBe('error');
      expect(String((refused.body.result as { notification_url: string }).notification_url)).toMatch(/notification_url/);
    }
  });
});

describe('payment to postback on the devnet', () => {
  it('a paid invoice posts the right amounts with a valid token; a duplicate and a reversal follow as their own events', async () => {
    const r = await receiver();
    const s = await shop(r.url, 'json');
    const invoice = await h.invoiceFor(s.project, 'USDT_ERC20', 12.5, { orderId: 'SHOP-1' });
    const address = invoice.selection?.address as string;
    const beforePayment = await snapshot(h.devnet.rpcUrl);
    await h.pay(address, 12_500_000n);
    await h.mine(3);
    await h.settle();
    const [paid] = await r.waitFor(1);
    expect(paid.fields).toMatchObject({ status: 'success', invoice_id: invoice.id, amount_crypto: 12.5, currency: 'USDT_ERC20', order_id: 'SHOP-1', payment_type: 'payment' });
    const token = await verifyToken(paid.fields.token, s.secretKey);
    expect(token.ok && token.claims.id).toBe(invoice.id);
    const info = paid.fields.invoice_info as { status: string; amount_paid: number; received: number; fee: number; tx_list: { amount: number; final: boolean }[] };
    expect(info.status).toBe('paid');
    expect(info.amount_paid).toBe(12.5);
    // The merchant-side sweep fee is withheld from what reaches the balance.
    expect(info.received).toBeCloseTo(12.5 - info.fee, 6);
    expect(info.tx_list).toEqual([expect.objectContaining({ amount: 12.5, final: true })]);

    await h.pay(address, 2_000_000n);
    await h.mine(3);
    await h.settle();
    const [, duplicate] = await r.waitFor(2);
    expect(duplicate.fields).toMatchObject({ status: 'duplicate', payment_type: 'duplicate', amount_crypto: 2, invoice_id: invoice.id });
    expect(duplicate.headers['tollgate-event']).toBe('payment.duplicate');

    // A reorg deeper than the confirmations removes both transfers' blocks: crediting reverses them.
    await revert(h.devnet.rpcUrl, beforePayment);
    await h.mine(10);
    await h.settle();
    const all = await r.waitFor(4);
    const reversed = all.find((p) => p.fields.event === 'payment.reversed' && p.fields.amount_crypto === 12.5);
    if (!reversed) throw new Error(`no reversal of the first payment among ${JSON.stringify(all.map((p) => p.fields.event))}`);
    expect(reversed.format).toBe('json');
    expect(reversed.headers['tollgate-event']).toBe('payment.reversed');
    expect(reversed.fields).toMatchObject({ status: 'reversed', event: 'payment.reversed', amount_crypto: 12.5, invoice_id: invoice.id });
    expect(verifySignature(reversed.headers['tollgate-signature'] as string, reversed.raw, s.secretKey, nowSeconds())).toBe(true);
  });
});
