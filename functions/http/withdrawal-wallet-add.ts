/** POST /api/withdrawal-wallets {currency, address, label, totp_code}: saves a recipient; it may receive funds after the cooling-off. */
import { addWithdrawalWallet } from '../../shared/app/withdrawal-wallets';
import { AddWithdrawalWalletRequest, presentWithdrawalWallet } from '../../shared/api/native/withdrawal-wallets';
import { fromSchema, requireProject, route } from '../kit/http';

const input = fromSchema(AddWithdrawalWalletRequest);

export const withdrawalWalletAdd = route({
  route: 'api.withdrawal_wallet.add',
  input,
  run: ({ deps, project, input, now }) =>
    addWithdrawalWallet(deps, { shopId: requireProject(project).shopId, now, actor: 'api', code: input.totp_code }, { currency: input.currency, address: input.address, label: input.label }),
  present: (wallet, { now }) => presentWithdrawalWallet(wallet, now),
});
