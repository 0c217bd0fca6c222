/**
 * What `tollgate` prints for people (without `--json`): tables for lists, aligned label/value
 * blocks for one thing. Cells are never cut: an address or a hash is only useful whole, so a
 * column is as wide as its widest cell. Nothing here prints `[object Object]` or raw JSON: a
 * nested value is shown as an indented block, a table, or `key=value` pairs.
 */

type Row = readonly unknown[];

const EMPTY = '-';

/** One cell: null, undefined and '' as '-', lists joined, objects as `key=value` pairs. */
export function cell(v: unknown): string {
  if (v === null || v === undefined || v === '') return EMPTY;
  if (Array.isArray(v)) return v.length === 0 ? EMPTY : v.map(cell).join(',');
  if (typeof v === 'object') {
    const pairs = Object.entries(v as Record<string, unknown>).filter(([, x]) => x !== null && x !== undefined && x !== '');
    return pairs.length === 0 ? EMPTY : pairs.map(([k, x]) => `${k}=${cell(x)}`).join(' ');
  }
  if (typeof v === 'boolean') return v ? 'yes' : 'no';
  return String(v);
}

/** Columns padded to their widest cell, for lists people read in a terminal. */
export function table(headers: readonly string[], rows: readonly Row[]): string {
  const cells = [headers, ...rows.map((r) => r.map((v) => (typeof v === 'string' && v !== '' ? v : cell(v))))];
  const widths = headers.map((_, i) => Math.max(...cells.map((r) => r[i].length)));
  return `${cells.map((r) => r.map((v, i) => (i === r.length - 1 ? v : v.padEnd(widths[i]))).join('  ')).join('\n')}\n`;
}

/** A label/value block: labels padded to the longest; rows whose value is undefined are left out. */
export function fields(rows: readonly (readonly [string, unknown])[], indent = ''): string {
  const shown = rows.filter(([, v]) => v !== undefined);
  const width = Math.max(0, ...shown.map(([k]) => k.length));
  return shown.map(([k, v]) => `${indent}${k.padEnd(width)}  ${cell(v)}`).join('\n') + (shown.length > 0 ? '\n' : '');
}

const isRecord = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** A list of records as a table: one column per key (the first record's order, then any others). */
export function recordsTable(records: readonly Record<string, unknown>[], indent = ''): string {
  const keys = [...new Set(records.flatMap((r) => Object.keys(r)))];
  const text = table(
    keys.map((k) => k.toUpperCase().replaceAll('_', ' ')),
    records.map((r) => keys.map((k) => r[k])),
  );
  return text
    .split('\n')
    .map((line) => (line ? `${indent}${line}` : line))
    .join('\n');
}

/** A value in a label/value block, as the CLI always printed it (`true`, `null`); lists joined, records as pairs. */
const scalar = (v: unknown) => (v !== null && typeof v === 'object' ? cell(v) : String(v));

/**
 * The fallback for any answer without its own printer: scalars as `key  value` lines (the key
 * padded to 24, as the CLI always printed them), nested records as indented blocks, lists of
 * records as tables. A project's fresh keys end with the warning that they are shown once.
 */
export function human(result: unknown): string {
  if (Array.isArray(result)) {
    if (result.length === 0) return 'None.\n';
    return result.every(isRecord) ? recordsTable(result) : `${result.map(cell).join('\n')}\n`;
  }
  if (!isRecord(result)) return `${cell(result)}\n`;
  const r = result;
  const flat = Object.entries(r).filter(([, v]) => !isRecord(v) && !(Array.isArray(v) && v.some(isRecord)));
  const lines = flat.map(([k, v]) => `${k.padEnd(24)} ${scalar(v)}`);
  for (const [k, v] of Object.entries(r)) {
    if (isRecord(v)) lines.push(`${k}:`, ...Object.entries(v).map(([kk, vv]) => `  ${kk.padEnd(22)} ${scalar(vv)}`));
    else if (Array.isArray(v) && v.some(isRecord)) lines.push(`${k}:`, recordsTable(v.filter(isRecord), '  ').trimEnd());
  }
  if (typeof r.secret_key === 'string' || typeof r.api_key === 'string') lines.push('', 'Keys are shown once: store them now.');
  return `${lines.join('\n')}\n`;
}

/** `project list`: one row per project; `project show SHOP_ID` has the settings. */
export function humanProjects(result: unknown): string {
  const projects = result as { shop_id: string; project_id: number; name: string; test_mode: boolean; created: string; settings: { notification_url: string | null } }[];
  if (projects.length === 0) return 'No projects yet: create one with `tollgate project create --name NAME`.\n';
  return table(
    ['SHOP ID', 'NAME', 'MODE', 'NOTIFICATION URL', 'CREATED'],
    projects.map((p) => [p.shop_id, p.name, p.test_mode ? 'test' : 'live', p.settings.notification_url, p.created]),
  );
}

type InvoiceWire = {
  uuid: string;
  status: string;
  invoice_status: string;
  amount_in_fiat: number;
  fiat_currency: string;
  amount_usd: number;
  currency: { fullcode: string } | null;
  address: string;
  amount_to_pay: number;
  received: number;
  order_id: string;
  description: string;
  created: string;
  expiry_date: string;
  date_finished: string | null;
  link: string;
  test_mode: boolean;
  tx_list: { tx_hash: string; currency: string; amount: number | null; status: string; type: string; confirmations: number; required_confirmations?: number }[];
  stray_transfers?: unknown[];
};

/** The crypto chosen on the page; before a choice the invoice only has a fiat price. */
const chosen = (i: InvoiceWire) => (i.address ? (i.currency?.fullcode ?? '?') : null);

/** One invoice (`invoice show|confirm|confirm-test`): what it asks, what came in, where to pay. */
export function humanInvoice(result: unknown): string {
  const i = result as InvoiceWire;
  const code = chosen(i);
  const text = fields([
    ['invoice', i.uuid],
    ['status', i.status],
    ['price', `${i.amount_in_fiat} ${i.fiat_currency} (${i.amount_usd} USD)`],
    ['currency', code ?? 'not chosen yet (the payer picks one on the page)'],
    ['address', code ? i.address : undefined],
    ['to pay', code ? `${i.amount_to_pay} ${code}` : undefined],
    ['received', code ? `${i.received} ${code}` : undefined],
    ['order id', i.order_id],
    ['description', i.description || undefined],
    ['created', i.created],
    ['expires', i.expiry_date],
    ['finished', i.date_finished ?? undefined],
    ['page', i.link],
    ['test mode', i.test_mode ? 'yes (no real funds)' : 'no'],
  ]);
  const txs = i.tx_list ?? [];
  const payments =
    txs.length === 0
      ? 'No transfers seen.\n'
      : `Transfers:\n${table(
          ['TX', 'CURRENCY', 'AMOUNT', 'STATUS', 'TYPE', 'CONF'],
          txs.map((t) => [t.tx_hash, t.currency, t.amount, t.status, t.type, t.required_confirmations === undefined ? t.confirmations : `${t.confirmations}/${t.required_confirmations}`]),
        )}`;
  const strays = i.stray_transfers?.length ? `Kept for review, not credited: ${i.stray_transfers.length} transfer${i.stray_transfers.length === 1 ? '' : 's'} (see --json)\n` : '';
  return `${text}\n${payments}${strays}`;
}

/** `invoice list`: one row per invoice, newest first, and where the next page starts. */
export function humanInvoiceList(result: unknown): string {
  const { invoices, next_cursor: next } = result as { invoices: InvoiceWire[]; next_cursor: string | null };
  const more = next ? `More: add --cursor ${next}\n` : '';
  if (invoices.length === 0) return `No invoices${next ? ' on this page' : ''}.\n${more}`;
  const rows = invoices.map((i) => {
    const code = chosen(i);
    return [i.uuid, i.status, `${i.amount_in_fiat} ${i.fiat_currency}`, code, code ? i.received : null, i.order_id, i.created, i.test_mode ? 'test' : ''];
  });
  return `${table(['INVOICE', 'STATUS', 'PRICE', 'CURRENCY', 'RECEIVED', 'ORDER', 'CREATED', 'MODE'], rows)}${more}`;
}

type EventWire = { event_id: string; event: string; confirmed_via?: string; payment?: string; delivered?: boolean };
type AttemptWire = { event_id: string; event: string; attempt: number; at: string; target: string; outcome: string; http_status: number | null; latency_ms: number | null; response: string | null; resend: boolean };

/** Withdrawal events have no `confirmed_via` or `payment`: those columns only when some event has them. */
function eventsTable(events: EventWire[]): string {
  const paymentColumns = events.some((e) => e.confirmed_via || e.payment);
  return table(
    ['EVENT ID', 'EVENT', 'DELIVERED', ...(paymentColumns ? ['VIA', 'PAYMENT'] : [])],
    events.map((e) => [e.event_id, e.event, e.delivered === undefined ? null : e.delivered, ...(paymentColumns ? [e.confirmed_via, e.payment] : [])]),
  );
}

/** `postback log` and `withdraw webhooks`: the events, then every attempt, oldest first. */
export function humanEventLog(what: 'postback' | 'webhook') {
  return (result: unknown): string => {
    const { events, attempts } = result as { events: EventWire[]; attempts: AttemptWire[] };
    if (events.length === 0 && attempts.length === 0) return `No ${what}s yet (nothing to notify so far${what === 'postback' ? ', or the project has no notification URL' : ''}).\n`;
    const lines = [events.length === 0 ? `No ${what} events.` : `Events:\n${eventsTable(events).trimEnd()}`, ''];
    if (attempts.length === 0) lines.push('No delivery attempts yet.');
    else {
      const rows = attempts.map((a) => [a.at, a.event, a.attempt, a.outcome, a.http_status, a.latency_ms === null ? null : `${a.latency_ms} ms`, a.resend ? 'resend' : '', a.target]);
      lines.push(`Attempts:\n${table(['AT', 'EVENT', 'N', 'OUTCOME', 'HTTP', 'LATENCY', 'KIND', 'TARGET'], rows).trimEnd()}`);
    }
    return `${lines.join('\n')}\n`;
  };
}

/** `postback resend` and `withdraw resend`: what was queued again. */
export function humanQueued(what: 'postback' | 'webhook') {
  return (result: unknown): string => {
    const { queued } = result as { queued: EventWire[] };
    if (queued.length === 0) return `Nothing to send: no ${what} events yet.\n`;
    return `Queued again (same event ids, so a receiver that keeps them skips repeats):\n${eventsTable(queued)}`;
  };
}

/** `invoice attach-tx`: what the transaction paid into the invoice. */
export function humanAttached(result: unknown): string {
  const { accepted } = result as { accepted: { key: string; amount_units: string; block_number: number; confirmations: number; required_confirmations: number }[] };
  if (accepted.length === 0) return 'Accepted, but the transaction carries no new transfer to this invoice (already credited?).\n';
  const rows = accepted.map((t) => [t.key, t.amount_units, t.block_number, `${t.confirmations}/${t.required_confirmations}`]);
  return `Accepted: crediting follows once the transfers are confirmed (see \`tollgate invoice show\`).\n${table(['TRANSFER', 'AMOUNT (BASE UNITS)', 'BLOCK', 'CONF'], rows)}`;
}

/** `postback dlq list` and `chain dlq list`: each parked message, with what it was about. */
export function humanDeadLetters(result: unknown): string {
  const letters = result as { message_id: string; sent_at: string | null; receives: number; job: unknown }[];
  if (letters.length === 0) return 'The dead-letter queue is empty.\n';
  const about = (job: unknown) => (isRecord(job) ? cell(job) : String(job));
  return `${table(['MESSAGE ID', 'SENT', 'RECEIVES', 'JOB'], letters.map((l) => [l.message_id, l.sent_at, l.receives, about(l.job)]))}Redrive them with the same command and \`redrive\` (they go back to their queue).\n`;
}

/** `chain status`: one row per served chain. */
export function humanChains(result: unknown): string {
  const chains = result as { chain: string; name: string; devnet: boolean; codes: string[]; scanned_to: number | null; head: number | null; lag_blocks: number | null; head_seen_at: string | null }[];
  if (chains.length === 0) return 'No chains served.\n';
  const rows = chains.map((c) => [c.chain, c.devnet && !/devnet/i.test(c.name) ? `${c.name} (devnet)` : c.name, c.scanned_to ?? 'not scanned yet', c.head, c.lag_blocks, c.head_seen_at, c.codes.join(',')]);
  return table(['CHAIN', 'NAME', 'SCANNED TO', 'HEAD', 'LAG', 'HEAD SEEN', 'CURRENCIES'], rows);
}

/** `pos list`: one row per terminal link (the link itself is shown once, at creation). */
export function humanPosLinks(result: unknown): string {
  const links = result as { id: string; label: string; currency: string; fiat: string; max: string; created_at: string; revoked_at: string | null }[];
  if (links.length === 0) return 'No POS terminal links.\n';
  return table(['ID', 'LABEL', 'CURRENCY', 'MAX', 'CREATED', 'REVOKED'], links.map((l) => [l.id, l.label, l.currency, `${l.max} ${l.fiat}`, l.created_at, l.revoked_at]));
}

/** `donation list`: one row per page (`donation show SLUG` has its totals). */
export function humanDonations(result: unknown): string {
  const pages = result as { slug: string; title: string; currency: string; min_amount: string; max_amount: string; enabled: boolean; link: string }[];
  if (pages.length === 0) return 'No donation pages.\n';
  return table(['SLUG', 'TITLE', 'AMOUNT', 'ENABLED', 'LINK'], pages.map((p) => [p.slug, p.title, `${p.min_amount}-${p.max_amount} ${p.currency}`, p.enabled, p.link]));
}
