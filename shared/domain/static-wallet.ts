/**
 * Static wallets (CryptoCloud's `/v2/invoice/static/create`, reference §1.8): one permanent
 * deposit address per customer (`identify`) and currency, accepting any amount at any time.
 *
 * A static wallet is an address owner beside invoices. Each transfer to it becomes a receipt: its
 * own invoice of the wallet, made when the transfer is first seen, already asking for exactly what
 * was sent. From there the receipt goes through the same crediting as any invoice (depth, reorgs,
 * fees, postbacks); nothing here credits anything.
 */
import type { SweepEstimate } from './chain-families';
import type { ChainId, CryptoCurrency } from './currencies';
import type { InvoiceId, StaticWalletId } from './ids';
import type { Invoice } from './invoice/invoice';
import { formatDecimal, type Ratio, ratio, ratioOf, ratioToScale } from './money';
import { type FeePolicy, quoteFees, unitsToUsd } from './pricing';
import { HOUR_MS, type Instant } from './time';
import type { Transfer } from './transfers';

export type StaticWallet = {
  id: StaticWalletId;
  shopId: string;
  /** The one currency the wallet takes: a transfer of any other token is kept for review. */
  code: string;
  chain: ChainId;
  address: string;
  derivationIndex: number;
  /** The merchant's customer id; every receipt's `order_id`. */
  identify: string;
  createdAt: Instant;
  /** A blocked wallet's receipts are still credited (the money is the merchant's), and flagged. */
  blocked: boolean;
  blockedAt: Instant | null;
  version: number;
};

/** Who a deposit address belongs to: one invoice, or a static wallet (whose every transfer gets a receipt invoice). */
export type AddressOwner = { kind: 'invoice'; invoiceId: InvoiceId } | { kind: 'static_wallet'; walletId: StaticWalletId };

/** What a receipt invoice carries about its wallet. */
export type StaticWalletMark = { id: StaticWalletId; identify: string };

/**
 * A receipt's depth tier is chosen by what its customer (project and `identify`, every currency)
 * sent in this hour and the last, counted when each receipt is made and read again when its
 * credit is due: a large deposit split into small transfers, over one wallet or several, in one
 * transaction or many, waits as long as it would whole.
 */
export const DEPTH_TIER_BUCKET_MS = HOUR_MS;
export const depthTierBucket = (at: Instant): number => Math.floor(at / DEPTH_TIER_BUCKET_MS);

/** Running totals of a wallet's credited receipts, kept beside the wallet (one small item, changed with each credit). */
export type StaticWalletTotals = { receipts: number; received: bigint; net: bigint; lastCreditedAt: Instant | null };
export const NO_TOTALS: StaticWalletTotals = { receipts: 0, received: 0n, net: 0n, lastCreditedAt: null };

/** The far future: a static address's watch end, and a receipt's expiry and rate lock (it never lapses). */
export const WATCHED_FOR_GOOD = Date.UTC(9999, 11, 31);

/** A customer id is a key the merchant chose: bounded, printable, and kept as sent (trimmed). */
export const IDENTIFY_LENGTH_MAX = 128;

export function identifyProblem(identify: string): string | null {
  if (identify.length === 0) return 'identify is empty.';
  if (identify.length > IDENTIFY_LENGTH_MAX) return `identify is ${identify.length} characters long; at most ${IDENTIFY_LENGTH_MAX} are allowed.`;
  // C0, DEL and C1 (U+0085 is a newline too), and the Unicode line and paragraph separators: each
  // breaks a log line, a CSV export or the CLI's table as a newline does.
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is refused
  if (/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/.test(identify)) return 'identify must not contain control characters (newlines, tabs).';
  // Bidirectional overrides make one customer's id display as another's (in a table, a log, the CLI).
  if (/[\u202a-\u202e\u2066-\u2069]/.test(identify)) return 'identify must not contain bidirectional control characters.';
  // A lone surrogate is no text: stored and hashed as UTF-8 it turns into U+FFFD, so two ids would name one wallet.
  if (/\p{Cs}/u.test(identify)) return 'identify must be valid Unicode text (it has an unpaired surrogate).';
  return null;
}

/**
 * A transfer too small to be worth a receipt: it would not pay its own sweep (the network fee at
 * the rate when it is first seen). It is kept for review, not credited, so a spammer's dust costs
 * a small item that expires (the decision, DUST_DECISION_KEPT_MS) and a bounded stray count, not
 * an invoice and a postback; and a redelivery after the price moved decides nothing anew.
 */
export const isDustReceipt = (amount: bigint, networkFee: bigint): boolean => amount < networkFee;

/** How long a transfer's dust decision is kept: far longer than any redelivery, rescan or reorg. */
export const DUST_DECISION_KEPT_MS = 30 * 24 * HOUR_MS;

export type ReceiptInput = {
  id: InvoiceId;
  wallet: StaticWallet;
  transfer: Transfer;
  /** The wallet's currency, with the deployment's network fee for it. */
  currency: CryptoCurrency;
  usdPerUnit: Ratio;
  fees: FeePolicy;
  testMode: boolean;
  locale: string;
  sweepEstimate?: SweepEstimate;
  /** The network fee in base units (the estimated sweep cost when the transfer was first seen); absent: the flat fee. */
  transferFee?: bigint;
  now: Instant;
};

/**
 * A receipt's fees and worth. Client-side fees were part of what the customer sent, so the worth
 * (`baseAmount`) is the amount less them, with the service fee a share of that worth, as in a
 * quote (base + base × percent = what is left after the network fee). Merchant-side fees are
 * the same figures, withheld from the credit instead.
 */
export function receiptFees(input: Pick<ReceiptInput, 'transfer' | 'currency' | 'usdPerUnit' | 'fees' | 'transferFee'>): { transferFee: bigint; serviceFee: bigint; baseAmount: bigint } {
  const { transfer, currency, usdPerUnit, fees } = input;
  const { transferFee } = quoteFees(0n, usdPerUnit, currency, fees, input.transferFee);
  const afterNetwork = fees.sideCommission === 'client' ? (transfer.amount > transferFee ? transfer.amount - transferFee : 0n) : transfer.amount;
  if (fees.sideCommissionCc !== 'client') return { transferFee, serviceFee: quoteFees(afterNetwork, usdPerUnit, currency, fees).serviceFee, baseAmount: afterNetwork };
  const percent = ratioOf(fees.serviceFeePercent);
  const baseAmount = (afterNetwork * percent.den * 100n) / (percent.den * 100n + percent.num);
  return { transferFee, serviceFee: afterNetwork - baseAmount, baseAmount };
}

/**
 * The receipt of one transfer to a wallet: an invoice that asks for exactly what was sent, so it
 * is `paid` once the transfer is credited. The project's fee sides hold as for any invoice:
 * merchant-side fees are withheld from the credit; client-side fees were part of what the customer
 * sent, so the receipt's worth (`baseAmount`, and the price) is the amount less them.
 *
 * A receipt is no offer that lapses: it neither expires nor loses its rate (both end at
 * WATCHED_FOR_GOOD, like the address). A transfer a reorg takes away and the chain mines again,
 * however much later, is the same receipt's payment: paid at its first-sight value, never
 * canceled by the expirer in between, never `late`, never re-valued at the market.
 */
export function receiptInvoice(input: ReceiptInput): Invoice {
  const { wallet, transfer, currency, usdPerUnit, fees, now } = input;
  const { transferFee, serviceFee, baseAmount } = receiptFees(input);
  const expiresAt = WATCHED_FOR_GOOD;
  const priceCents = ratioToScale(unitsToUsd(baseAmount, usdPerUnit, currency), 2, 'down');
  return {
    id: input.id,
    shopId: wallet.shopId,
    status: 'created',
    createdAt: now,
    expiresAt,
    finishedAt: null,
    orderId: wallet.identify,
    email: null,
    description: null,
    notificationUrl: null,
    donation: null,
    staticWallet: { id: wallet.id, identify: wallet.identify },
    locale: input.locale,
    price: { currency: 'USD', minor: priceCents },
    usdPerFiat: ratio(1n, 1n),
    rubPerUsd: null,
    availableCurrencies: [wallet.code],
    sideCommission: fees.sideCommission,
    sideCommissionCc: fees.sideCommissionCc,
    serviceFeePercent: formatDecimal(fees.serviceFeePercent),
    testMode: input.testMode,
    selection: {
      code: wallet.code,
      address: wallet.address,
      derivationIndex: wallet.derivationIndex,
      baseAmount,
      transferFee,
      serviceFee,
      amountToPay: transfer.amount,
      usdPerUnit,
      lockedAt: now,
      lockedUntil: expiresAt,
      ...(input.sweepEstimate ? { sweepEstimate: input.sweepEstimate } : {}),
    },
    previousOffers: [],
    amountPaid: 0n,
    received: 0n,
    payments: [],
    facts: wallet.blocked ? { walletBlocked: true } : {},
    version: 1,
  };
}
