/**
 * The shapes the CryptoCloud presenters (presenters.ts, withdrawals.ts) answer with, as zod
 * schemas: the routes attach them as their `response` (the OpenAPI document), and
 * test/unit/openapi.test.ts parses the presenters' real output with them, strictly, so a field
 * added to or dropped from a presenter fails a test until this file says so. Nothing parses
 * an answer with them at run time.
 */
import * as z from 'zod';
import { FIAT_CODES } from '../../domain/currencies';
import { INVOICE_STATUSES } from '../../domain/invoice/status';

/** `YYYY-MM-DD HH:MM:SS.ffffff`, UTC (reference §1.11). */
const time = z.string().meta({ description: 'UTC, `YYYY-MM-DD HH:MM:SS.ffffff`', examples: ['2026-01-02 03:04:05.678000'] });
/** Floats exist only at this edge: exact amounts are in the native API (`amount_units`). */
const float = z.number();
const url = z.string().meta({ format: 'uri' });

const Network = z.strictObject({ code: z.string(), id: z.number(), icon: url, fullname: z.string() });

const currencyFacts = {
  id: z.number().meta({ description: "CryptoCloud's currency id" }),
  name: z.string(),
  is_email_required: z.boolean(),
  stablecoin: z.boolean(),
  icon_base: url,
  icon_network: url,
  icon_qr: url,
  order: z.number(),
};

/** InvoiceCurrency: `code` is the ticker, `fullcode` the API code (USDT_TRC20). */
export const InvoiceCurrency = z.strictObject({ ...currencyFacts, code: z.string(), fullcode: z.string(), network: Network });

/** WalletCurrency (balance, static wallets): `code` is the API code; `enable` is true for a currency this deployment serves. */
export const WalletCurrency = z.strictObject({ ...currencyFacts, code: z.string(), short_code: z.string(), obj_network: Network, enable: z.boolean() });

const Project = z.strictObject({ id: z.number(), name: z.string(), fail: z.string(), success: z.string(), logo: z.null() });

const Status = z.enum(INVOICE_STATUSES);
const Side = z.enum(['client', 'merchant']).nullable();

const createdFields = {
  uuid: z.string().meta({ examples: ['INV-ABCD1234'] }),
  created: time,
  address: z.string().meta({ description: 'The deposit address; "" until a currency is chosen' }),
  expiry_date: time,
  locked_until: time.nullable().meta({ description: 'Native: until when the crypto amount holds (null before a currency is chosen)' }),
  side_commission: Side,
  side_commission_cc: Side,
  amount: float.meta({ description: 'What the payer must send, in the chosen crypto (the USD value before a choice)' }),
  amount_usd: float,
  amount_in_fiat: float,
  fee: float,
  fee_usd: float,
  service_fee: float,
  service_fee_usd: float,
  type_payments: z.literal('crypto'),
  fiat_currency: z.enum(FIAT_CODES),
  status: Status,
  is_email_required: z.boolean(),
  link: url.meta({ description: 'The payment page' }),
  description: z.string(),
  invoice_id: z.null(),
  currency: InvoiceCurrency.nullable(),
  project: Project,
  test_mode: z.boolean(),
};

/** `POST /v2/invoice/create` (reference §1.2). */
export const CreatedInvoice = z.strictObject(createdFields);

const Payment = z.strictObject({
  tx_hash: z.string(),
  log_index: z.number(),
  currency: z.string(),
  token_contract: z.string(),
  amount: float.nullable(),
  amount_units: z.string().meta({ description: 'Exact, in base units' }),
  amount_usd: float,
  from: z.string(),
  to: z.string(),
  block_number: z.number(),
  block_hash: z.string(),
  created: time,
  status: z.string().meta({ description: 'pending, credited, rejected or reversed' }),
  type: z.string(),
  reason: z.string(),
  confirmations: z.number(),
  required_confirmations: z.union([z.number(), z.string()]),
  final: z.boolean(),
  source: z.string(),
});

const Stray = z.strictObject({
  tx_hash: z.string(),
  log_index: z.number(),
  token_contract: z.string(),
  currency: z.string(),
  amount_units: z.string(),
  to: z.string(),
  block_number: z.number(),
  reason: z.string(),
  created: time,
});

const { network: _network, icon_network: _iconNetwork, id: _id, ...listedCurrency } = InvoiceCurrency.shape;

/** InvoiceFull: `merchant/info` and `merchant/list` (reference §1.4, §1.5, §1.11), with the native extensions. */
export const Invoice = z.strictObject({
  ...createdFields,
  date_finished: time.nullable(),
  order_id: z.string(),
  amount_in_crypto: float.nullable(),
  amount_to_pay: float,
  amount_to_pay_usd: float,
  amount_paid: float,
  amount_paid_usd: float,
  received: float,
  received_usd: float,
  to_surcharge: float,
  to_surcharge_usd: float,
  total_rub: float,
  invoice_status: z.string().meta({ description: 'start, partial, success or canceled' }),
  step: z.number(),
  type: z.literal('up'),
  user_email: z.string(),
  phone: z.string(),
  pay_url: url,
  aml_enabled: z.boolean(),
  aml_side: z.string(),
  aml_cost: float,
  aml_cost_usd: float,
  aml_checks: z.array(z.unknown()),
  currency_list: z.array(z.strictObject({ ...listedCurrency, network: z.array(Network) })),
  tx_list: z.array(Payment),
  stray_transfers: z.strictObject({ count: z.number(), items: z.array(Stray) }).meta({ description: 'Native: transfers kept apart for review (wrong token, coin never offered)' }),
  donation: z.strictObject({ slug: z.string(), name: z.string(), message: z.string().nullable() }).optional().meta({ description: 'Native: on donation invoices only' }),
  static_wallet: z.strictObject({ uuid: z.string(), identify: z.string() }).optional().meta({ description: "Native: on a static wallet's receipts only" }),
  links: z.array(z.unknown()),
  links_invoice: z.array(z.unknown()),
});

export const InvoiceList = z.array(Invoice);

/** `POST /v2/merchant/wallet/balance/all` (reference §1.7): one row per currency. */
export const Balance = z.array(
  z.strictObject({ currency: WalletCurrency, balance_crypto: float, balance_usd: float, available_balance: float, available_balance_usd: float }),
);

/** `POST /v2/invoice/static/create` (reference §1.8). */
export const StaticWallet = z.strictObject({ currency: WalletCurrency, address: z.string(), uuid: z.string() });

const perStatus = <T extends z.ZodType>(value: T) => z.strictObject(Object.fromEntries(['all', ...INVOICE_STATUSES].map((k) => [k, value])) as Record<'all' | (typeof INVOICE_STATUSES)[number], T>);

/** `POST /v2/invoice/merchant/statistics` (reference §1.6): counts and USD amounts per status. */
export const Statistics = z.strictObject({ count: perStatus(z.number()), amount: perStatus(float) });

/** `POST /v2/invoice/merchant/canceled` answers `["ok"]` (reference §1.3). */
export const Canceled = z.tuple([z.literal('ok')]);

/** `POST /v2/invoice/api/out/create` (reference §1.9). */
export const OutCreated = z.strictObject({ invoice_id: z.string(), status: z.literal('created'), currency: z.string(), amount: float });
