/**
 * Network fees at the chain's current prices (shared/domain/network-fee.ts). The network-fees
 * schedule reads each served chain's prices every few minutes and stores them; pricing an invoice
 * (or a static wallet's receipt, and its dust rule) reads the stored figure, which an instance
 * keeps for a minute, so no invoice waits on an RPC call and an idle deployment makes a handful of
 * requests an hour, not one per invoice.
 */
import { servedCurrency } from '../domain/chains';
import { type ChainId, type CryptoCurrency, nativeCurrencyOf } from '../domain/currencies';
import { type FeeEstimate, type NetworkFee, networkFee } from '../domain/network-fee';
import type { Ratio } from '../domain/money';
import type { Instant } from '../domain/time';
import type { Deps } from '../ports';
import type { FeePriceReader, NetworkFeeStore } from '../ports/network-fees';
import type { ChainDeployment } from '../domain/chains';
import type { Logger } from '../ports/log';
import { usdRateFrom } from './usd-rates';

export type NetworkFeeRefreshDeps = { chains: readonly ChainDeployment[]; store: NetworkFeeStore; priceReader: (chain: ChainId) => FeePriceReader; log: Logger; clock: { now(): Instant } };

export type NetworkFeeRefresh = { chains: { chain: ChainId; prices: Record<string, string> | null; error?: string }[]; due: number };

/** One pass: each served chain's prices read and stored; a chain whose read fails keeps its last figure (and ages out). */
export async function refreshNetworkFees(deps: NetworkFeeRefreshDeps): Promise<NetworkFeeRefresh> {
  const chains = await Promise.all(
    deps.chains.map(async ({ chain }) => {
      try {
        const prices = await deps.priceReader(chain).prices();
        await deps.store.save({ chain, prices, at: deps.clock.now() });
        return { chain, prices: Object.fromEntries(Object.entries(prices).map(([k, v]) => [k, v.toString()])) };
      } catch (e) {
        const error = e instanceof Error ? e.message : String(e);
        deps.log.warn('network_fees.unread', { chain, error, note: 'invoices use the last stored prices until they are 20 min old, then the flat fee' });
        return { chain, prices: null, error };
      }
    }),
  );
  return { chains, due: chains.length };
}

/**
 * The network fee of `currency` (a served code; the deployment's flat figure is its fallback) at
 * `usdPerUnit`: the estimated sweep cost at the stored prices, or the flat fee when there are none.
 * Never fails: a store or feed problem is logged and priced flat.
 */
export async function quoteNetworkFee(deps: Pick<Deps, 'networkFees' | 'rates' | 'chains' | 'log'>, currency: CryptoCurrency, usdPerUnit: Ratio, now: Instant): Promise<NetworkFee> {
  const served = servedCurrency(deps.chains, currency.code) ?? currency;
  let estimate: FeeEstimate | null = null;
  try {
    estimate = await deps.networkFees.estimate(currency.chain);
  } catch (e) {
    deps.log.warn('network_fees.unavailable', { chain: currency.chain, error: e instanceof Error ? e.message : String(e) });
  }
  let usdPerNative: Ratio | null = null;
  if (estimate && served.contract !== null) {
    const native = nativeCurrencyOf(currency.chain);
    try {
      const rate = usdRateFrom(await deps.rates.usdRates([native.priceSymbol]), native.priceSymbol);
      usdPerNative = rate.ok ? rate.value : null;
    } catch (e) {
      deps.log.warn('network_fees.no_native_rate', { chain: currency.chain, symbol: native.priceSymbol, error: e instanceof Error ? e.message : String(e) });
    }
  }
  return networkFee({ currency: served, usdPerUnit, estimate, usdPerNative, now });
}
