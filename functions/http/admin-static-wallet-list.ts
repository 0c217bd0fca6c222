/** GET /admin/projects/{shopId}/static-wallets?identify=&limit=&cursor= (`tollgate wallet static list`). */
import { withProject } from '../../shared/app/projects';
import { listStaticWallets } from '../../shared/app/static-wallets';
import { presentWalletList } from '../../shared/api/native/static-wallets';
import { route } from '../kit/http';
import { shopIdOf } from './admin-common';
import { listWalletsInput } from './static-wallet-common';

export const adminStaticWalletList = route({
  route: 'admin.static_wallet.list',
  input: listWalletsInput,
  run: ({ deps, input, req }) => withProject(deps, shopIdOf(req), (p) => listStaticWallets(deps, { shopId: p.shopId, identify: input.identify, limit: input.limit, after: input.cursor })),
  present: (out, { deps }) => presentWalletList(out, deps.settings.publicBaseUrl),
});
