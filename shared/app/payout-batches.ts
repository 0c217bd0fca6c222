/**
 * Mass payouts as the merchant asks for them (native API, `tollgate payout batch`): a batch of up
 * to BATCH_ITEMS_MAX items, each a withdrawal of its own (source `batch`), validated, priced as a
 * single withdrawal is (./withdrawals.ts priceWithdrawal), written, then handed to the batch
 * workflow (lib/workflows/payout-batch.ts), which holds, pays and reports every item.
 *
 * Creation is crash-safe and idempotent:
 *
 *   validate + price ─▶ batch written `creating` (with its Idempotency-Key) ─▶ items (addItems,
 *   each with its reference claim) ─▶ batch → awaiting_approval | queued (+ workflow started)
 *
 * A retry with the same key (and body) finds the batch and finishes whatever step was left; a
 * batch whose references all belong to one earlier batch answers that batch.
 *
 * A creation that finds some of its references taken while it writes (a partly overlapping
 * request sent at the same moment) abandons its batch: `abandoned` (final), then every item it
 * wrote is deleted with its reference claim, so the loser holds nothing and a retry gets every
 * reference no one else holds. Its items' `created` webhooks are queued only once every item is
 * written, so an abandoned batch's items were never announced.
 */
import type { ChainDeployment } from '../domain/chains';
import type { CryptoCurrency } from '../domain/currencies';
import { formatDecimal, fromUnits, type Ratio, toScale } from '../domain/money';
import { BATCH_ITEMS_MAX, batchItemId, ITEM_REFERENCE_LENGTH_MAX, type PayoutBatch } from '../domain/payout-batch';
import type { Project } from '../domain/project';
import { err, ok, type Result } from '../domain/result';
import type { Instant } from '../domain/time';
import type { Withdrawal } from '../domain/withdrawal';
import type { AuditActor } from '../domain/audit';
import type { Deps } from '../ports';
import type { IdempotencyClaim } from '../ports/funds-out';
import { usdRateFrom } from './create-invoice';
import { recordAudit } from './audit';
import type { AppError } from './errors';
import { requireFreshCode } from './second-factor';
import { notifyWithdrawals } from './withdrawal-webhooks';
import { addressRefusal, parseWithdrawalAmount, priceWithdrawal, servedCodes, servedForWithdrawal, usdCents, usdText } from './withdrawals';

/** One item as it came over the wire: each field as text, or null when missing or not text/number; null for a non-object. */
export type BatchItemInput = { currency: string | null; toAddress: string | null; amount: string | null; reference: string | null } | null;

export type BatchRequest = {
  items: readonly BatchItemInput[];
  source: PayoutBatch['source'];
  /** sha256 of the Idempotency-Key and of the request body, when the client sent a key. */
  idempotency: IdempotencyClaim | null;
};

/** A malformed item: `index` counts from 1, like the item's id (`<batch>-0001`) and its `index` in the batch. */
export type BatchItemProblem = { index: number; field: 'item' | 'currency' | 'to_address' | 'amount' | 'reference'; message: string };

/** A batch with its items in the merchant's order. */
export type BatchView = { batch: PayoutBatch; items: Withdrawal[] };

/** Longer than any address of a served chain (EVM 42, Tron 34); longer text is malformed, not a wrong address. */
const ADDRESS_LENGTH_MAX = 128;
/** Printable: no control, format or unassigned characters (a reference is shown in tables and webhooks). */
const PRINTABLE = /^[^\p{C}]+$/u;
const BATCH_ID = /^PB-[A-Z0-9]{8}$/;
/** Rereads after losing a conditional write of the batch to a concurrent request. */
const RACE_RETRIES_MAX = 10;

/** A validated item, priced; `refusal` set when only its address is wrong (it is created failed, holding nothing). */
type PlannedItem = {
  index: number;
  reference: string;
  currency: CryptoCurrency;
  deployment: ChainDeployment;
  toAddress: string;
  amount: bigint;
  fee: bigint;
  sendAmount: bigint;
  holdAmount: bigint;
  feeSide: Withdrawal['feeSide'];
  refusal: string | null;
};

type Plan = { items: PlannedItem[]; rates: Map<string, Ratio> };

/** Validates every item (all problems, not the first) and prices the valid ones at the current rates. */
async function planItems(deps: Deps, project: Project, inputs: readonly BatchItemInput[]): Promise<Result<Plan, AppError>> {
  if (inputs.length === 0 || inputs.length > BATCH_ITEMS_MAX) return err({ kind: 'payout_batch.size', count: inputs.length, max: BATCH_ITEMS_MAX });
  const problems: BatchItemProblem[] = [];
  const firstIndexOf = new Map<string, number>();
  const parsed: (Omit<PlannedItem, 'fee' | 'sendAmount' | 'holdAmount' | 'feeSide'> | null)[] = inputs.map((input, i) => {
    const index = i + 1;
    const problem = (field: BatchItemProblem['field'], message: string) => {
      problems.push({ index, field, message });
      return null;
    };
    if (input === null) return problem('item', 'each item must be an object with currency, to_address, amount and reference');
    const before = problems.length;
    const reference = (input.reference ?? '').trim();
    if (input.reference === null) problem('reference', 'reference is required: your id for this payout, unique in the project');
    else if (reference.length === 0 || [...reference].length > ITEM_REFERENCE_LENGTH_MAX || !PRINTABLE.test(reference))
      problem('reference', `reference must be 1 to ${ITEM_REFERENCE_LENGTH_MAX} printable characters`);
    else if (firstIndexOf.has(reference)) problem('reference', `reference '${reference}' repeats item ${firstIndexOf.get(reference)}'s: every item needs its own`);
    else firstIndexOf.set(reference, index);
    const served = input.currency === null ? null : servedForWithdrawal(deps, input.currency);
    if (input.currency === null) problem('currency', 'currency is required, such as USDT_ERC20');
    else if (!served) problem('currency', `unknown or unserved currency '${input.currency.slice(0, 40)}'; served: ${servedCodes(deps).join(', ')}`);
    const toAddress = (input.toAddress ?? '').trim();
    if (input.toAddress === null || toAddress.length === 0) problem('to_address', 'to_address is required');
    else if (toAddress.length > ADDRESS_LENGTH_MAX) problem('to_address', `to_address is longer than ${ADDRESS_LENGTH_MAX} characters; no served chain has such addresses`);
    let amount = 0n;
    if (input.amount === null) problem('amount', 'amount is required: a number in the currency, such as 12.5');
    else if (served) {
      const parsedAmount = parseWithdrawalAmount(input.amount, served.currency);
      if (parsedAmount.ok) amount = parsedAmount.value;
      else problem('amount', parsedAmount.error);
    }
    if (problems.length > before || !served) return null;
    const refusal = addressRefusal(deps, served.deployment, served.currency, toAddress);
    return { index, reference, currency: served.currency, deployment: served.deployment, toAddress, amount, refusal };
  });
  if (problems.length > 0) return err({ kind: 'payout_batch.invalid', problems });
  const valid = parsed.filter((p): p is NonNullable<typeof p> => p !== null);
  const symbols = [...new Set(valid.map((p) => p.currency.priceSymbol))];
  const decisions = await deps.rates.usdRates(symbols);
  const rates = new Map<string, Ratio>();
  for (const p of valid) {
    if (rates.has(p.currency.code)) continue;
    const rate = usdRateFrom(decisions, p.currency.priceSymbol);
    if (!rate.ok) return rate;
    rates.set(p.currency.code, rate.value);
  }
  const items: PlannedItem[] = [];
  for (const p of valid) {
    const priced = priceWithdrawal(project, p.currency, p.amount, rates.get(p.currency.code) as Ratio);
    if (!priced.ok) problems.push({ index: p.index, field: 'amount', message: priced.error });
    else items.push({ ...p, ...priced.value, feeSide: project.settings.sideCommission });
  }
  return problems.length > 0 ? err({ kind: 'payout_batch.invalid', problems }) : ok({ items, rates });
}

const payable = (items: readonly PlannedItem[]) => items.filter((p) => p.refusal === null);
const show = (units: bigint, currency: CryptoCurrency) => formatDecimal(fromUnits(units, currency.decimals));

/** Per currency: what the payable items move (amounts asked, network fees) and hold. */
function sumsByCurrency(items: readonly PlannedItem[]) {
  const sums = new Map<string, { currency: CryptoCurrency; amount: bigint; fee: bigint; hold: bigint }>();
  for (const p of payable(items)) {
    const s = sums.get(p.currency.code) ?? { currency: p.currency, amount: 0n, fee: 0n, hold: 0n };
    s.amount += p.amount;
    s.fee += p.fee;
    s.hold += p.holdAmount;
    sums.set(p.currency.code, s);
  }
  return sums;
}

function toWithdrawal(batch: PayoutBatch, p: PlannedItem, now: Instant): Withdrawal {
  return {
    id: batchItemId(batch.id, p.index),
    shopId: batch.shopId,
    code: p.currency.code,
    chain: p.deployment.chain,
    toAddress: p.toAddress,
    walletId: null,
    amount: p.amount,
    fee: p.fee,
    feeSide: p.feeSide,
    sendAmount: p.sendAmount,
    holdAmount: p.holdAmount,
    source: 'batch',
    batch: { id: batch.id, index: p.index, reference: p.reference },
    // A wrong address fails the item at once: the workflow holds `requested` items only, so it holds nothing.
    status: p.refusal === null ? 'requested' : 'failed',
    reason: p.refusal,
    tx: null,
    replaced: [],
    landed: null,
    createdAt: now,
    updatedAt: now,
    version: 1,
  };
}

/**
 * Creates a mass payout: every item validated (all problems listed), priced, checked against the
 * project's available balance per currency, then written and started, or left awaiting approval
 * when it is worth more than the project's `payoutApprovalAboveUsd`.
 */
export async function createBatch(deps: Deps, project: Project, req: BatchRequest, now: Instant): Promise<Result<BatchView, AppError>> {
  if (req.idempotency) {
    const again = await replayed(deps, project, req, now);
    if (again) return again;
  }
  const planned = await planItems(deps, project, req.items);
  if (!planned.ok) return planned;
  const { items, rates } = planned.value;

  const earlier = await earlierBatch(deps, project.shopId, items, null, now);
  // A twin request with the same key may have claimed it (and some references) since it was read: answer as a replay.
  if (earlier && !earlier.ok && req.idempotency) return (await replayed(deps, project, req, now)) ?? earlier;
  if (earlier) return earlier;

  const sums = sumsByCurrency(items);
  const shortfalls: { code: string; needed: string; available: string }[] = [];
  let cents = 0n;
  for (const [code, s] of sums) {
    // A friendly answer now; the holds in the workflow are what really guard the balance.
    const balance = await deps.ledger.balance(project.shopId, code);
    if (balance.available < s.hold) shortfalls.push({ code, needed: show(s.hold, s.currency), available: show(balance.available, s.currency) });
    cents += usdCents(s.hold, rates.get(code) as Ratio, s.currency);
  }
  if (shortfalls.length > 0) return err({ kind: 'payout_batch.insufficient_balance', shortfalls });
  const thresholdCents = toScale(project.settings.payoutApprovalAboveUsd, 2, 'down');
  const approvalRequired = cents > thresholdCents;
  if (approvalRequired && (await deps.secondFactors.get(project.shopId))?.status !== 'active') {
    return err({ kind: 'payout_batch.second_factor_required', shopId: project.shopId, usd: usdText(cents), thresholdUsd: usdText(thresholdCents) });
  }

  const id = `PB-${deps.ids.invoiceId()}`;
  const batch: PayoutBatch = {
    id,
    shopId: project.shopId,
    status: 'creating',
    itemIds: items.map((p) => batchItemId(id, p.index)),
    totals: [...sums.entries()].map(([code, s]) => ({ code, amount: s.amount, fee: s.fee })),
    usdCents: cents,
    approval: { required: approvalRequired, approvedAt: null },
    source: req.source,
    createdAt: now,
    updatedAt: now,
    version: 1,
  };
  const created = await deps.payoutBatches.create(batch, req.idempotency);
  if (created.kind === 'idempotency_taken') {
    // A concurrent request with the same key won: answer (or finish) its batch.
    return (await replayed(deps, project, req, now)) ?? err({ kind: 'payout_batch.not_found', id: created.batchId });
  }
  return finish(deps, batch, items, now);
}

/**
 * The batch that already holds these items' references: every reference in one earlier batch is
 * the same payouts sent again (that batch is answered, or finished when half written with the same
 * items in the same places); some taken is a clear refusal listing them; none taken is null.
 * `self`: a batch being written, whose own items are not "earlier".
 */
async function earlierBatch(deps: Deps, shopId: string, items: readonly PlannedItem[], self: string | null, now: Instant): Promise<Result<BatchView, AppError> | null> {
  const found = await deps.payoutBatches.findReferences(shopId, items.map((p) => p.reference));
  if (found.size === 0) return null;
  const batchIds = new Set([...found.values()].map(batchIdOfItem));
  // Every reference in one earlier batch: the same payouts sent again; answer that batch, create nothing.
  if (found.size === items.length && batchIds.size === 1 && !batchIds.has(self ?? '')) {
    const earlier = await deps.payoutBatches.get([...batchIds][0] as string);
    // An abandoned batch is giving its references back: they read as taken until it has (retry).
    if (earlier && earlier.shopId === shopId && earlier.status !== 'creating' && earlier.status !== 'abandoned') return view(deps, await started(deps, earlier));
    // Half written without a key: finished when this body names the same items in the same places.
    if (self === null && earlier?.status === 'creating' && earlier.shopId === shopId && items.every((p) => found.get(p.reference) === earlier.itemIds[p.index - 1]) && earlier.itemIds.length === items.length) {
      return finish(deps, earlier, items, now);
    }
  }
  const taken = items.filter((p) => found.has(p.reference) && batchIdOfItem(found.get(p.reference) as string) !== self);
  return err({ kind: 'payout_batch.references_taken', taken: taken.map((p) => ({ index: p.index, reference: p.reference, itemId: found.get(p.reference) as string })) });
}

/** `<batch id>-0001` → `<batch id>`. */
const batchIdOfItem = (itemId: string) => itemId.slice(0, itemId.lastIndexOf('-'));

/** A request with a known Idempotency-Key: the same body answers (and finishes) its batch; another body is refused; an abandoned batch frees its key (null). */
async function replayed(deps: Deps, project: Project, req: BatchRequest, now: Instant): Promise<Result<BatchView, AppError> | null> {
  const claim = req.idempotency as IdempotencyClaim;
  const found = await deps.payoutBatches.findByIdempotency(project.shopId, claim.keyHash);
  if (!found) return null;
  const batch = await deps.payoutBatches.get(found.batchId);
  if (batch?.status === 'abandoned') {
    // Its key's request was refused and nothing of it kept: the key is free for the retry (with
    // this body or one less the references still taken), which creates anew.
    await deps.payoutBatches.releaseIdempotency(project.shopId, claim.keyHash, batch.id);
    return null;
  }
  if (found.requestHash !== claim.requestHash) return err({ kind: 'idempotency.key_reused', key: claim.keyHash.slice(0, 12) });
  if (!batch) return err({ kind: 'payout_batch.not_found', id: found.batchId });
  if (batch.status !== 'creating') return view(deps, await started(deps, batch));
  // Half written (a crash or a timeout after the batch record): the same body writes what is missing.
  const planned = await planItems(deps, project, req.items);
  if (!planned.ok) return planned;
  return finish(deps, batch, planned.value.items, now);
}

/**
 * Writes the items of a `creating` batch (those already written are skipped) and moves it on:
 * awaiting approval, or queued with its workflow started. Safe to run again at any point.
 */
async function finish(deps: Deps, batch: PayoutBatch, planned: readonly PlannedItem[], now: Instant): Promise<Result<BatchView, AppError>> {
  const items = planned.map((p) => toWithdrawal(batch, p, now));
  // The smallest reference is claimed first and alone: of two requests racing with the same
  // references (a client retrying without a key, or with a new key each time), the one that wins it
  // writes every item and the other writes none, so the references never end split between two
  // batches that both stay `creating` and hold them for ever.
  const lead = items.reduce((a, b) => ((b.batch?.reference ?? '') < (a.batch?.reference ?? '') ? b : a));
  const leading = await deps.payoutBatches.addItems([lead]);
  const { taken, closed } = leading.taken.length > 0 || leading.closed ? leading : await deps.payoutBatches.addItems(items.filter((w) => w !== lead));
  if (taken.length > 0 || closed) {
    // Another batch claimed references since they were checked (or a twin request writing this
    // batch saw it): the batch is abandoned and what it wrote given back (never started, nothing
    // held, no webhook queued); the same payouts won by one batch answer it, else the collisions are listed.
    deps.log.warn('payout_batch.references_raced', { batchId: batch.id, taken: taken.length });
    const after = await abandon(deps, batch, now);
    if (after.status !== 'abandoned') return view(deps, await started(deps, after));
    const indexOf = new Map(planned.map((p) => [p.reference, p.index]));
    const fallback = err<AppError>(
      taken.length > 0 ? { kind: 'payout_batch.references_taken', taken: taken.map((t) => ({ index: indexOf.get(t.reference) ?? 0, reference: t.reference, itemId: t.itemId })) } : { kind: 'payout_batch.abandoned', id: batch.id },
    );
    return (await earlierBatch(deps, batch.shopId, planned, batch.id, now)) ?? fallback;
  }
  // Queued once every item is written and before the batch leaves `creating` (so before anything
  // can change them): an abandoned batch's items are never announced, a crash here leaves the
  // batch `creating` and its retry queues them again (same event ids; the sender sends each once).
  await notifyWithdrawals(deps, items.map((w) => ({ before: null, after: w })));
  let current: PayoutBatch | null = batch;
  for (let attempt = 0; attempt < RACE_RETRIES_MAX && current; attempt += 1) {
    if (current.status === 'abandoned') return err({ kind: 'payout_batch.abandoned', id: current.id });
    if (current.status !== 'creating') return view(deps, await started(deps, current));
    const next: PayoutBatch = { ...current, status: current.approval.required ? 'awaiting_approval' : 'queued', updatedAt: now, version: current.version + 1 };
    if (await deps.payoutBatches.save(next, current.version)) {
      const written = await deps.payoutBatches.items(next.itemIds);
      const failed = written.filter((w) => w.status === 'failed').length;
      deps.log.info('payout_batch.created', { shopId: next.shopId, batchId: next.id, items: written.length, failed, status: next.status, usdCents: String(next.usdCents) });
      await recordAudit(deps, {
        shopId: next.shopId,
        at: now,
        actor: next.source === 'cli' ? 'cli' : 'api',
        action: 'payout_batch.created',
        subject: next.id,
        details: { items: written.length, failed_at_creation: failed, usd: usdText(next.usdCents), status: next.status, approval_required: next.approval.required },
      });
      return ok({ batch: await started(deps, next), items: written });
    }
    current = await deps.payoutBatches.get(batch.id);
  }
  throw new Error(`payout batch ${batch.id} kept changing while it was created; retry`);
}

/**
 * Marks a `creating` batch `abandoned` (final), then deletes every item it wrote with its reference
 * claim. Once abandoned no item write of it can land (addItems checks the status in the same
 * transaction), so the items read afterwards are all there are. Safe to run again, and by twins.
 * Answers the batch as it ends (not abandoned when a twin finished it first).
 */
async function abandon(deps: Deps, batch: PayoutBatch, now: Instant): Promise<PayoutBatch> {
  let current: PayoutBatch | null = batch;
  let mine = false;
  for (let attempt = 0; attempt < RACE_RETRIES_MAX && current?.status === 'creating'; attempt += 1) {
    const next: PayoutBatch = { ...current, status: 'abandoned', updatedAt: now, version: current.version + 1 };
    if (await deps.payoutBatches.save(next, current.version)) {
      current = next;
      mine = true;
    } else current = await deps.payoutBatches.get(batch.id);
  }
  if (!current) throw new Error(`payout batch ${batch.id} vanished while it was abandoned`);
  if (current.status === 'creating') throw new Error(`payout batch ${batch.id} kept changing while it was abandoned; retry`);
  if (current.status !== 'abandoned') return current;
  // Only what the creation wrote: items as created (a wrong address's item is created failed), never changed since.
  const written = (await deps.payoutBatches.items(current.itemIds)).filter((w) => w.version === 1 && (w.status === 'requested' || w.status === 'failed'));
  const removed = await deps.payoutBatches.removeItems(written);
  deps.log.warn('payout_batch.abandoned', { shopId: current.shopId, batchId: current.id, removed });
  if (mine) {
    await recordAudit(deps, {
      shopId: current.shopId,
      at: now,
      actor: current.source === 'cli' ? 'cli' : 'api',
      action: 'payout_batch.abandoned',
      subject: current.id,
      details: { items: current.itemIds.length, reason: 'references_taken' },
    });
  }
  return current;
}

/** A queued batch's execution, named by its id: starting it again is harmless. */
async function started(deps: Deps, batch: PayoutBatch): Promise<PayoutBatch> {
  if (batch.status === 'queued') {
    const outcome = await deps.workflows.start('payout_batch', batch.id, { batchId: batch.id });
    deps.log.info('payout_batch.workflow', { batchId: batch.id, started: outcome });
  }
  return batch;
}

async function view(deps: Deps, batch: PayoutBatch): Promise<Result<BatchView, AppError>> {
  return ok({ batch, items: await deps.payoutBatches.items(batch.itemIds) });
}

async function loadBatch(deps: Deps, project: Project, id: string): Promise<Result<PayoutBatch, AppError>> {
  const wanted = id.trim().toUpperCase();
  // Ids are not secrets, but another project's batch reads as not found.
  const batch = BATCH_ID.test(wanted) ? await deps.payoutBatches.get(wanted) : null;
  return batch && batch.shopId === project.shopId ? ok(batch) : err({ kind: 'payout_batch.not_found', id: id.slice(0, 40) });
}

/** The batch and every item's status (payoutItemStatus), reason and transaction. */
export async function showBatch(deps: Deps, project: Project, id: string): Promise<Result<BatchView, AppError>> {
  const batch = await loadBatch(deps, project, id);
  return batch.ok ? view(deps, batch.value) : batch;
}

/** The project's batches, newest first (without their items). */
export async function listBatches(deps: Deps, project: Project, page: { limit: number; cursor: string | null }): Promise<Result<{ items: PayoutBatch[]; next: string | null }, AppError>> {
  return ok(await deps.payoutBatches.listByProject(project.shopId, page));
}

/**
 * Approves a batch that waits for it with a fresh code of the project's second factor (a wrong,
 * spent or locked code is refused and counted by the factor); the batch is then queued and its
 * workflow started. Refusals and the approval are audited.
 */
export async function approveBatch(deps: Deps, project: Project, id: string, code: string, now: Instant, actor: AuditActor = 'api'): Promise<Result<BatchView, AppError>> {
  const loaded = await loadBatch(deps, project, id);
  if (!loaded.ok) return loaded;
  let batch = loaded.value;
  // Checked before the code, so a code is never spent on a batch that cannot move.
  if (batch.status !== 'awaiting_approval') return err({ kind: 'payout_batch.not_awaiting_approval', id: batch.id, status: batch.status });
  const fresh = await requireFreshCode(deps, project.shopId, code, now, actor);
  if (!fresh.ok) {
    await recordAudit(deps, { shopId: project.shopId, at: now, actor, action: 'payout_batch.approval_refused', subject: batch.id, details: { reason: fresh.error.kind } });
    return err({ kind: 'second_factor.refused', refusal: fresh.error });
  }
  for (let attempt = 0; attempt < RACE_RETRIES_MAX; attempt += 1) {
    const next: PayoutBatch = { ...batch, status: 'queued', approval: { required: true, approvedAt: now }, updatedAt: now, version: batch.version + 1 };
    if (await deps.payoutBatches.save(next, batch.version)) {
      deps.log.info('payout_batch.approved', { shopId: project.shopId, batchId: batch.id, via: fresh.value.via });
      await recordAudit(deps, { shopId: project.shopId, at: now, actor, action: 'payout_batch.approved', subject: batch.id, details: { usd: usdText(batch.usdCents), via: fresh.value.via } });
      return view(deps, await started(deps, next));
    }
    const reread = await deps.payoutBatches.get(batch.id);
    if (!reread) return err({ kind: 'payout_batch.not_found', id: batch.id });
    if (reread.status !== 'awaiting_approval') return err({ kind: 'payout_batch.not_awaiting_approval', id: reread.id, status: reread.status });
    batch = reread;
  }
  throw new Error(`payout batch ${batch.id} kept changing while it was approved; retry`);
}
