/**
 * Postbacks: queueing what a write adds, sending one attempt, the attempt log and resend
 * (README "Postbacks"). The sender only reads its subject, an invoice or a withdrawal (DESIGN §2):
 * everything it sends is derived from the stored subject at the moment of sending. Withdrawal
 * use cases (queueing, log, resend) are in ./withdrawal-webhooks.ts; they share this sender.
 */

import type { ChainId } from '../domain/currencies';
import { type InvoiceId, invoiceUuid } from '../domain/ids';
import type { Invoice } from '../domain/invoice/invoice';
import {
  type EncodedPostback,
  encodePostback,
  type InvoicePostbackJob,
  isWithdrawalJob,
  jobOf,
  newPostbackEvents,
  POSTBACK_TOKEN_TTL_SECONDS,
  type PostbackEvent,
  type PostbackFields,
  type PostbackJob,
  postbackEventsOf,
  retryDelaySeconds,
  UNWRITTEN_RETRIES_MAX,
  UNWRITTEN_RETRY_SECONDS,
  signatureHeader,
  signedPayload,
} from '../domain/postbacks';
import type { Project } from '../domain/project';
import { err, ok, type Result } from '../domain/result';
import type { Withdrawal } from '../domain/withdrawal';
import { type WithdrawalEvent, type WithdrawalPostbackJob, withdrawalEventsOf } from '../domain/withdrawal-events';
import type { Deps, Logger, OutboundResult, PostbackAttempt, PostbackSubject } from '../ports';
import type { AppError } from './errors';
import { chainHeadsFor, loadOwnInvoice } from './invoice-lookups';

/** SQS message ids for jobs: the event id, plus `resend` for a merchant's explicit resend. */
export const messageOf = (job: PostbackJob) => ({ id: `postback:${job.eventId}${job.force ? ':resend' : ''}`, body: job });

/**
 * Queues the postbacks a write adds (`after` has, `before` had not). Called *before* the write:
 * a crash in between leaves a job whose event the sender does not find on the stored invoice
 * (it drops it), never an event nobody was told about.
 */
export async function notifyMerchant(deps: Deps, before: Invoice | null, after: Invoice): Promise<void> {
  const events = newPostbackEvents(before, after);
  if (events.length > 0) await deps.queue.sendMany('postbacks', events.map((e) => messageOf(jobOf(after, e))));
}

/** Waits this long in-process for a write that is a moment behind its job, before backing off. */
const UNWRITTEN_WAITS_MS = [50, 100, 200, 400];

/**
 * The subject, re-read briefly while it is older than the job's write (queued just before it).
 * A withdrawal's first job is queued before the withdrawal exists at all: missing waits too.
 */
async function readWritten<T extends { version: number }>(read: () => Promise<T | null>, version: number, missingIsLate: boolean): Promise<T | null> {
  let subject = await read();
  for (const ms of UNWRITTEN_WAITS_MS) {
    if (subject ? subject.version >= version : !missingIsLate) break;
    await new Promise((r) => setTimeout(r, ms));
    subject = await read();
  }
  return subject;
}

export type DeliveryOutcome =
  | { kind: 'delivered'; status: number }
  | { kind: 'retry'; afterSeconds: number; reason: string }
  | { kind: 'gave_up'; reason: string }
  | { kind: 'skipped'; reason: 'event_not_recorded' | 'already_delivered' | 'invoice_missing' | 'project_missing' | 'no_url' };

/** Where the URL is logged and stored: origin and path, never a query that may hold a secret. */
const targetOf = (url: string) => {
  try {
    const u = new URL(url);
    return `${u.origin}${u.pathname}`;
  } catch {
    return '(invalid URL)';
  }
};

const outcomeOf = (r: OutboundResult): PostbackAttempt['outcome'] => (r.kind === 'answered' ? (r.status >= 200 && r.status < 300 ? 'delivered' : 'rejected') : r.kind);

/**
 * Secrets that sign the native header now: the current one, and the previous one until the
 * grace period after a rotation ends. Read fresh each attempt, so a rotation applies at once.
 */
async function signingSecrets(deps: Deps, project: Project, nowMs: number): Promise<string[]> {
  const current = await deps.cipher.decrypt(project.secretKeyCipher);
  const inGrace = project.previousSecretKeyCipher && nowMs < project.secretKeyRotatedAt + deps.settings.postbacks.secretGraceMs;
  return inGrace && project.previousSecretKeyCipher ? [current, await deps.cipher.decrypt(project.previousSecretKeyCipher)] : [current];
}

/** The wire fields of an event, from the invoice as it is now (the handler passes the presenter). */
export type RenderPostback = (ctx: { publicBaseUrl: string; heads: ReadonlyMap<ChainId, number> }, invoice: Invoice, project: Project, event: PostbackEvent) => PostbackFields;
/** The JSON body of a withdrawal's webhook, from the withdrawal as it is now (the handler passes the presenter). */
export type RenderWithdrawalWebhook = (withdrawal: Withdrawal, event: WithdrawalEvent) => Record<string, unknown>;
/** The presenters of each subject a job may name. */
export type PostbackRenderers = { invoice: RenderPostback; withdrawal: RenderWithdrawalWebhook };

/** A job's event, found on its stored subject: what the shared attempt below needs. */
type Found = {
  log: Logger;
  subject: PostbackSubject;
  shopId: string;
  event: { id: string; kind: string };
  urlOf: (project: Project) => string | null;
  /** The body for one attempt, built from the subject as it is now (`secret` signs an invoice's JWT). */
  encode: (project: Project, secret: string, unixSeconds: number) => Promise<EncodedPostback>;
};
type Lookup = { found: Found } | { skipped: DeliveryOutcome };

/** A job that arrived before its write: retried shortly for a while, then dropped (the write never landed). */
function unwritten(log: Logger, receives: number, reason: string): Lookup {
  if (receives <= UNWRITTEN_RETRIES_MAX) return { skipped: { kind: 'retry', afterSeconds: UNWRITTEN_RETRY_SECONDS, reason } };
  log.error('postback.dropped', { reason: `the write that adds this event never landed (${reason})` });
  return { skipped: { kind: 'skipped', reason: 'event_not_recorded' } };
}

const notRecorded = (log: Logger, subject: string): Lookup => {
  log.warn('postback.dropped', { reason: `the ${subject} does not have this event (its write lost a race); nothing happened to tell` });
  return { skipped: { kind: 'skipped', reason: 'event_not_recorded' } };
};

async function findInvoiceEvent(deps: Deps, render: RenderPostback, job: InvoicePostbackJob, receives: number): Promise<Lookup> {
  const id = job.invoiceId as InvoiceId;
  const log = deps.log.child({ invoiceId: invoiceUuid(id), eventId: job.eventId, receives });
  const invoice = await readWritten(() => deps.invoices.get(id), job.version, false);
  if (!invoice) {
    log.error('postback.invoice_missing');
    return { skipped: { kind: 'skipped', reason: 'invoice_missing' } };
  }
  // Queued just before its write: the write is still on its way (or never landed).
  if (invoice.version < job.version) return unwritten(log, receives, `invoice at version ${invoice.version}, job made for ${job.version}`);
  const event = postbackEventsOf(invoice).find((e) => e.id === job.eventId);
  if (!event) return notRecorded(log, 'invoice');
  return {
    found: {
      log,
      subject: id,
      shopId: invoice.shopId,
      event,
      urlOf: (project) => invoice.notificationUrl ?? project.settings.notificationUrl,
      encode: async (project, secret, unix) => {
        const fields = render({ publicBaseUrl: deps.settings.publicBaseUrl, heads: await chainHeadsFor(deps, [invoice]) }, invoice, project, event);
        const token = await deps.signer.token({ id: invoice.id, exp: unix + POSTBACK_TOKEN_TTL_SECONDS }, secret);
        return encodePostback(fields, token, project.settings.postbackFormat, event);
      },
    },
  };
}

/** Withdrawals are native only (CryptoCloud documents no payout webhook): JSON, signed by the header alone. */
async function findWithdrawalEvent(deps: Deps, render: RenderWithdrawalWebhook, job: WithdrawalPostbackJob, receives: number): Promise<Lookup> {
  const log = deps.log.child({ withdrawalId: job.withdrawalId, eventId: job.eventId, receives });
  const withdrawal = await readWritten(() => deps.withdrawals.get(job.withdrawalId), job.version, true);
  if (!withdrawal || withdrawal.version < job.version) return unwritten(log, receives, withdrawal ? `withdrawal at version ${withdrawal.version}, job made for ${job.version}` : 'no such withdrawal yet');
  const event = withdrawalEventsOf(withdrawal).find((e) => e.id === job.eventId);
  if (!event) return notRecorded(log, 'withdrawal');
  return {
    found: {
      log,
      subject: { withdrawalId: withdrawal.id },
      shopId: withdrawal.shopId,
      event,
      urlOf: (project) => project.settings.notificationUrl,
      encode: async () => ({ contentType: 'application/json', body: JSON.stringify(render(withdrawal, event)) }),
    },
  };
}

const subjectFields = (s: PostbackSubject) => (typeof s === 'string' ? { invoiceId: s } : { withdrawalId: s.withdrawalId });

/**
 * One delivery attempt of a queued job (`receives` is the queue's receive count, 1-based), for
 * any subject. Only a 2xx answer is success; anything else is retried after the backoff until
 * the attempts run out, when the queue parks the job in its DLQ.
 */
export async function deliverPostback(deps: Deps, render: PostbackRenderers, job: PostbackJob, receives: number): Promise<DeliveryOutcome> {
  const lookup = isWithdrawalJob(job) ? await findWithdrawalEvent(deps, render.withdrawal, job, receives) : await findInvoiceEvent(deps, render.invoice, job, receives);
  if ('skipped' in lookup) return lookup.skipped;
  const { log, subject, event } = lookup.found;
  if (!job.force && (await deps.postbackLog.isDelivered(subject, event.id))) {
    log.info('postback.already_delivered');
    return { kind: 'skipped', reason: 'already_delivered' };
  }
  const project = await deps.projects.get(lookup.found.shopId);
  if (!project) {
    log.error('postback.project_missing', { shopId: lookup.found.shopId });
    return { kind: 'skipped', reason: 'project_missing' };
  }
  const url = lookup.found.urlOf(project);
  const at = deps.clock.now();
  // Numbered per event across retries, resends and redrives, as the merchant reads the log.
  const attempt = (await deps.postbackLog.attemptsOf(subject)).filter((a) => a.eventId === event.id).length + 1;
  const record = (a: Pick<PostbackAttempt, 'outcome' | 'httpStatus' | 'latencyMs' | 'response'>) =>
    deps.postbackLog.record({ ...subjectFields(subject), eventId: event.id, kind: event.kind, attempt, at, target: url ? targetOf(url) : '', resend: job.force, ...a });
  if (!url) {
    await record({ outcome: 'no_url', httpStatus: null, latencyMs: 0, response: 'no notification URL: set the project notificationUrl (or add_fields.notification_url), then resend' });
    log.warn('postback.no_url', { shopId: project.shopId });
    return { kind: 'skipped', reason: 'no_url' };
  }

  // The body from the subject as it is now; token and signature fresh.
  const nowMs = deps.clock.now();
  const unix = Math.floor(nowMs / 1000);
  const [secret, ...older] = await signingSecrets(deps, project, nowMs);
  const encoded = await lookup.found.encode(project, secret, unix);
  const payload = signedPayload(unix, encoded.body);
  const headers = {
    'content-type': encoded.contentType,
    'user-agent': 'Tollgate-Postback/1',
    'tollgate-signature': signatureHeader(unix, [secret, ...older].map((s) => deps.signer.hmacHex(s, payload))),
    'tollgate-event': event.kind,
    'tollgate-event-id': event.id,
    'tollgate-attempt': String(attempt),
  };
  const result = await deps.transport.post({ url, body: encoded.body, headers, timeoutMs: deps.settings.postbacks.timeoutMs });
  const outcome = outcomeOf(result);
  await record({ outcome, httpStatus: result.kind === 'answered' ? result.status : null, latencyMs: result.latencyMs, response: result.kind === 'answered' ? result.snippet : result.reason });
  const fields = { target: targetOf(url), outcome, latencyMs: result.latencyMs, ...(result.kind === 'answered' ? { httpStatus: result.status } : { reason: result.reason }) };
  if (result.kind === 'answered' && outcome === 'delivered') {
    await deps.postbackLog.markDelivered(subject, event.id, at);
    log.info('postback.delivered', { ...fields, attempt });
    return { kind: 'delivered', status: result.status };
  }
  const reason = result.kind === 'answered' ? `HTTP ${result.status}` : result.reason;
  const policy = deps.settings.postbacks.retry;
  if (receives >= policy.attempts) {
    log.error('postback.gave_up', { ...fields, note: 'attempts exhausted; the job goes to the DLQ (tollgate postback dlq list|redrive)' });
    return { kind: 'gave_up', reason };
  }
  const afterSeconds = retryDelaySeconds(receives, policy, deps.random.fraction());
  log.warn('postback.failed', { ...fields, attempt, retryInSeconds: afterSeconds });
  return { kind: 'retry', afterSeconds, reason };
}

export type PostbackLogView = { events: (PostbackEvent & { delivered: boolean })[]; attempts: PostbackAttempt[] };

/** The invoice's postback events and every attempt, oldest first. */
export async function postbackLogOf(deps: Deps, project: Project, id: InvoiceId): Promise<Result<PostbackLogView, AppError>> {
  const invoice = await loadOwnInvoice(deps, project, id);
  if (!invoice.ok) return invoice;
  const events = await Promise.all(postbackEventsOf(invoice.value).map(async (e) => ({ ...e, delivered: await deps.postbackLog.isDelivered(id, e.id) })));
  return ok({ events, attempts: await deps.postbackLog.attemptsOf(id) });
}

/** Queues every postback event of the invoice again, delivered or not (same event ids). */
export async function resendPostbacks(deps: Deps, project: Project, id: InvoiceId): Promise<Result<PostbackEvent[], AppError>> {
  const invoice = await loadOwnInvoice(deps, project, id);
  if (!invoice.ok) return invoice;
  const events = postbackEventsOf(invoice.value);
  if (events.length === 0) return err({ kind: 'postback.nothing_to_send', invoiceId: id, status: invoice.value.status });
  await deps.queue.sendMany('postbacks', events.map((e) => messageOf(jobOf(invoice.value, e, true))));
  deps.log.info('postback.resend_queued', { invoiceId: invoiceUuid(id), events: events.map((e) => e.id) });
  return ok(events);
}
