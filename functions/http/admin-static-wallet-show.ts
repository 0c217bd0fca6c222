/** GET /admin/projects/{shopId}/static-wallets/{walletId} (`tollgate wallet static show`): totals, receipts, strays. */
import { withProject } from '../../shared/app/projects';
import { route } from '../kit/http';
import { shopIdOf } from './admin-common';
import { presentShow, showWalletInput, showWalletWithHeads } from './static-wallet-common';

export const adminStaticWalletShow = route({
  route: 'admin.static_wallet.show',
  input: showWalletInput,
  run: ({ deps, input, req }) => withProject(deps, shopIdOf(req), (p) => showWalletWithHeads(deps, { shopId: p.shopId, ...input })),
  present: (out, ctx) => presentShow(out, ctx),
});
