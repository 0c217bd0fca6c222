// Tollgate postback verification for a merchant's own Node code (Node >= 18; node:crypto only).
// Copy this one file into your shop, or import it from the package as "tollgate/verify-postback".
// Test vectors: ./postback-vectors.json. PHP and Python recipes: ./verify_postback.php, ./verify_postback.py.
//
//   import { verifyPostback } from './verify-postback.mjs';
//   const result = await verifyPostback({ headers: req.headers, rawBody }, process.env.TOLLGATE_SECRET_KEY);
//   if (!result.ok) return res.writeHead(400).end(result.reason);
//   if (result.test_mode) { /* a test-mode invoice: never ship goods for it */ }
//
// What it checks:
// - `Tollgate-Signature: t=<unix seconds>,v1=<hex>[,v1=<hex>]`: HMAC-SHA256 with the project's
//   secret key over `<t>.<raw body>`, compared in constant time; `t` must be within
//   `toleranceSeconds` (300) of now, against replays. After `tollgate key rotate --secret` the
//   header carries one v1 per valid secret (new and old) for the grace period: pass the secret you
//   have, or both ([new, old]) while you switch.
// - Only with `allowTokenOnly: true`, and only when the header is absent: CryptoCloud's `token`
//   field (HS256 JWT with the secret key; `exp` checked; its `id` must equal `invoice_id`). The
//   token signs the invoice id and its freshness, NOT the body: amounts and statuses are then
//   unauthenticated (re-read the invoice with /v2/invoice/merchant/info before shipping).
//
// It never throws on bad input: it answers { ok: false, reason } with one of REASONS.
import { createHmac, timingSafeEqual } from 'node:crypto';

/** Why a postback was refused. */
export const REASONS = Object.freeze([
  'missing_secret', // no non-empty secret passed: a configuration error on your side
  'raw_body_required', // the body was already parsed (e.g. express.json()): pass the raw bytes
  'unreadable_request', // neither {headers, rawBody} nor a Fetch Request, or the body could not be read
  'missing_signature', // no Tollgate-Signature header (and token-only is not allowed, or there is no token)
  'malformed_signature', // the header is not `t=<integer>,v1=<64 hex>[,v1=...]`
  'timestamp_outside_tolerance', // `t` is more than toleranceSeconds away from now: a replay, or a wrong clock
  'signature_mismatch', // no v1 matches any secret: wrong secret, or the body was changed
  'malformed_token', // token-only: not an HS256 JWT with a JSON object payload
  'token_signature_mismatch', // token-only: signed with another secret
  'token_expired', // token-only: `exp` is past
  'token_id_mismatch', // token-only: the token's `id` is missing or is not the body's `invoice_id`
  'malformed_body', // verified, but the body is neither JSON nor a form
]);

export const DEFAULT_TOLERANCE_SECONDS = 300;
const SIGNATURE_HEADER = 'tollgate-signature';
const HEX_SHA256 = /^[0-9a-f]{64}$/i;
const JWT = /^([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]+)$/;
/** HTTP's optional whitespace only (space, tab): every recipe trims exactly these, never Unicode spaces. */
const trimOws = (s) => s.replace(/^[ \t]+|[ \t]+$/g, '');

/**
 * @typedef {{ headers: Record<string, string | string[] | undefined> | { get(name: string): string | null }, rawBody?: string | Uint8Array, body?: unknown }} NodeRequestLike
 *   Node: `{ headers: req.headers, rawBody }` (rawBody: the bytes as received; express.raw() puts them in `req.body`, also accepted).
 * @typedef {{ headers: { get(name: string): string | null }, arrayBuffer(): Promise<ArrayBuffer>, clone?(): unknown }} FetchRequestLike
 *   A Fetch API Request (Next.js route handlers, Hono, Deno, Bun, Cloudflare Workers); read from a clone when it can be.
 * @typedef {{ toleranceSeconds?: number, allowTokenOnly?: boolean, now?: number }} VerifyOptions
 *   `now`: unix seconds, for tests (default: the clock).
 * @typedef {{ ok: true, payload: Record<string, unknown>, test_mode: boolean, verified_by: 'signature' | 'token' }
 *   | { ok: false, reason: string }} VerifyResult
 *   `payload`: the fields, JSON or form (a form's `invoice_info`, `payment` and `static_wallet` JSON strings decoded).
 *   `test_mode`: true when the postback is about a test-mode invoice: do not ship for it.
 */

/**
 * Verifies a Tollgate (CryptoCloud-compatible) postback. Never throws.
 * @param {NodeRequestLike | FetchRequestLike} request
 * @param {string | string[]} secret the project's secret key, or [new, old] during a rotation
 * @param {VerifyOptions} [options]
 * @returns {Promise<VerifyResult>}
 */
export async function verifyPostback(request, secret, options = {}) {
  try {
    return await verify(request, secret, options ?? {});
  } catch {
    return fail('unreadable_request');
  }
}

const fail = (reason) => ({ ok: false, reason });

async function verify(request, secret, options) {
  const secrets = (Array.isArray(secret) ? secret : [secret]).filter((s) => typeof s === 'string' && s.length > 0);
  if (secrets.length === 0) return fail('missing_secret');
  const read = await readRequest(request);
  if (typeof read === 'string') return fail(read);
  const { header, contentType, body } = read;
  const tolerance = Number.isFinite(options.toleranceSeconds) ? options.toleranceSeconds : DEFAULT_TOLERANCE_SECONDS;
  const now = Number.isFinite(options.now) ? options.now : Math.floor(Date.now() / 1000);

  if (header !== null) {
    const parsed = parseSignatureHeader(header);
    if (!parsed) return fail('malformed_signature');
    if (Math.abs(now - parsed.t) > tolerance) return fail('timestamp_outside_tolerance');
    // Every pair is compared, so the time taken does not say which secret or signature matched.
    let matched = false;
    for (const s of secrets) {
      const expected = createHmac('sha256', s).update(`${parsed.t}.`).update(body).digest();
      for (const v1 of parsed.signatures) if (timingSafeEqual(Buffer.from(v1, 'hex'), expected)) matched = true;
    }
    if (!matched) return fail('signature_mismatch');
    const payload = parseBody(body, contentType);
    return payload ? { ok: true, payload, test_mode: testModeOf(payload), verified_by: 'signature' } : fail('malformed_body');
  }

  if (!options.allowTokenOnly) return fail('missing_signature');
  const payload = parseBody(body, contentType);
  if (!payload) return fail('malformed_body');
  if (typeof payload.token !== 'string' || payload.token === '') return fail('missing_signature');
  const token = verifyToken(payload.token, secrets, now);
  if (!token.ok) return token;
  // Strings only (the sender signs the id as a string): no number or boolean spelled differently by each language.
  const id = token.claims.id;
  const invoiceId = payload.invoice_id ?? '';
  if (typeof id !== 'string' || typeof invoiceId !== 'string' || id !== invoiceId) return fail('token_id_mismatch');
  return { ok: true, payload, test_mode: testModeOf(payload), verified_by: 'token' };
}

/** `t=<unix>,v1=<hex>[,v1=<hex>]`, as shared/domain/postbacks.ts writes it; null when malformed. */
function parseSignatureHeader(header) {
  let t = null;
  const signatures = [];
  for (const part of header.split(',')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    const key = trimOws(part.slice(0, eq));
    const value = trimOws(part.slice(eq + 1));
    if (key === 't') {
      if (t !== null || !/^\d{1,12}$/.test(value)) return null;
      t = Number(value);
    } else if (key === 'v1') {
      if (!HEX_SHA256.test(value)) return null;
      signatures.push(value);
    }
  }
  return t !== null && signatures.length > 0 ? { t, signatures } : null;
}

/** HS256 only (never `none` or another algorithm); `exp`, when present, must be in the future. */
function verifyToken(token, secrets, now) {
  const m = JWT.exec(token);
  // A base64url segment is never 1 modulo 4 long (Node's decoder would drop the stray character).
  if (!m || m.slice(1).some((segment) => segment.length % 4 === 1)) return fail('malformed_token');
  const header = jsonObject(Buffer.from(m[1], 'base64url').toString('utf8'));
  const claims = jsonObject(Buffer.from(m[2], 'base64url').toString('utf8'));
  if (header?.alg !== 'HS256' || !claims) return fail('malformed_token');
  if (claims.exp !== undefined && typeof claims.exp !== 'number') return fail('malformed_token');
  const given = Buffer.from(m[3], 'base64url');
  let matched = false;
  for (const s of secrets) {
    const expected = createHmac('sha256', s).update(`${m[1]}.${m[2]}`).digest();
    if (given.length === expected.length && timingSafeEqual(given, expected)) matched = true;
  }
  if (!matched) return fail('token_signature_mismatch');
  if (typeof claims.exp === 'number' && claims.exp <= now) return fail('token_expired');
  return { ok: true, claims };
}

function jsonObject(text) {
  try {
    const v = JSON.parse(text);
    return v && typeof v === 'object' && !Array.isArray(v) ? v : null;
  } catch {
    return null;
  }
}

/**
 * Fields of a JSON or form body; a form's nested objects arrive as JSON strings. The Content-Type
 * is not signed: a body starting with `{` is never read as a form, or a signed JSON body relabelled
 * as a form would turn text inside it (a customer's e-mail `x&invoice_id=...&status=success`) into fields.
 */
function parseBody(body, contentType) {
  const text = Buffer.from(body).toString('utf8');
  if (/^[ \t]*application\/x-www-form-urlencoded/i.test(contentType ?? '')) {
    if (/^[ \t\r\n]*\{/.test(text)) return null;
    const fields = Object.fromEntries(new URLSearchParams(text));
    for (const key of ['invoice_info', 'payment', 'static_wallet']) {
      if (typeof fields[key] === 'string' && fields[key].startsWith('{')) fields[key] = jsonObject(fields[key]) ?? fields[key];
    }
    return fields;
  }
  return jsonObject(text);
}

/** True when either the top-level field or invoice_info says so (JSON true, or "true"/"1" in a form). */
function testModeOf(payload) {
  const yes = (v) => v === true || v === 'true' || v === '1' || v === 1;
  const info = payload.invoice_info;
  return yes(payload.test_mode) || (info !== null && typeof info === 'object' && yes(info.test_mode));
}

function headerOf(headers, name) {
  if (!headers || typeof headers !== 'object') return null;
  if (typeof headers.get === 'function') return headers.get(name);
  // Every key of that name in any case, each a value or a list (headersDistinct); given twice, it is '' (refused as malformed).
  const found = [];
  for (const [k, v] of Object.entries(headers)) {
    if (k.toLowerCase() === name) for (const one of Array.isArray(v) ? v : [v]) if (one != null) found.push(String(one));
  }
  return found.length === 0 ? null : found.length === 1 ? found[0] : '';
}

const bytesOf = (v) => (typeof v === 'string' ? Buffer.from(v, 'utf8') : v instanceof Uint8Array ? Buffer.from(v.buffer, v.byteOffset, v.byteLength) : null);

/** The signature header, the content type and the raw body bytes, or a reason. */
async function readRequest(request) {
  if (!request || typeof request !== 'object') return 'unreadable_request';
  const headers = request.headers;
  const header = headerOf(headers, SIGNATURE_HEADER);
  const contentType = headerOf(headers, 'content-type');
  let body = null;
  if (request.rawBody !== undefined) body = bytesOf(request.rawBody);
  else if (typeof request.arrayBuffer === 'function') {
    const source = typeof request.clone === 'function' && !request.bodyUsed ? request.clone() : request;
    if (source.bodyUsed) return 'raw_body_required';
    body = Buffer.from(await source.arrayBuffer());
  } else if (request.body !== undefined) {
    body = bytesOf(request.body);
    if (!body) return 'raw_body_required';
  } else if (typeof request[Symbol.asyncIterator] === 'function') {
    // An unread IncomingMessage: read it here (nothing must have consumed it before).
    if (request.readableEnded) return 'raw_body_required';
    const chunks = [];
    for await (const c of request) chunks.push(typeof c === 'string' ? Buffer.from(c) : c);
    body = Buffer.concat(chunks);
  }
  if (!body) return 'unreadable_request';
  return { header: header === null || header === undefined ? null : header, contentType, body };
}
