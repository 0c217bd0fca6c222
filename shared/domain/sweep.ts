/**
 * Sweeping (funds-out issue §3): moving what a deposit address holds into the chain's hot wallet.
 * Pure rules only; shared/app/sweeps.ts runs the steps and the stores persist them.
 *
 *   planned ─start─▶ topping_up ─top_up─▶ topped_up ─transfer─▶ sent ─confirm─▶ confirmed (settled)
 *      │                 │                    │                   │
 *      └─ skipped        └────────────────────┴─── failed ────────┘
 *
 * One sweep per deposit (chain, address, code) at a time: the planner claims the deposit with the
 * sweep's id, and only `finish` (settle, or a skip) lets it go. A failed sweep keeps its claim on
 * purpose: a transfer of it may still land, so nobody may send from that address until a person
 * (alarmed) has looked.
 */
import { addressKey } from './chain-families';
import type { ChainId } from './currencies';
import { addRatio, compareRatio, multiply, parseDecimal, pow10, type Ratio, ratio, ratioOf } from './money';
import type { Instant } from './time';
import type { SignedTransfer } from './withdrawal';

export type SweepStatus =
  /** Claimed by the planner; nothing read from the chain yet. Exits: topping_up (go), skipped. */
  | 'planned'
  /** Amount fixed; the address may need native coin for its fee. Exits: topped_up, failed. */
  | 'topping_up'
  /** The address can pay its fee (a top-up landed, none was needed, or a native coin pays its own). Exits: sent, failed. */
  | 'topped_up'
  /** The transfer is signed and stored (and sent, or about to be): only its receipt moves it on. Exits: confirmed, failed. */
  | 'sent'
  /** Landed deep enough; settle books it and frees the deposit. Final. */
  | 'confirmed'
  /** Nothing to move when it started (the chain holds nothing unswept); the deposit is freed. Final. */
  | 'skipped'
  /** A transfer reverted or could not be sent: the claim stays, so nothing is sent twice (alarmed). Final. */
  | 'failed';

export const SWEEP_STATUSES: readonly SweepStatus[] = ['planned', 'topping_up', 'topped_up', 'sent', 'confirmed', 'skipped', 'failed'];

export type Sweep = {
  /** Deterministic per deposit and round (sweepIdOf): also the workflow execution's name. */
  id: string;
  chain: ChainId;
  code: string;
  address: string;
  derivationIndex: number;
  round: number;
  /** What moves into the hot wallet (the transfer's value); 0 until start fixes it. */
  amount: bigint;
  status: SweepStatus;
  /** EVM tokens and TRC-20: the native coin sent from the hot wallet for the fee, stored before it is broadcast. */
  topUp: SignedTransfer | null;
  /** The deposit address's transfer into the hot wallet, stored before it is broadcast. */
  tx: SignedTransfer | null;
  /** Native coin burned: the top-up's (from the hot wallet) and the transfer's (paid by the deposit address). */
  gasBurned: { topUp: bigint; transfer: bigint };
  /** Why it was skipped or failed. */
  reason: string | null;
  createdAt: Instant;
  updatedAt: Instant;
  version: number;
};

/** What a deposit address received (credited by crediting) and what sweeps took from it, per currency. */
export type Deposit = {
  chain: ChainId;
  address: string;
  code: string;
  derivationIndex: number;
  /** Gross credited amount (reversals subtract): the ledger's deposits account for this address. */
  received: bigint;
  /** What sweeps took from the address's ledger share: moved plus, for a native coin, its own fee. */
  swept: bigint;
  /** The sweep in flight, if any (its claim). */
  sweeping: string | null;
  /** Sweeps started so far (the next one is round + 1). */
  rounds: number;
};

export const unsweptOf = (d: Pick<Deposit, 'received' | 'swept'>): bigint => d.received - d.swept;

/** Step Functions execution names: 1–80 characters of these. */
const EXECUTION_NAME = /^[A-Za-z0-9_-]{1,80}$/;
export const SWEEP_ID_LENGTH_MAX = 80;

/**
 * `SW-<chain>-<address>-<code>-<round>`: the same deposit and round always give the same id, so a
 * planner run twice starts one execution. The address is cut from the end when the id would pass
 * 80 characters (long chain and code names); the round keeps ids of one deposit apart.
 */
export function sweepIdOf(d: Pick<Deposit, 'chain' | 'address' | 'code'>, round: number): string {
  if (!Number.isSafeInteger(round) || round < 1) throw new Error(`invariant: sweep round ${round}`);
  const fixed = `SW-${d.chain}--${d.code}-${round}`;
  const address = addressKey(d.chain, d.address).slice(0, Math.max(10, SWEEP_ID_LENGTH_MAX - fixed.length));
  const id = `SW-${d.chain}-${address}-${d.code}-${round}`;
  if (!EXECUTION_NAME.test(id)) throw new Error(`invariant: sweep id ${JSON.stringify(id)} is not an execution name`);
  return id;
}

export function newSweep(d: Deposit, round: number, now: Instant): Sweep {
  return {
    id: sweepIdOf(d, round),
    chain: d.chain,
    code: d.code,
    address: d.address,
    derivationIndex: d.derivationIndex,
    round,
    amount: 0n,
    status: 'planned',
    topUp: null,
    tx: null,
    gasBurned: { topUp: 0n, transfer: 0n },
    reason: null,
    createdAt: now,
    updatedAt: now,
    version: 1,
  };
}

const NEXT: Record<SweepStatus, readonly SweepStatus[]> = {
  planned: ['topping_up', 'skipped', 'failed'],
  topping_up: ['topped_up', 'failed'],
  topped_up: ['sent', 'failed'],
  sent: ['confirmed', 'failed'],
  confirmed: [],
  skipped: [],
  failed: [],
};

/** The sweep in its next status (same status: a patch, e.g. a stored top-up), or null when it cannot go there. */
export function moveSweep(s: Sweep, to: SweepStatus, now: Instant, patch: Partial<Pick<Sweep, 'amount' | 'topUp' | 'tx' | 'gasBurned' | 'reason'>> = {}): Sweep | null {
  if (to !== s.status && !NEXT[s.status].includes(to)) return null;
  return { ...s, ...patch, status: to, updatedAt: now, version: s.version + 1 };
}

/** What the deposit's ledger share loses when the sweep settles: the moved amount, plus a native coin's own fee. */
export const sweptBy = (s: Pick<Sweep, 'amount' | 'gasBurned'>, native: boolean): bigint => s.amount + (native ? s.gasBurned.transfer : 0n);

/** The default share of a deposit's worth its sweep may cost (SWEEP_MAX_FEE_SHARE). */
export const SWEEP_MAX_FEE_SHARE_DEFAULT = '0.05';

/** How much a sweep may cost: a share of the amount, per currency code where set. */
export type SweepPolicy = { maxFeeShare: Ratio; perCode: Readonly<Record<string, Ratio>> };

/** Parses `0.05`-style shares (0 < share <= 1); null when not one. */
export function parseShare(text: string): Ratio | null {
  const d = parseDecimal(text);
  if (!d.ok) return null;
  const r = ratioOf(d.value);
  if (r.num <= 0n || r.num > r.den) return null;
  return r;
}

export type SweepDecision = { worth: boolean; amountUsd: Ratio; feeUsd: Ratio; maxShare: Ratio };

/**
 * The threshold rule: sweep only when the network fee (the currency's transfer fee in USD, plus
 * the top-up's for a token, which needs native coin sent to the address first) is at most the
 * policy's share of the amount's worth. Below it the deposit waits: a later payment to the same
 * address adds to `received` and may make it worth sweeping, the two together for one fee.
 */
export function sweepDecision(input: {
  amount: bigint;
  decimals: number;
  usdPerUnit: Ratio;
  transferFeeUsd: string;
  /** The native coin's transfer fee in USD when a top-up is needed (tokens); null for a native coin. */
  topUpFeeUsd: string | null;
  code: string;
  policy: SweepPolicy;
}): SweepDecision {
  const usd = (text: string) => {
    const d = parseDecimal(text);
    if (!d.ok) throw new Error(`invariant: ${JSON.stringify(text)} is not a USD amount`);
    return ratioOf(d.value);
  };
  const fee = usd(input.transferFeeUsd);
  const top = input.topUpFeeUsd === null ? ratio(0n, 1n) : usd(input.topUpFeeUsd);
  const feeUsd = addRatio(fee, top);
  const amountUsd = multiply(ratio(input.amount, pow10(input.decimals)), input.usdPerUnit);
  const maxShare = input.policy.perCode[input.code] ?? input.policy.maxFeeShare;
  const worth = input.amount > 0n && compareRatio(feeUsd, multiply(amountUsd, maxShare)) <= 0;
  return { worth, amountUsd, feeUsd, maxShare };
}

/** What the hot wallet sends so the address can pay `needed`: the shortfall plus a margin (fees move between quote and send). */
export const TOP_UP_MARGIN_PERCENT = 20n;
export function topUpAmount(balance: bigint, needed: bigint): bigint {
  if (balance >= needed) return 0n;
  return needed - balance + (needed * TOP_UP_MARGIN_PERCENT) / 100n;
}
