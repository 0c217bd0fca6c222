/** POST /admin/projects/{shopId}/static-wallets/{walletId}/unblock (`tollgate wallet static unblock`). */
import { withProject } from '../../shared/app/projects';
import { setStaticWalletBlocked } from '../../shared/app/static-wallets';
import { presentWallet } from '../../shared/api/native/static-wallets';
import { route } from '../kit/http';
import { shopIdOf } from './admin-common';
import { walletIdInput } from './static-wallet-common';

export const adminStaticWalletUnblock = route({
  route: 'admin.static_wallet.unblock',
  input: walletIdInput,
  run: ({ deps, input, now, req }) => withProject(deps, shopIdOf(req), (p) => setStaticWalletBlocked(deps, { shopId: p.shopId, id: input, blocked: false, now })),
  present: (wallet, { deps }) => presentWallet(wallet, deps.settings.publicBaseUrl),
});
