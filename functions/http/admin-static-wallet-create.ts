/** POST /admin/projects/{shopId}/static-wallets (`tollgate wallet static create`): the customer's wallet, made once (idempotent as /v2/invoice/static/create). */
import { withProject } from '../../shared/app/projects';
import { createStaticWallet } from '../../shared/app/static-wallets';
import { CreateStaticWalletRequest, presentWallet } from '../../shared/api/native/static-wallets';
import { fromSchema, route } from '../kit/http';
import { shopIdOf } from './admin-common';

const input = fromSchema(CreateStaticWalletRequest);

export const adminStaticWalletCreate = route({
  route: 'admin.static_wallet.create',
  input,
  run: ({ deps, input, now, req }) => withProject(deps, shopIdOf(req), (p) => createStaticWallet(deps, p, { code: input.currency, identify: input.identify, now })),
  present: (wallet, { deps }) => presentWallet(wallet, deps.settings.publicBaseUrl),
});
