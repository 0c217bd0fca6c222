/**
 * Sweeping deposit addresses into the hot wallet (funds-out issue §3). `planSweeps` is the
 * scheduled planner: it claims each deposit worth its fee and starts one execution of the sweep
 * workflow (lib/workflows/sweep.ts) named by the sweep's id. The steps below run in that
 * execution, one call each: start → top_up (poll) → transfer → confirm (poll) → settle.
 *
 * Every step reloads the sweep and acts only from the state it finds: the top-up's nonce is
 * claimed once per sweep, both transactions are stored before they are broadcast (a retry sends
 * the same bytes), the deposit's own nonce is free because only the one sweep holding the claim
 * signs from it, and settle's entries and the deposit's `swept` are written once.
 */
import { sameAddress } from '../domain/chain-families';
import { type ChainDeployment, contractOf } from '../domain/chains';
import { type ChainId, findCrypto, nativeCurrencyOf } from '../domain/currencies';
import { gasEntry, sweepEntry } from '../domain/ledger';
import { formatRatio } from '../domain/money';
import { type Deposit, moveSweep, newSweep, type Sweep, type SweepStatus, sweepDecision, sweptBy, topUpAmount, unsweptOf } from '../domain/sweep';
import type { Instant } from '../domain/time';
import type { Deps } from '../ports';
import type { ChainSender, FundsOutDeps } from '../ports/funds-out';
import { usdRateFrom } from './create-invoice';

/** A step found the sweep where it cannot go on (failed, reverted, a nonce taken): the execution fails and alarms; the claim stays. */
export class SweepStopped extends Error {
  override name = 'SweepStopped';
}

/** Deposits one planner run looks at per chain; the rest wait for the next run (the queue is read from the start each time). */
export const SWEEP_PLAN_DEPOSITS_MAX = 200;
const SWEEP_PLAN_PAGE = 50;
/** A Tron transaction past its expiration by this much can no longer land. */
const TRON_EXPIRED_GRACE_MS = 60_000;

type StepDeps = Deps & FundsOutDeps;

const smaller = (a: bigint, b: bigint): bigint => (a < b ? a : b);

const deploymentOf = (deps: Deps, chain: ChainId): ChainDeployment => {
  const d = deps.chains.find((c) => c.chain === chain);
  if (!d) throw new Error(`chain ${chain} is not served`);
  return d;
};
const isNative = (deps: Deps, s: Pick<Sweep, 'chain' | 'code'>) => contractOf(deploymentOf(deps, s.chain), s.code) === null;

export type PlanSummary = { chain: ChainId; due: number; started: number; resumed: number; waiting: number; inFlight: number };

/**
 * The scheduled planner for one chain: each queued deposit whose unswept amount passes the
 * threshold is claimed (one sweep at a time, one per round) and its execution started. A claim
 * whose execution never started (a crash in between) is started again: the name makes it once.
 */
export async function planSweeps(deps: Deps, chain: ChainId, now: Instant): Promise<PlanSummary> {
  const deployment = deploymentOf(deps, chain);
  const summary: PlanSummary = { chain, due: 0, started: 0, resumed: 0, waiting: 0, inFlight: 0 };
  const symbols = [...new Set(deployment.currencies.map((c) => c.currency.priceSymbol))];
  const rates = await deps.rates.usdRates(symbols);
  const native = nativeCurrencyOf(chain);
  const nativeFee = deployment.currencies.find((c) => c.currency.code === native.code)?.transferFeeUsd ?? native.transferFeeUsd;
  let after: string | null = null;
  do {
    const page = await deps.sweeps.dueDeposits(chain, { limit: SWEEP_PLAN_PAGE, after });
    after = page.next;
    for (const d of page.items) {
      summary.due += 1;
      if (d.sweeping) {
        summary.inFlight += 1;
        const held = await deps.sweeps.get(d.sweeping);
        if (held?.status === 'planned' && (await deps.workflows.start('sweep', held.id, { sweepId: held.id })) === 'started') {
          summary.resumed += 1;
          deps.log.warn('sweep.resumed', { sweepId: held.id, note: 'claimed earlier, its execution had not started' });
        }
        continue;
      }
      const unswept = unsweptOf(d);
      if (unswept <= 0n) continue;
      const served = deployment.currencies.find((c) => c.currency.code === d.code);
      const currency = served?.currency ?? findCrypto(d.code);
      if (!served || !currency) {
        deps.log.error('sweep.not_served', { chain, code: d.code, address: d.address, unswept: String(unswept) });
        continue;
      }
      const rate = usdRateFrom(rates, currency.priceSymbol);
      if (!rate.ok) {
        summary.waiting += 1;
        deps.log.warn('sweep.waiting', { chain, code: d.code, address: d.address, unswept: String(unswept), reason: 'no USD rate now' });
        continue;
      }
      const decision = sweepDecision({
        amount: unswept,
        decimals: currency.decimals,
        usdPerUnit: rate.value,
        transferFeeUsd: served.transferFeeUsd,
        topUpFeeUsd: served.contract === null ? null : nativeFee,
        code: d.code,
        policy: deps.settings.sweepPolicy,
      });
      const numbers = { chain, code: d.code, address: d.address, unswept: String(unswept), worthUsd: formatRatio(decision.amountUsd, 2), feeUsd: formatRatio(decision.feeUsd, 2), maxShare: formatRatio(decision.maxShare, 4) };
      if (!decision.worth) {
        summary.waiting += 1;
        deps.log.info('sweep.waiting', { ...numbers, reason: 'the fee would be more than the share allowed; waits for more deposits' });
        continue;
      }
      if (d.derivationIndex < 0) {
        deps.log.error('sweep.no_derivation_index', numbers);
        continue;
      }
      const sweep = newSweep(d, d.rounds + 1, now);
      if ((await deps.sweeps.claim(d, sweep)) === 'taken') continue;
      const started = await deps.workflows.start('sweep', sweep.id, { sweepId: sweep.id });
      summary.started += 1;
      deps.log.info('sweep.planned', { ...numbers, sweepId: sweep.id, execution: started });
    }
  } while (after && summary.due < SWEEP_PLAN_DEPOSITS_MAX);
  return summary;
}

async function load(deps: Deps, id: string): Promise<Sweep> {
  const s = await deps.sweeps.get(id);
  if (!s) throw new Error(`sweep ${id} does not exist`);
  return s;
}

async function move(deps: Deps, s: Sweep, to: SweepStatus, now: Instant, patch: Parameters<typeof moveSweep>[3] = {}): Promise<Sweep> {
  const next = moveSweep(s, to, now, patch);
  if (!next) throw new SweepStopped(`sweep ${s.id} is ${s.status}; it cannot become ${to}`);
  if (await deps.sweeps.save(next, s.version)) {
    if (to !== s.status) deps.log.info('sweep.status', { sweepId: s.id, from: s.status, to, amount: String(next.amount), reason: patch.reason ?? undefined });
    return next;
  }
  throw new Error(`sweep ${s.id} changed while becoming ${to}; the step is retried`);
}

/** Never signs with a key that is not the deposit's: the derived address must be the one credited. */
function senderFor(deps: StepDeps, s: Sweep): ChainSender {
  const sender = deps.senders(s.chain);
  if (!sameAddress(s.chain, sender.depositAddress(s.derivationIndex), s.address)) throw new SweepStopped(`sweep ${s.id}: index ${s.derivationIndex} does not derive ${s.address}`);
  return sender;
}

async function fail(deps: Deps, s: Sweep, reason: string): Promise<never> {
  await move(deps, s, 'failed', deps.clock.now(), { reason });
  deps.log.error('sweep.failed', { sweepId: s.id, reason, note: 'the deposit keeps its claim: nothing more is sent from it until a person looks' });
  throw new SweepStopped(`sweep ${s.id}: ${reason}`);
}

/**
 * Reads what the chain holds at the address (the chain is the truth) and fixes the amount: the
 * smaller of the chain's balance and the ledger's unswept amount; a native coin also keeps back
 * its own fee. Nothing to move: skipped, and the deposit is let go.
 */
export async function startStep(deps: StepDeps, id: string): Promise<{ sweepId: string; outcome: 'go' | 'skip' }> {
  const s = await load(deps, id);
  if (s.status === 'skipped') return { sweepId: id, outcome: 'skip' };
  if (s.status === 'failed') throw new SweepStopped(`sweep ${id} failed: ${s.reason}`);
  if (s.status !== 'planned') return { sweepId: id, outcome: 'go' };
  const sender = senderFor(deps, s);
  const deposit = await deps.sweeps.deposit(s.chain, s.address, s.code);
  const unswept = deposit ? unsweptOf(deposit) : 0n;
  const balance = await sender.balanceOf(s.address, s.code);
  const native = isNative(deps, s);
  const fee = native ? (await sender.quoteFee(s.code)).maxNativeCost : 0n;
  const amount = smaller(balance, unswept) - fee;
  const now = deps.clock.now();
  const numbers = { sweepId: id, chain: s.chain, code: s.code, address: s.address, chainBalance: String(balance), unswept: String(unswept), fee: String(fee) };
  if (amount <= 0n) {
    const skipped = await move(deps, s, 'skipped', now, { reason: 'nothing to move: the chain holds no unswept amount above the fee' });
    await deps.sweeps.finish(skipped, 0n);
    deps.log.info('sweep.skipped', numbers);
    return { sweepId: id, outcome: 'skip' };
  }
  if (balance < unswept) deps.log.warn('sweep.chain_below_ledger', { ...numbers, note: 'sweeps what the chain holds; reconciliation reports the difference' });
  await move(deps, s, 'topping_up', now, { amount });
  return { sweepId: id, outcome: 'go' };
}

/**
 * Tokens only: the address needs native coin for its transfer's fee. When it holds less than the
 * quote's most, the hot wallet sends the difference (plus a margin) at a nonce claimed for this
 * sweep, stored before it is broadcast; `pending` until it is in a block.
 */
export async function topUpStep(deps: StepDeps, id: string): Promise<{ sweepId: string; state: 'ready' | 'pending' }> {
  let s = await load(deps, id);
  if (s.status === 'topped_up' || s.status === 'sent' || s.status === 'confirmed') return { sweepId: id, state: 'ready' };
  if (s.status !== 'topping_up') throw new SweepStopped(`sweep ${id} is ${s.status}; nothing to top up`);
  const now = deps.clock.now();
  if (isNative(deps, s)) {
    await move(deps, s, 'topped_up', now);
    return { sweepId: id, state: 'ready' };
  }
  const sender = senderFor(deps, s);
  const nativeCode = nativeCurrencyOf(s.chain).code;
  if (s.topUp) {
    const r = await sender.receipt(s.topUp.hash);
    if (r?.status === 'reverted') return fail(deps, s, `the gas top-up ${s.topUp.hash} reverted`);
    if (r) {
      await move(deps, s, 'topped_up', now, { gasBurned: { ...s.gasBurned, topUp: r.nativeCost } });
      return { sweepId: id, state: 'ready' };
    }
    if (s.topUp.expiresAt !== null && now > s.topUp.expiresAt + TRON_EXPIRED_GRACE_MS) {
      // Provably dead (Tron): a new top-up may be signed.
      deps.log.warn('sweep.top_up_expired', { sweepId: id, txHash: s.topUp.hash });
      s = await move(deps, s, 'topping_up', now, { topUp: null });
    } else {
      if (s.topUp.nonce !== null && ((await sender.minedNonce(sender.hotAddress())) ?? 0) > s.topUp.nonce && !(await sender.receipt(s.topUp.hash))) {
        return fail(deps, s, `the hot wallet's nonce ${s.topUp.nonce} of the top-up was taken by another transaction`);
      }
      const sent = await sender.broadcast(s.topUp);
      if (sent.kind === 'rejected') deps.log.warn('sweep.top_up_rejected', { sweepId: id, reason: sent.reason, permanent: sent.permanent, txHash: s.topUp.hash });
      return { sweepId: id, state: 'pending' };
    }
  }
  const quote = await sender.quoteFee(s.code);
  const have = await sender.balanceOf(s.address, nativeCode);
  const send = topUpAmount(have, quote.maxNativeCost);
  if (send === 0n) {
    await move(deps, s, 'topped_up', now);
    deps.log.info('sweep.no_top_up', { sweepId: id, nativeBalance: String(have), needed: String(quote.maxNativeCost) });
    return { sweepId: id, state: 'ready' };
  }
  const hot = sender.hotAddress();
  const mined = await sender.minedNonce(hot);
  const nonce = mined === null ? null : await deps.nonces.take(s.chain, hot, mined, `${id}:topup`);
  const fee = (await sender.quoteFee(nativeCode)).bid;
  const topUp = await sender.sign({ from: { kind: 'hot' }, code: nativeCode, to: s.address, amount: send, nonce, fee, now });
  // Stored first: a crash after the broadcast finds these bytes and sends them again, never new ones.
  await move(deps, s, 'topping_up', now, { topUp });
  const sent = await sender.broadcast(topUp);
  deps.log.info('sweep.top_up_sent', { sweepId: id, amount: String(send), nativeBalance: String(have), needed: String(quote.maxNativeCost), txHash: topUp.hash, nonce: topUp.nonce, accepted: sent.kind });
  return { sweepId: id, state: 'pending' };
}

/**
 * Signs the transfer from the deposit address into the hot wallet, stores it, then broadcasts
 * it. A native coin sends what it holds of the unswept amount less the most its fee can cost.
 * Run again (a crash, a retry) it sends the stored bytes again.
 */
export async function transferStep(deps: StepDeps, id: string): Promise<{ sweepId: string }> {
  let s = await load(deps, id);
  if (s.status === 'confirmed') return { sweepId: id };
  if (s.status !== 'topped_up' && s.status !== 'sent') throw new SweepStopped(`sweep ${id} is ${s.status}; it cannot transfer`);
  const sender = senderFor(deps, s);
  if (s.status === 'topped_up') {
    const now = deps.clock.now();
    const quote = await sender.quoteFee(s.code);
    const balance = await sender.balanceOf(s.address, s.code);
    let amount: bigint;
    if (isNative(deps, s)) {
      const deposit = await deps.sweeps.deposit(s.chain, s.address, s.code);
      const unswept = deposit ? unsweptOf(deposit) : 0n;
      amount = smaller(balance, unswept) - quote.maxNativeCost;
    } else {
      amount = smaller(balance, s.amount);
    }
    if (amount <= 0n) return fail(deps, s, `nothing left to move at transfer time (balance ${balance})`);
    const hot = sender.hotAddress();
    // Only the sweep holding the deposit's claim signs from it: the chain's count is its next nonce.
    const nonce = await sender.minedNonce(s.address);
    const tx = await sender.sign({ from: { kind: 'deposit', index: s.derivationIndex }, code: s.code, to: hot, amount, nonce, fee: quote.bid, now });
    s = await move(deps, s, 'sent', now, { tx, amount });
  }
  const tx = s.tx;
  if (!tx) throw new Error(`invariant: sweep ${id} is sent with no transaction`);
  const sent = await sender.broadcast(tx);
  if (sent.kind === 'rejected') {
    deps.log.warn('sweep.broadcast_rejected', { sweepId: id, reason: sent.reason, permanent: sent.permanent, txHash: tx.hash });
    if (sent.permanent) return fail(deps, s, `the chain refused the transfer: ${sent.reason}`);
    throw new Error(`broadcast of sweep ${id} failed for now: ${sent.reason}; retried`);
  }
  deps.log.info('sweep.transfer_sent', { sweepId: id, amount: String(s.amount), txHash: tx.hash, nonce: tx.nonce });
  return { sweepId: id };
}

async function deepEnough(deps: Deps, chain: ChainId, blockNumber: number): Promise<boolean> {
  const rule = deploymentOf(deps, chain).confirmations.normal;
  const reader = deps.readChain(chain);
  if ('blocks' in rule) return (await reader.head()).number - blockNumber + 1 >= rule.blocks;
  return (await reader.taggedBlock(rule.tag)) >= blockNumber;
}

/** The transfer's receipt at the chain's normal depth; none yet: sent again (a node may have dropped it) and `pending`. */
export async function confirmStep(deps: StepDeps, id: string): Promise<{ sweepId: string; state: 'landed' | 'pending' }> {
  const s = await load(deps, id);
  if (s.status === 'confirmed') return { sweepId: id, state: 'landed' };
  if (s.status !== 'sent' || !s.tx) throw new SweepStopped(`sweep ${id} is ${s.status}; nothing to confirm`);
  const sender = senderFor(deps, s);
  const now = deps.clock.now();
  const r = await sender.receipt(s.tx.hash);
  if (r) {
    if (r.status === 'reverted') return fail(deps, s, `transfer ${s.tx.hash} reverted on chain`);
    if (!(await deepEnough(deps, s.chain, r.blockNumber))) return { sweepId: id, state: 'pending' };
    await move(deps, s, 'confirmed', now, { gasBurned: { ...s.gasBurned, transfer: r.nativeCost } });
    return { sweepId: id, state: 'landed' };
  }
  if (s.tx.nonce !== null && ((await sender.minedNonce(s.address)) ?? 0) > s.tx.nonce && !(await sender.receipt(s.tx.hash))) {
    return fail(deps, s, `the deposit's nonce ${s.tx.nonce} was taken by another transaction`);
  }
  if (s.tx.expiresAt !== null && now > s.tx.expiresAt + TRON_EXPIRED_GRACE_MS) return fail(deps, s, `transfer ${s.tx.hash} expired without landing`);
  await sender.broadcast(s.tx);
  return { sweepId: id, state: 'pending' };
}

/**
 * Books the sweep: the move (deposits → hot), the top-up's gas (from the hot wallet) and the
 * transfer's (a native coin paid it from the deposit; a token's was the top-up's coin, the hot
 * wallet's), each entry keyed by the sweep; then the deposit's `swept` grows and its claim ends.
 */
export async function settleStep(deps: StepDeps, id: string): Promise<{ sweepId: string }> {
  const s = await load(deps, id);
  if (s.status !== 'confirmed' || !s.tx) throw new Error(`sweep ${id} is ${s.status}; only a confirmed sweep settles`);
  const now = deps.clock.now();
  const native = isNative(deps, s);
  const nativeCode = nativeCurrencyOf(s.chain).code;
  await deps.ledger.post(sweepEntry({ sweepId: s.id, chain: s.chain, code: s.code, at: now }, s.amount));
  if (s.topUp && s.gasBurned.topUp > 0n) {
    await deps.ledger.post(gasEntry({ id: `${s.id}:topup-gas`, chain: s.chain, nativeCode, at: now, ref: s.topUp.hash, from: 'hot' }, s.gasBurned.topUp));
  }
  if (s.gasBurned.transfer > 0n) {
    await deps.ledger.post(gasEntry({ id: `${s.id}:gas`, chain: s.chain, nativeCode, at: now, ref: s.tx.hash, from: native ? 'deposits' : 'hot' }, s.gasBurned.transfer));
  }
  const finished = await deps.sweeps.finish(s, sweptBy(s, native));
  deps.log.info('sweep.swept', { sweepId: id, chain: s.chain, code: s.code, address: s.address, amount: String(s.amount), gasTopUp: String(s.gasBurned.topUp), gasTransfer: String(s.gasBurned.transfer), txHash: s.tx.hash, deposit: finished });
  return { sweepId: id };
}

/** The admin view of a deposit: what it received, what is still there to sweep, what was swept. */
export type DepositView = Deposit & { unswept: bigint };

export const DEPOSITS_PER_PAGE_MAX = 100;

export async function listDeposits(deps: Deps, chain: ChainId, page: { limit: number; after: string | null }): Promise<{ items: DepositView[]; next: string | null }> {
  const out = await deps.sweeps.listDeposits(chain, { limit: Math.min(Math.max(page.limit, 1), DEPOSITS_PER_PAGE_MAX), after: page.after });
  return { items: out.items.map((d) => ({ ...d, unswept: unsweptOf(d) })), next: out.next };
}
