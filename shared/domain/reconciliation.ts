/**
 * Reconciliation (issue 13 §1, DESIGN §5): the books checked against themselves and against the
 * chains. Pure: the app reads the journal, the balance items and the chain balances, and this
 * decides what disagrees.
 *
 * Two checks:
 * - Each merchant balance item (a projection kept with `ADD` beside each entry) must equal what
 *   the journal says: liability L = -Σ merchant postings, held H = -Σ held postings, then
 *   available = max(L, 0), debt = max(-L, 0), total = L + H (ledger.ts settleBalance keeps
 *   `available - debt = L` and never both above zero).
 * - Per chain and code, the deployment's assets in the journal (deposits + hot, summed over every
 *   owner) must be on the chain (the unswept deposit addresses plus the hot wallet). Less on the
 *   chain is drift. More of the native coin is the operator's fee reserve; more of a token is
 *   money nobody recorded (a stray transfer, a payment not credited yet): worth a look, not drift.
 */
import { accounts, accountTotals, type JournalEntry } from './ledger';
import type { ChainId } from './currencies';
import { parseDecimal, toScale } from './money';

/** A merchant's balance of one currency, as stored or as recomputed. */
export type BalanceFigures = { total: bigint; available: bigint; held: bigint; debt: bigint };

const BALANCE_FIELDS = ['total', 'available', 'held', 'debt'] as const satisfies readonly (keyof BalanceFigures)[];

/** What the journal says one merchant's balance of `code` must be. */
export function balanceFromJournal(shopId: string, code: string, entries: Iterable<JournalEntry>): BalanceFigures {
  const totals = accountTotals(entries);
  const liability = -(totals.get(accounts.merchant(shopId, code)) ?? 0n);
  const held = -(totals.get(accounts.held(shopId, code)) ?? 0n);
  return { total: liability + held, available: liability > 0n ? liability : 0n, held, debt: liability < 0n ? -liability : 0n };
}

/** A balance item that disagrees with the journal: both sides, and which fields differ. */
export type BalanceDrift = { shopId: string; code: string; journal: BalanceFigures; stored: BalanceFigures; fields: (keyof BalanceFigures)[] };

export function compareBalance(shopId: string, code: string, journal: BalanceFigures, stored: BalanceFigures): BalanceDrift | null {
  const fields = BALANCE_FIELDS.filter((f) => journal[f] !== stored[f]);
  return fields.length === 0 ? null : { shopId, code, journal, stored, fields };
}

/**
 * - ok: the chain holds exactly what the books say.
 * - shortfall: the chain holds less: coins left without an entry (a theft, a lost sweep, a
 *   settle never posted, a tampered journal). Drift: alarmed.
 * - reserve: more of the native coin, on the hot wallet: the operator's float for fees. Not drift.
 * - unrecorded: more of a token (or native coin at deposit addresses) than the books know: a
 *   stray or late transfer, or a payment not credited yet. Reported as a warning.
 */
/** shortfall is drift; in_flight: short by no more than withdrawals still held (sent, not yet settled); reserve: the hot wallet's native fee reserve. */
export type AssetVerdict = 'ok' | 'shortfall' | 'in_flight' | 'reserve' | 'unrecorded';

/** What the chain was seen to hold of one code: the unswept deposit addresses and the hot wallet (null: no hot address known). */
export type ChainHoldings = { chain: ChainId; code: string; native: boolean; deposits: bigint; depositAddresses: number; hot: bigint | null };

export type AssetLine = {
  chain: ChainId;
  code: string;
  native: boolean;
  ledger: { deposits: bigint; hot: bigint; total: bigint };
  onChain: { deposits: bigint; depositAddresses: number; hot: bigint | null; total: bigint };
  /** onChain.total - ledger.total: negative is a shortfall. */
  difference: bigint;
  verdict: AssetVerdict;
};

/**
 * Totals are compared, not the deposit and hot parts apart: a sweep in flight (landed, not yet
 * settled) has moved coins from a deposit address to the hot wallet before the books move them,
 * and that is no drift. A native surplus is the reserve only up to what the hot wallet holds
 * beyond the books; any more (at deposit addresses) is unrecorded.
 */
export function compareAssets(totals: ReadonlyMap<string, bigint>, seen: ChainHoldings): AssetLine {
  const deposits = totals.get(accounts.deposits(seen.chain, seen.code)) ?? 0n;
  const hot = totals.get(accounts.hot(seen.chain, seen.code)) ?? 0n;
  const ledgerTotal = deposits + hot;
  const chainTotal = seen.deposits + (seen.hot ?? 0n);
  const difference = chainTotal - ledgerTotal;
  // Held withdrawals may have left the hot wallet before their settlement is booked: a shortfall
  // within what is held is money in flight, not missing.
  const held = [...totals].filter(([account]) => account.startsWith('held:') && account.endsWith(`:${seen.code}`)).reduce((sum, [, amount]) => sum - amount, 0n);
  const verdict: AssetVerdict =
    difference === 0n ? 'ok' : difference < 0n ? (-difference <= held ? 'in_flight' : 'shortfall') : seen.native && (seen.hot ?? 0n) - hot >= difference ? 'reserve' : 'unrecorded';
  return {
    chain: seen.chain,
    code: seen.code,
    native: seen.native,
    ledger: { deposits, hot, total: ledgerTotal },
    onChain: { deposits: seen.deposits, depositAddresses: seen.depositAddresses, hot: seen.hot, total: chainTotal },
    difference,
    verdict,
  };
}

export type ReconciliationReport = {
  at: number;
  /** True when any balance item or any asset line is drift (a shortfall). */
  drift: boolean;
  balancesChecked: number;
  balanceDrifts: BalanceDrift[];
  assets: AssetLine[];
};

export const isDrift = (line: AssetLine): boolean => line.verdict === 'shortfall';

export function reconciliationReport(at: number, balancesChecked: number, balanceDrifts: BalanceDrift[], assets: AssetLine[]): ReconciliationReport {
  return { at, drift: balanceDrifts.length > 0 || assets.some(isDrift), balancesChecked, balanceDrifts, assets };
}

/**
 * The least native coin a hot wallet should hold for fees, per chain, in whole coins: about a
 * day of sweeps and withdrawals at ordinary fees (L1 Ethereum is dear, L2s cheap; Tron burns TRX
 * for energy: a TRC-20 transfer is about 14 TRX). HOT_WALLET_MIN_RESERVE_JSON overrides them.
 */
export const HOT_WALLET_MIN_RESERVE_DEFAULTS: Record<ChainId, string> = {
  ethereum: '0.05',
  bsc: '0.05',
  arbitrum: '0.005',
  optimism: '0.005',
  base: '0.005',
  polygon: '5',
  tron: '50',
};

/** A reserve in whole coins (a decimal string) as base units of a coin with `decimals`; null when it is not a decimal. */
export function reserveUnits(text: string, decimals: number): bigint | null {
  const parsed = parseDecimal(text);
  if (!parsed.ok || parsed.value.units < 0n) return null;
  return toScale(parsed.value, decimals, 'up');
}

/** A hot wallet's fee reserve as seen: low when its native balance is below the minimum. */
export type HotWalletReserve = { chain: ChainId; address: string | null; nativeCode: string; native: bigint | null; minimum: bigint; low: boolean };

export function hotWalletReserve(chain: ChainId, address: string | null, nativeCode: string, native: bigint | null, minimum: bigint): HotWalletReserve {
  // No address, or no balance read: the reserve cannot be shown to be there, so it counts as low.
  return { chain, address, nativeCode, native, minimum, low: native === null || native < minimum };
}
