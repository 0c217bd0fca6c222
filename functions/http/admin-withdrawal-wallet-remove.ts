/** DELETE /admin/projects/{shopId}/withdrawal-wallets/{walletId} (`tollgate withdrawal-wallet remove`). */
import { withProject } from '../../shared/app/projects';
import { removeWithdrawalWallet } from '../../shared/app/withdrawal-wallets';
import { presentWithdrawalWallet } from '../../shared/api/native/withdrawal-wallets';
import { route } from '../kit/http';
import { shopIdOf } from './admin-common';
import { removeInput } from './withdrawal-wallet-common';

export const adminWithdrawalWalletRemove = route({
  route: 'admin.withdrawal_wallet.remove',
  input: removeInput,
  run: ({ deps, input, now, req }) => withProject(deps, shopIdOf(req), (p) => removeWithdrawalWallet(deps, { shopId: p.shopId, now, actor: 'cli', code: input.code }, { walletId: input.walletId })),
  present: (wallet, { now }) => presentWithdrawalWallet(wallet, now),
});
