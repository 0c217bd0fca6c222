/** A feed's answer read as USD per unit: 1 for USD and its stablecoins, else a safe decision or why not. */
import { USD_PEGGED } from '../domain/currencies';
import { type Ratio, ratio } from '../domain/money';
import type { RateDecision } from '../domain/rates';
import { err, ok, type Result } from '../domain/result';
import type { AppError } from './errors';

const ONE: Ratio = ratio(1n, 1n);

/** USD per unit of `symbol` from a feed answer: 1 for USD and stablecoins, else a safe decision or why not. */
export function usdRateFrom(decisions: ReadonlyMap<string, RateDecision>, symbol: string): Result<Ratio, AppError> {
  if (symbol === 'USD' || USD_PEGGED.has(symbol as never)) return ok(ONE);
  const decision = decisions.get(symbol);
  if (decision?.ok) return ok(decision.rate);
  return err({ kind: 'rate.unavailable', symbol, reason: decision && !decision.ok ? decision.reason : 'no_fresh_quote' });
}
