/**
 * The merchant kit against the real sender: a test-mode invoice confirmed through the use case,
 * its postback queued on the local SQS engine, sent by the real postbacks consumer
 * (functions/queues/postbacks.ts) to a real HTTP listener, and the request as received verified
 * by verifyPostback (Node) and by the PHP and Python recipes: JSON and form, and a rotated secret.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashKey } from '../../functions/kit/deps';
import { queueEnvironment } from '../../lib/manifest';
import { type LocalQueues, startQueues } from '../../lib/local/engines/queues';
import { type SqsHandler, startQueueConsumers } from '../../lib/local/queue-host';
import { verifyPostback } from '../../lib/merchant/verify-postback.mjs';
import { confirmTestInvoice } from '../../shared/app/invoices';
import { rotateKeys } from '../../shared/app/projects';
import type { Project } from '../../shared/domain/project';
import type { Deps } from '../../shared/ports';
import { createTestInvoice } from '../support/builders';
import { newProject, useTestGateway } from '../support/gateway';
import { type Receiver, type Received, startReceiver } from '../support/postback-receiver';

const KIT = join(import.meta.dirname, '../../lib/merchant');
let queues: LocalQueues;
let consumers: { stop(): Promise<void> };
let deps: Deps;
let receiver: Receiver;

beforeAll(async () => {
  queues = await startQueues();
  ({ deps } = await useTestGateway({ SQS_ENDPOINT: queues.endpoint, ...queueEnvironment(queues.urls), POSTBACK_ALLOW_LOOPBACK: 'true', POSTBACK_RETRY_FIRST_SECONDS: '0', POSTBACK_RETRY_MAX_SECONDS: '0' }));
  consumers = startQueueConsumers(queues.endpoint, [
    { queueUrl: queues.urls.postbacks.url, batchSize: 10, load: async () => ((await import('../../functions/queues/postbacks')) as { handler: SqsHandler }).handler },
  ]);
  receiver = await startReceiver();
}, 60_000);

afterAll(async () => {
  await consumers?.stop();
  await receiver?.stop();
  await queues?.stop();
});

/** A test-confirmed invoice of a fresh project; resolves with the postback as the listener received it. */
async function paidPostback(project: Project): Promise<{ got: Received; invoiceId: string }> {
  const before = receiver.received.length;
  const invoice = await createTestInvoice(deps, project, { cryptocurrency: 'USDT_ERC20', orderId: 'ORDER-9' });
  const done = await confirmTestInvoice(deps, project, invoice.id, Date.now());
  if (!done.ok) throw new Error(JSON.stringify(done.error));
  const all = await receiver.waitFor(before + 1);
  return { got: all[before], invoiceId: invoice.id };
}

/** The received request through the PHP and Python recipes, as a one-vector file at the current time. */
function recipes(got: Received, secret: string | string[]) {
  const dir = mkdtempSync(join(tmpdir(), 'tollgate-verify-'));
  try {
    const file = join(dir, 'vectors.json');
    const headers = Object.fromEntries(Object.entries(got.headers).map(([k, v]) => [k, String(v)]));
    writeFileSync(file, JSON.stringify({ vectors: [{ name: 'received', request: { headers, body: got.raw }, secret, options: { now: Math.floor(Date.now() / 1000) } }] }));
    return [
      ['python3', 'verify_postback.py'],
      ['php', 'verify_postback.php'],
    ].map(([cmd, script]) => JSON.parse(execFileSync(cmd, [join(KIT, script), '--vectors', file], { encoding: 'utf8' }))[0].result);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('verifyPostback against postbacks the real sender delivered over HTTP', () => {
  it.each(['json', 'form'] as const)('%s: verified by the header, test_mode true, the payload readable; a wrong secret and a changed byte refused', async (format) => {
    const s = await newProject({ name: 'Verify shop', notificationUrl: receiver.url, postbackFormat: format });
    const { got, invoiceId } = await paidPostback(s.project);
    const request = { headers: got.headers, rawBody: got.raw };
    const result = await verifyPostback(request, s.secretKey);
    expect(result).toMatchObject({ ok: true, test_mode: true, verified_by: 'signature' });
    if (!result.ok) return;
    expect(result.payload).toMatchObject({ status: 'success', invoice_id: invoiceId, order_id: 'ORDER-9', event_id: `INV-${invoiceId}:success` });
    expect((result.payload.invoice_info as Record<string, unknown>).uuid).toBe(`INV-${invoiceId}`);
    expect(await verifyPostback(request, 'another-secret-of-at-least-32-bytes!!')).toEqual({ ok: false, reason: 'signature_mismatch' });
    expect(await verifyPostback({ headers: got.headers, rawBody: `${got.raw} ` }, s.secretKey)).toEqual({ ok: false, reason: 'signature_mismatch' });
    // The CryptoCloud token of the same request, for listeners that only have it.
    const { 'tollgate-signature': _, ...withoutHeader } = got.headers;
    expect(await verifyPostback({ headers: withoutHeader, rawBody: got.raw }, s.secretKey, { allowTokenOnly: true })).toMatchObject({ ok: true, verified_by: 'token', test_mode: true });
    // The recipes read the same request the same way.
    for (const r of recipes(got, s.secretKey)) expect(r).toMatchObject({ ok: true, test_mode: true, verified_by: 'signature', payload: { invoice_id: invoiceId } });
  });

  it('after key rotate --secret: the two-signature header verifies with the new secret, the old one, or both', async () => {
    const s = await newProject({ name: 'Rotating shop', notificationUrl: receiver.url, postbackFormat: 'form' });
    const rotated = await rotateKeys(deps, hashKey, s.shopId, { api: false, secret: true }, Date.now());
    if (!rotated.ok) throw new Error('rotate failed');
    const fresh = rotated.value.keys.secretKey as string;
    const { got } = await paidPostback(rotated.value.project);
    expect(String(got.headers['tollgate-signature']).match(/v1=/g)).toHaveLength(2);
    const request = { headers: got.headers, rawBody: got.raw };
    for (const secret of [fresh, s.secretKey, [fresh, s.secretKey]]) expect(await verifyPostback(request, secret), JSON.stringify(secret)).toMatchObject({ ok: true });
    for (const r of recipes(got, s.secretKey)) expect(r).toMatchObject({ ok: true });
    // The token is signed with the new secret only: a token-only listener must switch at once.
    const { 'tollgate-signature': _, ...withoutHeader } = got.headers;
    expect(await verifyPostback({ headers: withoutHeader, rawBody: got.raw }, s.secretKey, { allowTokenOnly: true })).toEqual({ ok: false, reason: 'token_signature_mismatch' });
    expect(await verifyPostback({ headers: withoutHeader, rawBody: got.raw }, [fresh, s.secretKey], { allowTokenOnly: true })).toMatchObject({ ok: true });
  });
});
