/**
 * The demo shop's postback listener, on the gateway's own port (`npm start` only): the demo
 * project's notification URL points here, so a test-mode payment shows its postback without
 * writing a listener. It verifies each postback as a shop should (the JWT with jose, the
 * Tollgate-Signature HMAC with a 5-minute tolerance) and lists the last ones at
 * `GET /demo/postbacks`. The same checks serve the tests' receivers.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { jwtVerify } from 'jose';
import { parseSignatureHeader } from '../../shared/domain/postbacks';

export const DEMO_LISTENER_PATH = '/demo/postbacks';
export const demoListenerUrl = (port: number) => `http://127.0.0.1:${port}${DEMO_LISTENER_PATH}`;
const DEMO_LISTENER_URL = /^http:\/\/127\.0\.0\.1:\d+\/demo\/postbacks$/;
export const isDemoListenerUrl = (url: string | null) => url !== null && DEMO_LISTENER_URL.test(url);
const KEPT_MAX = 50;

/** Verifies a Tollgate-Signature header against `secret`, as the README shows merchants. */
export function verifySignature(header: string | undefined, rawBody: string, secret: string, nowSeconds: number, toleranceSeconds = 300): boolean {
  const parsed = parseSignatureHeader(header ?? '');
  if (!parsed || Math.abs(nowSeconds - parsed.t) > toleranceSeconds) return false;
  const expected = createHmac('sha256', secret).update(`${parsed.t}.${rawBody}`).digest();
  return parsed.signatures.some((s) => {
    const got = Buffer.from(s, 'hex');
    return got.length === expected.length && timingSafeEqual(got, expected);
  });
}

/** The JWT's claims when it verifies with `secret` (HS256, unexpired), else the reason. */
export async function verifyToken(token: unknown, secret: string): Promise<{ ok: true; claims: Record<string, unknown> } | { ok: false; reason: string }> {
  try {
    const { payload } = await jwtVerify(String(token), new TextEncoder().encode(secret), { algorithms: ['HS256'] });
    return { ok: true, claims: payload };
  } catch (e) {
    return { ok: false, reason: e instanceof Error ? e.message : String(e) };
  }
}

/** Form fields or JSON, with a form's `invoice_info` JSON string decoded; {} when unreadable. */
export function parsePostbackBody(raw: string, contentType: string | undefined): { format: 'json' | 'form'; fields: Record<string, unknown> } {
  const form = (contentType ?? '').startsWith('application/x-www-form-urlencoded');
  try {
    const fields: Record<string, unknown> = form ? Object.fromEntries(new URLSearchParams(raw)) : (JSON.parse(raw) as Record<string, unknown>);
    if (form && typeof fields.invoice_info === 'string') fields.invoice_info = JSON.parse(fields.invoice_info);
    return { format: form ? 'form' : 'json', fields };
  } catch {
    return { format: form ? 'form' : 'json', fields: {} };
  }
}

/** `secret` reads the demo project's current secret key, so a rotation is followed at once. */
export function demoListener(secret: () => Promise<string>) {
  const kept: Record<string, unknown>[] = [];
  return async (req: IncomingMessage, url: URL, body: Buffer) => {
    if (url.pathname !== DEMO_LISTENER_PATH) return null;
    const json = { 'content-type': 'application/json' };
    if (req.method === 'GET') return { status: 200, headers: json, body: JSON.stringify({ postbacks: kept }, null, 2) };
    if (req.method !== 'POST') return null;
    const raw = body.toString('utf8');
    const { format, fields } = parsePostbackBody(raw, req.headers['content-type']);
    const key = await secret();
    const token = await verifyToken(fields.token, key);
    kept.unshift({
      received_at: new Date().toISOString(),
      format,
      event: fields.event ?? '',
      event_id: fields.event_id ?? '',
      status: fields.status ?? '',
      invoice_id: fields.invoice_id ?? '',
      amount_crypto: fields.amount_crypto ?? '',
      currency: fields.currency ?? '',
      token_valid: token.ok && token.claims.id === fields.invoice_id,
      signature_valid: verifySignature(req.headers['tollgate-signature'] as string | undefined, raw, key, Math.floor(Date.now() / 1000)),
    });
    kept.length = Math.min(kept.length, KEPT_MAX);
    return { status: 200, headers: json, body: '{"message":"Postback received"}' };
  };
}
