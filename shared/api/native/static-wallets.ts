/**
 * Static wallets on the native wire (`/api/static-wallets`, `/admin/projects/{shopId}/static-wallets`):
 * snake_case, amounts as exact decimal strings in the wallet's currency, times in ISO 8601.
 * CryptoCloud's own create answer (reference §1.8) is `presentStaticWallet` in ../cryptocloud.
 */
import * as z from 'zod';
import { CHAINS, findCrypto } from '../../domain/currencies';
import { invoiceUuid } from '../../domain/ids';
import type { Invoice } from '../../domain/invoice/invoice';
import type { StraySummary } from '../../domain/invoice/payments';
import { formatDecimal, fromUnits } from '../../domain/money';
import { identifyProblem, type StaticWallet, type StaticWalletTotals } from '../../domain/static-wallet';
import { isoTime } from '../../domain/time';
import { type PresentContext, presentPayment } from '../cryptocloud/presenters';
import { StaticWalletRequest } from '../cryptocloud/requests';

/** Wallets and receipts per page when the client names no `limit`. */
export const STATIC_WALLETS_PER_PAGE_DEFAULT = 20;
/** Page tokens are opaque and short (an index key, base64url); anything longer is not one. */
const CURSOR_LENGTH_MAX = 400;

const limit = (max: number) =>
  z
    .unknown()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined || v === '') return STATIC_WALLETS_PER_PAGE_DEFAULT;
      const n = typeof v === 'number' || typeof v === 'string' ? Number(v) : Number.NaN;
      if (Number.isInteger(n) && n >= 1 && n <= max) return n;
      ctx.addIssue({ code: 'custom', message: `limit must be a whole number from 1 to ${max}.` });
      return z.NEVER;
    })
    .meta({ type: ['integer', 'string'], minimum: 1, maximum: max, default: STATIC_WALLETS_PER_PAGE_DEFAULT, description: `Items per page, 1 to ${max}.` });

const cursor = z
  .string({ error: 'cursor must be the next_cursor of the previous page.' })
  .max(CURSOR_LENGTH_MAX, 'cursor must be the next_cursor of the previous page.')
  // A cut-off token (a client that did not URL-encode it) is refused, not read as "from the start": a loop would never end.
  .regex(/^[A-Za-z0-9_-]*$/, 'cursor must be the next_cursor of the previous page.')
  .optional()
  .transform((v) => (v === undefined || v === '' ? null : v));

/** `identify` filters the list to one customer's wallets; checked as create checks it, so a typo is named, not an empty page. */
const identifyFilter = z
  .string({ error: 'identify must be text (your customer id).' })
  .optional()
  .transform((v, ctx) => {
    const text = v?.trim() ?? '';
    if (text === '') return null;
    const problem = identifyProblem(text);
    if (!problem) return text;
    ctx.addIssue({ code: 'custom', message: problem });
    return z.NEVER;
  });

/** The list's query; `limitMax` is the use case's page bound (shared/app/static-wallets.ts). */
export const listStaticWalletsQuery = (limitMax: number) => z.object({ identify: identifyFilter, limit: limit(limitMax), cursor });

/** The show's query: a page of receipts. */
export const showStaticWalletQuery = (limitMax: number) => z.object({ limit: limit(limitMax), cursor });

/** The admin create (`tollgate wallet static create`): CryptoCloud's fields but `shop_id`, which is the path's. */
export const CreateStaticWalletRequest = StaticWalletRequest.omit({ shop_id: true });

function decimals(code: string): number {
  const c = findCrypto(code);
  if (!c) throw new Error(`invariant: unknown currency ${code} on a static wallet`);
  return c.decimals;
}

const amountIn = (code: string) => (units: bigint) => formatDecimal(fromUnits(units, decimals(code)));

/** `page_url`: the customer's page of the wallet (address, QR, their recent transfers); the customer id is not on it. */
export const presentWallet = (w: StaticWallet, publicBaseUrl: string) => ({
  uuid: w.id,
  shop_id: w.shopId,
  identify: w.identify,
  currency: w.code,
  network: CHAINS[w.chain].network.code,
  address: w.address,
  blocked: w.blocked,
  blocked_at: w.blockedAt === null ? null : isoTime(w.blockedAt),
  created: isoTime(w.createdAt),
  page_url: `${publicBaseUrl}/wallet/${w.id}`,
});

export const presentWalletList = ({ wallets, next }: { wallets: StaticWallet[]; next: string | null }, publicBaseUrl: string) => ({
  static_wallets: wallets.map((w) => presentWallet(w, publicBaseUrl)),
  next_cursor: next,
});

/** Credited receipts only: `received` is what customers sent, `net` what reached the balance (merchant-side fees withheld). */
export const presentWalletTotals = (code: string, t: StaticWalletTotals) => {
  const amount = amountIn(code);
  return { receipts: t.receipts, received: amount(t.received), net: amount(t.net), last_credited_at: t.lastCreditedAt === null ? null : isoTime(t.lastCreditedAt) };
};

/**
 * One receipt: its own invoice (`invoice_id`, shown by info and list), the transfer it records,
 * and how far crediting got. `amount` is what was sent; `net` what reached the balance.
 */
export function presentReceipt(ctx: PresentContext, receipt: Invoice) {
  const code = receipt.selection?.code ?? receipt.availableCurrencies[0] ?? '';
  const amount = amountIn(code);
  const payment = receipt.payments[0];
  const shown = payment ? presentPayment(ctx, receipt, payment) : null;
  return {
    invoice_id: invoiceUuid(receipt.id),
    status: receipt.status,
    payment_status: payment?.state ?? null,
    amount: amount(payment?.transfer.amount ?? receipt.selection?.amountToPay ?? 0n),
    fee: amount(payment?.fee ?? 0n),
    net: amount(payment?.net ?? 0n),
    tx_hash: payment?.transfer.txHash ?? null,
    confirmations: shown?.confirmations ?? 0,
    required_confirmations: shown?.required_confirmations ?? null,
    created: isoTime(receipt.createdAt),
    credited_at: payment?.creditedAt ? isoTime(payment.creditedAt) : null,
    blocked: receipt.facts.walletBlocked === true,
  };
}

/** Transfers kept for review, never credited: another token, a coin the wallet does not take, dust. */
export function presentWalletStrays(strays: StraySummary) {
  return {
    count: strays.count,
    items: strays.kept.map((s) => {
      const c = s.code ? findCrypto(s.code) : undefined;
      return {
        tx_hash: s.transfer.txHash,
        log_index: s.transfer.logIndex,
        currency: s.code,
        token_contract: s.transfer.contract,
        amount: c ? formatDecimal(fromUnits(s.transfer.amount, c.decimals)) : null,
        amount_units: s.transfer.amount.toString(),
        reason: s.reason,
        block_number: s.transfer.blockNumber,
        seen_at: isoTime(s.seenAt),
      };
    }),
  };
}

/** What `show` presents (shared/app/static-wallets.ts StaticWalletView). */
type WalletView = { wallet: StaticWallet; totals: StaticWalletTotals; receipts: Invoice[]; next: string | null; strays: StraySummary };

/** `show`: the wallet, its totals, a page of receipts (newest first) and the strays. */
export const presentWalletView = (ctx: PresentContext, view: WalletView) => ({
  ...presentWallet(view.wallet, ctx.publicBaseUrl),
  totals: presentWalletTotals(view.wallet.code, view.totals),
  receipts: view.receipts.map((r) => presentReceipt(ctx, r)),
  next_cursor: view.next,
  strays: presentWalletStrays(view.strays),
});
