/** POST /v2/invoice/static/create (reference §1.8): a customer's permanent deposit address. */
import { presentStaticWallet } from '../../shared/api/cryptocloud/presenters';
import { StaticWalletRequest } from '../../shared/api/cryptocloud/requests';
import { createStaticWallet } from '../../shared/app/static-wallets';
import { err } from '../../shared/domain/result';
import { fromSchema, requireProject, route } from '../kit/http';
import { StaticWallet } from '../../shared/api/cryptocloud/responses';

const input = fromSchema(StaticWalletRequest);

export const staticWalletCreate = route({
  route: 'invoice.static_create',
  input,
  response: StaticWallet,
  run: async ({ deps, project, input, now }) => {
    const own = requireProject(project);
    if (input.shop_id !== own.shopId) return err({ kind: 'invoice.shop_mismatch' as const, shopId: input.shop_id });
    return createStaticWallet(deps, own, { code: input.currency, identify: input.identify, now });
  },
  present: (wallet, { deps, project }) => presentStaticWallet(deps.settings, wallet, { chains: deps.chains, project: requireProject(project) }),
});
