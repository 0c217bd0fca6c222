/** GET /admin/projects/{shopId}/withdrawal-wallets?removed= (`tollgate withdrawal-wallet list`). */
import { withProject } from '../../shared/app/projects';
import { listWithdrawalWallets } from '../../shared/app/withdrawal-wallets';
import { presentWithdrawalWallets } from '../../shared/api/native/withdrawal-wallets';
import { route } from '../kit/http';
import { shopIdOf } from './admin-common';
import { listInput } from './withdrawal-wallet-common';

export const adminWithdrawalWalletList = route({
  route: 'admin.withdrawal_wallet.list',
  input: listInput,
  run: ({ deps, input, req }) => withProject(deps, shopIdOf(req), (p) => listWithdrawalWallets(deps, { shopId: p.shopId, includeRemoved: input.removed })),
  present: (wallets, { now }) => presentWithdrawalWallets(wallets, now),
});
