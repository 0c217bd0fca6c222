/** Where USD rates come from. */

import type { RateDecision } from '../domain/rates';

export interface RateSource {
  /** One decision per symbol: a safe USD rate, or why there is none. */
  usdRates(symbols: readonly string[]): Promise<ReadonlyMap<string, RateDecision>>;
}
