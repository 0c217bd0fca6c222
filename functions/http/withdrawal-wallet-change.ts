/** PATCH /api/withdrawal-wallets/{walletId} {address?, label?, totp_code}: a new address starts a new cooling-off. */
import { changeWithdrawalWallet } from '../../shared/app/withdrawal-wallets';
import { presentWithdrawalWallet } from '../../shared/api/native/withdrawal-wallets';
import { requireProject, route } from '../kit/http';
import { changeInput } from './withdrawal-wallet-common';

export const withdrawalWalletChange = route({
  route: 'api.withdrawal_wallet.change',
  input: changeInput,
  run: ({ deps, project, input, now }) =>
    changeWithdrawalWallet(deps, { shopId: requireProject(project).shopId, now, actor: 'api', code: input.totp_code }, { walletId: input.walletId, address: input.address, label: input.label }),
  present: (wallet, { now }) => presentWithdrawalWallet(wallet, now),
});
