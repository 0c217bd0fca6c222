// List and statistics windows in tests span yesterday..tomorrow (UTC), so a run that
// crosses midnight — CI started at 23:59 once — still finds the invoices it just made.
const DAY_MS = 86_400_000;

const dayAt = (offsetDays: number) => new Date(Date.now() + offsetDays * DAY_MS);

/** CryptoCloud's `dd.mm.yyyy`, `offsetDays` from today in UTC. */
export function ccDate(offsetDays = 0): string {
  const d = dayAt(offsetDays);
  return `${String(d.getUTCDate()).padStart(2, '0')}.${String(d.getUTCMonth() + 1).padStart(2, '0')}.${d.getUTCFullYear()}`;
}

/** ISO `yyyy-mm-dd`, `offsetDays` from today in UTC. */
export const isoDate = (offsetDays = 0): string => dayAt(offsetDays).toISOString().slice(0, 10);

/** A `{start, end}` window around now that survives a run crossing midnight. */
export const aroundToday = () => ({ start: ccDate(-1), end: ccDate(1) });
