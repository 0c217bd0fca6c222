/**
 * Static wallets, the merchant's side: create (CryptoCloud's `/v2/invoice/static/create`,
 * idempotent by project, currency and `identify`), list, show with receipts and totals, block and
 * unblock. Receipts are made and credited by the crediting consumer (shared/app/crediting.ts).
 */
import { servedCurrency } from '../domain/chains';
import { ENABLED_CRYPTO_CODES, findCrypto } from '../domain/currencies';
import { parseStaticWalletId, type StaticWalletId } from '../domain/ids';
import type { Invoice } from '../domain/invoice/invoice';
import type { StraySummary } from '../domain/invoice/payments';
import type { Project } from '../domain/project';
import { err, ok, type Result } from '../domain/result';
import type { StaticWallet, StaticWalletTotals } from '../domain/static-wallet';
import { WATCHED_FOR_GOOD } from '../domain/static-wallet';
import type { Instant } from '../domain/time';
import type { Deps } from '../ports';
import { depositKeyProblem } from './create-invoice';
import type { AppError } from './errors';

/** Wallets per list call, and receipts per show. */
export const STATIC_WALLETS_PER_LIST_MAX = 100;
export const RECEIPTS_PER_PAGE_MAX = 100;
const ID_COLLISION_RETRIES_MAX = 5;
/** Block and unblock re-read and retry when a concurrent change won the conditional write. */
const BLOCK_CONFLICT_RETRIES_MAX = 3;

export type StaticWalletView = { wallet: StaticWallet; totals: StaticWalletTotals; receipts: Invoice[]; next: string | null; strays: StraySummary };

/** The wallet if it belongs to this project; another project's wallet is "not found", so its existence is never revealed. */
export async function ownWallet(deps: Deps, shopId: string, ref: string): Promise<Result<StaticWallet, AppError>> {
  const id = parseStaticWalletId(ref);
  const wallet = id.ok ? await deps.staticWallets.get(id.value) : null;
  return wallet && wallet.shopId === shopId ? ok(wallet) : err({ kind: 'static_wallet.not_found', id: ref.slice(0, 40) });
}

/**
 * The customer's wallet in `code`, made on the first call. Every later call, and every concurrent
 * twin, answers the same wallet: one customer, one currency, one address, for good.
 */
export async function createStaticWallet(deps: Deps, project: Project, input: { code: string; identify: string; now: Instant }): Promise<Result<StaticWallet, AppError>> {
  const currency = findCrypto(input.code);
  // Named by the request's own field, `currency` (an invoice names it `cryptocurrency`).
  if (!currency) return err({ kind: 'static_wallet.invalid', field: 'currency', message: `Unknown currency '${input.code.slice(0, 40)}'. Available: ${ENABLED_CRYPTO_CODES.join(', ')}` });
  // The customer's wallet stands once made: asked again after the shop disabled the currency, it is still that wallet.
  const existing = await deps.staticWallets.findOne(project.shopId, input.identify, currency.code);
  if (existing) return found(deps, existing);
  const served = servedCurrency(deps.chains, currency.code);
  const enabled = project.settings.enabledCurrencies.filter((c) => servedCurrency(deps.chains, c));
  if (!served || !enabled.includes(currency.code)) {
    return err({ kind: 'static_wallet.invalid', field: 'currency', message: `Currency '${currency.code}' is not enabled in this project. Enabled: ${enabled.join(', ') || 'none'}` });
  }
  const noKey = await depositKeyProblem(deps, currency);
  if (noKey) return err(noKey);

  // From the same counter as invoice addresses: an index is handed out once, to one owner.
  const slot = await deps.addresses.allocate(currency.chain);
  // Before the address exists: the chain's watcher then reads whole blocks (native value is in no log).
  if (currency.contract === null) await deps.nativeWatch.extend(currency.chain, WATCHED_FOR_GOOD);
  for (let attempt = 0; attempt < ID_COLLISION_RETRIES_MAX; attempt += 1) {
    const wallet: StaticWallet = {
      id: deps.ids.staticWalletId(),
      shopId: project.shopId,
      code: currency.code,
      chain: currency.chain,
      address: slot.address,
      derivationIndex: slot.index,
      identify: input.identify,
      createdAt: input.now,
      blocked: false,
      blockedAt: null,
      version: 1,
    };
    const outcome = await deps.staticWallets.create(wallet, deps.clock.now());
    if (outcome.kind === 'created') {
      // Not the identify: a shop's customer id may be an e-mail address.
      deps.log.info('static_wallet.created', { staticWallet: wallet.id, shopId: project.shopId, currency: wallet.code, address: wallet.address });
      return ok(wallet);
    }
    // A concurrent twin won: its wallet is the answer, and this address index stays unused.
    if (outcome.kind === 'exists') return found(deps, outcome.id);
    deps.log.warn('static_wallet.id_collision', { attempt });
  }
  throw new Error(`could not allocate a free static wallet id after ${ID_COLLISION_RETRIES_MAX} attempts`);
}

async function found(deps: Deps, id: StaticWalletId): Promise<Result<StaticWallet, AppError>> {
  const wallet = await deps.staticWallets.get(id);
  if (!wallet) throw new Error(`invariant: static wallet ${id} is named by its identify lookup but missing`);
  return ok(wallet);
}

/** A project's wallets, oldest first; with `identify`, that customer's wallets (one per currency). */
export async function listStaticWallets(deps: Deps, input: { shopId: string; identify: string | null; limit: number; after: string | null }) {
  if (input.identify !== null) return ok({ wallets: await deps.staticWallets.findByIdentify(input.shopId, input.identify), next: null });
  return ok(await deps.staticWallets.listByProject(input.shopId, clamp(input.limit, STATIC_WALLETS_PER_LIST_MAX), input.after));
}

const clamp = (n: number, max: number) => Math.min(Math.max(Math.trunc(n) || 1, 1), max);

/** The wallet, its totals, a page of its receipts (newest first) and the transfers kept apart for review. */
export async function showStaticWallet(deps: Deps, input: { shopId: string; id: string; limit: number; after: string | null }): Promise<Result<StaticWalletView, AppError>> {
  const wallet = await ownWallet(deps, input.shopId, input.id);
  if (!wallet.ok) return wallet;
  const id = wallet.value.id;
  const [totals, page, strays] = await Promise.all([
    deps.staticWallets.totals(id),
    deps.staticWallets.receipts(id, clamp(input.limit, RECEIPTS_PER_PAGE_MAX), input.after),
    deps.payments.strays({ kind: 'static_wallet', walletId: id }),
  ]);
  const receipts = await deps.invoices.getMany(page.ids);
  const order = new Map(page.ids.map((r, i) => [r, i]));
  receipts.sort((a, b) => (order.get(a.id) ?? 0) - (order.get(b.id) ?? 0));
  return ok({ wallet: wallet.value, totals, receipts, next: page.next, strays });
}

/**
 * Blocking stops nothing on chain (anyone can still send to the address): later receipts are
 * credited, flagged `walletBlocked`, and announced by a `static_wallet.blocked_receipt` webhook.
 */
export async function setStaticWalletBlocked(deps: Deps, input: { shopId: string; id: string; blocked: boolean; now: Instant }): Promise<Result<StaticWallet, AppError>> {
  for (let attempt = 0; attempt < BLOCK_CONFLICT_RETRIES_MAX; attempt += 1) {
    const current = await ownWallet(deps, input.shopId, input.id);
    if (!current.ok || current.value.blocked === input.blocked) return current;
    const next: StaticWallet = { ...current.value, blocked: input.blocked, blockedAt: input.blocked ? input.now : null, version: current.value.version + 1 };
    if (await deps.staticWallets.save(next, current.value.version)) {
      deps.log.info(input.blocked ? 'static_wallet.blocked' : 'static_wallet.unblocked', { staticWallet: next.id, shopId: next.shopId });
      return ok(next);
    }
  }
  throw new Error(`static wallet ${input.id} kept changing while being ${input.blocked ? 'blocked' : 'unblocked'}; retry`);
}
