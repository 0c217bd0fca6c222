/** Native API (`/api/...`) request schemas: Tollgate's own endpoints beside the CryptoCloud ones. */
import * as z from 'zod';
import { CHAINS, type ChainId } from '../../domain/currencies';
import { type InvoiceId, parseInvoiceRef } from '../../domain/ids';
import { email } from '../cryptocloud/requests';

export const invoicePathId = z.string().transform((v, ctx): InvoiceId => {
  const id = parseInvoiceRef(v);
  if (id.ok) return id.value;
  ctx.addIssue({ code: 'custom', message: 'expected an invoice id such as INV-XXXXXXXX' });
  return z.NEVER;
});

export const SelectCurrencyRequest = z.object({
  currency: z.string({ error: 'currency is required, e.g. USDT_ERC20' }).trim().min(1, 'currency is required, e.g. USDT_ERC20').max(32),
  /** The payer's e-mail, kept on an invoice that has none (required when the project asks for it). */
  email,
});

export const AttachTxRequest = z.object({
  tx_hash: z
    .string({ error: 'tx_hash is required: the hash of the transaction that paid the invoice' })
    .trim()
    // EVM explorers print 0x-prefixed hashes, Tron's bare ones: either is taken, and written per chain when it is looked up.
    .regex(/^(0x)?[0-9a-fA-F]{64}$/, 'tx_hash must be a 32-byte hex transaction hash (0x-prefixed on EVM chains, bare on Tron)')
    .transform((v) => v.toLowerCase()),
});

/** `tollgate chain rescan`: bounded so one admin call stays within a function timeout. */
export const RESCAN_BLOCKS_MAX = 5_000;
export const RescanRequest = z
  .object({ from: z.coerce.number().int().nonnegative(), to: z.coerce.number().int().nonnegative() })
  .refine((r) => r.to >= r.from, { message: 'to must not be below from', path: ['to'] })
  .refine((r) => r.to - r.from < RESCAN_BLOCKS_MAX, { message: `at most ${RESCAN_BLOCKS_MAX} blocks per call; the CLI splits longer ranges`, path: ['to'] });

export const chainPathId = z.string().refine((v) => Object.hasOwn(CHAINS, v), 'unknown chain').transform((v) => v as ChainId);
