/**
 * The network fee of an invoice: what sweeping its deposit into the hot wallet is expected to cost,
 * priced at the chain's current resource prices (EVM gas price; Tron energy, bandwidth and the
 * account creation fee), converted into the invoice's currency. Merchant-side it is withheld from
 * the credit, client-side added to what the payer sends, and a static wallet's transfer below it is
 * dust (isDustReceipt).
 *
 * A sweep's resources are the family's own figures (CHAIN_FAMILIES.sweepCost, which the chain
 * senders also bid with), plus for a token the hot wallet's top-up: the native coin it sends first
 * so the address can pay its transfer (shared/app/sweeps.ts topUpStep). When no fresh estimate is
 * at hand (the chain was not read lately, a price is missing, the native coin has no rate), the fee
 * is the deployment's flat `transferFeeUsd` (CHAINS_JSON) or the registry's.
 */
import { CHAIN_FAMILIES, type SweepEstimate, sweepEstimateOf } from './chain-families';
import { CHAINS, type ChainFamily, type ChainId, type CryptoCurrency, nativeCurrencyOf } from './currencies';
import { pow10, type Ratio, ratio } from './money';
import { flatTransferFee, quantizeUp, usdToUnits } from './pricing';
import { type Instant, MINUTE_MS } from './time';

/** Native base units (wei, sun) per unit of each resource: `{ gas }` on EVM, `{ energy, bandwidth, accountCreation }` on Tron. */
export type ResourcePrices = Readonly<Record<string, bigint>>;

/** A chain's prices as read at `at` (the network-fees schedule stores one per chain). */
export type FeeEstimate = { chain: ChainId; prices: ResourcePrices; at: Instant };

/**
 * An estimate older than this is not used: the schedule refreshes every few minutes, so an older
 * one means it stopped (an RPC outage), and the flat figure is the safer guess.
 */
export const FEE_ESTIMATE_MAX_AGE_MS = 20 * MINUTE_MS;

/**
 * What a token sweep's top-up burns: a native transfer from the hot wallet. On Tron it is the
 * address's first TRX (a TRC-20 receipt does not create the account), so the account creation fee
 * (1 TRX + 0.1 TRX) is burned instead of its bandwidth.
 */
const TOP_UP: Record<ChainFamily, SweepEstimate> = {
  evm: CHAIN_FAMILIES.evm.sweepCost.native,
  tron: { accountCreation: 1 },
};

/** The resources one sweep of `currency` burns: its transfer's, plus a token's top-up. */
export function sweepResources(currency: CryptoCurrency): Readonly<Record<string, bigint>> {
  const out: Record<string, bigint> = {};
  const add = (e: SweepEstimate) => {
    for (const [name, amount] of Object.entries(e)) out[name] = (out[name] ?? 0n) + BigInt(amount);
  };
  add(sweepEstimateOf(currency));
  if (currency.contract !== null) add(TOP_UP[CHAINS[currency.chain].family]);
  return out;
}

/** The sweep's cost in the native coin's base units at `prices`; null when a resource it needs has no price. */
export function sweepCostNative(currency: CryptoCurrency, prices: ResourcePrices): bigint | null {
  let total = 0n;
  for (const [name, amount] of Object.entries(sweepResources(currency))) {
    if (amount === 0n) continue;
    const price = prices[name];
    if (price === undefined || price < 0n) return null;
    total += amount * price;
  }
  return total;
}

export type NetworkFeeSource = 'estimate' | 'flat';
export type NetworkFee = { units: bigint; source: NetworkFeeSource };

/**
 * The network fee in `currency`'s base units, rounded up to its display precision. A native coin's
 * fee is the sweep cost itself; a token's is that cost's USD worth (`usdPerNative`) in the token.
 * `currency.transferFeeUsd` (the deployment's) is the fallback.
 */
export function networkFee(input: {
  currency: CryptoCurrency;
  usdPerUnit: Ratio;
  estimate: FeeEstimate | null;
  /** The native coin's USD rate; needed only for a token. */
  usdPerNative: Ratio | null;
  now: Instant;
}): NetworkFee {
  const { currency, usdPerUnit, estimate, usdPerNative, now } = input;
  const flat = (): NetworkFee => ({ units: flatTransferFee(usdPerUnit, currency), source: 'flat' });
  if (!estimate || estimate.chain !== currency.chain || now - estimate.at > FEE_ESTIMATE_MAX_AGE_MS || estimate.at - now > FEE_ESTIMATE_MAX_AGE_MS) return flat();
  const native = sweepCostNative(currency, estimate.prices);
  if (native === null) return flat();
  if (currency.contract === null) return { units: quantizeUp(native, currency), source: 'estimate' };
  if (!usdPerNative) return flat();
  const usd = ratio(native * usdPerNative.num, pow10(nativeCurrencyOf(currency.chain).decimals) * usdPerNative.den);
  return { units: native === 0n ? 0n : usdToUnits(usd, usdPerUnit, currency), source: 'estimate' };
}
