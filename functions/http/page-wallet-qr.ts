/** GET /wallet/{walletId}/qr.svg: the wallet's address as a QR code (none for a blocked wallet). */
import { walletQrSvg } from '../../shared/app/wallet-page';
import { etagOf } from '../kit/etag';
import { replyRoute } from '../kit/http';
import { walletRef } from './public-wallet-status';

export const pageWalletQr = replyRoute({
  route: 'page.wallet_qr',
  input: walletRef,
  request: {},
  run: ({ deps, input }) => walletQrSvg(deps, input),
  reply: ({ svg }) => ({ contentType: 'image/svg+xml', body: svg, etag: etagOf(svg), cacheControl: 'no-cache' }),
});
