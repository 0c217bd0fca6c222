/** PATCH /admin/projects/{shopId}/withdrawal-wallets/{walletId} (`tollgate withdrawal-wallet change`). */
import { withProject } from '../../shared/app/projects';
import { changeWithdrawalWallet } from '../../shared/app/withdrawal-wallets';
import { presentWithdrawalWallet } from '../../shared/api/native/withdrawal-wallets';
import { route } from '../kit/http';
import { shopIdOf } from './admin-common';
import { changeInput } from './withdrawal-wallet-common';

export const adminWithdrawalWalletChange = route({
  route: 'admin.withdrawal_wallet.change',
  input: changeInput,
  run: ({ deps, input, now, req }) =>
    withProject(deps, shopIdOf(req), (p) => changeWithdrawalWallet(deps, { shopId: p.shopId, now, actor: 'cli', code: input.totp_code }, { walletId: input.walletId, address: input.address, label: input.label })),
  present: (wallet, { now }) => presentWithdrawalWallet(wallet, now),
});
