/** GET /wallet/{walletId}: a static wallet's customer page (address, QR, network, recent transfers). */
import { walletPage } from '../../shared/app/wallet-page';
import { visitorLocale } from '../../shared/pages/i18n';
import { renderWalletPage } from '../../shared/pages/wallet-page';
import { replyRoute } from '../kit/http';
import { walletRef } from './public-wallet-status';

export const pageWallet = replyRoute({
  route: 'page.wallet',
  input: walletRef,
  request: {},
  run: ({ deps, input, now }) => walletPage(deps, input, now),
  reply: (model, { req }) => ({
    contentType: 'text/html; charset=utf-8',
    body: renderWalletPage({ ...model, locale: visitorLocale(req.query.locale, req.headers['accept-language'], model.project.settings.locale) }),
  }),
});
