import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { encodeWithAlphabet, ID_ALPHABET, INVOICE_SHORT_ID_LENGTH, type InvoiceId, SHOP_ID_ALPHABET, SHOP_ID_LENGTH, STATIC_WALLET_ID_LENGTH, type StaticWalletId } from '../domain/ids';
import type { IdSource, RandomSource } from '../ports';

function randomString(alphabet: string, length: number): string {
  for (;;) {
    const s = encodeWithAlphabet(randomBytes(length * 2), alphabet, length);
    if (s) return s;
  }
}

export const randomIds: IdSource = {
  invoiceId: () => randomString(ID_ALPHABET, INVOICE_SHORT_ID_LENGTH) as InvoiceId,
  staticWalletId: () => randomString(ID_ALPHABET, STATIC_WALLET_ID_LENGTH) as StaticWalletId,
  shopId: () => randomString(SHOP_ID_ALPHABET, SHOP_ID_LENGTH),
  apiKey: () => `tgk_${randomBytes(32).toString('base64url')}`,
  secretKey: () => randomBytes(32).toString('base64url'),
  posToken: () => randomBytes(32).toString('base64url'),
  requestId: () => randomUUID(),
  withdrawalWalletId: () => `ww_${randomString(ID_ALPHABET, 24)}`,
  auditEventId: () => `ev_${randomString(ID_ALPHABET, 24)}`,
  withdrawalRuleId: () => `wr_${randomString(ID_ALPHABET, 24)}`,
};

/** Jitter needs no cryptographic strength, only spread. */
export const systemRandom: RandomSource = { fraction: () => Math.random() };

export const sha256Hex = (text: string): string => createHash('sha256').update(text).digest('hex');
