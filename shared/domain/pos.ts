/**
 * A POS link: a secret URL that lets staff charge customers in person. Its token is the whole
 * capability, so it is narrow: one project, one crypto currency fixed at creation, one fiat, and a
 * maximum per sale. Only the token's hash is stored.
 */
import { FIAT_MINOR_UNITS, type FiatCode } from './currencies';
import { type Decimal, formatDecimal, fromUnits, toScale } from './money';
import { err, ok, type Result } from './result';
import type { Instant } from './time';

export type PosLink = {
  /** `pos_` + the first 12 hex digits of the token's hash: names the link in the CLI, reveals nothing. */
  id: string;
  shopId: string;
  tokenHash: string;
  /** Shown on the terminal and as each sale's description ("Front desk"); null: the id. */
  label: string | null;
  /** The crypto currency every sale is priced and paid in (the invoice's preset `cryptocurrency`). */
  currency: string;
  fiat: FiatCode;
  /** The largest sale, in fiat minor units. */
  maxMinor: bigint;
  createdAt: Instant;
  /** Revoked links stay stored (the list shows them) but open nothing. */
  revokedAt: Instant | null;
};

export const POS_LABEL_LENGTH_MAX = 60;
/** Links per project: a list call reads them all, so there is a bound (revoked ones count). */
export const POS_LINKS_PER_PROJECT_MAX = 100;

export const posIdOf = (tokenHash: string): string => `pos_${tokenHash.slice(0, 12)}`;

/**
 * Each sale's order id, `pos:<posId>:<n>`, where n counts the link's sales from 1. The id, not the
 * label, so the merchant's postback handler can parse it and a renamed label breaks nothing.
 */
export const posOrderId = (link: PosLink, sale: number): string => `pos:${link.id}:${sale}`;

export type PosAmountProblem = { kind: 'pos.amount_invalid'; reason: 'not_positive' | 'too_precise' } | { kind: 'pos.amount_over_max'; max: string; fiat: FiatCode };

/** A sale amount in the link's fiat: positive, no finer than its minor unit, at most the link's maximum. */
export function checkPosAmount(link: PosLink, amount: Decimal): Result<Decimal, PosAmountProblem> {
  const scale = FIAT_MINOR_UNITS[link.fiat];
  if (amount.units <= 0n) return err({ kind: 'pos.amount_invalid', reason: 'not_positive' });
  const minor = toScale(amount, scale, 'up');
  if (toScale(amount, scale, 'down') !== minor) return err({ kind: 'pos.amount_invalid', reason: 'too_precise' });
  if (minor > link.maxMinor) return err({ kind: 'pos.amount_over_max', max: formatPosMax(link), fiat: link.fiat });
  return ok(amount);
}

export const formatPosMax = (link: Pick<PosLink, 'maxMinor' | 'fiat'>): string => formatDecimal(fromUnits(link.maxMinor, FIAT_MINOR_UNITS[link.fiat]));
