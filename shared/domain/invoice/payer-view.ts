/**
 * What the customer's payment page shows of an invoice, derived purely from it, the chain
 * heights and the time: one state, the amounts left to send, and the progress of a payment on its
 * way. The page's first render and its status poll both read this, so they cannot disagree.
 */
import type { ChainDeployment } from '../chains';
import type { ChainId, FinalityRule, FinalityTag } from '../currencies';
import type { Instant } from '../time';
import type { Invoice, Selection } from './invoice';
import { depthAt, paidShare } from './payments';

export type PayerState = 'choose' | 'waiting' | 'seen' | 'paid' | 'partial' | 'overpaid' | 'late' | 'expired' | 'canceled';
export const PAYER_STATES = ['choose', 'waiting', 'seen', 'paid', 'partial', 'overpaid', 'late', 'expired', 'canceled'] as const satisfies readonly PayerState[];

/** A payment the chain has, not yet deep enough to be credited. */
export type PaymentProgress = {
  /** Blocks on top of it (1 = in the newest block); for a tag rule, the same count for information. */
  confirmations: number;
  /** Blocks needed, or the chain's tag (`safe`, `finalized`) it must reach. */
  required: number | FinalityTag;
  /** About how long until it is credited, from the chain's block time (tags: their usual delay). */
  expectedMs: number;
};

export type PayerView = {
  state: PayerState;
  /** The offer the customer is asked to pay now (null until a currency is chosen). */
  offer: Selection | null;
  /** In the offer's base units: what is left to send, and what went over (both 0 or more). */
  remaining: bigint;
  overpaidBy: bigint;
  progress: PaymentProgress | null;
};

/** Usual time for a block to reach a chain's tag (rollups post to L1; Ethereum finalizes in two epochs; Tron solidifies in about 19 blocks). */
export const TAG_DELAY_MS: Record<FinalityTag, number> = { safe: 5 * 60_000, finalized: 15 * 60_000, solidified: 60_000 };

const expectedMs = (rule: FinalityRule, depth: number, blockTimeMs: number): number =>
  'blocks' in rule ? Math.max(0, rule.blocks - depth) * blockTimeMs : TAG_DELAY_MS[rule.tag];

/** Units still due of `due` after `share` (num/den) was paid, rounded up: a customer is never told to send too little. */
function remainingUnits(due: bigint, share: { num: bigint; den: bigint }): bigint {
  const left = due * (share.den - share.num);
  if (left <= 0n) return 0n;
  return (left + share.den - 1n) / share.den;
}

export function payerView(invoice: Invoice, input: { now: Instant; heads: ReadonlyMap<ChainId, number>; chains: readonly ChainDeployment[] }): PayerView {
  const offer = invoice.selection;
  const share = paidShare(invoice);
  const due = offer?.amountToPay ?? 0n;
  const remaining = offer ? remainingUnits(due, share) : 0n;
  const overpaidBy = offer && share.num > share.den ? (due * (share.num - share.den)) / share.den : 0n;
  const pending = invoice.payments.find((p) => p.state === 'pending' && p.classification !== 'late' && p.transfer.blockTime <= invoice.expiresAt);
  let progress: PaymentProgress | null = null;
  if (pending) {
    const head = input.heads.get(pending.transfer.chain);
    const depth = head === undefined ? 0 : depthAt(pending.transfer.blockNumber, head);
    const blockTimeMs = input.chains.find((c) => c.chain === pending.transfer.chain)?.blockTimeMs ?? 0;
    const rule = pending.finality;
    progress = { confirmations: depth, required: 'blocks' in rule ? rule.blocks : rule.tag, expectedMs: expectedMs(rule, depth, blockTimeMs) };
  }
  const view = (state: PayerState): PayerView => ({ state, offer, remaining, overpaidBy, progress });
  switch (invoice.status) {
    case 'paid':
      return view('paid');
    case 'overpaid':
      return view('overpaid');
    case 'canceled':
      if (invoice.facts.late) return view('late');
      return view(invoice.facts.expired ? 'expired' : 'canceled');
    case 'partial':
      if (progress) return view('seen');
      // A partial invoice stays partial at expiry, but a top-up sent now would be late: never ask for one.
      return view(input.now >= invoice.expiresAt ? 'expired' : 'partial');
    case 'created':
      if (progress) return view('seen');
      // The expirer may hold an invoice open for a payment on its way; the customer must not start one now.
      if (input.now >= invoice.expiresAt) return view('expired');
      return view(offer ? 'waiting' : 'choose');
  }
}
