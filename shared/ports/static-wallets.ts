/** The store of static wallets, the receipt invoices of their transfers, and their running totals. */

import type { InvoiceId, StaticWalletId } from '../domain/ids';
import type { Invoice } from '../domain/invoice/invoice';
import type { StaticWallet, StaticWalletTotals } from '../domain/static-wallet';
import type { Instant } from '../domain/time';

export type CreateStaticWalletOutcome = { kind: 'created' } | { kind: 'exists'; id: StaticWalletId } | { kind: 'id_taken' };

export type CreateReceiptOutcome = { kind: 'created' } | { kind: 'exists'; invoiceId: InvoiceId } | { kind: 'dust' } | { kind: 'id_taken' };

/** What became of a transfer to a wallet: its receipt, or the decision that it was dust. */
export type TransferFate = { kind: 'receipt'; invoiceId: InvoiceId } | { kind: 'dust' };

export interface StaticWalletStore {
  /**
   * Writes the wallet, its `identify` lookup (one wallet per project, customer id and currency)
   * and the claim that puts its address on the chain's watch list for good, in one transaction.
   * `exists` when that customer already has a wallet in the currency (a concurrent twin included).
   */
  create(wallet: StaticWallet, claimedAt: Instant): Promise<CreateStaticWalletOutcome>;
  get(id: StaticWalletId): Promise<StaticWallet | null>;
  /** The project's wallet of a customer id in one currency. */
  findOne(shopId: string, identify: string, code: string): Promise<StaticWalletId | null>;
  /** Every wallet of a customer id (one per currency). */
  findByIdentify(shopId: string, identify: string): Promise<StaticWallet[]>;
  /** A project's wallets, oldest first, `limit` at a time; `next` continues, null at the end. */
  listByProject(shopId: string, limit: number, after: string | null): Promise<{ wallets: StaticWallet[]; next: string | null }>;
  /** Conditional on the version the caller read; false when someone else changed it first. */
  save(wallet: StaticWallet, expectedVersion: number): Promise<boolean>;
  totals(id: StaticWalletId): Promise<StaticWalletTotals>;
  /** The receipt already made for a transfer to the wallet, or its dust decision; null when neither. */
  transferFate(id: StaticWalletId, transferKey: string): Promise<TransferFate | null>;
  /** Records, once, that a transfer is dust (kept until `until`); answers the fate a twin recorded first. */
  markDust(id: StaticWalletId, transferKey: string, until: Instant): Promise<TransferFate>;
  /**
   * Writes a receipt invoice with its link from the transfer, once, and adds its worth to its
   * customer's hour (customerWorthCents): `exists` names the receipt a twin wrote first.
   */
  createReceipt(invoice: Invoice, transferKey: string): Promise<CreateReceiptOutcome>;
  /** What a customer's receipts (every wallet of the project and `identify`) were worth, USD cents, in the hour of `at` and the one before. */
  customerWorthCents(shopId: string, identify: string, at: Instant): Promise<bigint>;
  /** Receipt invoice ids, newest first, `limit` at a time; `next` continues, null at the end. */
  receipts(id: StaticWalletId, limit: number, after: string | null): Promise<{ ids: InvoiceId[]; next: string | null }>;
}
