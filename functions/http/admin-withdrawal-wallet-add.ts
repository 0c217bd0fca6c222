/** POST /admin/projects/{shopId}/withdrawal-wallets (`tollgate withdrawal-wallet add`): the same use case as /api/withdrawal-wallets. */
import { withProject } from '../../shared/app/projects';
import { addWithdrawalWallet } from '../../shared/app/withdrawal-wallets';
import { AddWithdrawalWalletRequest, presentWithdrawalWallet } from '../../shared/api/native/withdrawal-wallets';
import { fromSchema, route } from '../kit/http';
import { shopIdOf } from './admin-common';

const input = fromSchema(AddWithdrawalWalletRequest);

export const adminWithdrawalWalletAdd = route({
  route: 'admin.withdrawal_wallet.add',
  input,
  run: ({ deps, input, now, req }) =>
    withProject(deps, shopIdOf(req), (p) => addWithdrawalWallet(deps, { shopId: p.shopId, now, actor: 'cli', code: input.totp_code }, { currency: input.currency, address: input.address, label: input.label })),
  present: (wallet, { now }) => presentWithdrawalWallet(wallet, now),
});
