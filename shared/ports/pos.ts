/** The store of POS links (shared/domain/pos.ts): found by token hash, listed per project. */

import type { PosLink } from '../domain/pos';
import type { Instant } from '../domain/time';

export interface PosLinkStore {
  /** Writes a new link; the token hash must be new. */
  create(link: PosLink): Promise<void>;
  findByTokenHash(tokenHash: string): Promise<PosLink | null>;
  /** Oldest first, at most `limit`. */
  listByProject(shopId: string, limit: number): Promise<PosLink[]>;
  /** Marks the link revoked (first revocation wins); false when it was already revoked. */
  revoke(link: PosLink, at: Instant): Promise<boolean>;
  /** The link's next sale number, 1, 2, 3…: never the same twice. */
  nextSaleNumber(posId: string): Promise<number>;
}
