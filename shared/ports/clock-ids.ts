/** Time and identifiers: the only ways the app reads the clock or makes an id (DESIGN §3). */

import type { InvoiceId, StaticWalletId } from '../domain/ids';
import type { Instant } from '../domain/time';

export interface Clock {
  now(): Instant;
}

/**
 * Randomness for spreading work out (retry jitter), behind a port so tests can fix it. Not for
 * secrets: ids and keys come from IdSource, which draws from node:crypto.
 */
export interface RandomSource {
  /** A uniform number in [0, 1). */
  fraction(): number;
}

export interface IdSource {
  invoiceId(): InvoiceId;
  staticWalletId(): StaticWalletId;
  shopId(): string;
  /** An opaque bearer key: 32 random bytes, base64url, with a readable prefix. */
  apiKey(): string;
  /** At least 32 random bytes (CryptoCloud4j's jjwt refuses shorter HS256 keys). */
  secretKey(): string;
  /** A POS link's bearer token: 32 random bytes, base64url (256 bits; the link is the whole capability). */
  posToken(): string;
  requestId(): string;
  /** `ww_` + 24 characters: a saved withdrawal wallet. */
  withdrawalWalletId(): string;
  /** `ev_` + 24 characters: an audit event (sorted by its time, not by its id). */
  auditEventId(): string;
  /** `wr_` + 24 characters: an automatic withdrawal rule. */
  withdrawalRuleId(): string;
}
