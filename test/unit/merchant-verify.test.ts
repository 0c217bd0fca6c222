/**
 * The merchant kit (lib/merchant): the published vectors are what the real sender makes today
 * (regenerated and compared), and the Node helper, the Python recipe (python3) and the PHP recipe
 * (php-cli; .ci/run installs it) all give each vector's expected result. The real-HTTP check
 * against a delivered postback is test/integration/merchant-verify.test.ts.
 */
import { execFileSync } from 'node:child_process';
import { createServer, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateVectors, serializeVectors, VECTORS_PATH, type Vector } from '../../lib/merchant/generate-vectors';
import { REASONS, type VerifyResult, verifyPostback } from '../../lib/merchant/verify-postback.mjs';

const KIT = join(import.meta.dirname, '../../lib/merchant');
const published = () => JSON.parse(readFileSync(VECTORS_PATH, 'utf8')) as { vectors: Vector[]; secrets: Record<string, string> };

/** What a vector's `expect` compares: the verdict, and on success test_mode, verified_by and two payload ids. */
function verdict(r: VerifyResult | { ok: boolean; reason?: string; test_mode?: boolean; verified_by?: string; payload?: Record<string, unknown> }, expected: Vector['expect']) {
  const got: Record<string, unknown> = r.ok && 'payload' in r ? { ok: true, test_mode: r.test_mode, verified_by: r.verified_by, invoice_id: r.payload?.invoice_id, event_id: r.payload?.event_id } : { ok: false, reason: 'reason' in r ? r.reason : undefined };
  return Object.fromEntries(Object.keys(expected).map((k) => [k, got[k]]));
}

const nodeOptions = (v: Vector) => ({ now: v.options.now, toleranceSeconds: v.options.tolerance_seconds, allowTokenOnly: v.options.allow_token_only });

describe('published vectors', () => {
  it('are exactly what the real sender makes today (npm run vectors rewrites them)', async () => {
    expect(readFileSync(VECTORS_PATH, 'utf8')).toBe(serializeVectors(await generateVectors()));
  });

  it('cover what the brief lists, and every failure reason a request can cause', () => {
    const { vectors } = published();
    const names = vectors.map((v) => v.name);
    for (const n of ['json_valid', 'form_valid_test_mode', 'wrong_secret', 'stale_timestamp', 'tampered_body_amount', 'rotated_old_secret', 'token_only_valid', 'header_empty', 'withdrawal_webhook']) expect(names).toContain(n);
    const reasons = new Set(vectors.flatMap((v) => (v.expect.ok ? [] : [v.expect.reason])));
    // Not reachable from a vector's text: a parsed body (raw_body_required) and an unreadable request.
    expect(REASONS.filter((r) => !reasons.has(r))).toEqual(['raw_body_required', 'unreadable_request']);
    expect(vectors.find((v) => v.name === 'rotated_new_secret')?.request.headers['tollgate-signature'].match(/v1=/g)).toHaveLength(2);
  });
});

describe('verifyPostback (Node)', () => {
  const { vectors } = published();

  it.each(vectors.map((v) => [v.name, v] as const))('%s: {headers, rawBody} as a string and as a Buffer, and a Fetch Request', async (_, v) => {
    const { headers, body } = v.request;
    expect(verdict(await verifyPostback({ headers, rawBody: body }, v.secret, nodeOptions(v)), v.expect)).toEqual(v.expect);
    expect(verdict(await verifyPostback({ headers, rawBody: Buffer.from(body) }, v.secret, nodeOptions(v)), v.expect)).toEqual(v.expect);
    const fetchRequest = new Request('https://shop.example/callback', { method: 'POST', headers, body });
    expect(verdict(await verifyPostback(fetchRequest, v.secret, nodeOptions(v)), v.expect)).toEqual(v.expect);
    // Read from a clone: the handler can still read the body itself.
    expect(await fetchRequest.text()).toBe(body);
  });

  it('reads an unread IncomingMessage itself, takes express.raw() bodies, and refuses a parsed body', async () => {
    const v = vectors.find((x) => x.name === 'form_valid_test_mode') as Vector;
    const results: VerifyResult[] = [];
    const server = createServer(async (req, res) => {
      results.push(await verifyPostback(req, v.secret, nodeOptions(v)));
      res.end('ok');
    });
    await new Promise<void>((ok) => server.listen(0, '127.0.0.1', () => ok()));
    try {
      const { port } = server.address() as AddressInfo;
      await new Promise<void>((ok, ko) => {
        const r = httpRequest({ host: '127.0.0.1', port, method: 'POST', path: '/cb', headers: v.request.headers }, (res) => res.resume().on('end', ok));
        r.on('error', ko);
        r.end(v.request.body);
      });
    } finally {
      await new Promise<void>((ok) => server.close(() => ok()));
    }
    expect(results[0]).toMatchObject({ ok: true, test_mode: true, verified_by: 'signature' });
    expect(await verifyPostback({ headers: v.request.headers, body: Buffer.from(v.request.body) }, v.secret, nodeOptions(v))).toMatchObject({ ok: true });
    expect(await verifyPostback({ headers: v.request.headers, body: Object.fromEntries(new URLSearchParams(v.request.body)) }, v.secret, nodeOptions(v))).toEqual({ ok: false, reason: 'raw_body_required' });
    const used = new Request('https://shop.example/cb', { method: 'POST', headers: v.request.headers, body: v.request.body });
    await used.text();
    expect(await verifyPostback(used, v.secret, nodeOptions(v))).toEqual({ ok: false, reason: 'raw_body_required' });
  });

  it('never throws on hostile or missing input', async () => {
    const v = vectors[0];
    const inputs: unknown[] = [null, undefined, 42, 'text', [], {}, { headers: null, rawBody: v.request.body }, { headers: v.request.headers }, { headers: { 'tollgate-signature': ['a', 'b'] }, rawBody: '' }, { headers: v.request.headers, rawBody: 12 }];
    for (const input of inputs) {
      const r = await verifyPostback(input as never, v.secret, nodeOptions(v));
      expect(r.ok, JSON.stringify(input)).toBe(false);
      if (!r.ok) expect(REASONS).toContain(r.reason);
    }
    expect(await verifyPostback({ headers: v.request.headers, rawBody: v.request.body }, undefined as never)).toEqual({ ok: false, reason: 'missing_secret' });
    expect(await verifyPostback({ headers: v.request.headers, rawBody: v.request.body }, [null, ''] as never)).toEqual({ ok: false, reason: 'missing_secret' });
    // Signed but not JSON: verified, yet nothing to read.
    const { createHmac } = await import('node:crypto');
    const t = v.options.now;
    const raw = 'not json';
    const sig = createHmac('sha256', v.secret as string).update(`${t}.${raw}`).digest('hex');
    expect(await verifyPostback({ headers: { 'content-type': 'application/json', 'tollgate-signature': `t=${t},v1=${sig}` }, rawBody: raw }, v.secret, { now: t })).toEqual({ ok: false, reason: 'malformed_body' });
  });

  it('uses the clock and the 300 s default when no options are given', async () => {
    const v = vectors[0];
    expect(await verifyPostback({ headers: v.request.headers, rawBody: v.request.body }, v.secret)).toEqual({ ok: false, reason: 'timestamp_outside_tolerance' });
  });
});

/** Each recipe prints [{name, result}] for the vectors file. */
function runRecipe(command: string, script: string): { name: string; result: VerifyResult }[] {
  const out = execFileSync(command, [join(KIT, script), '--vectors', VECTORS_PATH], { encoding: 'utf8' });
  return JSON.parse(out);
}

const hasCommand = (c: string) => {
  try {
    execFileSync('sh', ['-c', `command -v ${c}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
};

describe.each([
  ['python3', 'verify_postback.py', 'python3 is needed for the Python recipe test'],
  ['php', 'verify_postback.php', 'php is needed for the PHP recipe test: apt-get install php-cli (.ci/run does)'],
])('%s recipe', (command, script, missing) => {
  it('gives every vector its expected result', () => {
    expect(hasCommand(command), missing).toBe(true);
    const { vectors } = published();
    const results = runRecipe(command, script);
    expect(results.map((r) => r.name)).toEqual(vectors.map((v) => v.name));
    for (const [i, v] of vectors.entries()) expect(verdict(results[i].result, v.expect), v.name).toEqual(v.expect);
    // The payload is the same fields the Node helper reads (a form's invoice_info decoded).
    const form = results.find((r) => r.name === 'form_valid_test_mode')?.result;
    expect(form?.ok && (form.payload.invoice_info as Record<string, unknown>).test_mode).toBe(true);
  });
});
