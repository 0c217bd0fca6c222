/**
 * The withdrawal workflow's steps (lib/workflows/withdrawal.ts runs them, one execution per
 * withdrawal). Each step reloads the withdrawal and acts only from the state it finds, so a step
 * retried after a crash, or run twice, moves nothing twice: the hold and the settlement are
 * journal entries keyed by the withdrawal, the signed bytes are stored before they are sent, and
 * the nonce is claimed once per withdrawal.
 */
import { nativeCurrencyOf } from '../domain/currencies';
import { gasEntry, holdEntry, releaseEntry, settleEntry } from '../domain/ledger';
import type { Instant } from '../domain/time';
import { ledgerFacts, moveWithdrawal, type SignedTransfer, type Withdrawal, type WithdrawalStatus } from '../domain/withdrawal';
import type { Deps } from '../ports';
import type { ChainSender, FundsOutDeps } from '../ports/funds-out';
import { bumpedBid, cannotLand, deepEnough, landedReceipt, pendingVerdict, useUpClaimedNonce } from './outgoing-tx';
import { notifyWithdrawal } from './withdrawal-webhooks';
import { auditWithdrawal } from './withdrawals';

/** A step found the withdrawal where it cannot go on (canceled, failed): the workflow goes to release. */
export class WithdrawalStopped extends Error {
  override name = 'WithdrawalStopped';
}

/** A broadcast transaction that shows no sign of landing after this long is re-signed with a higher fee (EVM): outgoing-tx.ts. */
export { FEE_BUMP_AFTER_MS } from './outgoing-tx';

type StepDeps = Deps & FundsOutDeps;

async function load(deps: Deps, id: string): Promise<Withdrawal> {
  const w = await deps.withdrawals.get(id);
  if (!w) throw new Error(`withdrawal ${id} does not exist`);
  return w;
}

/**
 * Saves a status change (with its webhook and audit), or reports the withdrawal as it now stands
 * when another writer won. Mass payouts move their items (withdrawals) through it too.
 */
export async function move(deps: Deps, w: Withdrawal, to: WithdrawalStatus, now: Instant, patch: Parameters<typeof moveWithdrawal>[3] = {}): Promise<Withdrawal> {
  const next = moveWithdrawal(w, to, now, patch);
  if (!next) throw new WithdrawalStopped(`withdrawal ${w.id} is ${w.status}; it cannot become ${to}`);
  await notifyWithdrawal(deps, w, next);
  if (await deps.withdrawals.save(next, w.version)) {
    deps.log.info('withdrawal.status', { withdrawalId: w.id, from: w.status, to, reason: patch.reason ?? undefined, txHash: next.tx?.hash });
    if (to !== w.status) await auditWithdrawal(deps, next, to, now);
    return next;
  }
  throw new Error(`withdrawal ${w.id} changed while becoming ${to}; the step is retried`);
}

/** available → held. A balance that no longer covers it fails the withdrawal (nothing was held). */
export async function holdStep(deps: StepDeps, id: string): Promise<{ withdrawalId: string; outcome: 'held' | 'rejected' }> {
  const w = await load(deps, id);
  const now = deps.clock.now();
  if (w.status !== 'requested') return { withdrawalId: id, outcome: w.status === 'canceled' || w.status === 'failed' ? 'rejected' : 'held' };
  const posted = await deps.ledger.post(holdEntry(ledgerFacts(w, now), w.holdAmount));
  if (posted === 'insufficient') {
    await move(deps, w, 'failed', now, { reason: 'insufficient balance when the withdrawal was processed' });
    return { withdrawalId: id, outcome: 'rejected' };
  }
  await move(deps, w, 'held', now);
  return { withdrawalId: id, outcome: 'held' };
}

/** Signs the transfer with the hot wallet's key at a nonce claimed for this withdrawal, and stores the bytes before anything is sent. */
export async function signStep(deps: StepDeps, id: string): Promise<{ withdrawalId: string }> {
  const w = await load(deps, id);
  if (w.status !== 'held') {
    if (w.status === 'canceled' || w.status === 'failed') throw new WithdrawalStopped(`withdrawal ${id} is ${w.status}`);
    return { withdrawalId: id };
  }
  const sender = deps.senders(w.chain);
  const tx = await signTransfer(deps, sender, w, null);
  await move(deps, w, 'signed', deps.clock.now(), { tx });
  return { withdrawalId: id };
}

async function signTransfer(deps: StepDeps, sender: ChainSender, w: Withdrawal, bumpFrom: SignedTransfer | null): Promise<SignedTransfer> {
  const from = sender.hotAddress();
  const mined = await sender.minedNonce(from);
  const nonce = bumpFrom ? bumpFrom.nonce : mined === null ? null : await deps.nonces.take(w.chain, from, mined, w.id);
  const quote = await sender.quoteFee(w.code);
  const bid = bumpFrom ? bumpedBid(bumpFrom, quote.bid) : quote.bid;
  return sender.sign({ from: { kind: 'hot' }, code: w.code, to: w.toAddress, amount: w.sendAmount, nonce, fee: bid, now: deps.clock.now() });
}

/** Sends the stored bytes (again, after a crash: the chain takes the same transaction once). */
export async function broadcastStep(deps: StepDeps, id: string): Promise<{ withdrawalId: string }> {
  const w = await load(deps, id);
  if (w.status === 'broadcast' || w.status === 'confirmed') return { withdrawalId: id };
  if (w.status !== 'signed' || !w.tx) throw new WithdrawalStopped(`withdrawal ${id} is ${w.status}, with nothing signed to send`);
  const sent = await deps.senders(w.chain).broadcast(w.tx);
  if (sent.kind === 'rejected') {
    // The release step decides from the chain whether these bytes can still land.
    deps.log.warn('withdrawal.broadcast_rejected', { withdrawalId: id, reason: sent.reason, permanent: sent.permanent, txHash: w.tx.hash });
    if (sent.permanent) throw new WithdrawalStopped(`the chain refused withdrawal ${id}: ${sent.reason}`);
    throw new Error(`broadcast of withdrawal ${id} failed for now: ${sent.reason}; retried`);
  }
  await move(deps, w, 'broadcast', deps.clock.now());
  return { withdrawalId: id };
}

/**
 * Waits for the transfer: landed deep enough → confirmed; still pending → sent again (a node may
 * have dropped it) and, on EVM after FEE_BUMP_AFTER_MS, replaced by the same transfer at the same
 * nonce with a higher fee. A reverted transfer, or a nonce another transaction took, fails it.
 */
export async function confirmStep(deps: StepDeps, id: string): Promise<{ withdrawalId: string; state: 'landed' | 'pending' }> {
  const w = await load(deps, id);
  if (w.status === 'confirmed') return { withdrawalId: id, state: 'landed' };
  if (w.status !== 'broadcast' || !w.tx) throw new WithdrawalStopped(`withdrawal ${id} is ${w.status}; nothing to confirm`);
  const sender = deps.senders(w.chain);
  const now = deps.clock.now();
  const found = await landedReceipt(sender, w);
  if (found) {
    if (found.receipt.status === 'reverted') throw new WithdrawalStopped(`withdrawal ${id}: transaction ${found.hash} reverted on chain`);
    if (!(await deepEnough(deps, w.chain, found.receipt.blockNumber))) return { withdrawalId: id, state: 'pending' };
    await move(deps, w, 'confirmed', now, { landed: { hash: found.hash, blockNumber: found.receipt.blockNumber } });
    return { withdrawalId: id, state: 'landed' };
  }
  const verdict = await pendingVerdict(sender, w, now);
  if (verdict === 'nonce_taken') throw new WithdrawalStopped(`withdrawal ${id}: nonce ${w.tx.nonce} was taken by another transaction`);
  if (verdict === 'expired') throw new WithdrawalStopped(`withdrawal ${id}: transaction ${w.tx.hash} expired without landing`);
  if (verdict === 'bump') {
    const replacement = await signTransfer(deps, sender, w, w.tx);
    const saved = await move(deps, w, 'broadcast', now, { tx: replacement, replaced: [...w.replaced, w.tx] });
    const sent = await sender.broadcast(replacement);
    deps.log.info('withdrawal.fee_bumped', { withdrawalId: id, nonce: replacement.nonce, txHash: replacement.hash, replaces: w.tx.hash, maxFeePerGas: String(replacement.maxFeePerGas), accepted: sent.kind });
    return { withdrawalId: saved.id, state: 'pending' };
  }
  await sender.broadcast(w.tx);
  return { withdrawalId: id, state: 'pending' };
}

/** held → sent: the settlement and the gas the transaction burned, each a journal entry posted once. */
export async function settleStep(deps: StepDeps, id: string): Promise<{ withdrawalId: string }> {
  const w = await load(deps, id);
  if (w.status !== 'confirmed' || !w.landed) throw new Error(`withdrawal ${id} is ${w.status}; only a confirmed withdrawal settles`);
  const now = deps.clock.now();
  // Whatever was held beyond what was sent is the network fee the merchant was charged (either side).
  await deps.ledger.post(settleEntry(ledgerFacts(w, now), w.sendAmount, w.holdAmount - w.sendAmount));
  const receipt = await deps.senders(w.chain).receipt(w.landed.hash);
  if (receipt) await deps.ledger.post(gasEntry({ id: `${w.id}:gas`, chain: w.chain, nativeCode: nativeCurrencyOf(w.chain).code, at: now, ref: w.landed.hash, from: 'hot' }, receipt.nativeCost));
  deps.log.info('withdrawal.settled', { withdrawalId: id, code: w.code, sent: String(w.sendAmount), txHash: w.landed.hash });
  return { withdrawalId: id };
}

/**
 * The one place a hold is returned. It returns it only when the chain proves no transaction of
 * the withdrawal can land: nothing signed, a revert, a nonce another transaction used, an
 * expired Tron transaction. A signed transaction whose nonce is still open is cancelled first (a
 * zero transfer to the hot wallet itself at that nonce, so the nonce is used and no gap stalls
 * later withdrawals). If one of its transactions landed after all, it is settled instead.
 */
export async function releaseStep(deps: StepDeps, id: string, cause: string): Promise<{ withdrawalId: string; released: boolean }> {
  let w = await load(deps, id);
  const now = deps.clock.now();
  // `released: true`: the books are right and the workflow may end (returned, or settled after all).
  if (w.status === 'confirmed') {
    await settleStep(deps, id);
    return { withdrawalId: id, released: true };
  }
  const sender = deps.senders(w.chain);
  if (w.tx) {
    const found = await landedReceipt(sender, w);
    if (found && found.receipt.status === 'success') {
      deps.log.warn('withdrawal.landed_after_failure', { withdrawalId: id, txHash: found.hash, cause });
      if (w.status !== 'failed' && w.status !== 'canceled') w = await move(deps, w, 'confirmed', now, { landed: { hash: found.hash, blockNumber: found.receipt.blockNumber } });
      if (w.status === 'confirmed') {
        await settleStep(deps, id);
        return { withdrawalId: id, released: true };
      }
      // Failed or canceled in the books, yet paid on chain: only a person can square that.
      deps.log.error('withdrawal.paid_after_release', { withdrawalId: id, txHash: found.hash, status: w.status });
      return { withdrawalId: id, released: false };
    }
    if (found) await deps.ledger.post(gasEntry({ id: `${w.id}:gas`, chain: w.chain, nativeCode: nativeCurrencyOf(w.chain).code, at: now, ref: found.hash, from: 'hot' }, found.receipt.nativeCost));
    else if (!(await cannotLand(deps, sender, w, now))) throw new Error(`withdrawal ${id}: a transaction may still land; the release is retried`);
  } else await useUpClaimedNonce(deps, sender, w, now);
  // Only what was held is returned: a withdrawal refused at its hold, or canceled before it, held nothing.
  const hold = holdEntry(ledgerFacts(w, now), w.holdAmount);
  if (await deps.ledger.posted(w.shopId, w.code, hold.id)) await deps.ledger.post(releaseEntry(ledgerFacts(w, now), w.holdAmount));
  if (w.status !== 'failed' && w.status !== 'canceled') await move(deps, w, 'failed', now, { reason: cause.slice(0, 300) });
  deps.log.info('withdrawal.released', { withdrawalId: id, cause });
  return { withdrawalId: id, released: true };
}
