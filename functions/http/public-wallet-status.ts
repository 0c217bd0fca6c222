/** GET /api/public/wallets/{walletId}: the wallet page's poll of its transfers (ETag; 304 when unchanged). */
import { customerWallet } from '../../shared/app/wallet-page';
import { presentWalletStatus } from '../../shared/pages/wallet-page';
import { etagOf } from '../kit/etag';
import { type HttpRequest, replyRoute } from '../kit/http';

/**
 * The uuid as the path gives it, checked by the use case: a malformed one is not found, like an
 * unknown one (a page answers 404 either way, and neither says which ids exist).
 */
export const walletRef = (req: HttpRequest) => ({ ok: true as const, value: (req.pathParameters.walletId ?? '').slice(0, 64) });

export const publicWalletStatus = replyRoute({
  route: 'public.wallet.status',
  input: walletRef,
  request: {},
  run: ({ deps, input, now }) => customerWallet(deps, input, now),
  reply: (wallet) => {
    const body = JSON.stringify(presentWalletStatus(wallet));
    return { contentType: 'application/json; charset=utf-8', body, etag: etagOf(body), cacheControl: 'no-cache' };
  },
});
