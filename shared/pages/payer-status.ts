/**
 * The status poll's JSON: only what the payment page shows. No merchant data (keys, balances,
 * e-mail, postbacks, other invoices), no addresses the customer was not already given.
 */
import { findCrypto } from '../domain/currencies';
import { invoiceUuid } from '../domain/ids';
import type { Invoice } from '../domain/invoice/invoice';
import type { PayerView } from '../domain/invoice/payer-view';
import { formatDecimal, fromUnits } from '../domain/money';

export function presentPayerStatus(invoice: Invoice, view: PayerView) {
  const currency = view.offer ? findCrypto(view.offer.code) : undefined;
  const amount = (units: bigint) => (currency ? formatDecimal(fromUnits(units, currency.decimals)) : null);
  return {
    id: invoiceUuid(invoice.id),
    state: view.state,
    expires_at: invoice.expiresAt,
    currency: view.offer?.code ?? null,
    address: view.offer?.address ?? null,
    amount_to_pay: view.offer ? amount(view.offer.amountToPay) : null,
    locked_until: view.offer?.lockedUntil ?? null,
    remaining: amount(view.remaining),
    overpaid_by: amount(view.overpaidBy),
    progress: view.progress ? { confirmations: view.progress.confirmations, required: view.progress.required, expected_seconds: Math.ceil(view.progress.expectedMs / 1000) } : null,
  };
}
export type PayerStatusJson = ReturnType<typeof presentPayerStatus>;
