/**
 * A mass payout's `disperse` leg (shared/domain/payout-batch.ts): every held token item of one
 * currency on one EVM chain paid by ONE transaction through the disperse contract
 * (lib/contracts/TollgateDisperse.sol). The batch workflow's Map runs, per leg:
 *
 *   send ⟲ (waiting: approve() not mined yet) → confirm ⟲ (pending: not deep enough) → settle
 *     └────────────── any error ──────────────▶ release (only once nothing can land)
 *
 * Leg status: pending → approving (the hot wallet's approve() of the contract is out) → signed
 * (the disperse transaction stored, before anything is sent) → broadcast → confirmed (landed deep
 * enough) → settled (items confirmed or failed from the contract's Paid/Refused events) | failed
 * (released). Items are withdrawals: held → signed (they can no longer be canceled, and the set
 * signed IS the set paid) → broadcast (tx = the leg's) → confirmed | failed, each change with its
 * webhook and audit (withdrawal-steps' `move`) and its ledger entry keyed by the item.
 *
 * Every step reloads the leg and its items and acts from what it finds: run twice, it moves
 * nothing twice (entries keyed by item, signed bytes stored before they are sent, one nonce
 * claimed per leg and one per its approval).
 */
import { nativeCurrencyOf } from '../domain/currencies';
import { gasEntry, holdEntry, releaseEntry, settleEntry } from '../domain/ledger';
import type { PayoutLeg } from '../domain/payout-batch';
import type { Instant } from '../domain/time';
import { isFinal, ledgerFacts, type SignedTransfer, type Withdrawal } from '../domain/withdrawal';
import type { Deps } from '../ports';
import type { ChainSender, FundsOutDeps, TxReceipt } from '../ports/funds-out';
import type { DisperseSender } from '../ports/payouts';
import { bumpedBid, cannotLand, deepEnough, type InFlight, inFlightHashes, landedReceipt, pendingVerdict, useUpClaimedNonce } from './outgoing-tx';
import { move, WithdrawalStopped } from './withdrawal-steps';

type StepDeps = Deps & FundsOutDeps;

/** Which leg a step works on: the Map iteration's input. */
export type LegRef = { batchId: string; legId: string };

/** A step found the leg where it cannot go on (its transaction reverted, its nonce taken, nothing to sign): the workflow goes to release. */
export class PayoutLegStopped extends Error {
  override name = 'PayoutLegStopped';
}

/** Items changed at once: each change is a few writes (item, ledger, webhook, audit). */
const ITEM_CONCURRENCY = 8;
const REASON_LENGTH_MAX = 300;
/** What a refused item's reason says (the contract cannot tell why the token refused). */
export const REFUSED_REASON = 'the token refused the transfer to this address (the disperse contract reported it refused; nothing was sent)';

async function load(deps: Deps, ref: LegRef): Promise<PayoutLeg> {
  const leg = await deps.payoutBatches.getLeg(ref.batchId, ref.legId);
  if (!leg) throw new Error(`payout leg ${ref.legId} of batch ${ref.batchId} does not exist`);
  if (leg.kind !== 'disperse') throw new Error(`payout leg ${leg.id} is paid one transfer per item, not through the disperse contract`);
  return leg;
}

/** Saves a change of the leg on the version read, or fails the step (retried from the leg as it now is). */
async function saveLeg(deps: Deps, leg: PayoutLeg, patch: Partial<Pick<PayoutLeg, 'status' | 'approval' | 'replacedApprovals' | 'tx' | 'replaced' | 'landed' | 'reason'>>, now: Instant): Promise<PayoutLeg> {
  const next: PayoutLeg = { ...leg, ...patch, updatedAt: now, version: leg.version + 1 };
  if (!(await deps.payoutBatches.saveLeg(next, leg.version))) throw new Error(`payout leg ${leg.id} changed while becoming ${next.status}; the step is retried`);
  if (patch.status && patch.status !== leg.status) deps.log.info('payout_leg.status', { legId: leg.id, batchId: leg.batchId, from: leg.status, to: patch.status, txHash: next.tx?.hash });
  return next;
}

/** The leg's disperse transaction and the ones it replaced; its nonce belongs to the leg id. */
const legTx = (leg: PayoutLeg): InFlight => ({ id: leg.id, chain: leg.chain, tx: leg.tx, replaced: leg.replaced });
/** The approve() of the contract and the ones it replaced (any may land, and burn gas); its nonce belongs to `<leg id>:approve`. */
const approvalTx = (leg: PayoutLeg): InFlight => ({ id: `${leg.id}:approve`, chain: leg.chain, tx: leg.approval, replaced: leg.replacedApprovals });

/**
 * The items the disperse transaction pays, in the leg's order, which is the order of its
 * recipients: those moved to `signed` before it was signed (no tx yet), and those already carrying
 * one of the leg's hashes. An item canceled or refused at its hold never becomes either.
 */
function recipientsOf(leg: PayoutLeg, items: readonly Withdrawal[]): Withdrawal[] {
  const hashes = new Set(inFlightHashes(legTx(leg)));
  return items.filter((w) => (w.status === 'signed' && w.tx === null) || (w.tx !== null && hashes.has(w.tx.hash)));
}

async function itemsOf(deps: Deps, leg: PayoutLeg): Promise<Withdrawal[]> {
  return deps.payoutBatches.items(leg.itemIds);
}

function disperseOf(sender: ChainSender, leg: PayoutLeg): DisperseSender {
  if (!sender.disperse) throw new PayoutLegStopped(`payout leg ${leg.id}: ${leg.chain} has no disperse contract configured (CHAINS_JSON disperseContract)`);
  return sender.disperse;
}

/** Runs `work` over `inputs`, ITEM_CONCURRENCY at a time; every input is tried, the first error is thrown after. */
async function eachItem<T>(inputs: readonly T[], work: (input: T) => Promise<void>): Promise<void> {
  let next = 0;
  let failure: unknown = null;
  const lane = async () => {
    while (next < inputs.length) {
      const input = inputs[next++] as T;
      await work(input).catch((e: unknown) => {
        failure ??= e;
      });
    }
  };
  await Promise.all(Array.from({ length: Math.min(ITEM_CONCURRENCY, inputs.length) }, lane));
  if (failure) throw failure;
}

/**
 * Gets the leg's transaction out. First the allowance: when the hot wallet lets the contract move
 * less than the leg pays, an approve() (max) is signed at a nonce claimed for `<leg id>:approve`,
 * stored, sent, and the step answers `waiting` until it is mined. Then the held items move to
 * `signed` (from then on they cannot be canceled), the disperse call for exactly them is signed at
 * a nonce claimed for the leg and stored in the leg, and only then broadcast; the items move to
 * `broadcast` carrying its hash.
 */
export async function sendDisperseLeg(deps: StepDeps, ref: LegRef): Promise<{ state: 'sent' | 'waiting' }> {
  let leg = await load(deps, ref);
  const now = deps.clock.now();
  if (leg.status === 'confirmed' || leg.status === 'settled') return { state: 'sent' };
  if (leg.status === 'failed') throw new PayoutLegStopped(`payout leg ${leg.id} failed: ${leg.reason ?? 'released'}`);
  const sender = deps.senders(leg.chain);
  const disperse = disperseOf(sender, leg);
  let items = await itemsOf(deps, leg);

  if (leg.status === 'pending' || leg.status === 'approving') {
    const payable = items.filter((w) => w.status === 'held' || (w.status === 'signed' && w.tx === null));
    const total = payable.reduce((sum, w) => sum + w.sendAmount, 0n);
    if (payable.length === 0) {
      // Every item failed at its hold or was canceled: nothing to send, nothing to settle.
      await saveLeg(deps, leg, { status: 'settled', reason: 'no item left to pay' }, now);
      return { state: 'sent' };
    }
    // A hot wallet short of the token would have the contract refuse every transfer, and burn the gas anyway.
    const holds = await sender.balanceOf(sender.hotAddress(), leg.code);
    if (holds < total) throw new PayoutLegStopped(`payout leg ${leg.id}: the hot wallet holds ${holds} of ${leg.code} base units, the leg pays ${total}; fund it (or let sweeps do) and send the items again`);
    // Gas short: the node refuses the signed call, and the cancel that would free its nonce too, so the
    // items would stay signed, held, behind an open nonce. Refused before any nonce is claimed, as
    // sweeps size a top-up: the most the call may burn at today's bid.
    const native = nativeCurrencyOf(leg.chain).code;
    const gas = await sender.balanceOf(sender.hotAddress(), native);
    const worst = (await disperse.quoteDisperse(leg.code, payable.length)).maxNativeCost;
    if (gas < worst) throw new PayoutLegStopped(`payout leg ${leg.id}: the hot wallet holds ${gas} of ${native} base units for gas, the leg may burn up to ${worst}; fund it and send the items again`);
    // The leg's own approval, once signed, is driven until its nonce is used, even when another leg's
    // approval already gave the allowance: a nonce claimed and left unsent stalls every later
    // transaction of the hot wallet, this leg's disperse first.
    if ((await disperse.allowance(leg.code)) < total || (await approvalOpen(sender, leg))) return { state: await approve(deps, sender, disperse, leg, now) };
    // held → signed first: the set signed is fixed before the transaction that pays it.
    await eachItem(
      items.filter((w) => w.status === 'held'),
      async (w) => {
        await move(deps, w, 'signed', now).catch((e: unknown) => {
          if (!(e instanceof WithdrawalStopped)) throw e; // canceled meanwhile: it is not paid
        });
      },
    );
    items = await itemsOf(deps, leg);
    const recipients = recipientsOf(leg, items);
    if (recipients.length === 0) {
      await saveLeg(deps, leg, { status: 'settled', reason: 'no item left to pay' }, now);
      return { state: 'sent' };
    }
    const tx = await signDisperse(deps, sender, disperse, leg, recipients, null, now);
    leg = await saveLeg(deps, leg, { status: 'signed', tx }, now);
  }

  if (!leg.tx) throw new Error(`payout leg ${leg.id} is ${leg.status} with no transaction`);
  if (leg.status === 'signed') {
    const sent = await sender.broadcast(leg.tx);
    if (sent.kind === 'rejected') {
      // The release step decides from the chain whether these bytes can still land.
      deps.log.warn('payout_leg.broadcast_rejected', { legId: leg.id, reason: sent.reason, permanent: sent.permanent, txHash: leg.tx.hash });
      if (sent.permanent) throw new PayoutLegStopped(`the chain refused payout leg ${leg.id}: ${sent.reason}`);
      throw new Error(`broadcast of payout leg ${leg.id} failed for now: ${sent.reason}; retried`);
    }
  }
  // Items first, then the leg: a crash between the two finds the leg `signed` and does both again.
  const tx = leg.tx;
  await eachItem(
    recipientsOf(leg, items).filter((w) => w.status === 'signed'),
    async (w) => {
      await move(deps, w, 'broadcast', now, { tx });
    },
  );
  if (leg.status === 'signed') await saveLeg(deps, leg, { status: 'broadcast' }, now);
  return { state: 'sent' };
}

/** Whether the leg signed an approval whose nonce no mined transaction has used yet. */
async function approvalOpen(sender: ChainSender, leg: PayoutLeg): Promise<boolean> {
  if (leg.approval?.nonce === null || leg.approval?.nonce === undefined) return false;
  return ((await sender.minedNonce(sender.hotAddress())) ?? 0) <= leg.approval.nonce;
}

/** The approve() the leg waits for: signed and sent once (stored first), bumped and sent again while it is not mined. */
async function approve(deps: StepDeps, sender: ChainSender, disperse: DisperseSender, leg: PayoutLeg, now: Instant): Promise<'waiting'> {
  const hot = sender.hotAddress();
  if (!leg.approval) {
    const mined = await sender.minedNonce(hot);
    if (mined === null) throw new Error(`${leg.chain} has no nonces: it cannot run the disperse contract`);
    const nonce = await deps.nonces.take(leg.chain, hot, mined, approvalTx(leg).id);
    const quote = await sender.quoteFee(nativeCurrencyOf(leg.chain).code);
    const approval = await disperse.signApproval({ code: leg.code, nonce, fee: quote.bid, now });
    const saved = await saveLeg(deps, leg, { status: 'approving', approval }, now);
    const sent = await sender.broadcast(approval);
    deps.log.info('payout_leg.approval_sent', { legId: saved.id, contract: disperse.contract, code: leg.code, nonce, txHash: approval.hash, accepted: sent.kind });
    return 'waiting';
  }
  const found = await landedReceipt(sender, approvalTx(leg));
  if (found) {
    if (found.receipt.status === 'reverted') throw new PayoutLegStopped(`payout leg ${leg.id}: the approval ${found.hash} of the disperse contract reverted`);
    // Mined, yet the allowance read is still short: a node behind the one that mined it; read again.
    return 'waiting';
  }
  const verdict = await pendingVerdict(sender, approvalTx(leg), now);
  if (verdict === 'nonce_taken' || verdict === 'expired') throw new PayoutLegStopped(`payout leg ${leg.id}: the approval's nonce ${leg.approval.nonce} was taken by another transaction`);
  if (verdict === 'bump') {
    // Either approval landing does the job (both approve the maximum), but whichever lands burns the
    // gas the settle books: the replaced one is kept, as the disperse transaction's are.
    const quote = await sender.quoteFee(nativeCurrencyOf(leg.chain).code);
    const replacement = await disperse.signApproval({ code: leg.code, nonce: leg.approval.nonce as number, fee: bumpedBid(leg.approval, quote.bid), now });
    await saveLeg(deps, leg, { approval: replacement, replacedApprovals: [...leg.replacedApprovals, leg.approval] }, now);
    await sender.broadcast(replacement);
    return 'waiting';
  }
  await sender.broadcast(leg.approval);
  return 'waiting';
}

/** disperseToken for `recipients` (their addresses and sent amounts, in order) at the leg's nonce, or at the nonce of `bumpFrom` with a higher fee. */
async function signDisperse(deps: StepDeps, sender: ChainSender, disperse: DisperseSender, leg: PayoutLeg, recipients: readonly Withdrawal[], bumpFrom: SignedTransfer | null, now: Instant): Promise<SignedTransfer> {
  const hot = sender.hotAddress();
  let nonce = bumpFrom?.nonce ?? null;
  if (nonce === null) {
    const mined = await sender.minedNonce(hot);
    if (mined === null) throw new Error(`${leg.chain} has no nonces: it cannot run the disperse contract`);
    nonce = await deps.nonces.take(leg.chain, hot, mined, leg.id);
  }
  const quote = await disperse.quoteDisperse(leg.code, recipients.length);
  const fee = bumpFrom ? bumpedBid(bumpFrom, quote.bid) : quote.bid;
  return disperse.signDisperse({ code: leg.code, recipients: recipients.map((w) => ({ to: w.toAddress, amount: w.sendAmount })), nonce, fee, now });
}

/**
 * Waits for the leg's transaction: landed deep enough → confirmed; still in no block → sent again
 * and, after FEE_BUMP_AFTER_MS, replaced by the same call at the same nonce with a higher fee. A
 * revert, or its nonce taken by another transaction, stops the leg (release).
 */
export async function confirmDisperseLeg(deps: StepDeps, ref: LegRef): Promise<{ state: 'landed' | 'pending' }> {
  const leg = await load(deps, ref);
  if (leg.status === 'confirmed' || leg.status === 'settled') return { state: 'landed' };
  if (leg.status === 'failed') throw new PayoutLegStopped(`payout leg ${leg.id} failed: ${leg.reason ?? 'released'}`);
  if (leg.status !== 'broadcast' || !leg.tx) throw new Error(`payout leg ${leg.id} is ${leg.status}; it is confirmed once broadcast`);
  const sender = deps.senders(leg.chain);
  const now = deps.clock.now();
  const found = await landedReceipt(sender, legTx(leg));
  if (found) {
    if (found.receipt.status === 'reverted') throw new PayoutLegStopped(`payout leg ${leg.id}: transaction ${found.hash} reverted on chain`);
    if (!(await deepEnough(deps, leg.chain, found.receipt.blockNumber))) return { state: 'pending' };
    await saveLeg(deps, leg, { status: 'confirmed', landed: { hash: found.hash, blockNumber: found.receipt.blockNumber } }, now);
    return { state: 'landed' };
  }
  const verdict = await pendingVerdict(sender, legTx(leg), now);
  if (verdict === 'nonce_taken' || verdict === 'expired') throw new PayoutLegStopped(`payout leg ${leg.id}: nonce ${leg.tx.nonce} was taken by another transaction`);
  if (verdict === 'bump') {
    const recipients = recipientsOf(leg, await itemsOf(deps, leg));
    const replacement = await signDisperse(deps, sender, disperseOf(sender, leg), leg, recipients, leg.tx, now);
    const saved = await saveLeg(deps, leg, { tx: replacement, replaced: [...leg.replaced, leg.tx] }, now);
    const sent = await sender.broadcast(replacement);
    deps.log.info('payout_leg.fee_bumped', { legId: saved.id, nonce: replacement.nonce, txHash: replacement.hash, replaces: leg.tx.hash, maxFeePerGas: String(replacement.maxFeePerGas), accepted: sent.kind });
    return { state: 'pending' };
  }
  await sender.broadcast(leg.tx);
  return { state: 'pending' };
}

/**
 * Per item, from the contract's event for its place in the call: Paid → confirmed, with the
 * settlement entry (what was sent, and the fee charged as income); Refused → failed, its hold
 * released. Then the gas the leg's transactions burned (the disperse call, and the approval when
 * the leg sent one), one entry each, and the leg is settled.
 */
export async function settleDisperseLeg(deps: StepDeps, ref: LegRef): Promise<void> {
  const leg = await load(deps, ref);
  if (leg.status === 'settled') return;
  if (leg.status !== 'confirmed' || !leg.landed || !leg.tx) throw new Error(`payout leg ${leg.id} is ${leg.status}; only a confirmed leg settles`);
  const sender = deps.senders(leg.chain);
  const now = deps.clock.now();
  const recipients = recipientsOf(leg, await itemsOf(deps, leg));
  const result = await disperseOf(sender, leg).disperseResult(leg.landed.hash, recipients.length);
  if (!result) throw new Error(`payout leg ${leg.id}: transaction ${leg.landed.hash} is in no block any more (a reorg); retried`);
  if (result.receipt.status === 'reverted') throw new PayoutLegStopped(`payout leg ${leg.id}: transaction ${leg.landed.hash} reverted on chain`);
  const landedTx = [leg.tx, ...leg.replaced].find((t) => t.hash === leg.landed?.hash) ?? leg.tx;
  const landed = leg.landed;
  let paid = 0;
  await eachItem(
    recipients.map((w, i) => ({ w, paid: result.paid[i] === true })),
    async ({ w, paid: itemPaid }) => {
      if (itemPaid) paid += 1;
      if (isFinal(w)) return;
      if (itemPaid) {
        // Whatever was held beyond what was sent is the network fee the merchant was charged (either side).
        await deps.ledger.post(settleEntry(ledgerFacts(w, now), w.sendAmount, w.holdAmount - w.sendAmount));
        await move(deps, w, 'confirmed', now, { tx: landedTx, landed });
      } else {
        await releaseHold(deps, w, now);
        await move(deps, w, 'failed', now, { tx: landedTx, reason: REFUSED_REASON });
      }
    },
  );
  await postGas(deps, leg, landed.hash, result.receipt, '', now);
  await postApprovalGas(deps, sender, leg, now);
  await saveLeg(deps, leg, { status: 'settled' }, now);
  deps.log.info('payout_leg.settled', { legId: leg.id, batchId: leg.batchId, code: leg.code, paid, refused: recipients.length - paid, txHash: landed.hash });
}

/** held → available for an item that will never be sent; only what was held goes back. */
async function releaseHold(deps: Deps, w: Withdrawal, now: Instant): Promise<void> {
  const hold = holdEntry(ledgerFacts(w, now), w.holdAmount);
  if (await deps.ledger.posted(w.shopId, w.code, hold.id)) await deps.ledger.post(releaseEntry(ledgerFacts(w, now), w.holdAmount));
}

/** The native coin a landed transaction of the leg burned, keyed `<leg id><suffix>:gas`: posted once. */
async function postGas(deps: Deps, leg: PayoutLeg, hash: string, receipt: TxReceipt, suffix: string, now: Instant): Promise<void> {
  await deps.ledger.post(gasEntry({ id: `${leg.id}${suffix}:gas`, chain: leg.chain, nativeCode: nativeCurrencyOf(leg.chain).code, at: now, ref: hash, from: 'hot' }, receipt.nativeCost));
}

async function postApprovalGas(deps: StepDeps, sender: ChainSender, leg: PayoutLeg, now: Instant): Promise<void> {
  if (!leg.approval) return;
  const found = await landedReceipt(sender, approvalTx(leg));
  if (found) await postGas(deps, leg, found.hash, found.receipt, ':approve', now);
}

/**
 * The one place a leg's holds go back, and only when the chain proves its transaction cannot
 * land: nothing signed (a nonce claimed for it is used up by a cancel first), a revert, or its
 * nonce used by another transaction; a signed one whose nonce is still open is cancelled first
 * (retried until the cancel is in a block). If it landed after all, the leg is settled instead.
 * The approval, if one is out, must be unable to land too (or have landed: its gas is booked).
 */
export async function releaseDisperseLeg(deps: StepDeps, ref: LegRef, cause: string): Promise<{ released: boolean }> {
  let leg = await load(deps, ref);
  const now = deps.clock.now();
  if (leg.status === 'settled') return { released: true };
  if (leg.status === 'confirmed') {
    await settleDisperseLeg(deps, ref);
    return { released: true };
  }
  const sender = deps.senders(leg.chain);
  if (leg.tx) {
    const found = await landedReceipt(sender, legTx(leg));
    if (found && found.receipt.status === 'success') {
      deps.log.warn('payout_leg.landed_after_failure', { legId: leg.id, txHash: found.hash, cause });
      if (leg.status === 'failed') {
        // Released in the books, yet paid on chain: only a person can square that.
        deps.log.error('payout_leg.paid_after_release', { legId: leg.id, txHash: found.hash });
        return { released: false };
      }
      leg = await saveLeg(deps, leg, { status: 'confirmed', landed: { hash: found.hash, blockNumber: found.receipt.blockNumber } }, now);
      await settleDisperseLeg(deps, ref);
      return { released: true };
    }
    if (found) await postGas(deps, leg, found.hash, found.receipt, '', now);
    else if (!(await cannotLand(deps, sender, legTx(leg), now))) throw new Error(`payout leg ${leg.id}: its transaction may still land; the release is retried`);
  } else await useUpClaimedNonce(deps, sender, legTx(leg), now);
  if (leg.approval) {
    const approval = await landedReceipt(sender, approvalTx(leg));
    if (approval) await postGas(deps, leg, approval.hash, approval.receipt, ':approve', now);
    else if (!(await cannotLand(deps, sender, approvalTx(leg), now))) throw new Error(`payout leg ${leg.id}: its approval may still land; the release is retried`);
  } else await useUpClaimedNonce(deps, sender, approvalTx(leg), now);

  const reason = cause.slice(0, REASON_LENGTH_MAX);
  await eachItem(
    (await itemsOf(deps, leg)).filter((w) => !isFinal(w)),
    async (w) => {
      await releaseHold(deps, w, now);
      await move(deps, w, 'failed', now, { reason });
    },
  );
  if (leg.status !== 'failed') await saveLeg(deps, leg, { status: 'failed', reason }, now);
  deps.log.info('payout_leg.released', { legId: leg.id, batchId: leg.batchId, cause });
  return { released: true };
}
