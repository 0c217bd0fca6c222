/** The invoice aggregate and its pure transitions. Time is passed in; nothing here does I/O. */

import type { SweepEstimate } from '../chain-families';
import type { FiatCode } from '../currencies';
import type { DonationMark } from '../donation';
import type { StaticWalletMark } from '../static-wallet';
import type { InvoiceId } from '../ids';
import { invoiceUuid } from '../ids';
import type { Ratio } from '../money';
import type { FeeSide } from '../project';
import { err, ok, type Result } from '../result';
import type { Instant } from '../time';
import { hasPendingOnTimePayment, type Payment } from './payments';
import { canTransition, type InvoiceStatus } from './status';

/** The crypto the payer chose, with the amount locked at the rate of that moment. */
export type Selection = {
  code: string;
  address: string;
  derivationIndex: number;
  /** The invoice's worth in this crypto, before fees. Base units. */
  baseAmount: bigint;
  transferFee: bigint;
  serviceFee: bigint;
  /** What the payer must send: base plus the client-side fees. */
  amountToPay: bigint;
  /** USD per whole coin at lock time. */
  usdPerUnit: Ratio;
  lockedAt: Instant;
  lockedUntil: Instant;
  /** What sweeping this deposit later is expected to need (gas; Tron energy and bandwidth); absent on offers made before it was recorded. */
  sweepEstimate?: SweepEstimate;
};

/** Exception facts, kept beside the public status so the status axis stays CryptoCloud's. */
export type InvoiceFacts = {
  expired?: boolean;
  confirmedWithoutPayment?: boolean;
  /** Paid short, within the project's tolerance. */
  confirmedWithinTolerance?: boolean;
  /** A partial invoice the merchant confirmed by hand. */
  confirmedManually?: boolean;
  /** Funds arrived after expiry or cancel; credited, status unchanged. */
  late?: boolean;
  /** Funds arrived after the invoice was paid; credited. */
  duplicate?: boolean;
  /** A credited transfer was removed by a deep reorg and reversed. */
  reversed?: boolean;
  /** A transfer of a wrong token was recorded and not credited. */
  underReview?: boolean;
  /** A static wallet's receipt that arrived while the merchant had the wallet blocked: credited, and flagged. */
  walletBlocked?: boolean;
};
export const INVOICE_FACTS = ['expired', 'confirmedWithoutPayment', 'confirmedWithinTolerance', 'confirmedManually', 'late', 'duplicate', 'reversed', 'underReview', 'walletBlocked'] as const satisfies readonly (keyof InvoiceFacts)[];

export type Invoice = {
  id: InvoiceId;
  shopId: string;
  status: InvoiceStatus;
  createdAt: Instant;
  expiresAt: Instant;
  finishedAt: Instant | null;
  orderId: string | null;
  email: string | null;
  /**
   * What the payer is paying for, shown on the payment page: one line of plain text
   * (bounded by DESCRIPTION_LENGTH_MAX in shared/api/cryptocloud/requests.ts; native `add_fields.description`; `tollgate link create`).
   * Invoices stored before it existed read as null.
   */
  description: string | null;
  /** Native `add_fields.notification_url`: this invoice's postbacks go here, not to the project's. */
  notificationUrl: string | null;
  /** Made through a donation page (`/donate/{slug}`): the page and the donor's optional name and message; null otherwise. */
  donation: DonationMark | null;
  /** A static wallet's receipt: the wallet and its customer id (absent on every other invoice). */
  staticWallet?: StaticWalletMark;
  locale: string;
  /** What the merchant asked for, in fiat minor units. */
  price: { currency: FiatCode; minor: bigint };
  /** USD per one unit of the price currency at creation. */
  usdPerFiat: Ratio;
  /** RUB per one USD at creation, for CryptoCloud's `total_rub`; null when no feed had it. */
  rubPerUsd: Ratio | null;
  availableCurrencies: string[];
  sideCommission: FeeSide;
  sideCommissionCc: FeeSide;
  serviceFeePercent: string;
  testMode: boolean;
  selection: Selection | null;
  /**
   * Offers shown before the current selection, newest first. Each still stands: its address is
   * watched and a payment to it is credited at its quote (bounded by SELECTIONS_PER_INVOICE_MAX).
   */
  previousOffers: Selection[];
  /** Sum of credited receipts in the selected crypto, base units. */
  amountPaid: bigint;
  /** What reached the merchant's balance after merchant-side fees. */
  received: bigint;
  /** Every transfer seen to the deposit address, credited or not: the `tx_list`. */
  payments: Payment[];
  facts: InvoiceFacts;
  version: number;
};

export type InvoiceError =
  | { kind: 'invoice.not_found'; invoiceId: string }
  | { kind: 'invoice.not_cancelable'; invoiceId: InvoiceId; status: InvoiceStatus }
  | { kind: 'invoice.not_test_mode'; invoiceId: InvoiceId }
  | { kind: 'invoice.not_confirmable'; invoiceId: InvoiceId; status: InvoiceStatus }
  | { kind: 'invoice.not_partial'; invoiceId: InvoiceId; status: InvoiceStatus }
  /** A static wallet's receipt records money already sent: it cannot be canceled, re-quoted or confirmed without payment. */
  | { kind: 'invoice.static_receipt'; invoiceId: InvoiceId; walletId: string };

export type InvoiceEvent =
  | { kind: 'invoice.canceled'; invoiceId: InvoiceId; at: Instant; reason: 'api' | 'expired' }
  | { kind: 'invoice.test_confirmed'; invoiceId: InvoiceId; at: Instant }
  | { kind: 'invoice.status_changed'; invoiceId: InvoiceId; at: Instant; status: InvoiceStatus; via: 'payment' | 'tolerance' | 'manual'; paymentKey: string | null }
  | { kind: 'invoice.topped_up'; invoiceId: InvoiceId; at: Instant; paymentKey: string }
  | { kind: 'payment.late' | 'payment.duplicate' | 'payment.reversed'; invoiceId: InvoiceId; at: Instant; paymentKey: string };

export type Transition = { invoice: Invoice; event: InvoiceEvent };

/** How many quotes (a currency, an address and an amount) a payer may be shown on one invoice, re-quotes included. */
export const SELECTIONS_PER_INVOICE_MAX = 10;


function move(invoice: Invoice, to: InvoiceStatus, at: Instant, facts: InvoiceFacts): Invoice {
  if (!canTransition(invoice.status, to)) {
    throw new Error(`invariant: ${invoiceUuid(invoice.id)} cannot move ${invoice.status} -> ${to}`);
  }
  return { ...invoice, status: to, finishedAt: at, facts: { ...invoice.facts, ...facts }, version: invoice.version + 1 };
}

/** Only invoices still waiting for payment can be canceled (reference §1.3). */
/** The payment page's path (`link` is it on PUBLIC_BASE_URL); the page speaks the locale the invoice was created with. */
export const payPath = (invoice: Pick<Invoice, 'id' | 'locale'>): string => `/pay/${invoice.id}${invoice.locale === 'en' ? '' : `?lang=${encodeURIComponent(invoice.locale)}`}`;

/**
 * The project's success or fail URL for this invoice, with `order_id` and `invoice_uuid` appended
 * as in CryptoCloud's examples; '' when the project has none. The API's `project.success|fail` and
 * the payment page's return button both use it.
 */
export function returnUrl(url: string | null, invoice: Pick<Invoice, 'id' | 'orderId'>): string {
  if (!url || !URL.canParse(url)) return '';
  const u = new URL(url);
  if (invoice.orderId) u.searchParams.set('order_id', invoice.orderId);
  u.searchParams.set('invoice_uuid', invoiceUuid(invoice.id));
  return u.toString();
}

export const canCancel = (invoice: Invoice): boolean => invoice.status === 'created';

export function cancelInvoice(invoice: Invoice, now: Instant): Result<Transition, InvoiceError> {
  if (invoice.staticWallet) return err({ kind: 'invoice.static_receipt', invoiceId: invoice.id, walletId: invoice.staticWallet.id });
  if (!canCancel(invoice)) return err({ kind: 'invoice.not_cancelable', invoiceId: invoice.id, status: invoice.status });
  return ok({ invoice: move(invoice, 'canceled', now, {}), event: { kind: 'invoice.canceled', invoiceId: invoice.id, at: now, reason: 'api' } });
}

/**
 * An unpaid invoice is canceled at expiry. A partial one stays partial so the merchant can still
 * confirm it (reference §3); returns null when there is nothing to do.
 */
export function expireInvoice(invoice: Invoice, now: Instant): Transition | null {
  if (invoice.status !== 'created' || now < invoice.expiresAt) return null;
  // A transfer sent in time but still gathering confirmations keeps the invoice open.
  if (hasPendingOnTimePayment(invoice)) return null;
  return { invoice: move(invoice, 'canceled', now, { expired: true }), event: { kind: 'invoice.canceled', invoiceId: invoice.id, at: now, reason: 'expired' } };
}

/** CryptoCloud's «Confirm invoice without payment»: test invoices only, no funds, no ledger. */
export function confirmTestInvoice(invoice: Invoice, now: Instant): Result<Transition, InvoiceError> {
  // A receipt exists because real money arrived: "paid without funds" would turn that money into a duplicate of nothing.
  if (invoice.staticWallet) return err({ kind: 'invoice.static_receipt', invoiceId: invoice.id, walletId: invoice.staticWallet.id });
  if (!invoice.testMode) return err({ kind: 'invoice.not_test_mode', invoiceId: invoice.id });
  if (invoice.status !== 'created' && invoice.status !== 'partial') {
    return err({ kind: 'invoice.not_confirmable', invoiceId: invoice.id, status: invoice.status });
  }
  return ok({ invoice: move(invoice, 'paid', now, { confirmedWithoutPayment: true }), event: { kind: 'invoice.test_confirmed', invoiceId: invoice.id, at: now } });
}

/**
 * The merchant accepts an underpaid invoice (`POST /api/invoices/{id}/confirm`): partial becomes
 * paid with what was received; nothing is credited twice.
 */
export function confirmPartialInvoice(invoice: Invoice, now: Instant): Result<Transition, InvoiceError> {
  if (invoice.status !== 'partial') return err({ kind: 'invoice.not_partial', invoiceId: invoice.id, status: invoice.status });
  return ok({
    invoice: move(invoice, 'paid', now, { confirmedManually: true }),
    event: { kind: 'invoice.status_changed', invoiceId: invoice.id, at: now, status: 'paid', via: 'manual', paymentKey: null },
  });
}
