/**
 * The postback body, exactly CryptoCloud's (reference §2, §8): `status`, `invoice_id` (short id),
 * `amount_crypto`, `currency`, `order_id`, `token`, `invoice_info`. Extra fields are safe (every
 * client seen ignores them) and carry what a CryptoCloud postback cannot say: `event`,
 * `event_id` (stable, for de-duplication) and `payment_type`.
 */
import { invoiceUuid } from '../../domain/ids';
import type { Invoice } from '../../domain/invoice/invoice';
import type { PostbackEvent, PostbackFields } from '../../domain/postbacks';
import type { Project } from '../../domain/project';
import { type PresentContext, presentCryptoAmount, presentInvoice, presentPayment } from './presenters';

export type { PresentContext };

/**
 * `success` only when the order may ship: the invoice became paid or overpaid (by payment,
 * tolerance, hand or test confirm). Late and duplicate receipts carry their own status, so a
 * stock CryptoCloud listener that checks `status == "success"` does not release a canceled order
 * twice; `payment_type` says the same in a field of its own.
 */
const STATUS_OF: Record<PostbackEvent['kind'], string> = {
  'invoice.paid': 'success',
  'payment.late': 'late',
  'payment.duplicate': 'duplicate',
  'payment.reversed': 'reversed',
  'static_wallet.blocked_receipt': 'blocked',
};

/** Everything but `token`, which is signed fresh for each attempt. */
export function postbackFields(ctx: PresentContext, invoice: Invoice, project: Project, event: PostbackEvent): PostbackFields {
  const payment = event.paymentKey ? invoice.payments.find((p) => p.key === event.paymentKey) : undefined;
  const code = payment?.code ?? invoice.selection?.code ?? '';
  // The invoice's total on success; the one transfer otherwise. A test confirm has no transfer:
  // it reports what the payer was asked for.
  const units = payment ? payment.transfer.amount : event.via === 'test' ? (invoice.selection?.amountToPay ?? 0n) : invoice.amountPaid;
  return {
    status: STATUS_OF[event.kind],
    invoice_id: invoice.id,
    amount_crypto: presentCryptoAmount(units, code),
    currency: code,
    order_id: invoice.orderId ?? '',
    invoice_info: presentInvoice(ctx, invoice, project),
    event: event.kind,
    event_id: event.id,
    uuid: invoiceUuid(invoice.id),
    payment_type: payment?.classification ?? 'payment',
    confirmed_via: event.via ?? '',
    test_mode: invoice.testMode,
    ...(payment ? { payment: presentPayment(ctx, invoice, payment) } : {}),
    // A static wallet's receipt: `order_id` is the wallet's `identify`, `invoice_id` the receipt's own id.
    ...(invoice.staticWallet ? { static_wallet: { uuid: invoice.staticWallet.id, identify: invoice.staticWallet.identify, blocked: invoice.facts.walletBlocked === true } } : {}),
  };
}
