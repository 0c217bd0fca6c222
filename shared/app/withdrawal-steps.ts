/**
 * The withdrawal workflow's steps (lib/workflows/withdrawal.ts runs them, one execution per
 * withdrawal). Each step reloads the withdrawal and acts only from the state it finds, so a step
 * retried after a crash, or run twice, moves nothing twice: the hold and the settlement are
 * journal entries keyed by the withdrawal, the signed bytes are stored before they are sent, and
 * the nonce is claimed once per withdrawal.
 */
import { nativeCurrencyOf } from '../domain/currencies';
import { replacementBid } from '../domain/fee-bids';
import { gasEntry, holdEntry, releaseEntry, settleEntry } from '../domain/ledger';
import type { Instant } from '../domain/time';
import { candidateHashes, ledgerFacts, moveWithdrawal, type SignedTransfer, type Withdrawal, type WithdrawalStatus } from '../domain/withdrawal';
import type { Deps } from '../ports';
import type { ChainSender, FundsOutDeps, TxReceipt } from '../ports/funds-out';
import { notifyWithdrawal } from './withdrawal-webhooks';
import { auditWithdrawal } from './withdrawals';

/** A step found the withdrawal where it cannot go on (canceled, failed): the workflow goes to release. */
export class WithdrawalStopped extends Error {
  override name = 'WithdrawalStopped';
}

/** A broadcast transaction that shows no sign of landing after this long is re-signed with a higher fee (EVM). */
export const FEE_BUMP_AFTER_MS = 3 * 60_000;

type StepDeps = Deps & FundsOutDeps;

async function load(deps: Deps, id: string): Promise<Withdrawal> {
  const w = await deps.withdrawals.get(id);
  if (!w) throw new Error(`withdrawal ${id} does not exist`);
  return w;
}

/** Saves a status change, or reports the withdrawal as it now stands when another writer won. */
async function move(deps: Deps, w: Withdrawal, to: WithdrawalStatus, now: Instant, patch: Parameters<typeof moveWithdrawal>[3] = {}): Promise<Withdrawal> {
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
  const bid = bumpFrom ? replacementBid(bidOf(bumpFrom), quote.bid) : quote.bid;
  return sender.sign({ from: { kind: 'hot' }, code: w.code, to: w.toAddress, amount: w.sendAmount, nonce, fee: bid, now: deps.clock.now() });
}

const bidOf = (tx: SignedTransfer) => ({ maxFeePerGas: tx.maxFeePerGas, maxPriorityFeePerGas: tx.maxPriorityFeePerGas, feeLimit: null });

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

/** The receipt of whichever of the withdrawal's transactions (the current one or one it replaced) is in a block. */
async function landedReceipt(sender: ChainSender, w: Withdrawal): Promise<{ hash: string; receipt: TxReceipt } | null> {
  for (const hash of candidateHashes(w)) {
    const receipt = await sender.receipt(hash);
    if (receipt) return { hash, receipt };
  }
  return null;
}

/** Whether a block at `blockNumber` has the depth the chain's normal rule asks for. */
async function deepEnough(deps: Deps, w: Withdrawal, blockNumber: number): Promise<boolean> {
  const deployment = deps.chains.find((d) => d.chain === w.chain);
  const rule = deployment?.confirmations.normal ?? { blocks: 1 };
  const reader = deps.readChain(w.chain);
  if ('blocks' in rule) return (await reader.head()).number - blockNumber + 1 >= rule.blocks;
  return (await reader.taggedBlock(rule.tag)) >= blockNumber;
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
    if (!(await deepEnough(deps, w, found.receipt.blockNumber))) return { withdrawalId: id, state: 'pending' };
    await move(deps, w, 'confirmed', now, { landed: { hash: found.hash, blockNumber: found.receipt.blockNumber } });
    return { withdrawalId: id, state: 'landed' };
  }
  if (w.tx.nonce !== null) {
    const mined = await sender.minedNonce(sender.hotAddress());
    // The nonce is used and none of ours holds it: look once more (a receipt may have just appeared), then stop.
    if (mined !== null && mined > w.tx.nonce && !(await landedReceipt(sender, w))) throw new WithdrawalStopped(`withdrawal ${id}: nonce ${w.tx.nonce} was taken by another transaction`);
    if (now - w.tx.signedAt >= FEE_BUMP_AFTER_MS) {
      const replacement = await signTransfer(deps, sender, w, w.tx);
      const saved = await move(deps, w, 'broadcast', now, { tx: replacement, replaced: [...w.replaced, w.tx] });
      const sent = await sender.broadcast(replacement);
      deps.log.info('withdrawal.fee_bumped', { withdrawalId: id, nonce: replacement.nonce, txHash: replacement.hash, replaces: w.tx.hash, maxFeePerGas: String(replacement.maxFeePerGas), accepted: sent.kind });
      return { withdrawalId: saved.id, state: 'pending' };
    }
  } else if (w.tx.expiresAt !== null && now > w.tx.expiresAt + 60_000) {
    throw new WithdrawalStopped(`withdrawal ${id}: transaction ${w.tx.hash} expired without landing`);
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

/** Whether none of the withdrawal's transactions can ever land (after cancelling an open nonce). */
async function cannotLand(deps: StepDeps, sender: ChainSender, w: Withdrawal, now: Instant): Promise<boolean> {
  const tx = w.tx as SignedTransfer;
  if (tx.nonce === null) return tx.expiresAt !== null && now > tx.expiresAt + 60_000;
  const hot = sender.hotAddress();
  if (((await sender.minedNonce(hot)) ?? 0) > tx.nonce) return (await landedReceipt(sender, w)) === null;
  await cancelNonce(deps, sender, w, tx.nonce, tx, now);
  // Retried by the workflow until the cancel (or the original) is in a block.
  return false;
}

/** A zero transfer from the hot wallet to itself at `nonce`: whatever else was signed at it can no longer land, and no gap is left. */
async function cancelNonce(deps: StepDeps, sender: ChainSender, w: Withdrawal, nonce: number, replacing: SignedTransfer | null, now: Instant) {
  const hot = sender.hotAddress();
  const native = nativeCurrencyOf(w.chain).code;
  const quote = await sender.quoteFee(native);
  const cancel = await sender.sign({ from: { kind: 'hot' }, code: native, to: hot, amount: 0n, nonce, fee: replacing ? replacementBid(bidOf(replacing), quote.bid) : quote.bid, now });
  const sent = await sender.broadcast(cancel);
  deps.log.warn('withdrawal.nonce_cancel_sent', { withdrawalId: w.id, nonce, txHash: cancel.hash, accepted: sent.kind });
  return sent;
}

/**
 * The sign step claims a nonce before it stores what it signed: a crash or a cancel between the
 * two leaves a nonce no stored transfer holds. Nothing signed at it was ever sent, so the hold may
 * go back, but the nonce must be used up first, or every later transaction of the hot wallet waits
 * behind the gap.
 */
async function useUpClaimedNonce(deps: StepDeps, sender: ChainSender, w: Withdrawal, now: Instant): Promise<void> {
  const hot = sender.hotAddress();
  const mined = await sender.minedNonce(hot);
  if (mined === null) return;
  const nonce = await deps.nonces.claimed(w.chain, hot, w.id);
  if (nonce === null || mined > nonce) return;
  const sent = await cancelNonce(deps, sender, w, nonce, null, now);
  if (sent.kind === 'rejected' && !sent.permanent) throw new Error(`withdrawal ${w.id}: the cancel of its unused nonce ${nonce} was refused for now (${sent.reason}); the release is retried`);
}
