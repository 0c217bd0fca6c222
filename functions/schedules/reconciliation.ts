/**
 * The scheduled reconciliation: the journal against the balances, the chains against the books,
 * and the hot wallets' fee reserves. Drift is logged (`reconcile.drift`, alarmed); the summary is
 * the schedule's log line.
 */
import { reconcile } from '../../shared/app/reconciliation';
import { schedule } from '../kit/schedule';
import { reconciliationReaders } from '../kit/reconciliation';

export const handler = schedule('reconciliation', async (deps) => {
  const report = await reconcile(deps, reconciliationReaders());
  return {
    drift: report.drift,
    balancesChecked: report.balancesChecked,
    balanceDrifts: report.balanceDrifts.length,
    assetDrifts: report.assets.filter((a) => a.verdict === 'shortfall').length,
    unrecorded: report.assets.filter((a) => a.verdict === 'unrecorded').length,
    lowReserves: report.hotWallets.filter((h) => h.low).length,
    unreadableChains: report.unreadable.length,
  };
});
