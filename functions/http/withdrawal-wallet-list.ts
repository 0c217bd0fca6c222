/** GET /api/withdrawal-wallets?removed=: the key's project's saved withdrawal wallets, oldest first, with when each becomes usable. */
import { listWithdrawalWallets } from '../../shared/app/withdrawal-wallets';
import { presentWithdrawalWallets } from '../../shared/api/native/withdrawal-wallets';
import { requireProject, route } from '../kit/http';
import { listInput } from './withdrawal-wallet-common';

export const withdrawalWalletList = route({
  route: 'api.withdrawal_wallet.list',
  input: listInput,
  run: ({ deps, project, input }) => listWithdrawalWallets(deps, { shopId: requireProject(project).shopId, includeRemoved: input.removed }),
  present: (wallets, { now }) => presentWithdrawalWallets(wallets, now),
});
