/**
 * Every AppError kind → HTTP status and CryptoCloud envelope `result`. Exhaustive by type: a new
 * kind without a row here does not compile (STYLE §13.2). Third-party SDKs parse bodies only on
 * 400 and 403, so v2 answers stay on those codes (reference §1.0).
 */
import type { AppError, AppErrorKind } from '../../shared/app/errors';
import { DONATION_WIRE_FIELDS } from '../../shared/api/native/donations';
import { XPUB_VARIABLES } from '../../shared/config';
import { CHAINS, ENABLED_CRYPTO_CODES } from '../../shared/domain/currencies';
import type { CodeRefusal } from '../../shared/domain/second-factor';
import { isoTime } from '../../shared/domain/time';
import type { WalletRefusal } from '../../shared/domain/withdrawal-wallet';

type Rendered = { status: number; result: Record<string, string> };
type Renderers = { [K in AppErrorKind]: (e: Extract<AppError, { kind: K }>) => Rendered };

/** A refused code names the field it came in (`totp_code`); a lock says when it ends. */
const CODE_REFUSALS: { [K in CodeRefusal['kind']]: (r: Extract<CodeRefusal, { kind: K }>) => Record<string, string> } = {
  second_factor_required: () => ({ totp_code: 'This project has no second factor yet: enrol one first (`tollgate project totp enable SHOP_ID`); withdrawal wallets and withdrawals need it' }),
  invalid_code: (r) => ({ totp_code: `Wrong code; ${r.attemptsLeft} more wrong code${r.attemptsLeft === 1 ? '' : 's'} in a row lock the second factor` }),
  code_already_used: () => ({ totp_code: 'This code was already used: wait for the next code of your authenticator (a new one every 30 seconds)' }),
  locked: (r) => ({ totp_code: `The second factor is locked after repeated wrong codes until ${isoTime(r.until)}; try again then`, locked_until: isoTime(r.until) }),
};

/** Why a saved wallet cannot receive a withdrawal now. */
const WALLET_REFUSALS: { [K in WalletRefusal['kind']]: (r: Extract<WalletRefusal, { kind: K }>) => Record<string, string> } = {
  unknown_wallet: () => ({ to_address: 'This is not a saved withdrawal wallet of the project (or it was removed): add it first, then wait out its cooling-off' }),
  cooling_off: (r) => ({ to_address: `This withdrawal wallet was added or re-addressed recently and is cooling off until ${isoTime(r.usableFrom)}; it can receive funds from then`, usable_from: isoTime(r.usableFrom) }),
  wrong_currency: (r) => ({ currency: `This withdrawal wallet receives ${r.walletCode}, not ${r.code}` }),
};

const RENDER: Renderers = {
  'page.not_found': (e) => ({ status: 404, result: { path: `Nothing at ${e.path}` } }),
  'invoice.not_found': (e) => ({ status: 400, result: { validate_error: `Invoice ${e.invoiceId} not found` } }),
  // CryptoCloud's exact text; clients compare it.
  'invoice.not_cancelable': () => ({ status: 400, result: { validate_error: 'Invoice is not created' } }),
  'invoice.static_receipt': (e) => ({
    status: 400,
    result: { validate_error: `INV-${e.invoiceId} is a receipt of static wallet ${e.walletId}: it records money already sent to the wallet, so it cannot be canceled, re-quoted or confirmed without payment` },
  }),
  // Only our own routes name a wallet (CryptoCloud has no wallet lookup): not found is a 404, as for donation pages.
  'static_wallet.not_found': (e) => ({ status: 404, result: { uuid: `No static wallet ${e.id} in this project` } }),
  'static_wallet.invalid': (e) => ({ status: 400, result: { [e.field]: e.message } }),
  // Withdrawals answer under the reference's error keys (§1.9), so a CryptoCloud client reads them.
  'withdrawal.invalid': (e) => ({ status: 400, result: { [e.field]: e.message } }),
  'withdrawal.not_found': (e) => ({ status: 404, result: { withdrawal: `No withdrawal ${e.id} in this project` } }),
  'withdrawal.api_payouts_off': () => ({
    status: 403,
    result: { authorization: 'API payouts are off for this project: out/create can pay any address, so the owner must turn it on (tollgate project update SHOP --api-payouts true) and set a daily limit' },
  }),
  'withdrawal.daily_limit': (e) => ({
    status: 400,
    result: { uncorrected_amount: `This payout (${e.requestedUsd} USD) would pass the project's daily API payout limit of ${e.limitUsd} USD (${e.usedUsd} USD used today, UTC)` },
  }),
  'withdrawal.insufficient_balance': (e) => ({ status: 400, result: { validate_error: `Insufficient balance: ${e.needed} ${e.code} needed (amount and network fee), ${e.available} ${e.code} available` } }),
  'withdrawal.not_cancelable': (e) => ({ status: 400, result: { validate_error: `Withdrawal ${e.id} is ${e.status}: it can be canceled only before it is signed` } }),
  'withdrawal.rate_limited': (e) => ({ status: 400, result: { rate_limit: `Requests per minute exceeded: wait ${e.retryAfterSeconds} s between withdrawal requests` } }),
  'withdrawal.batch_item': (e) => ({ status: 400, result: { validate_error: `Withdrawal ${e.id} is an item of payout batch ${e.batchId}: a batch's items are paid together (one transaction may carry many of them), so an item cannot be canceled on its own` } }),
  'invoice.payment_pending': (e) => ({
    status: 400,
    result: {
      validate_error: `Invoice INV-${e.invoiceId} cannot be canceled: a payment sent before it expired is waiting for confirmations. The invoice settles with that payment; cancel again only if the payment is dropped from the chain`,
    },
  }),
  'invoice.not_test_mode': (e) => ({
    status: 400,
    result: { validate_error: `Invoice INV-${e.invoiceId} cannot be confirmed without payment: it was not created in test mode, or its project is no longer in test mode` },
  }),
  'invoice.not_confirmable': (e) => ({ status: 400, result: { validate_error: `Invoice INV-${e.invoiceId} is ${e.status}; only created or partial invoices can be confirmed` } }),
  'invoice.not_partial': (e) => ({ status: 400, result: { validate_error: `Invoice INV-${e.invoiceId} is ${e.status}; only a partial invoice can be confirmed` } }),
  'invoice.shop_mismatch': (e) => ({ status: 400, result: { shop_id: `shop_id '${e.shopId}' does not belong to this API key` } }),
  'invoice.currency_unknown': (e) => ({ status: 400, result: { cryptocurrency: `Unknown cryptocurrency '${e.code}'. Available: ${ENABLED_CRYPTO_CODES.join(', ')}` } }),
  'invoice.currency_not_enabled': (e) => ({ status: 400, result: { cryptocurrency: `Cryptocurrency '${e.code}' is not enabled for this invoice. Enabled: ${e.enabled.join(', ')}` } }),
  'invoice.no_available_currency': (e) => ({
    status: 400,
    result: { available_currencies: `None of ${e.requested.join(', ') || 'the requested currencies'} is enabled in this project` },
  }),
  'invoice.amount_too_small': (e) => ({ status: 400, result: { amount: `Invalid value amount. The smallest invoice is ${e.minimum}.` } }),
  'rate.unavailable': (e) => ({
    status: 400,
    result: { rate: `No safe exchange rate for ${e.symbol} right now (${e.reason === 'sources_disagree' ? 'the price sources disagree' : 'no price source answered recently'}); try again shortly` },
  }),
  'idempotency.key_reused': (e) => ({ status: 400, result: { idempotency: `Idempotency-Key '${e.key}' was already used with a different request body` } }),
  'invoice.not_selectable': (e) => ({
    status: 400,
    result: { currency: e.expired && e.status === 'created' ? `Invoice INV-${e.invoiceId} has expired; ask the shop for a new one` : `Invoice INV-${e.invoiceId} is ${e.status}; a currency can only be chosen while it waits for payment` },
  }),
  'invoice.too_many_selections': (e) => ({ status: 400, result: { currency: `INV-${e.invoiceId} has already offered ${e.max} currencies; choose one of them` } }),
  'invoice.payment_started': (e) => ({ status: 400, result: { currency: `A payment in ${e.code} has already been seen for INV-${e.invoiceId}; the currency can no longer change` } }),
  'invoice.email_required': (e) => ({ status: 400, result: { email: `The shop asks for the payer's e-mail before INV-${e.invoiceId} shows a deposit address; send email with the currency` } }),
  'invoice.no_currency_selected': (e) => ({ status: 400, result: { tx_hash: `INV-${e.invoiceId} has no currency chosen yet, so there is no deposit address a transaction could pay` } }),
  'chain.not_served': (e) => ({ status: 400, result: { currency: `${e.code} is not served by this gateway: its chain is not configured (CHAINS_JSON)` } }),
  'chain.no_deposit_key': (e) => ({
    status: 400,
    result: { currency: `${e.code} cannot be paid on this gateway right now: it has no deposit key for ${CHAINS[e.chain].name} (the operator must set ${XPUB_VARIABLES[CHAINS[e.chain].family]}). Choose another currency` },
  }),
  'tx.not_found': (e) => ({ status: 400, result: { tx_hash: `Transaction ${e.txHash} was not found on ${e.chain} (chain id ${e.chainId}): check the hash and the network, or wait until it is mined` } }),
  'tx.zero_amount': (e) => ({ status: 400, result: { tx_hash: `Transaction ${e.txHash} transfers zero to this invoice's address; there is nothing to credit` } }),
  'tx.failed': (e) => ({ status: 400, result: { tx_hash: `Transaction ${e.txHash} reverted on chain (or, on Tron, ran out of energy); it moved no funds` } }),
  'tx.wrong_address': (e) => ({
    status: 400,
    result: { tx_hash: `Transaction ${e.txHash} does not pay the invoice's deposit address ${e.address} (native coins sent by a contract cannot be verified; see README "Known limits")` },
  }),
  'tx.wrong_token': (e) => ({ status: 400, result: { tx_hash: `Transaction ${e.txHash} pays with ${e.got}, which is not ${e.expected}; it was not credited` } }),
  'invoice.notification_url_refused': (e) => ({ status: 400, result: { notification_url: `notification_url ${e.reason}` } }),
  'postback.nothing_to_send': (e) => ({ status: 400, result: { uuid: `INV-${e.invoiceId} is ${e.status}: it has no postback to send yet (postbacks go out when an invoice is paid, and for late, duplicate or reversed payments)` } }),
  'project.not_found': (e) => ({ status: 404, result: { shop_id: `Project ${e.shopId} not found` } }),
  'project.invalid_settings': (e) => ({ status: 400, result: Object.fromEntries(e.errors.map((x) => [x.field, x.message])) }),
  // A revoked POS link answers exactly like one that never existed.
  'pos.not_found': () => ({ status: 404, result: { token: 'This POS link does not exist or was revoked' } }),
  'pos.amount_invalid': (e) => ({ status: 400, result: { amount: e.reason === 'not_positive' ? 'amount must be greater than 0' : 'amount has more decimals than the currency' } }),
  'pos.amount_over_max': (e) => ({ status: 400, result: { amount: `amount is above this terminal's maximum of ${e.max} ${e.fiat}` } }),
  'pos.invalid_link': (e) => ({ status: 400, result: { [e.field]: e.message } }),
  'pos.too_many_links': (e) => ({ status: 400, result: { pos: `A project may have at most ${e.max} POS links` } }),
  'widget.off': (e) => ({ status: 403, result: { shop_id: `The widget is not enabled for shop ${e.shopId} (it lists no widget origins)` } }),
  'widget.origin_refused': (e) => ({ status: 403, result: { origin: `${e.origin ?? 'A page without an Origin'} is not one of this shop's widget origins` } }),
  'widget.amount_over_max': (e) => ({ status: 400, result: { amount: `Widget invoices are limited to ${e.maxUsd} USD; use a payment link or the API for larger amounts` } }),
  // Our own routes: a page of another project is "not found" too, never "forbidden".
  'donation.not_found': (e) => ({ status: 404, result: { slug: `No donation page '${e.slug.slice(0, 60)}'` } }),
  'donation.invalid': (e) => ({ status: 400, result: Object.fromEntries(e.errors.map((x) => [DONATION_WIRE_FIELDS[x.field], x.message.replace(/^\w+/, DONATION_WIRE_FIELDS[x.field])])) }),
  'donation.slug_taken': (e) => ({ status: 400, result: { slug: `slug '${e.slug}' is already taken; choose another` } }),
  'donation.closed': (e) => ({ status: 400, result: { validate_error: `Donation page '${e.slug}' is not accepting donations` } }),
  'donation.rejected': (e) => ({ status: 400, result: Object.fromEntries(e.errors.map((x) => [x.field, x.message])) }),
  'second_factor.refused': (e) => ({ status: 400, result: (CODE_REFUSALS[e.refusal.kind] as (r: CodeRefusal) => Record<string, string>)(e.refusal) }),
  'second_factor.code_missing': () => ({
    status: 400,
    result: { totp_code: 'The second factor is active: send totp_code, a fresh code of the current authenticator (or a recovery code), to enrol a new one' },
  }),
  'second_factor.not_started': (e) => ({
    status: 400,
    result: { totp_code: e.active ? 'The second factor is already active: start a new enrolment (with a fresh code) before confirming one' : 'No enrolment was started: start one first, then confirm it with a code of its secret' },
  }),
  'withdrawal_wallet.not_found': (e) => ({ status: 404, result: { wallet_id: `No withdrawal wallet ${e.id} in this project` } }),
  'withdrawal_wallet.invalid': (e) => ({ status: 400, result: { [e.field]: e.message } }),
  'withdrawal_wallet.unusable': (e) => ({ status: 400, result: (WALLET_REFUSALS[e.refusal.kind] as (r: WalletRefusal) => Record<string, string>)(e.refusal) }),
  // Mass payouts (native only): each bad item under `item_<index>.<field>`, the index counting from 1 as in the batch.
  'payout_batch.invalid': (e) => ({ status: 400, result: Object.fromEntries(e.problems.map((p) => [`item_${p.index}.${p.field}`, p.message])) }),
  'payout_batch.size': (e) => ({ status: 400, result: { items: e.count === 0 ? 'items is empty: a batch has 1 to 1000 payouts' : `items has ${e.count} payouts; a batch takes at most ${e.max} (split it)` } }),
  'payout_batch.abandoned': (e) => ({ status: 409, result: { items: `Payout batch ${e.id} was abandoned: another batch took some of its references while it was written; nothing of it was kept, send the request again` } }),
  'payout_batch.references_taken': (e) => ({
    status: 409,
    result: Object.fromEntries(e.taken.map((t) => [`item_${t.index}.reference`, `reference '${t.reference}' is already used by payout ${t.itemId}: references are unique in the project, so a batch sent again creates nothing new`])),
  }),
  'payout_batch.insufficient_balance': (e) => ({
    status: 400,
    result: Object.fromEntries(e.shortfalls.map((s) => [`balance.${s.code}`, `Insufficient balance: the batch holds ${s.needed} ${s.code} (amounts and network fees), ${s.available} ${s.code} available`])),
  }),
  'payout_batch.second_factor_required': (e) => ({
    status: 400,
    result: {
      approval: `This batch is worth ${e.usd} USD, above the project's approval threshold of ${e.thresholdUsd} USD, so it needs a code of the project's second factor, and the project has none: enrol one (tollgate project totp enable ${e.shopId}) or raise the threshold (tollgate project update ${e.shopId} --payout-approval-above-usd N)`,
    },
  }),
  'payout_batch.not_found': (e) => ({ status: 404, result: { batch_id: `No payout batch ${e.id} in this project` } }),
  'payout_batch.not_awaiting_approval': (e) => ({ status: 409, result: { batch_id: `Payout batch ${e.id} is ${e.status}: only a batch awaiting approval can be approved` } }),
  'withdrawal_rule.invalid': (e) => ({ status: 400, result: { [e.field]: e.message } }),
  'withdrawal_rule.not_found': (e) => ({ status: 404, result: { rule_id: `No withdrawal rule ${e.id} in this project` } }),
  'withdrawal_rule.exists': (e) => ({ status: 400, result: { currency: `${e.code} already has a withdrawal rule (${e.id}); one per currency: change it (PATCH /api/withdrawal-rules/${e.id}, tollgate rule update) or delete it first` } }),
};

export function renderAppError(error: AppError): Rendered {
  return (RENDER[error.kind] as (e: AppError) => Rendered)(error);
}
