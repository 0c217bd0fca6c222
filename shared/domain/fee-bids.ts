/**
 * Fee bids a sender places (pure arithmetic). An EVM replacement at the same nonce must outbid
 * the transaction it replaces on both prices: geth's pool wants at least +10% (txpool.pricebump),
 * so a bump takes +12.5% (one base-fee step), or today's bid when that is higher still.
 */
/** The same shape as the port's FeeBid (the domain imports no port). */
export type FeeBid = { maxFeePerGas: bigint | null; maxPriorityFeePerGas: bigint | null; feeLimit: bigint | null };

/** Percent a replacement adds to each price of the bid it replaces. */
export const REPLACEMENT_BUMP_PERCENT = 125n;

const bumped = (previous: bigint | null, current: bigint | null): bigint | null => {
  if (previous === null) return current;
  const floor = (previous * REPLACEMENT_BUMP_PERCENT + 99n) / 100n;
  return current !== null && current > floor ? current : floor;
};

/** The bid that replaces `previous`: the higher of today's bid and previous + 12.5%, per price. */
export function replacementBid(previous: FeeBid, current: FeeBid): FeeBid {
  return {
    maxFeePerGas: bumped(previous.maxFeePerGas, current.maxFeePerGas),
    maxPriorityFeePerGas: bumped(previous.maxPriorityFeePerGas, current.maxPriorityFeePerGas),
    feeLimit: current.feeLimit ?? previous.feeLimit,
  };
}
