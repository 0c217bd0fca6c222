/** Instants are epoch milliseconds, passed in by the caller: the domain never reads a clock. */
export type Instant = number;

export const MINUTE_MS = 60_000;
export const HOUR_MS = 60 * MINUTE_MS;
export const DAY_MS = 24 * HOUR_MS;

/** CryptoCloud's timestamp: UTC `YYYY-MM-DD HH:MM:SS.ffffff` (reference §1.0). */
export function formatCryptoCloudTime(at: Instant): string {
  const iso = new Date(at).toISOString(); // 2023-01-01T12:00:00.000Z
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)}.${iso.slice(20, 23)}000`;
}

export const isoTime = (at: Instant): string => new Date(at).toISOString();

/**
 * Request dates: `dd.mm.yyyy` as documented, leniently `d.m.yyyy` and ISO `yyyy-mm-dd`
 * (reference §8). Returns the UTC midnight that starts the day, or null.
 */
export function parseRequestDate(text: string): Instant | null {
  const t = text.trim();
  const dotted = /^(\d{1,2})\.(\d{1,2})\.(\d{4})$/.exec(t);
  const iso = /^(\d{4})-(\d{2})-(\d{2})$/.exec(t);
  const [y, m, d] = dotted
    ? [Number(dotted[3]), Number(dotted[2]), Number(dotted[1])]
    : iso
      ? [Number(iso[1]), Number(iso[2]), Number(iso[3])]
      : [Number.NaN, 0, 0];
  if (!Number.isInteger(y) || m < 1 || m > 12 || d < 1 || d > 31) return null;
  const at = Date.UTC(y, m - 1, d);
  const back = new Date(at);
  // Date.UTC rolls 31.02 over to March; a real calendar date round-trips.
  return back.getUTCDate() === d && back.getUTCMonth() === m - 1 ? at : null;
}
