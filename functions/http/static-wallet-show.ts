/** GET /api/static-wallets/{walletId}?limit=&cursor=: the wallet, its totals, a page of receipts (newest first) and its strays. */
import { requireProject, route } from '../kit/http';
import { presentShow, showWalletInput, showWalletWithHeads } from './static-wallet-common';

export const staticWalletShow = route({
  route: 'api.static_wallet.show',
  input: showWalletInput,
  run: ({ deps, project, input }) => showWalletWithHeads(deps, { shopId: requireProject(project).shopId, ...input }),
  present: (out, ctx) => presentShow(out, ctx),
});
