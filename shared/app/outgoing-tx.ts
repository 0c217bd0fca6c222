/**
 * What every transaction the hot wallet sends needs while it is in flight, whoever owns it (a
 * withdrawal, a mass payout's leg or its approval): which of its hashes landed, whether that block
 * is deep enough, when to bump the fee, and, before its money may go back, proof that none of
 * them can land any more (an open nonce is used up by a cancel, so no gap stalls later ones).
 */
import type { ChainId } from '../domain/currencies';
import { nativeCurrencyOf } from '../domain/currencies';
import { type FeeBid, replacementBid } from '../domain/fee-bids';
import type { Instant } from '../domain/time';
import type { SignedTransfer } from '../domain/withdrawal';
import type { Deps } from '../ports';
import type { BroadcastOutcome, ChainSender, FundsOutDeps, TxReceipt } from '../ports/funds-out';

/** A broadcast transaction that shows no sign of landing after this long is re-signed with a higher fee (EVM). */
export const FEE_BUMP_AFTER_MS = 3 * 60_000;
/** A Tron transaction is given this long past its expiry before it counts as never landing (clock skew between us and the chain). */
const EXPIRY_GRACE_MS = 60_000;

/**
 * One owner's transaction in flight: `id` owns its nonce (NonceStore.take), `tx` is the one to
 * watch, `replaced` the earlier ones at the same nonce (fee bumps), any of which may still land.
 */
export type InFlight = { id: string; chain: ChainId; tx: SignedTransfer | null; replaced: readonly SignedTransfer[] };

type TxDeps = Deps & FundsOutDeps;

/** Every hash that may still land (the current one and any it replaced). */
export const inFlightHashes = (f: InFlight): string[] => [...(f.tx ? [f.tx.hash] : []), ...f.replaced.map((t) => t.hash)];

/** The bid a signed transaction carries. */
export const bidOf = (tx: SignedTransfer): FeeBid => ({ maxFeePerGas: tx.maxFeePerGas, maxPriorityFeePerGas: tx.maxPriorityFeePerGas, feeLimit: null });

/** The bid of a replacement of `previous` at the same nonce: today's `quote`, or previous + 12.5%, whichever is higher. */
export const bumpedBid = (previous: SignedTransfer, quote: FeeBid): FeeBid => replacementBid(bidOf(previous), quote);

/** The receipt of whichever of the owner's transactions is in a block. */
export async function landedReceipt(sender: ChainSender, f: InFlight): Promise<{ hash: string; receipt: TxReceipt } | null> {
  for (const hash of inFlightHashes(f)) {
    const receipt = await sender.receipt(hash);
    if (receipt) return { hash, receipt };
  }
  return null;
}

/** Whether a block at `blockNumber` has the depth the chain's normal rule asks for. */
export async function deepEnough(deps: Deps, chain: ChainId, blockNumber: number): Promise<boolean> {
  const deployment = deps.chains.find((d) => d.chain === chain);
  const rule = deployment?.confirmations.normal ?? { blocks: 1 };
  const reader = deps.readChain(chain);
  if ('blocks' in rule) return (await reader.head()).number - blockNumber + 1 >= rule.blocks;
  return (await reader.taggedBlock(rule.tag)) >= blockNumber;
}

/**
 * What to do with a transaction found in no block: its nonce was used by another one (it can
 * never land), it expired (Tron), it waited FEE_BUMP_AFTER_MS (EVM: replace it with a higher
 * fee), or send it again (a node may have dropped it).
 */
export async function pendingVerdict(sender: ChainSender, f: InFlight, now: Instant): Promise<'nonce_taken' | 'expired' | 'bump' | 'rebroadcast'> {
  const tx = f.tx as SignedTransfer;
  if (tx.nonce !== null) {
    const mined = await sender.minedNonce(sender.hotAddress());
    // The nonce is used and none of ours holds it: look once more (a receipt may have just appeared).
    if (mined !== null && mined > tx.nonce && !(await landedReceipt(sender, f))) return 'nonce_taken';
    if (now - tx.signedAt >= FEE_BUMP_AFTER_MS) return 'bump';
  } else if (tx.expiresAt !== null && now > tx.expiresAt + EXPIRY_GRACE_MS) return 'expired';
  return 'rebroadcast';
}

/** Whether none of the owner's transactions can ever land (after cancelling an open nonce, which the caller retries on until it is in a block). */
export async function cannotLand(deps: TxDeps, sender: ChainSender, f: InFlight, now: Instant): Promise<boolean> {
  const tx = f.tx as SignedTransfer;
  if (tx.nonce === null) return tx.expiresAt !== null && now > tx.expiresAt + EXPIRY_GRACE_MS;
  const hot = sender.hotAddress();
  if (((await sender.minedNonce(hot)) ?? 0) > tx.nonce) return (await landedReceipt(sender, f)) === null;
  await cancelNonce(deps, sender, f, tx.nonce, tx, now);
  // Retried by the workflow until the cancel (or the original) is in a block.
  return false;
}

/** A zero transfer from the hot wallet to itself at `nonce`: whatever else was signed at it can no longer land, and no gap is left. */
export async function cancelNonce(deps: TxDeps, sender: ChainSender, f: InFlight, nonce: number, replacing: SignedTransfer | null, now: Instant): Promise<BroadcastOutcome> {
  const hot = sender.hotAddress();
  const native = nativeCurrencyOf(f.chain).code;
  const quote = await sender.quoteFee(native);
  const cancel = await sender.sign({ from: { kind: 'hot' }, code: native, to: hot, amount: 0n, nonce, fee: replacing ? bumpedBid(replacing, quote.bid) : quote.bid, now });
  const sent = await sender.broadcast(cancel);
  deps.log.warn('outgoing.nonce_cancel_sent', { owner: f.id, nonce, txHash: cancel.hash, accepted: sent.kind });
  return sent;
}

/**
 * A sign step claims a nonce before it stores what it signed: a crash or a cancel between the
 * two leaves a nonce no stored transaction holds. Nothing signed at it was ever sent, so the money
 * may go back, but the nonce must be used up first, or every later transaction of the hot wallet
 * waits behind the gap.
 */
export async function useUpClaimedNonce(deps: TxDeps, sender: ChainSender, f: InFlight, now: Instant): Promise<void> {
  const hot = sender.hotAddress();
  const mined = await sender.minedNonce(hot);
  if (mined === null) return;
  const nonce = await deps.nonces.claimed(f.chain, hot, f.id);
  if (nonce === null || mined > nonce) return;
  const sent = await cancelNonce(deps, sender, f, nonce, null, now);
  if (sent.kind === 'rejected' && !sent.permanent) throw new Error(`${f.id}: the cancel of its unused nonce ${nonce} was refused for now (${sent.reason}); the release is retried`);
}
