/** DELETE /api/withdrawal-wallets/{walletId} {totp_code}: the wallet is kept as a record and never receives funds again. */
import { removeWithdrawalWallet } from '../../shared/app/withdrawal-wallets';
import { presentWithdrawalWallet } from '../../shared/api/native/withdrawal-wallets';
import { requireProject, route } from '../kit/http';
import { removeInput } from './withdrawal-wallet-common';

export const withdrawalWalletRemove = route({
  route: 'api.withdrawal_wallet.remove',
  input: removeInput,
  run: ({ deps, project, input, now }) => removeWithdrawalWallet(deps, { shopId: requireProject(project).shopId, now, actor: 'api', code: input.code }, { walletId: input.walletId }),
  present: (wallet, { now }) => presentWithdrawalWallet(wallet, now),
});
