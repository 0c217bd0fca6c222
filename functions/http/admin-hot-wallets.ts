/** `tollgate wallet hot`: per served chain, the hot wallet, its fee reserve against the minimum, and its tokens. */
import { presentHotWallet } from '../../shared/api/admin/reconciliation';
import { hotWalletViews } from '../../shared/app/reconciliation';
import { ok } from '../../shared/domain/result';
import { route } from '../kit/http';
import { reconciliationReaders } from '../kit/reconciliation';
import { noInput } from './admin-common';

export const adminHotWallets = route({
  route: 'admin.hot_wallets',
  input: noInput,
  run: async ({ deps }) => ok(await hotWalletViews(deps, reconciliationReaders())),
  present: (views) => views.map(presentHotWallet),
});
