/**
 * POST /api/static-wallets/{walletId}/block and /unblock. A blocked wallet's receipts are still
 * credited (anyone can send to the address), flagged, and announced by a native webhook.
 */
import { setStaticWalletBlocked } from '../../shared/app/static-wallets';
import { presentWallet } from '../../shared/api/native/static-wallets';
import { requireProject, route } from '../kit/http';
import { walletIdInput } from './static-wallet-common';

export const staticWalletBlock = route({
  route: 'api.static_wallet.block',
  input: walletIdInput,
  run: ({ deps, project, input, now }) => setStaticWalletBlocked(deps, { shopId: requireProject(project).shopId, id: input, blocked: true, now }),
  present: (wallet, { deps }) => presentWallet(wallet, deps.settings.publicBaseUrl),
});

export const staticWalletUnblock = route({
  route: 'api.static_wallet.unblock',
  input: walletIdInput,
  run: ({ deps, project, input, now }) => setStaticWalletBlocked(deps, { shopId: requireProject(project).shopId, id: input, blocked: false, now }),
  present: (wallet, { deps }) => presentWallet(wallet, deps.settings.publicBaseUrl),
});
