/** Every expected failure a use case can return, as one closed union (STYLE §7). */

import type { ChainId } from '../domain/currencies';
import type { DonationError, DonationRequestError } from '../domain/donation';
import type { InvoiceId } from '../domain/ids';
import type { InvoiceError } from '../domain/invoice/invoice';
import type { InvoiceStatus } from '../domain/invoice/status';
import type { PosAmountProblem } from '../domain/pos';
import type { SettingsError } from '../domain/project';
import type { CodeRefusal } from '../domain/second-factor';
import type { BatchItemProblem } from './payout-batches';
import type { WalletRefusal } from '../domain/withdrawal-wallet';

export type AppError =
  | InvoiceError
  | { kind: 'page.not_found'; path: string }
  | { kind: 'invoice.shop_mismatch'; shopId: string }
  | { kind: 'invoice.currency_unknown'; code: string }
  | { kind: 'invoice.currency_not_enabled'; code: string; enabled: string[] }
  | { kind: 'invoice.no_available_currency'; requested: string[] }
  | { kind: 'invoice.amount_too_small'; minimum: string }
  | { kind: 'invoice.notification_url_refused'; url: string; reason: string }
  | { kind: 'postback.nothing_to_send'; invoiceId: InvoiceId; status: InvoiceStatus }
  | { kind: 'rate.unavailable'; symbol: string; reason: 'no_fresh_quote' | 'sources_disagree' }
  | { kind: 'idempotency.key_reused'; key: string }
  | { kind: 'project.not_found'; shopId: string }
  | { kind: 'project.invalid_settings'; errors: SettingsError[] }
  | { kind: 'invoice.not_selectable'; invoiceId: InvoiceId; status: InvoiceStatus; expired: boolean }
  | { kind: 'invoice.payment_started'; invoiceId: InvoiceId; code: string }
  | { kind: 'invoice.email_required'; invoiceId: InvoiceId }
  | { kind: 'invoice.too_many_selections'; invoiceId: InvoiceId; max: number }
  | { kind: 'invoice.payment_pending'; invoiceId: InvoiceId }
  | { kind: 'invoice.no_currency_selected'; invoiceId: InvoiceId }
  | { kind: 'chain.not_served'; code: string }
  /** The code's chain is served but the deployment has no deposit key (account xpub) for its family: a configuration fault. */
  | { kind: 'chain.no_deposit_key'; code: string; chain: ChainId }
  | { kind: 'tx.not_found'; txHash: string; chain: string; chainId: number }
  | { kind: 'tx.failed'; txHash: string }
  | { kind: 'tx.zero_amount'; txHash: string }
  | { kind: 'tx.wrong_address'; txHash: string; address: string }
  | { kind: 'tx.wrong_token'; txHash: string; expected: string; got: string }
  | PosAmountProblem
  | { kind: 'pos.not_found' }
  | { kind: 'pos.invalid_link'; field: string; message: string }
  | { kind: 'pos.too_many_links'; max: number }
  | { kind: 'widget.off'; shopId: string }
  | { kind: 'widget.origin_refused'; origin: string | null }
  | { kind: 'widget.amount_over_max'; maxUsd: string }
  | { kind: 'donation.not_found'; slug: string }
  | { kind: 'donation.invalid'; errors: DonationError[] }
  | { kind: 'donation.slug_taken'; slug: string }
  | { kind: 'donation.closed'; slug: string }
  | { kind: 'donation.rejected'; errors: DonationRequestError[] }
  | { kind: 'static_wallet.not_found'; id: string }
  | { kind: 'static_wallet.invalid'; field: string; message: string }
  /** `field`: the CryptoCloud error key it is reported under (currency_code, network, uncorrected_amount, required_parameter, validate_error). */
  | { kind: 'withdrawal.invalid'; field: string; message: string }
  | { kind: 'withdrawal.not_found'; id: string }
  | { kind: 'withdrawal.api_payouts_off'; shopId: string }
  | { kind: 'withdrawal.daily_limit'; limitUsd: string; usedUsd: string; requestedUsd: string }
  | { kind: 'withdrawal.insufficient_balance'; code: string; available: string; needed: string }
  | { kind: 'withdrawal.not_cancelable'; id: string; status: string }
  | { kind: 'withdrawal.rate_limited'; retryAfterSeconds: number }
  | { kind: 'withdrawal.batch_item'; id: string; batchId: string }
  /** A second-factor code was needed and not accepted (requireFreshCode's refusals). */
  | { kind: 'second_factor.refused'; refusal: CodeRefusal }
  /** Re-enrolling an active factor without a code of the current one. */
  | { kind: 'second_factor.code_missing' }
  /** A confirmation with no enrolment started. */
  | { kind: 'second_factor.not_started'; active: boolean }
  | { kind: 'withdrawal_wallet.not_found'; id: string }
  | { kind: 'withdrawal_wallet.invalid'; field: string; message: string }
  /** A withdrawal to a wallet that cannot receive it now (usableWithdrawalWallet's refusals). */
  | { kind: 'withdrawal_wallet.unusable'; refusal: WalletRefusal }
  /** Mass payouts (./payout-batches.ts): every malformed item, by its index (from 1) and field. */
  | { kind: 'payout_batch.invalid'; problems: BatchItemProblem[] }
  | { kind: 'payout_batch.size'; count: number; max: number }
  /** References the project already used (reference → the item holding it), with the index of each in this request. */
  | { kind: 'payout_batch.references_taken'; taken: { index: number; reference: string; itemId: string }[] }
  /** Abandoned while a twin request wrote the same batch (references taken meanwhile): nothing of it is kept. */
  | { kind: 'payout_batch.abandoned'; id: string }
  | { kind: 'payout_batch.insufficient_balance'; shortfalls: { code: string; needed: string; available: string }[] }
  /** Worth more than the project's approval threshold, and no second factor to approve it with. */
  | { kind: 'payout_batch.second_factor_required'; shopId: string; usd: string; thresholdUsd: string }
  | { kind: 'payout_batch.not_found'; id: string }
  | { kind: 'payout_batch.not_awaiting_approval'; id: string; status: string }
  | { kind: 'withdrawal_rule.invalid'; field: string; message: string }
  | { kind: 'withdrawal_rule.not_found'; id: string }
  /** The currency already has a rule (one per project and currency). */
  | { kind: 'withdrawal_rule.exists'; code: string; id: string };

export type AppErrorKind = AppError['kind'];
