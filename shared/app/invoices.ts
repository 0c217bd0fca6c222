/** Read and state-change use cases on existing invoices. */

import { type InvoiceId, invoiceUuid } from '../domain/ids';
import { cancelInvoice as decideCancel, confirmTestInvoice as decideConfirm, expireInvoice, type Invoice, type Transition } from '../domain/invoice/invoice';
import { INVOICE_STATUSES, type InvoiceStatus } from '../domain/invoice/status';
import type { Project } from '../domain/project';
import { err, ok, type Result } from '../domain/result';
import { DAY_MS, type Instant } from '../domain/time';
import type { Deps } from '../ports';
import type { AppError } from './errors';
import { loadOwnInvoice } from './invoice-lookups';
import { notifyMerchant } from './postbacks';

/** Handlers and tests read chain heads from here, next to the invoice reads they present. */
export { chainHeadsFor } from './invoice-lookups';

export const LIST_PAGE_MAX = 100;
export const EXPIRY_BATCH_MAX = 100;

/** Invoices of this project among the given ids, in request order; unknown ids are omitted. */
export async function getInvoices(deps: Deps, project: Project, ids: readonly InvoiceId[]): Promise<Invoice[]> {
  const found = await deps.invoices.getMany([...new Set(ids)]);
  const mine = new Map(found.filter((i) => i.shopId === project.shopId).map((i) => [i.id, i]));
  return [...new Set(ids)].flatMap((id) => mine.get(id) ?? []);
}

/**
 * `limit` is ambiguous in CryptoCloud's docs (an end index, or a count). We read it as a count:
 * a client that meant an end index then gets extra rows it already has, never a short page that
 * looks like the end, so no reading makes a client miss records.
 */
export function pageWindow(offset: number, limit: number): { offset: number; count: number } {
  return { offset, count: Math.min(Math.max(limit, 0), LIST_PAGE_MAX) };
}

/** Days are inclusive: `end` covers the whole of that UTC day. */
export const dayRange = (start: Instant, end: Instant) => ({ from: start, to: end + DAY_MS });

export function listInvoices(deps: Deps, project: Project, range: { start: Instant; end: Instant }, offset: number, limit: number) {
  return deps.invoices.listByProject(project.shopId, dayRange(range.start, range.end), pageWindow(offset, limit));
}

export type Statistics = { count: Record<InvoiceStatus | 'all', number>; amountUsdCents: Record<InvoiceStatus | 'all', bigint> };

export async function invoiceStatistics(deps: Deps, project: Project, range: { start: Instant; end: Instant }): Promise<Statistics> {
  const zero = <T>(v: T) => Object.fromEntries(['all', ...INVOICE_STATUSES].map((k) => [k, v])) as Record<InvoiceStatus | 'all', T>;
  const count = zero(0);
  const amountUsdCents = zero(0n);
  for (const s of await deps.invoices.summarize(project.shopId, dayRange(range.start, range.end))) {
    count.all += 1;
    count[s.status] += 1;
    amountUsdCents.all += s.usdCents;
    amountUsdCents[s.status] += s.usdCents;
  }
  return { count, amountUsdCents };
}

/** Load, decide, persist with an optimistic version check; one retry covers a racing writer. */
export async function transition(
  deps: Deps,
  project: Project,
  id: InvoiceId,
  decide: (invoice: Invoice) => Result<Transition, AppError>,
  beforeSave: (decided: Transition, before: Invoice) => Promise<void> = async () => {},
): Promise<Result<Invoice, AppError>> {
  for (let attempt = 0; attempt < 2; attempt += 1) {
    const loaded = await loadOwnInvoice(deps, project, id);
    if (!loaded.ok) return loaded;
    const decided = decide(loaded.value);
    if (!decided.ok) return decided;
    await beforeSave(decided.value, loaded.value);
    if (await deps.invoices.save(decided.value.invoice, loaded.value.version)) {
      deps.log.info('invoice.transition', { invoiceId: invoiceUuid(id), from: loaded.value.status, to: decided.value.invoice.status, event: decided.value.event.kind });
      return ok(decided.value.invoice);
    }
  }
  throw new Error(`invoice ${invoiceUuid(id)} kept changing while being updated`);
}

export const cancelInvoice = (deps: Deps, project: Project, id: InvoiceId, now: Instant) =>
  transition(deps, project, id, (invoice) => decideCancel(invoice, now));

/**
 * «Confirm invoice without payment» for test-mode invoices. The balance never changes.
 *
 * The postback job is queued *before* the status is saved: if the queue is down nothing changes
 * and the caller retries; if the save then loses a race, the sender finds the invoice unpaid and
 * drops the job. Its stable id lets the sender de-duplicate a job queued twice.
 */
export async function confirmTestInvoice(deps: Deps, project: Project, id: InvoiceId, now: Instant): Promise<Result<Invoice, AppError>> {
  // Read the project fresh: authentication may hold settings up to 10 s old, and an invoice must
  // not be confirmable without payment once its project has gone live.
  const current = await deps.projects.get(project.shopId);
  if (!current?.settings.testMode) return err({ kind: 'invoice.not_test_mode', invoiceId: id });
  return transition(
    deps,
    project,
    id,
    (invoice) => decideConfirm(invoice, now),
    (decided, before) => notifyMerchant(deps, before, decided.invoice),
  );
}

/** One bounded page of the expiry work queue (a sparse index, never a scan). */
export async function expireDueInvoices(deps: Deps, now: Instant, limit = EXPIRY_BATCH_MAX) {
  const due = await deps.invoices.dueForExpiry(now, limit);
  let expired = 0;
  let skipped = 0;
  for (const id of due) {
    const invoice = await deps.invoices.get(id);
    const decided = invoice ? expireInvoice(invoice, now) : null;
    if (invoice && decided && (await deps.invoices.save(decided.invoice, invoice.version))) {
      expired += 1;
      deps.log.info('invoice.transition', { invoiceId: invoiceUuid(id), from: invoice.status, to: 'canceled', event: 'invoice.canceled', reason: 'expired' });
    } else skipped += 1;
  }
  return { due: due.length, expired, skipped, more: due.length === limit };
}
