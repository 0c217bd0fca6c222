/** What the native and admin static wallet routes share: path and query parsing, the show with chain heads, and the answers. */
import { chainHeadsFor } from '../../shared/app/invoice-lookups';
import { RECEIPTS_PER_PAGE_MAX, STATIC_WALLETS_PER_LIST_MAX, type StaticWalletView, showStaticWallet } from '../../shared/app/static-wallets';
import type { AppError } from '../../shared/app/errors';
import { listStaticWalletsQuery, presentWalletView, showStaticWalletQuery } from '../../shared/api/native/static-wallets';
import type { ChainId } from '../../shared/domain/currencies';
import { ok, type Result } from '../../shared/domain/result';
import type { Deps } from '../../shared/ports';
import { fromSchema, type HttpRequest, inQuery, withRequest } from '../kit/http';

export const walletIdOf = (req: HttpRequest) => req.pathParameters.walletId ?? '';

export const listWalletsInput = fromSchema(listStaticWalletsQuery(STATIC_WALLETS_PER_LIST_MAX), inQuery);

const receiptsPage = fromSchema(showStaticWalletQuery(RECEIPTS_PER_PAGE_MAX), inQuery);
export const showWalletInput = withRequest((req: HttpRequest) => {
  const page = receiptsPage(req);
  return page.ok ? { ok: true as const, value: { id: walletIdOf(req), limit: page.value.limit, after: page.value.cursor } } : page;
}, receiptsPage);

export const walletIdInput = withRequest((req: HttpRequest) => ({ ok: true as const, value: walletIdOf(req) }), {});

type ShownWallet = { view: StaticWalletView; heads: Map<ChainId, number> };

/** The wallet with a page of receipts, and the chain heads their `confirmations` are counted from. */
export async function showWalletWithHeads(deps: Deps, input: { shopId: string; id: string; limit: number; after: string | null }): Promise<Result<ShownWallet, AppError>> {
  const view = await showStaticWallet(deps, input);
  return view.ok ? ok({ view: view.value, heads: await chainHeadsFor(deps, view.value.receipts) }) : view;
}

export const presentShow = ({ view, heads }: ShownWallet, { deps }: { deps: Deps }) => presentWalletView({ ...deps.settings, heads }, view);
