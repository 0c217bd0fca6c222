/** Read and state-change use cases on existing invoices. */

import { type ChainId, findCrypto } from '../domain/currencies';
import { type InvoiceId, invoiceUuid } from '../domain/ids';
import { canCancel, cancelInvoice as decideCancel, confirmTestInvoice as decideConfirm, expireInvoice, type Invoice, type Transition } from '../domain/invoice/invoice';
import { hasPendingOnTimePayment, offersOf } from '../domain/invoice/payments';
import { INVOICE_STATUSES, type InvoiceStatus } from '../domain/invoice/status';
import type { Project } from '../domain/project';
import { err, ok, type Result } from '../domain/result';
import { DAY_MS, type Instant, MINUTE_MS } from '../domain/time';
import type { Deps } from '../ports';
import type { AppError } from './errors';
import { loadOwnInvoice } from './invoice-lookups';
import { notifyMerchant } from './postbacks';
import { reportStuckWork, WORK_STUCK_AFTER_MS } from './work-queues';

/** Handlers and tests read chain heads from here, next to the invoice reads they present. */
export { chainHeadsFor } from './invoice-lookups';

export const LIST_PAGE_MAX = 100;
export const EXPIRY_LIMITS = {
  /** Invoices per page of the expiry queue. */
  pageSize: 100,
  /** Pages per run; at 100 invoices a page that is 1,000 invoices a minute, far above demand. */
  pagesPerRun: 10,
  /**
   * An expired invoice held open (a payment confirming, its watcher behind) goes back in the
   * queue this far ahead, out of the way of the invoices behind it.
   */
  recheckMs: 2 * MINUTE_MS,
};

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

/** Invoices read per `pageInvoices` call at most: a rare status over a long history answers a short page and a cursor, not a long scan. */
export const INVOICE_PAGE_SCAN_MAX = 1_000;

/**
 * A project's invoices, newest first, optionally of one status (`tollgate invoice list`). The
 * cursor is the offset of the next invoice to read; null at the end of the history.
 */
export async function pageInvoices(deps: Deps, project: Project, page: { status?: InvoiceStatus; offset: number; limit: number }): Promise<{ invoices: Invoice[]; next: number | null }> {
  const all = { start: 0, end: deps.clock.now() };
  const invoices: Invoice[] = [];
  let offset = page.offset;
  while (offset - page.offset < INVOICE_PAGE_SCAN_MAX) {
    const read = await listInvoices(deps, project, all, offset, LIST_PAGE_MAX);
    for (const invoice of read) {
      offset += 1;
      if (!page.status || invoice.status === page.status) invoices.push(invoice);
      if (invoices.length === page.limit) return { invoices, next: offset };
    }
    if (read.length < LIST_PAGE_MAX) return { invoices, next: null };
  }
  return { invoices, next: offset };
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

/**
 * A merchant cancel. Refused while a payment sent in time is still confirming: canceling would
 * turn the payer's on-time payment into a late one. Once it settles, the invoice is paid, or the
 * payment is withdrawn and the cancel goes through.
 */
export const cancelInvoice = (deps: Deps, project: Project, id: InvoiceId, now: Instant) =>
  transition(deps, project, id, (invoice) =>
    canCancel(invoice) && !invoice.staticWallet && hasPendingOnTimePayment(invoice) ? err({ kind: 'invoice.payment_pending', invoiceId: invoice.id }) : decideCancel(invoice, now),
  );

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

/** Why an expired invoice stays open for now. */
export type ExpiryHold = 'payment_pending' | 'chain_not_served' | 'watcher_behind' | 'settling';

/**
 * How long after its expiry an invoice with a deposit address stays open at least: a transfer the
 * watcher already reported may still wait in the observations queue (a lagging consumer, a
 * retried message). Past it, a payment from before the expiry still reopens the invoice, since
 * payments are classified by block time; this only keeps that rare.
 */
export const EXPIRY_SETTLE_MS = 5 * MINUTE_MS;

/**
 * A payment is late only when its block is after the expiry, so an invoice with a currency chosen
 * is canceled only once its chain's watcher has reported every block up to the expiry: its
 * checkpoint's cursor block must be later than the expiry (the next block may share a timestamp
 * with the cursor block). A chain this deployment does not watch keeps the invoice open (and is
 * logged): nothing could see a payment there, and it shows as stuck work until someone looks.
 * Without a currency there is no address to pay, so nothing holds it.
 */
async function expiryHold(deps: Deps, invoice: Invoice, now: Instant, scannedUpTo: (chain: ChainId) => Promise<Instant | null>): Promise<ExpiryHold | null> {
  if (hasPendingOnTimePayment(invoice)) return 'payment_pending';
  if (offersOf(invoice).length > 0 && now < invoice.expiresAt + EXPIRY_SETTLE_MS) return 'settling';
  // Every offer the payer was shown stands, so every offered chain must have been scanned past the expiry.
  const chains = new Set(offersOf(invoice).map((o) => findCrypto(o.code)?.chain));
  for (const chain of chains) {
    if (!chain || !deps.chains.some((d) => d.chain === chain)) return 'chain_not_served';
    const scanned = await scannedUpTo(chain);
    if (scanned === null || scanned <= invoice.expiresAt) return 'watcher_behind';
  }
  return null;
}

/**
 * One run of the expiry work queue (a sparse index, never a scan), page after page. An invoice
 * held open is put back in the queue a little later, and the run pages past it, so held
 * invoices never stop the due ones behind them; one held past WORK_STUCK_AFTER_MS counts as stuck.
 */
export async function expireDueInvoices(deps: Deps, now: Instant, limits = EXPIRY_LIMITS) {
  const total = { pages: 0, due: 0, expired: 0, held: 0, skipped: 0 };
  const heldBy: Record<ExpiryHold, number> = { payment_pending: 0, chain_not_served: 0, watcher_behind: 0, settling: 0 };
  const stuck: string[] = [];
  // One checkpoint read per chain and run.
  const checkpoints = new Map<ChainId, Promise<Instant | null>>();
  const scannedUpTo = (chain: ChainId) => {
    if (!checkpoints.has(chain)) checkpoints.set(chain, deps.checkpoints.get(chain).then((cp) => cp?.cursorTime ?? null));
    return checkpoints.get(chain) as Promise<Instant | null>;
  };
  let after: string | null = null;
  do {
    const page: { ids: InvoiceId[]; next: string | null } = await deps.invoices.dueForExpiry(now, limits.pageSize, after);
    total.pages += 1;
    total.due += page.ids.length;
    for (const id of page.ids) {
      const invoice = await deps.invoices.get(id);
      // No longer waiting (the index lags behind the item): nothing to do.
      if (invoice?.status !== 'created' || now < invoice.expiresAt) {
        total.skipped += 1;
        continue;
      }
      const hold = await expiryHold(deps, invoice, now, scannedUpTo);
      if (hold) {
        total.held += 1;
        heldBy[hold] += 1;
        if (now - invoice.expiresAt > WORK_STUCK_AFTER_MS) stuck.push(invoiceUuid(id));
        deps.log.debug('invoice.expiry_held', { invoiceId: invoiceUuid(id), reason: hold });
        await deps.invoices.recheckExpiryAt(invoice, now + limits.recheckMs);
        continue;
      }
      const decided = expireInvoice(invoice, now);
      if (decided && (await deps.invoices.save(decided.invoice, invoice.version))) {
        total.expired += 1;
        deps.log.info('invoice.transition', { invoiceId: invoiceUuid(id), from: invoice.status, to: 'canceled', event: 'invoice.canceled', reason: 'expired' });
      } else total.skipped += 1;
    }
    after = page.next;
  } while (after !== null && total.pages < limits.pagesPerRun);
  if (heldBy.chain_not_served > 0) deps.log.warn('invoice.expiry_chain_not_served', { count: heldBy.chain_not_served, served: deps.chains.map((d) => d.chain) });
  if (total.due > 0) reportStuckWork(deps.log, now, 'invoice-expiry', stuck);
  return { ...total, heldBy, stuck: stuck.length, more: after !== null };
}
