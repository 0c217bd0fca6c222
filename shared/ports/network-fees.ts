/** The chains' resource prices behind invoices' network fees (shared/domain/network-fee.ts). */
import type { ChainId } from '../domain/currencies';
import type { FeeEstimate, ResourcePrices } from '../domain/network-fee';

/** The latest stored estimate of each chain; every function reads it (cached briefly in the instance). */
export interface NetworkFeeSource {
  /** null: none stored yet (or it cannot be read now); the caller falls back to the flat fee. */
  estimate(chain: ChainId): Promise<FeeEstimate | null>;
}

/** Where the network-fees schedule keeps them. */
export interface NetworkFeeStore extends NetworkFeeSource {
  save(estimate: FeeEstimate): Promise<void>;
}

/** Reads a chain's current prices (EVM: eth_gasPrice; Tron: the chain parameters). */
export interface FeePriceReader {
  prices(): Promise<ResourcePrices>;
  /** Requests to the chain's endpoints made so far (benchmarks). */
  readonly calls: number;
}
