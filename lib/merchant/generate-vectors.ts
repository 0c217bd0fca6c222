/**
 * The published postback test vectors (./postback-vectors.json), made by the REAL sender:
 * shared/app/postbacks.ts `deliverPostback` with the real presenters and signer, on fixed
 * invoices, projects, secrets and a fixed clock, capturing what its transport would POST. The
 * derived cases (wrong secret, stale time, tampered body, malformed headers, token only…) change
 * one thing of a captured request. test/unit/merchant-verify.test.ts regenerates the file and
 * compares, so the vectors cannot drift from what Tollgate sends.
 *
 *   npm run vectors        # rewrites lib/merchant/postback-vectors.json
 */
import { createHmac } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { postbackSigner } from '../../shared/adapters/http/postback-signer';
import { postbackFields } from '../../shared/api/cryptocloud/postback';
import { withdrawalWebhookBody } from '../../shared/api/native/withdrawal-webhooks';
import { deliverPostback } from '../../shared/app/postbacks';
import type { InvoiceId } from '../../shared/domain/ids';
import type { Invoice } from '../../shared/domain/invoice/invoice';
import { ratio } from '../../shared/domain/money';
import { jobOf, POSTBACK_RETRY, POSTBACK_TOKEN_TTL_SECONDS, postbackEventsOf, type PostbackJob, SECRET_GRACE_MS_DEFAULT } from '../../shared/domain/postbacks';
import { defaultSettings, type PostbackFormat, type Project } from '../../shared/domain/project';
import type { Withdrawal } from '../../shared/domain/withdrawal';
import { withdrawalEventsOf, withdrawalJobOf } from '../../shared/domain/withdrawal-events';
import type { Deps, Logger, OutboundRequest } from '../../shared/ports';

export const VECTORS_PATH = join(import.meta.dirname, 'postback-vectors.json');

/** 2030-01-01T00:00:00Z: every vector is checked "now" relative to this send time. */
const SENT_AT_MS = Date.UTC(2030, 0, 1);
const T = SENT_AT_MS / 1000;
/** Secrets as `tollgate key rotate` makes them: 32 random bytes, base64url (fixed here). */
const SECRETS = {
  current: 'tg-test-secret-current-0123456789abcdefABCDEF_-xyz',
  previous: 'tg-test-secret-previous-0123456789abcdefABCDEF_-xy',
  other: 'tg-test-secret-of-another-project-0123456789abcdef',
};

export type Vector = {
  name: string;
  description: string;
  request: { headers: Record<string, string>; body: string };
  secret: string | string[];
  options: { now: number; tolerance_seconds?: number; allow_token_only?: boolean };
  expect: { ok: true; test_mode: boolean; verified_by: 'signature' | 'token'; invoice_id?: string; event_id: string } | { ok: false; reason: string };
};

const silent: Logger = { debug() {}, info() {}, warn() {}, error() {}, child: () => silent };

function project(format: PostbackFormat, rotated: boolean): Project {
  return {
    shopId: 'VectorShop000001',
    number: 1,
    createdAt: SENT_AT_MS - 86_400_000,
    settings: { ...defaultSettings('Vector shop'), notificationUrl: 'https://shop.example/cryptocloud/callback', postbackFormat: format, successUrl: 'https://shop.example/ok', failUrl: 'https://shop.example/fail' },
    apiKeyHash: 'unused',
    // The stub cipher below "decrypts" by returning the text: these are the secrets themselves.
    secretKeyCipher: SECRETS.current,
    // Rotated an hour ago: inside the 24 h grace, the old secret still signs the header.
    secretKeyRotatedAt: rotated ? SENT_AT_MS - 3_600_000 : SENT_AT_MS - 86_400_000 * 30,
    previousSecretKeyCipher: rotated ? SECRETS.previous : null,
    withdrawalKeyHash: null,
    version: 1,
  };
}

function paidInvoice(id: string, testMode: boolean, email: string | null = null): Invoice {
  const created = SENT_AT_MS - 600_000;
  return {
    id: id as InvoiceId,
    shopId: 'VectorShop000001',
    status: 'paid',
    createdAt: created,
    expiresAt: created + 86_400_000,
    finishedAt: SENT_AT_MS - 1000,
    orderId: 'ORDER-1001',
    email,
    description: null,
    notificationUrl: null,
    donation: null,
    locale: 'en',
    price: { currency: 'USD', minor: 2500n },
    usdPerFiat: ratio(1n, 1n),
    rubPerUsd: null,
    availableCurrencies: ['USDT_ERC20'],
    sideCommission: 'merchant',
    sideCommissionCc: 'merchant',
    serviceFeePercent: '0',
    testMode,
    selection: {
      code: 'USDT_ERC20',
      address: '0x1111111111111111111111111111111111111111',
      derivationIndex: 7,
      baseAmount: 25_000_000n,
      transferFee: 0n,
      serviceFee: 0n,
      amountToPay: 25_000_000n,
      usdPerUnit: ratio(1n, 1n),
      lockedAt: created,
      lockedUntil: created + 900_000,
    },
    previousOffers: [],
    amountPaid: testMode ? 0n : 25_000_000n,
    received: testMode ? 0n : 25_000_000n,
    payments: [],
    facts: testMode ? { confirmedWithoutPayment: true } : {},
    version: 3,
  };
}

function confirmedWithdrawal(): Withdrawal {
  return {
    id: 'INV-WDVECT01',
    shopId: 'VectorShop000001',
    code: 'USDT_ERC20',
    chain: 'ethereum',
    toAddress: '0x2222222222222222222222222222222222222222',
    walletId: null,
    amount: 10_000_000n,
    fee: 1_000_000n,
    feeSide: 'merchant',
    sendAmount: 10_000_000n,
    holdAmount: 11_000_000n,
    source: 'native_api',
    batch: null,
    status: 'confirmed',
    reason: null,
    tx: null,
    replaced: [],
    landed: { hash: `0x${'ab'.repeat(32)}`, blockNumber: 19_000_000 },
    createdAt: SENT_AT_MS - 900_000,
    updatedAt: SENT_AT_MS - 60_000,
    version: 4,
  };
}

/** One attempt of the real sender, with stores that hold one subject and a transport that only records. */
async function send(p: Project, subject: { invoice: Invoice } | { withdrawal: Withdrawal }, job: PostbackJob): Promise<OutboundRequest> {
  const sent: OutboundRequest[] = [];
  // Only what deliverPostback reads; a missing port would throw, not pass silently.
  const deps = {
    clock: { now: () => SENT_AT_MS },
    random: { fraction: () => 0.5 },
    log: silent,
    invoices: { get: async () => ('invoice' in subject ? subject.invoice : null) },
    withdrawals: { get: async () => ('withdrawal' in subject ? subject.withdrawal : null) },
    projects: { get: async () => p },
    payments: { chainHead: async () => null },
    cipher: { decrypt: async (sealed: string) => sealed },
    signer: postbackSigner,
    postbackLog: { isDelivered: async () => false, attemptsOf: async () => [], record: async () => {}, markDelivered: async () => {} },
    transport: {
      post: async (r: OutboundRequest) => {
        sent.push(r);
        return { kind: 'answered' as const, status: 200, latencyMs: 1, snippet: '' };
      },
    },
    settings: { publicBaseUrl: 'https://pay.example', postbacks: { retry: POSTBACK_RETRY, timeoutMs: 10_000, secretGraceMs: SECRET_GRACE_MS_DEFAULT } },
  } as unknown as Deps;
  const outcome = await deliverPostback(deps, { invoice: postbackFields, withdrawal: withdrawalWebhookBody }, job, 1);
  if (outcome.kind !== 'delivered' || sent.length !== 1) throw new Error(`the sender did not send: ${JSON.stringify(outcome)}`);
  return sent[0];
}

async function sendInvoice(format: PostbackFormat, testMode: boolean, rotated = false, email: string | null = null) {
  const invoice = paidInvoice(email ? 'LIVEVEC2' : testMode ? 'TESTVEC1' : 'LIVEVEC1', testMode, email);
  const [event] = postbackEventsOf(invoice);
  return { request: await send(project(format, rotated), { invoice }, jobOf(invoice, event)), invoice, eventId: event.id };
}

const wire = (r: OutboundRequest) => ({ headers: { ...r.headers }, body: r.body });

/** Replaces exactly one occurrence, so a derived vector cannot silently stop changing anything. */
function replaceOnce(text: string, from: string, to: string): string {
  const at = text.indexOf(from);
  if (at < 0 || text.indexOf(from, at + 1) >= 0) throw new Error(`vector generator: "${from}" must occur exactly once`);
  return text.slice(0, at) + to + text.slice(at + from.length);
}

const withHeader = (w: ReturnType<typeof wire>, value: string | null) => {
  const headers = { ...w.headers };
  if (value === null) delete headers['tollgate-signature'];
  else headers['tollgate-signature'] = value;
  return { headers, body: w.body };
};

const b64url = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');

export async function generateVectors() {
  const json = await sendInvoice('json', false);
  const form = await sendInvoice('form', true);
  const rotated = await sendInvoice('json', false, true);
  const w = confirmedWithdrawal();
  const [, , confirmed] = withdrawalEventsOf(w);
  const withdrawal = wire(await send(project('json', false), { withdrawal: w }, withdrawalJobOf(w, confirmed)));

  const J = wire(json.request);
  const F = wire(form.request);
  const R = wire(rotated.request);
  const jOk = { ok: true as const, test_mode: false, verified_by: 'signature' as const, invoice_id: json.invoice.id, event_id: json.eventId };
  const fOk = { ok: true as const, test_mode: true, verified_by: 'signature' as const, invoice_id: form.invoice.id, event_id: form.eventId };
  const rOk = { ok: true as const, test_mode: false, verified_by: 'signature' as const, invoice_id: rotated.invoice.id, event_id: rotated.eventId };
  const no = (reason: string) => ({ ok: false as const, reason });
  const at = (now: number, extra: Omit<Vector['options'], 'now'> = {}) => ({ now, ...extra });
  const sig = J.headers['tollgate-signature'];
  const v1 = sig.split(',v1=')[1];
  const tokenOf = (body: string) => new URLSearchParams(body).get('token') ?? '';
  const formToken = tokenOf(F.body);
  const [tokenHead, tokenClaims] = formToken.split('.');
  const noneToken = `${b64url({ alg: 'none', typ: 'JWT' })}.${tokenClaims}.`;
  const hs512Token = `${b64url({ alg: 'HS512', typ: 'JWT' })}.${tokenClaims}.${formToken.split('.')[2]}`;
  const tokenOnly = withHeader(F, null);
  // A customer's e-mail (valid for the API: no space, one @) that reads as form fields.
  const injected = await sendInvoice('json', false, false, 'x&invoice_id=VICTIM01&order_id=ORDER-9999&status=success&amount_crypto=5000&z=@shop.example');
  const E = wire(injected.request);
  const eOk = { ok: true as const, test_mode: false, verified_by: 'signature' as const, invoice_id: injected.invoice.id, event_id: injected.eventId };
  const withContentType = (w: ReturnType<typeof wire>, type: string) => ({ headers: { ...w.headers, 'content-type': type }, body: w.body });
  /** An edited body signed again with the current secret (what the sender would send if it ever wrote that). */
  const resigned = (w: ReturnType<typeof wire>, body: string) => ({ headers: { ...w.headers, 'tollgate-signature': `t=${T},v1=${postbackSigner.hmacHex(SECRETS.current, `${T}.${body}`)}` }, body });
  const hs256 = (claims: string) => {
    const signingInput = `${b64url({ alg: 'HS256', typ: 'JWT' })}.${Buffer.from(claims).toString('base64url')}`;
    return `${signingInput}.${createHmac('sha256', SECRETS.current).update(signingInput).digest('base64url')}`;
  };

  const vectors: Vector[] = [
    { name: 'json_valid', description: 'A JSON postback of a live invoice, as the sender sends it, verified at the send time.', request: J, secret: SECRETS.current, options: at(T), expect: jOk },
    { name: 'form_valid_test_mode', description: 'A form postback (the default format) of a test-mode invoice: valid, and test_mode must be true.', request: F, secret: SECRETS.current, options: at(T), expect: fOk },
    { name: 'secret_as_list', description: 'The secret passed as a one-element list.', request: J, secret: [SECRETS.current], options: at(T), expect: jOk },
    { name: 'wrong_secret', description: "Another project's secret.", request: J, secret: SECRETS.other, options: at(T), expect: no('signature_mismatch') },
    { name: 'empty_secret', description: 'No secret configured: refused, never accepted.', request: J, secret: '', options: at(T), expect: no('missing_secret') },
    { name: 'within_tolerance_edge', description: 'Verified 300 s after it was signed: still inside the default tolerance.', request: J, secret: SECRETS.current, options: at(T + 300), expect: jOk },
    { name: 'stale_timestamp', description: 'Verified 301 s after it was signed (a replay): outside the default 300 s.', request: J, secret: SECRETS.current, options: at(T + 301), expect: no('timestamp_outside_tolerance') },
    { name: 'future_timestamp', description: 'The signature time is 301 s ahead of the verifier clock.', request: J, secret: SECRETS.current, options: at(T - 301), expect: no('timestamp_outside_tolerance') },
    { name: 'custom_tolerance', description: 'A 900 s tolerance accepts a postback verified 600 s late.', request: J, secret: SECRETS.current, options: at(T + 600, { tolerance_seconds: 900 }), expect: jOk },
    {
      name: 'tampered_body_amount',
      description: 'amount_crypto changed after signing.',
      request: { headers: J.headers, body: replaceOnce(J.body, '"amount_crypto":25,', '"amount_crypto":2500,') },
      secret: SECRETS.current,
      options: at(T),
      expect: no('signature_mismatch'),
    },
    {
      name: 'tampered_body_test_mode',
      description: 'A test-mode form postback edited to say test_mode=false: the signature catches it (read test_mode only after verifying).',
      request: { headers: F.headers, body: replaceOnce(F.body, '&test_mode=true', '&test_mode=false') },
      secret: SECRETS.current,
      options: at(T),
      expect: no('signature_mismatch'),
    },
    { name: 'body_with_trailing_newline', description: 'One byte added to the raw body (e.g. a framework that re-serialises it).', request: { headers: J.headers, body: `${J.body}\n` }, secret: SECRETS.current, options: at(T), expect: no('signature_mismatch') },
    { name: 'timestamp_changed', description: 'A replay that moves t forward by one second with the old signature.', request: withHeader(J, `t=${T + 1},v1=${v1}`), secret: SECRETS.current, options: at(T), expect: no('signature_mismatch') },
    { name: 'rotated_new_secret', description: 'During the grace after `key rotate --secret` the header carries two v1 signatures (new, old): the new secret verifies.', request: R, secret: SECRETS.current, options: at(T), expect: rOk },
    { name: 'rotated_old_secret', description: 'The same two-signature header verifies with the old secret: a shop that has not switched yet keeps working.', request: R, secret: SECRETS.previous, options: at(T), expect: rOk },
    { name: 'rotated_both_secrets', description: 'A shop switching keys passes [new, old].', request: R, secret: [SECRETS.current, SECRETS.previous], options: at(T), expect: rOk },
    { name: 'rotated_unrelated_secret', description: 'Neither signature matches an unrelated secret.', request: R, secret: SECRETS.other, options: at(T), expect: no('signature_mismatch') },
    { name: 'old_secret_after_grace', description: 'After the grace only the new secret signs: the old one no longer verifies.', request: J, secret: SECRETS.previous, options: at(T), expect: no('signature_mismatch') },
    { name: 'header_missing', description: 'No Tollgate-Signature header: refused unless token-only is allowed.', request: withHeader(J, null), secret: SECRETS.current, options: at(T), expect: no('missing_signature') },
    { name: 'header_empty', description: 'An empty header.', request: withHeader(J, ''), secret: SECRETS.current, options: at(T), expect: no('malformed_signature') },
    { name: 'header_without_t', description: 'No t= part.', request: withHeader(J, `v1=${v1}`), secret: SECRETS.current, options: at(T), expect: no('malformed_signature') },
    { name: 'header_without_v1', description: 'No v1= part.', request: withHeader(J, `t=${T}`), secret: SECRETS.current, options: at(T), expect: no('malformed_signature') },
    { name: 'header_t_not_integer', description: 't is not an integer.', request: withHeader(J, `t=${T}.5,v1=${v1}`), secret: SECRETS.current, options: at(T), expect: no('malformed_signature') },
    { name: 'header_t_twice', description: 'Two t= parts (e.g. two headers joined by a proxy).', request: withHeader(J, `${sig}, t=${T + 60},v1=${v1}`), secret: SECRETS.current, options: at(T), expect: no('malformed_signature') },
    { name: 'header_v1_not_hex', description: 'v1 is not 64 hex digits.', request: withHeader(J, `t=${T},v1=${'z'.repeat(64)}`), secret: SECRETS.current, options: at(T), expect: no('malformed_signature') },
    { name: 'header_v1_truncated', description: 'v1 cut short.', request: withHeader(J, `t=${T},v1=${v1.slice(0, 40)}`), secret: SECRETS.current, options: at(T), expect: no('malformed_signature') },
    { name: 'header_spaces_and_unknown_scheme', description: 'Spaces around parts and an unknown scheme (v0) are tolerated; the v1 decides.', request: withHeader(J, `t=${T}, v0=abc , v1=${v1}`), secret: SECRETS.current, options: at(T), expect: jOk },
    { name: 'header_uppercase_hex', description: 'v1 in upper-case hex.', request: withHeader(J, `t=${T},v1=${v1.toUpperCase()}`), secret: SECRETS.current, options: at(T), expect: jOk },
    {
      name: 'token_only_valid',
      description: 'No header, allow_token_only: the CryptoCloud token verifies (HS256, exp, id == invoice_id). Only the invoice id is authenticated.',
      request: tokenOnly,
      secret: SECRETS.current,
      options: at(T + 10, { allow_token_only: true }),
      expect: { ...fOk, verified_by: 'token' },
    },
    { name: 'token_only_not_allowed', description: 'The same request without allow_token_only.', request: tokenOnly, secret: SECRETS.current, options: at(T + 10), expect: no('missing_signature') },
    { name: 'token_only_expired', description: `exp is the send time + ${POSTBACK_TOKEN_TTL_SECONDS} s: at exp it has expired.`, request: tokenOnly, secret: SECRETS.current, options: at(T + POSTBACK_TOKEN_TTL_SECONDS, { allow_token_only: true }), expect: no('token_expired') },
    { name: 'token_only_wrong_secret', description: "The token checked with another project's secret.", request: tokenOnly, secret: SECRETS.other, options: at(T, { allow_token_only: true }), expect: no('token_signature_mismatch') },
    {
      name: 'token_only_id_mismatch',
      description: "A valid token moved onto another invoice's postback.",
      request: { headers: tokenOnly.headers, body: replaceOnce(tokenOnly.body, `invoice_id=${form.invoice.id}&`, 'invoice_id=OTHERINV&') },
      secret: SECRETS.current,
      options: at(T, { allow_token_only: true }),
      expect: no('token_id_mismatch'),
    },
    { name: 'token_only_alg_none', description: 'An unsigned token (alg none) is never accepted.', request: { headers: tokenOnly.headers, body: replaceOnce(tokenOnly.body, formToken, noneToken) }, secret: SECRETS.current, options: at(T, { allow_token_only: true }), expect: no('malformed_token') },
    { name: 'token_only_alg_hs512', description: 'Only HS256 is accepted.', request: { headers: tokenOnly.headers, body: replaceOnce(tokenOnly.body, formToken, hs512Token) }, secret: SECRETS.current, options: at(T, { allow_token_only: true }), expect: no('malformed_token') },
    { name: 'token_only_garbage', description: 'A token that is not a JWT.', request: { headers: tokenOnly.headers, body: replaceOnce(tokenOnly.body, formToken, 'not-a-jwt') }, secret: SECRETS.current, options: at(T, { allow_token_only: true }), expect: no('malformed_token') },
    {
      name: 'token_only_header_tampered',
      description: "The token's header re-encoded (typ dropped): the signature covers it.",
      request: { headers: tokenOnly.headers, body: replaceOnce(tokenOnly.body, tokenHead, b64url({ alg: 'HS256' })) },
      secret: SECRETS.current,
      options: at(T, { allow_token_only: true }),
      expect: no('token_signature_mismatch'),
    },
    { name: 'bad_header_beats_token', description: 'A header that does not verify is refused even when token-only is allowed and the token is valid.', request: withHeader(F, `t=${T},v1=${'0'.repeat(64)}`), secret: SECRETS.current, options: at(T, { allow_token_only: true }), expect: no('signature_mismatch') },
    {
      name: 'withdrawal_webhook',
      description: 'A withdrawal webhook (native, JSON, no token, no invoice): verified by the header alone; test_mode false.',
      request: withdrawal,
      secret: SECRETS.current,
      options: at(T),
      expect: { ok: true, test_mode: false, verified_by: 'signature', event_id: confirmed.id },
    },
    // Edge cases where the three verifiers once disagreed, or where the unsigned Content-Type changed the meaning of signed bytes.
    { name: 'json_with_form_like_email', description: 'A JSON postback whose customer e-mail contains & and = (valid for the API): valid as JSON.', request: E, secret: SECRETS.current, options: at(T), expect: eOk },
    {
      name: 'json_relabelled_as_form',
      description: 'The same signed JSON bytes under Content-Type form (the header is not signed): read as a form, the e-mail would become invoice_id=VICTIM01&status=success. A body starting with { is never a form: refused.',
      request: withContentType(E, 'application/x-www-form-urlencoded'),
      secret: SECRETS.current,
      options: at(T),
      expect: no('malformed_body'),
    },
    { name: 'form_relabelled_as_json', description: 'A signed form body under Content-Type application/json: not JSON, refused.', request: withContentType(F, 'application/json'), secret: SECRETS.current, options: at(T), expect: no('malformed_body') },
    { name: 'content_type_nbsp_prefix', description: 'Only space and tab are trimmed around the Content-Type: a no-break space before it makes it not a form type.', request: withContentType(F, '\u00a0application/x-www-form-urlencoded'), secret: SECRETS.current, options: at(T), expect: no('malformed_body') },
    {
      name: 'header_name_twice_in_different_case',
      description: 'Tollgate-Signature given twice (differently cased names): refused as malformed, whichever comes first.',
      request: { headers: { 'Tollgate-Signature': `t=${T},v1=${'0'.repeat(64)}`, ...J.headers }, body: J.body },
      secret: SECRETS.current,
      options: at(T),
      expect: no('malformed_signature'),
    },
    { name: 'header_nbsp_in_t', description: 'Only space and tab are trimmed around a part: a no-break space before t is malformed.', request: withHeader(J, `t=\u00a0${T},v1=${v1}`), secret: SECRETS.current, options: at(T), expect: no('malformed_signature') },
    { name: 'header_control_after_v1', description: 'A control character (U+001C) after v1 is not trimmed: malformed.', request: withHeader(J, `t=${T},v1=${v1}\u001c`), secret: SECRETS.current, options: at(T), expect: no('malformed_signature') },
    {
      name: 'test_mode_number_one',
      description: 'test_mode written as the JSON number 1.0 (re-signed): a test-mode postback in every language.',
      request: resigned(J, replaceOnce(J.body, '"test_mode":false,"token"', '"test_mode":1.0,"token"')),
      secret: SECRETS.current,
      options: at(T),
      expect: { ...jOk, test_mode: true },
    },
    { name: 'json_nan_refused', description: 'NaN is not JSON (re-signed body): refused in every language.', request: resigned(J, replaceOnce(J.body, '"amount_crypto":25,', '"amount_crypto":NaN,')), secret: SECRETS.current, options: at(T), expect: no('malformed_body') },
    {
      name: 'token_only_exp_null',
      description: 'A correctly signed token whose exp is null: malformed (exp is a number or absent).',
      request: { headers: tokenOnly.headers, body: replaceOnce(tokenOnly.body, formToken, hs256(`{"id":"${form.invoice.id}","exp":null}`)) },
      secret: SECRETS.current,
      options: at(T, { allow_token_only: true }),
      expect: no('malformed_token'),
    },
    {
      name: 'token_only_segment_length',
      description: 'A token segment whose length is 1 modulo 4 is not base64url: malformed.',
      request: { headers: tokenOnly.headers, body: replaceOnce(tokenOnly.body, formToken, `${tokenHead}x.${formToken.split('.').slice(1).join('.')}`) },
      secret: SECRETS.current,
      options: at(T, { allow_token_only: true }),
      expect: no('malformed_token'),
    },
    {
      name: 'token_only_id_not_string',
      description: 'The token id and invoice_id are compared as strings only: a JSON invoice_id true never equals the id "true".',
      request: { headers: withHeader(J, null).headers, body: replaceOnce(replaceOnce(J.body, '"invoice_id":"LIVEVEC1"', '"invoice_id":true'), J.body.split('"token":"')[1].split('"')[0], hs256(`{"id":"true","exp":${T + 300}}`)) },
      secret: SECRETS.current,
      options: at(T, { allow_token_only: true }),
      expect: no('token_id_mismatch'),
    },
    { name: 'withdrawal_webhook_no_header', description: 'Without its header a withdrawal webhook has nothing to verify, even with token-only allowed.', request: withHeader(withdrawal, null), secret: SECRETS.current, options: at(T, { allow_token_only: true }), expect: no('missing_signature') },
  ];
  return {
    about:
      'Tollgate postback verification test vectors. Each: a request as sent (headers, raw body), the secret(s) to verify with, options (now: unix seconds to verify at; tolerance_seconds; allow_token_only) and the expected result. Made by lib/merchant/generate-vectors.ts from the real sender (shared/app/postbacks.ts); do not edit by hand.',
    signature: 'Tollgate-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>[,v1=<hex>] (one v1 per valid secret during a key rotation grace)',
    token: 'body field token: HS256 JWT signed with the secret key, claims {"id": "<invoice_id>", "exp": <send time + 300>}',
    secrets: SECRETS,
    sent_at: T,
    vectors,
  };
}

export const serializeVectors = (v: Awaited<ReturnType<typeof generateVectors>>) => `${JSON.stringify(v, null, 2)}\n`;

if (process.argv[1] && import.meta.filename === process.argv[1]) {
  writeFileSync(VECTORS_PATH, serializeVectors(await generateVectors()));
  console.log(`wrote ${VECTORS_PATH}`);
}
