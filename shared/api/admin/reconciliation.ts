/**
 * The admin views of reconciliation and the hot wallets: amounts as exact decimal strings of the
 * currency (the CLI's tables and --json alike), each next to its base units where a script may
 * want to compute.
 */
import { findCrypto, nativeCurrencyOf, type ChainId } from '../../domain/currencies';
import { formatDecimal, fromUnits } from '../../domain/money';
import type { AssetLine, BalanceDrift, BalanceFigures, HotWalletReserve } from '../../domain/reconciliation';
import { isoTime } from '../../domain/time';

const decimalsOf = (code: string, chain?: ChainId) => findCrypto(code)?.decimals ?? (chain ? nativeCurrencyOf(chain).decimals : 0);
const amount = (units: bigint, code: string) => formatDecimal(fromUnits(units, decimalsOf(code)));
const maybeAmount = (units: bigint | null, code: string) => (units === null ? null : amount(units, code));

const presentFigures = (f: BalanceFigures, code: string) => ({ total: amount(f.total, code), available: amount(f.available, code), held: amount(f.held, code), debt: amount(f.debt, code) });

const presentBalanceDrift = (d: BalanceDrift) => ({ shop_id: d.shopId, currency: d.code, fields: d.fields, journal: presentFigures(d.journal, d.code), stored: presentFigures(d.stored, d.code) });

const presentAsset = (line: AssetLine) => ({
  chain: line.chain,
  currency: line.code,
  verdict: line.verdict,
  drift: line.verdict === 'shortfall',
  ledger: amount(line.ledger.total, line.code),
  on_chain: amount(line.onChain.total, line.code),
  difference: amount(line.difference, line.code),
  difference_units: String(line.difference),
  ledger_deposits: amount(line.ledger.deposits, line.code),
  ledger_hot: amount(line.ledger.hot, line.code),
  chain_deposits: amount(line.onChain.deposits, line.code),
  chain_hot: maybeAmount(line.onChain.hot, line.code),
  deposit_addresses: line.onChain.depositAddresses,
});

export const presentHotWallet = (h: HotWalletReserve & { tokens?: { code: string; balance: bigint }[] }) => ({
  chain: h.chain,
  address: h.address,
  currency: h.nativeCode,
  /** The fee reserve: native coin for gas, energy and bandwidth. */
  native_balance: maybeAmount(h.native, h.nativeCode),
  min_reserve: amount(h.minimum, h.nativeCode),
  low: h.low,
  ...(h.tokens ? { tokens: h.tokens.map((t) => ({ currency: t.code, balance: amount(t.balance, t.code) })) } : {}),
});

export type ReconciliationView = {
  at: number;
  drift: boolean;
  balancesChecked: number;
  balanceDrifts: BalanceDrift[];
  assets: AssetLine[];
  hotWallets: HotWalletReserve[];
  unreadable: { chain: ChainId; error: string }[];
};

export const presentReconciliation = (r: ReconciliationView) => ({
  at: isoTime(r.at),
  drift: r.drift,
  balances_checked: r.balancesChecked,
  balance_drifts: r.balanceDrifts.map(presentBalanceDrift),
  assets: r.assets.map(presentAsset),
  hot_wallets: r.hotWallets.map((h) => presentHotWallet(h)),
  unreadable_chains: r.unreadable,
});
