/**
 * What a static wallet's customer sees of it (`/wallet/{uuid}` and its status poll), derived purely
 * from the wallet, its receipt invoices, the chain heights and the time. Only this wallet's own
 * transfers, as amounts, times and states: never the merchant's customer id (`identify`), the
 * receipts' invoice ids (each opens a payment page that names that id), fees, or other wallets.
 */
import type { ChainDeployment } from './chains';
import type { CryptoCurrency } from './currencies';
import type { Invoice } from './invoice/invoice';
import { type PaymentProgress, payerView } from './invoice/payer-view';
import type { StaticWallet } from './static-wallet';
import type { Instant } from './time';

/** Receipts the page shows, newest first: the customer checks the last transfers, not the history. */
export const RECENT_RECEIPTS_SHOWN = 10;

/**
 * Where one transfer stands for the customer: on its way (`confirming`), in the merchant's balance
 * (`credited`), or neither (the chain dropped or reversed it; rare, and the shop's to sort out).
 */
export type ReceiptState = 'confirming' | 'credited' | 'not_credited';

export type CustomerReceipt = {
  /** When the transfer's block was made (chain time): what the customer's wallet shows too. */
  at: Instant;
  /** What was sent, in the wallet currency's base units. */
  amount: bigint;
  state: ReceiptState;
  progress: PaymentProgress | null;
  /** Arrived while the shop had the wallet blocked: credited, but the customer should talk to the shop. */
  afterBlock: boolean;
};

export type CustomerWallet = {
  wallet: Pick<StaticWallet, 'id' | 'address' | 'blocked'>;
  currency: CryptoCurrency;
  deployment: ChainDeployment;
  /** Newest first, at most RECENT_RECEIPTS_SHOWN. */
  receipts: CustomerReceipt[];
  /** Older receipts exist beyond the ones shown. */
  more: boolean;
};

/** A receipt invoice as the customer sees it: its one transfer, its state, its confirmations (payerView's rule). */
export function customerReceipt(receipt: Invoice, input: { now: Instant; heads: ReadonlyMap<string, number>; chains: readonly ChainDeployment[] }): CustomerReceipt {
  const view = payerView(receipt, { now: input.now, heads: input.heads as ReadonlyMap<never, number>, chains: input.chains });
  const transfer = receipt.payments[0]?.transfer;
  const state: ReceiptState = view.progress ? 'confirming' : receipt.payments.some((p) => p.state === 'credited') ? 'credited' : 'not_credited';
  return {
    at: transfer?.blockTime ?? receipt.createdAt,
    amount: receipt.selection?.amountToPay ?? transfer?.amount ?? 0n,
    state,
    progress: view.progress,
    afterBlock: receipt.facts.walletBlocked === true,
  };
}
