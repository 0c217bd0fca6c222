/**
 * `POST /v2/invoice/api/out/create` (reference §1.9): the request as CryptoCloud clients send it,
 * refused under the reference's own error keys, and the answer they read.
 */
import { formatDecimal, fromUnits } from '../../domain/money';
import { findCrypto } from '../../domain/currencies';
import type { Withdrawal } from '../../domain/withdrawal';
import * as z from 'zod';

export type OutCreateInput = { currencyCode: string; toAddress: string; amount: string };

const TEXT_MAX = 200;

/** Every problem at once, each under the key a CryptoCloud client looks for. */
export function parseOutCreate(body: Record<string, unknown>): { ok: true; value: OutCreateInput } | { ok: false; errors: Record<string, string> } {
  const missing = ['currency_code', 'to_address', 'amount'].filter((f) => body[f] === undefined || body[f] === null || body[f] === '');
  if (missing.length > 0) return { ok: false, errors: { required_parameter: `${missing.join(', ')} not passed.` } };
  const errors: Record<string, string> = {};
  const { currency_code: code, to_address: to, amount } = body;
  if (typeof code !== 'string' || code.length > TEXT_MAX) errors.currency_code = 'currency_code must be a currency code such as USDT_TRC20 or ETH.';
  if (typeof to !== 'string' || to.length > TEXT_MAX) errors.network = 'to_address must be an address of the currency\'s network.';
  // JSON numbers are what CryptoCloud documents; text keeps every digit and is taken as well.
  if (typeof amount === 'number' ? !Number.isFinite(amount) : typeof amount !== 'string' || amount.length > 64) errors.uncorrected_amount = 'amount must be a number such as 0.05.';
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  return { ok: true, value: { currencyCode: String(code), toAddress: String(to), amount: typeof amount === 'number' ? numberText(amount) : String(amount) } };
}

/**
 * What parseOutCreate accepts, for the OpenAPI document only (the route parses with parseOutCreate,
 * whose error keys are CryptoCloud's). test/unit/openapi.test.ts checks the two agree on examples.
 */
export const OutCreateRequestDoc = z.object({
  currency_code: z.string().max(TEXT_MAX).meta({ description: 'Currency code such as USDT_TRC20 or ETH.' }),
  to_address: z.string().max(TEXT_MAX).meta({ description: "An address of the currency's network." }),
  amount: z.union([z.number(), z.string().max(64)]).meta({ description: 'Amount in the currency, such as 0.05 (text keeps every digit).' }),
});

/** A JSON number as plain decimal text (1e-7 → 0.0000001), so its exact digits are parsed once. */
const numberText = (n: number): string => (Math.abs(n) < 1e-6 && n !== 0 ? n.toFixed(20).replace(/0+$/, '') : String(n));

/** CryptoCloud's answer; `data` repeats `result` for clients of the older revision (reference §1.9). */
export function presentOutCreated(w: Withdrawal) {
  const decimals = findCrypto(w.code)?.decimals ?? 0;
  const result = { invoice_id: w.id, status: 'created', currency: w.code, amount: Number(formatDecimal(fromUnits(w.amount, decimals))) };
  return result;
}
