/** Identifier formats. Invoice ids follow CryptoCloud: `INV-` + 8 upper-case alphanumerics. */
import { err, ok, type Result } from './result';

export const ID_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
export const SHOP_ID_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
export const INVOICE_SHORT_ID_LENGTH = 8;
export const SHOP_ID_LENGTH = 16;
/** A static wallet's `uuid`: 32 upper-case alphanumerics, as CryptoCloud's (reference §1.8), not `INV-…`. */
export const STATIC_WALLET_ID_LENGTH = 32;

const SHORT_ID = /^[A-Z0-9]{8}$/;
const SHOP_ID = /^[A-Za-z0-9]{6,64}$/;

export type InvoiceId = string & { readonly __brand: 'InvoiceId' };
export type StaticWalletId = string & { readonly __brand: 'StaticWalletId' };

const STATIC_WALLET_ID = /^[A-Z0-9]{32}$/;

/** A static wallet's uuid as a client sends it (any case, surrounding spaces ignored). */
export function parseStaticWalletId(ref: string): Result<StaticWalletId, 'invalid_static_wallet_id'> {
  const id = ref.trim().toUpperCase();
  return STATIC_WALLET_ID.test(id) ? ok(id as StaticWalletId) : err('invalid_static_wallet_id');
}

/** Accepts `INV-XXXXXXXX` or `XXXXXXXX`, any case, and returns the short form. */
export function parseInvoiceRef(ref: string): Result<InvoiceId, 'invalid_invoice_id'> {
  const short = ref.trim().toUpperCase().replace(/^INV-/, '');
  return SHORT_ID.test(short) ? ok(short as InvoiceId) : err('invalid_invoice_id');
}

export const invoiceUuid = (id: InvoiceId): string => `INV-${id}`;
export const isShopId = (value: string): boolean => SHOP_ID.test(value);

/** Maps random bytes onto an alphabet without modulo bias (rejection sampling by the caller). */
export function encodeWithAlphabet(bytes: Uint8Array, alphabet: string, length: number): string | null {
  const limit = 256 - (256 % alphabet.length);
  let out = '';
  for (const b of bytes) {
    if (b >= limit) continue;
    out += alphabet[b % alphabet.length];
    if (out.length === length) return out;
  }
  return null;
}
