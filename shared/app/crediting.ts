/**
 * The crediting consumer: the only writer of payments, invoice statuses and credit entries
 * (DESIGN §2). Each observation becomes at most one transaction; re-deliveries, duplicates and
 * out-of-order messages fall out as no-ops because every step is decided by the pure lifecycle
 * in shared/domain/invoice/payments.ts against the stored invoice, and written conditionally on
 * its version.
 */
import { currencyByContract, requiredFinality } from '../domain/chains';
import { findCrypto } from '../domain/currencies';
import type { InvoiceId } from '../domain/ids';
import { invoiceUuid } from '../domain/ids';
import type { Invoice } from '../domain/invoice/invoice';
import { creditPayment, orphanPayment, type PaymentOutcome, recordTransfer, toleranceUnits } from '../domain/invoice/payments';
import { ratio } from '../domain/money';
import { unitsToUsd } from '../domain/pricing';
import type { Observation } from '../domain/transfers';
import type { Deps } from '../ports';
import { notifyMerchant } from './postbacks';

const VERSION_CONFLICT_RETRIES_MAX = 8;

/**
 * Re-reads the invoice and re-decides until the conditional write lands. The postbacks the
 * write adds are queued before it, stamped with the version it writes: a crash in between
 * leaves a job the sender waits for briefly and then drops, never a payment nobody was told
 * about (shared/app/postbacks.ts).
 */
async function applyToInvoice(deps: Deps, invoiceId: InvoiceId, decide: (invoice: Invoice) => PaymentOutcome | null, what: string): Promise<PaymentOutcome | null> {
  for (let attempt = 0; attempt < VERSION_CONFLICT_RETRIES_MAX; attempt += 1) {
    const invoice = await deps.invoices.get(invoiceId);
    if (!invoice) throw new Error(`invariant: ${what} points at missing invoice ${invoiceUuid(invoiceId)}`);
    const outcome = decide(invoice);
    if (!outcome) return null;
    await notifyMerchant(deps, invoice, outcome.invoice);
    const now = deps.clock.now();
    if (await deps.payments.apply({ invoice: outcome.invoice, expectedVersion: invoice.version, payment: outcome.payment, entry: outcome.entry, now })) return outcome;
    deps.log.debug('crediting.version_conflict', { invoiceId: invoiceUuid(invoiceId), attempt });
  }
  throw new Error(`invoice ${invoiceUuid(invoiceId)} kept changing while applying ${what}`);
}

const paymentFields = (o: PaymentOutcome) => ({
  invoiceId: invoiceUuid(o.invoice.id),
  shopId: o.invoice.shopId,
  transfer: o.payment.key,
  code: o.payment.code,
  amount: o.payment.transfer.amount.toString(),
  state: o.payment.state,
  status: o.invoice.status,
});

export async function handleObservation(deps: Deps, observation: Observation): Promise<void> {
  switch (observation.kind) {
    case 'transfer.seen':
      return recordSeen(deps, observation);
    case 'transfer.confirmed':
      return credit(deps, observation);
    case 'blocks.orphaned':
      return withdraw(deps, observation);
  }
}

async function recordSeen(deps: Deps, o: Extract<Observation, { kind: 'transfer.seen' }>) {
  const t = o.transfer;
  const deployment = deps.chains.find((d) => d.chain === t.chain);
  if (!deployment) {
    deps.log.error('crediting.chain_not_served', { chain: t.chain, txHash: t.txHash });
    return;
  }
  const invoiceId = await deps.payments.addressOwner(t.chain, t.to);
  if (!invoiceId) {
    deps.log.warn('crediting.unclaimed_address', { chain: t.chain, to: t.to, txHash: t.txHash });
    return;
  }
  const currency = currencyByContract(deployment, t.contract);
  const outcome = await applyToInvoice(
    deps,
    invoiceId,
    (invoice) => {
      const s = invoice.selection;
      const worth = s && currency && currency.code === s.code ? unitsToUsd(t.amount, s.usdPerUnit, currency) : ratio(0n, 1n);
      const recorded = recordTransfer(invoice, { transfer: t, code: currency?.code ?? null, finality: requiredFinality(deployment.confirmations, worth), source: o.source, now: deps.clock.now() });
      return recorded.changed ? { invoice: recorded.invoice, payment: recorded.payment, events: [], entry: null } : null;
    },
    `transfer ${t.txHash}`,
  );
  if (!outcome) return deps.log.debug('crediting.seen_again', { invoiceId: invoiceUuid(invoiceId), txHash: t.txHash });
  if (outcome.payment.rejection) deps.log.warn('payment.rejected', { ...paymentFields(outcome), reason: outcome.payment.rejection, contract: t.contract });
  else deps.log.info('payment.seen', { ...paymentFields(outcome), block: t.blockNumber });
}

async function credit(deps: Deps, o: Extract<Observation, { kind: 'transfer.confirmed' }>) {
  const record = await deps.payments.transfer(o.key);
  if (!record) {
    deps.log.warn('crediting.unknown_transfer', { transfer: o.key });
    return;
  }
  const project = await deps.projects.get(record.shopId);
  let skipped = '';
  const outcome = await applyToInvoice(
    deps,
    record.invoiceId,
    (invoice) => {
      const decimals = findCrypto(invoice.selection?.code ?? '')?.decimals ?? 0;
      const tolerance = project ? toleranceUnits(project.settings.partialTolerance, invoice, decimals) : 0n;
      const out = creditPayment(invoice, { key: o.key, blockHash: o.blockHash, confirmations: o.confirmations, toleranceUnits: tolerance, now: deps.clock.now() });
      if (out.ok) return out.value;
      skipped = out.error.kind;
      return null;
    },
    `confirmation of ${o.key}`,
  );
  if (!outcome) return deps.log.debug('crediting.confirm_skipped', { transfer: o.key, reason: skipped });
  deps.log.info('payment.credited', { ...paymentFields(outcome), events: outcome.events.map((e) => e.kind), classification: outcome.payment.classification, net: outcome.payment.net.toString(), fee: outcome.payment.fee.toString(), confirmations: o.confirmations });
}

async function withdraw(deps: Deps, o: Extract<Observation, { kind: 'blocks.orphaned' }>) {
  for (const block of o.blocks) {
    const inBlock = (await deps.payments.transfersInBlocks(o.chain, block.number, block.number)).filter((t) => t.blockHash === block.hash);
    for (const t of inBlock) {
      const outcome = await applyToInvoice(deps, t.invoiceId, (invoice) => orphanPayment(invoice, { key: t.key, blockHash: block.hash, now: deps.clock.now() }), `orphaned ${t.key}`);
      if (!outcome) continue;
      if (outcome.entry) deps.log.error('payment.reversed', { ...paymentFields(outcome), block: block.number, note: 'a reorg deeper than the confirmation depth removed a credited transfer' });
      else deps.log.warn('payment.withdrawn', { ...paymentFields(outcome), block: block.number });
    }
  }
}
