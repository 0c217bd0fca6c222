/** GET /api/static-wallets?identify=&limit=&cursor=: the key's project's static wallets, oldest first (`identify`: one customer's). */
import { listStaticWallets } from '../../shared/app/static-wallets';
import { presentWalletList } from '../../shared/api/native/static-wallets';
import { requireProject, route } from '../kit/http';
import { listWalletsInput } from './static-wallet-common';

export const staticWalletList = route({
  route: 'api.static_wallet.list',
  input: listWalletsInput,
  run: ({ deps, project, input }) => listStaticWallets(deps, { shopId: requireProject(project).shopId, identify: input.identify, limit: input.limit, after: input.cursor }),
  present: (out, { deps }) => presentWalletList(out, deps.settings.publicBaseUrl),
});
