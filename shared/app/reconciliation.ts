/**
 * Reconciliation (issue 13 §1): the journal against the balance items, and the books' assets
 * against what the chains hold; and the hot wallets' fee reserves (§2). Reads only, everywhere:
 * the journal and balances through the ledger port, the chains through read-only balance readers.
 * Every drift is logged at error level (`reconcile.drift`: an alarm hangs on it), a low fee
 * reserve too (`hot_wallet.low_reserve`).
 */
import { CHAINS, type ChainId } from '../domain/currencies';
import { DEPLOYMENT_OWNER, type JournalEntry } from '../domain/ledger';
import { accountTotals } from '../domain/ledger';
import {
  type AssetLine,
  type BalanceDrift,
  balanceFromJournal,
  type ChainHoldings,
  compareAssets,
  compareBalance,
  type HotWalletReserve,
  hotWalletReserve,
  isDrift,
  type ReconciliationReport,
  reconciliationReport,
} from '../domain/reconciliation';
import type { Deps } from '../ports';
import type { ReconciliationReaders } from '../ports/reconciliation';

/** A chain's served codes, with whether each is the chain's own coin. */
type ServedCode = { chain: ChainId; code: string; native: boolean };

const servedCodes = (deps: Pick<Deps, 'chains'>): ServedCode[] => deps.chains.flatMap((d) => d.currencies.map((c) => ({ chain: d.chain, code: c.currency.code, native: c.contract === null })));

/** The chain's own coin, whether or not it is taken in payment (fees are paid in it). */
const nativeCodeOf = (deps: Pick<Deps, 'chains'>, chain: ChainId): string =>
  deps.chains.find((d) => d.chain === chain)?.currencies.find((c) => c.contract === null)?.currency.code ?? { evm: 'ETH', tron: 'TRX' }[CHAINS[chain].family];

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

/** A chain that could not be read: its lines are missing from the report, which says so. */
export type UnreadableChain = { chain: ChainId; error: string };

export type Reconciliation = ReconciliationReport & { hotWallets: HotWalletReserve[]; unreadable: UnreadableChain[] };

/**
 * Runs every check once. The journal is read per owner (each project, then the deployment's own
 * sweeps and gas) and served code; the chains per served chain: each unswept deposit address and
 * the hot wallet, for each code.
 */
export async function reconcile(deps: Pick<Deps, 'projects' | 'ledger' | 'chains' | 'log' | 'clock'>, readers: ReconciliationReaders): Promise<Reconciliation> {
  const at = deps.clock.now();
  const codes = servedCodes(deps);
  const shops = (await deps.projects.list()).map((p) => p.shopId);
  const entriesByCode = new Map<string, JournalEntry[]>(codes.map((c) => [c.code, []]));
  const balanceDrifts: BalanceDrift[] = [];
  let balancesChecked = 0;
  // One project at a time, its codes together: bounded reads, whatever the number of projects.
  for (const shopId of shops) {
    const checked = await Promise.all(
      codes.map(async ({ code }) => {
        const [entries, stored] = await Promise.all([collect(deps.ledger.entries(shopId, code)), deps.ledger.balance(shopId, code)]);
        return { code, entries, drift: compareBalance(shopId, code, balanceFromJournal(shopId, code, entries), stored) };
      }),
    );
    for (const c of checked) {
      entriesByCode.get(c.code)?.push(...c.entries);
      balancesChecked += 1;
      if (c.drift) balanceDrifts.push(c.drift);
    }
  }
  for (const { code } of codes) entriesByCode.get(code)?.push(...(await collect(deps.ledger.entries(DEPLOYMENT_OWNER, code))));

  const assets: AssetLine[] = [];
  const hotWallets: HotWalletReserve[] = [];
  const unreadable: UnreadableChain[] = [];
  for (const deployment of deps.chains) {
    const chain = deployment.chain;
    try {
      const seen = await chainHoldings(readers, chain, codes.filter((c) => c.chain === chain));
      for (const holding of seen) assets.push(compareAssets(accountTotals(entriesByCode.get(holding.code) ?? []), holding));
      hotWallets.push(await reserveOf(deps, readers, chain));
    } catch (e) {
      unreadable.push({ chain, error: e instanceof Error ? e.message : String(e) });
    }
  }
  const report = { ...reconciliationReport(at, balancesChecked, balanceDrifts, assets), hotWallets, unreadable };
  logReport(deps.log, report);
  return report;
}

/** What the chain holds of each code: the sum over the unswept deposit addresses, and the hot wallet. */
async function chainHoldings(readers: ReconciliationReaders, chain: ChainId, codes: ServedCode[]): Promise<ChainHoldings[]> {
  const reader = readers.balances(chain);
  const unswept = await collect(readers.deposits.unswept(chain));
  const hot = readers.hotWallet(chain);
  return Promise.all(
    codes.map(async ({ code, native }) => {
      const addresses = unswept.filter((d) => d.code === code);
      let deposits = 0n;
      for (const d of addresses) deposits += await reader.balanceOf(d.address, code);
      return { chain, code, native, deposits, depositAddresses: addresses.length, hot: hot === null ? null : await reader.balanceOf(hot, code) };
    }),
  );
}

async function reserveOf(deps: Pick<Deps, 'chains'>, readers: ReconciliationReaders, chain: ChainId): Promise<HotWalletReserve> {
  const address = readers.hotWallet(chain);
  const nativeCode = nativeCodeOf(deps, chain);
  const native = address === null ? null : await readers.balances(chain).balanceOf(address, nativeCode);
  return hotWalletReserve(chain, address, nativeCode, native, readers.minReserve(chain));
}

const figures = (f: Record<string, bigint>) => Object.fromEntries(Object.entries(f).map(([k, v]) => [k, String(v)]));

function logReport(log: Deps['log'], report: Reconciliation): void {
  for (const d of report.balanceDrifts) log.error('reconcile.drift', { check: 'balance', shopId: d.shopId, code: d.code, fields: d.fields, journal: figures(d.journal), stored: figures(d.stored) });
  for (const line of report.assets) {
    const numbers = { chain: line.chain, code: line.code, ledger: String(line.ledger.total), onChain: String(line.onChain.total), difference: String(line.difference), depositAddresses: line.onChain.depositAddresses };
    if (isDrift(line)) log.error('reconcile.drift', { check: 'assets', ...numbers, ledgerDeposits: String(line.ledger.deposits), ledgerHot: String(line.ledger.hot), chainDeposits: String(line.onChain.deposits), chainHot: line.onChain.hot === null ? null : String(line.onChain.hot) });
    else if (line.verdict === 'unrecorded') log.warn('reconcile.unrecorded', numbers);
  }
  for (const u of report.unreadable) log.error('reconcile.chain_unreadable', { chain: u.chain, error: u.error });
  for (const h of report.hotWallets) if (h.low) log.error('hot_wallet.low_reserve', { chain: h.chain, address: h.address, code: h.nativeCode, balance: h.native === null ? null : String(h.native), minimum: String(h.minimum) });
  if (!report.drift) log.info('reconcile.ok', { balancesChecked: report.balancesChecked, assetLines: report.assets.length, unreadable: report.unreadable.length });
}

/** A hot wallet as `tollgate wallet hot` shows it: its fee reserve and what it holds of each served token. */
export type HotWalletView = HotWalletReserve & { tokens: { code: string; balance: bigint }[] };

/** Per served chain: the hot wallet, its native balance against the minimum, and its tokens. Logs a low reserve. */
export async function hotWalletViews(deps: Pick<Deps, 'chains' | 'log'>, readers: ReconciliationReaders): Promise<HotWalletView[]> {
  return Promise.all(
    deps.chains.map(async (d): Promise<HotWalletView> => {
      const reserve = await reserveOf(deps, readers, d.chain);
      const tokenCodes = d.currencies.filter((c) => c.contract !== null).map((c) => c.currency.code);
      const address = reserve.address;
      const tokens = address === null ? [] : await Promise.all(tokenCodes.map(async (code) => ({ code, balance: await readers.balances(d.chain).balanceOf(address, code) })));
      if (reserve.low) deps.log.error('hot_wallet.low_reserve', { chain: d.chain, address, code: reserve.nativeCode, balance: reserve.native === null ? null : String(reserve.native), minimum: String(reserve.minimum) });
      return { ...reserve, tokens };
    }),
  );
}
