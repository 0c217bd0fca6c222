/** The merchant's balances per currency, from the ledger's balance projections. */
import { CRYPTO_CURRENCIES, type CryptoCurrency, USD_PEGGED } from '../domain/currencies';
import { currencyEnabled } from '../domain/go-live';
import { type Ratio, ratio } from '../domain/money';
import type { Project } from '../domain/project';
import type { Deps } from '../ports';

/** `enabled`: this deployment serves the currency and the project takes it (the API's `enable`). */
export type WalletBalance = { currency: CryptoCurrency; total: bigint; available: bigint; usdPerUnit: Ratio | null; enabled: boolean };

/** One row per currency the project accepts (CryptoCloud lists every one, zero or not). */
export async function walletBalances(deps: Deps, project: Project): Promise<WalletBalance[]> {
  const held = new Map((await deps.balances.balances(project.shopId)).map((b) => [b.code, b]));
  const codes = new Set([...project.settings.enabledCurrencies, ...held.keys()]);
  const currencies = CRYPTO_CURRENCIES.filter((c) => codes.has(c.code));
  const needRates = [...new Set(currencies.filter((c) => (held.get(c.code)?.total ?? 0n) > 0n && !USD_PEGGED.has(c.priceSymbol)).map((c) => c.priceSymbol))];
  const rates = needRates.length > 0 ? await deps.rates.usdRates(needRates) : new Map();
  return currencies.map((currency) => {
    const row = held.get(currency.code);
    const decision = rates.get(currency.priceSymbol);
    const usdPerUnit = USD_PEGGED.has(currency.priceSymbol) ? ratio(1n, 1n) : decision?.ok ? decision.rate : null;
    if ((row?.total ?? 0n) > 0n && !usdPerUnit) deps.log.warn('balance.usd_rate_missing', { code: currency.code });
    return { currency, total: row?.total ?? 0n, available: row?.available ?? 0n, usdPerUnit, enabled: currencyEnabled(deps.chains, project, currency.code) };
  });
}
