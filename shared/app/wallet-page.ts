/**
 * The customer's side of a static wallet: what `/wallet/{uuid}`, its QR code and its status poll
 * read (shared/domain/wallet-view.ts says what of it the customer sees). The uuid is the
 * capability, as an invoice's short id is for the payment page.
 */
import type { ChainDeployment } from '../domain/chains';
import { type CryptoCurrency, findCrypto } from '../domain/currencies';
import { parseStaticWalletId } from '../domain/ids';
import { paymentUri } from '../domain/payment-uri';
import type { Project } from '../domain/project';
import { err, ok, type Result } from '../domain/result';
import type { StaticWallet } from '../domain/static-wallet';
import type { Instant } from '../domain/time';
import { type CustomerWallet, customerReceipt, RECENT_RECEIPTS_SHOWN } from '../domain/wallet-view';
import type { Deps } from '../ports';
import type { AppError } from './errors';
import { chainHeadsFor } from './invoice-lookups';

export type WalletPage = CustomerWallet & { project: Project };

const notFound = (ref: string): AppError => ({ kind: 'static_wallet.not_found', id: ref.slice(0, 40) });

type Served = { wallet: StaticWallet; currency: CryptoCurrency; deployment: ChainDeployment };

/**
 * The wallet, when it exists and its currency is served here. Unknown and malformed uuids read
 * alike (null). So does a wallet whose chain or token this deployment no longer serves: nothing
 * would see a transfer to it, so no page may ask anyone to send there.
 */
async function servedWallet(deps: Pick<Deps, 'staticWallets' | 'chains'>, ref: string): Promise<Served | null> {
  const id = parseStaticWalletId(ref);
  const wallet = id.ok ? await deps.staticWallets.get(id.value) : null;
  const currency = wallet ? findCrypto(wallet.code) : undefined;
  const deployment = wallet ? deps.chains.find((c) => c.chain === wallet.chain && c.currencies.some((s) => s.currency.code === wallet.code)) : undefined;
  return wallet && currency && deployment ? { wallet, currency, deployment } : null;
}

/** The latest receipts (one index query, one batch read, the chain's head) as the customer sees them. */
async function withReceipts(deps: Deps, { wallet, currency, deployment }: Served, now: Instant): Promise<CustomerWallet> {
  const page = await deps.staticWallets.receipts(wallet.id, RECENT_RECEIPTS_SHOWN, null);
  const invoices = (await deps.invoices.getMany(page.ids)).sort((a, b) => b.createdAt - a.createdAt);
  const heads = await chainHeadsFor(deps, invoices);
  const receipts = invoices.map((invoice) => customerReceipt(invoice, { now, heads, chains: deps.chains }));
  return { wallet: { id: wallet.id, address: wallet.address, blocked: wallet.blocked }, currency, deployment, receipts, more: page.next !== null };
}

/** The status poll: the wallet's state and its latest receipts. */
export async function customerWallet(deps: Deps, ref: string, now: Instant): Promise<Result<CustomerWallet, AppError>> {
  const served = await servedWallet(deps, ref);
  return served ? ok(await withReceipts(deps, served, now)) : err(notFound(ref));
}

/** The page: the same, with its project's name, logo, support contact and language. */
export async function walletPage(deps: Deps, ref: string, now: Instant): Promise<Result<WalletPage, AppError>> {
  const served = await servedWallet(deps, ref);
  if (!served) return err(notFound(ref));
  const [project, shown] = await Promise.all([deps.projects.get(served.wallet.shopId), withReceipts(deps, served, now)]);
  return project ? ok({ ...shown, project }) : err(notFound(ref));
}

/**
 * The QR code: the address alone, for any amount (paymentUri with no amount). None for a blocked
 * wallet: the shop asked that nobody send there, and a scannable code would invite it.
 */
export async function walletQrSvg(deps: Pick<Deps, 'staticWallets' | 'chains' | 'qr'>, ref: string): Promise<Result<{ svg: string; uri: string }, AppError>> {
  const served = await servedWallet(deps, ref);
  if (!served || served.wallet.blocked) return err(notFound(ref));
  const uri = paymentUri(served.deployment, served.currency, served.wallet.address, 0n);
  return ok({ svg: await deps.qr.svg(uri), uri });
}
