/** Lambda entry for the `wallet` route group. */
import { walletBalances } from '../../shared/app/balances';
import { presentBalance } from '../../shared/api/cryptocloud/presenters';
import { ok } from '../../shared/domain/result';
import { httpGroup, requireProject, route } from '../kit/http';
import { Balance } from '../../shared/api/cryptocloud/responses';

/** No body is expected; anything sent (shop_id, locale) is ignored. */
export const walletBalance = route({
  route: 'wallet.balance',
  input: (): { ok: true; value: null } => ({ ok: true, value: null }),
  request: {},
  response: Balance,
  run: async ({ deps, project }) => ok(await walletBalances(deps, requireProject(project))),
  present: (rows, { deps }) => presentBalance(deps.settings, rows),
});

export const handler = httpGroup([walletBalance]);
