/**
 * `tollgate payout batch create|show|list|approve`: mass payouts from a CSV file. The file is
 * checked whole before anything is sent (every bad line named), sent with an Idempotency-Key
 * derived from its content (sending the same file again is safe: it answers the same batch), then
 * followed until every item is final.
 */
import { createHash } from 'node:crypto';
import { BATCH_ITEMS_MAX, ITEM_REFERENCE_LENGTH_MAX } from '../../shared/domain/payout-batch';
import { findCrypto } from '../../shared/domain/currencies';
import { parseDecimal } from '../../shared/domain/money';
import { CliError } from './target';

export type CliCall = (method: string, path: string, body?: unknown, headers?: Record<string, string>, timeoutMs?: number) => Promise<unknown>;

export type PayoutBatchContext = {
  call: CliCall;
  out: (s: string) => void;
  readFile: (path: string) => string;
  table: (headers: readonly string[], rows: readonly (readonly unknown[])[]) => string;
  /** stdout is a terminal: one progress bar redrawn in place; otherwise a plain line per change. */
  tty: boolean;
  pollMs: number;
  sleep: (ms: number) => Promise<void>;
};

type Flags = Record<string, string | boolean | undefined>;
type ItemWire = { index: number; reference: string; currency: string; to_address: string; amount: string; fee: string; status: string; reason: string | null; tx_hash: string | null };
type BatchWire = {
  id: string;
  status: string;
  item_count: number;
  usd: string;
  totals: { currency: string; amount: string; fee: string }[];
  approval: { required: boolean; approved_at: string | null };
  created: string;
  item_statuses?: Record<'queued' | 'sent' | 'confirmed' | 'failed', number>;
  items?: ItemWire[];
};

export const CSV_HEADER = ['currency', 'to_address', 'amount', 'reference'] as const;
/** A 1,000-item batch takes a few seconds to write; a timeout is retried with the same key (it finishes the batch). */
const CREATE_TIMEOUT_MS = 120_000;
const CREATE_ATTEMPTS_MAX = 3;
/** The batch workflow's own limit (lib/workflows/payout-batch.ts): following a batch stops there too. */
const FOLLOW_MS_MAX = 12 * 3600 * 1000;
const BAR_WIDTH = 30;
const PRINTABLE = /^[^\p{C}]+$/u;

type Row = { line: number; fields: string[] };

/** RFC 4180: commas, quoted fields ("" is a quote), CRLF or LF; each row keeps the line it starts on. */
export function parseCsv(text: string): Row[] {
  const rows: Row[] = [];
  let fields: string[] = [];
  let field = '';
  let quoted = false;
  let line = 1;
  let rowLine = 1;
  const src = text.replace(/^\uFEFF/, '');
  for (let i = 0; i < src.length; i++) {
    const c = src[i];
    if (quoted) {
      if (c === '"' && src[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else {
        if (c === '\n') line++;
        field += c;
      }
    } else if (c === '"' && field === '') quoted = true;
    else if (c === ',') {
      fields.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && src[i + 1] === '\n') i++;
      fields.push(field);
      rows.push({ line: rowLine, fields });
      fields = [];
      field = '';
      line++;
      rowLine = line;
    } else field += c;
  }
  if (field !== '' || fields.length > 0) {
    fields.push(field);
    rows.push({ line: rowLine, fields });
  }
  // Blank lines carry nothing.
  return rows.filter((r) => !(r.fields.length === 1 && r.fields[0].trim() === ''));
}

export type CsvItem = { line: number; currency: string; to_address: string; amount: string; reference: string };

/** Every problem of the file, each with its line number; nothing is sent unless there are none. */
export function validateCsv(text: string): { items: CsvItem[]; problems: string[] } {
  const rows = parseCsv(text);
  const problems: string[] = [];
  const [header, ...data] = rows;
  const names = header?.fields.map((f) => f.trim().toLowerCase()) ?? [];
  if (names.join(',') !== CSV_HEADER.join(',')) {
    return { items: [], problems: [`line ${header?.line ?? 1}: the first line must be the header ${CSV_HEADER.join(',')}${header ? `; got "${header.fields.join(',').slice(0, 80)}"` : ' (the file is empty)'}`] };
  }
  if (data.length === 0) problems.push('the file has no payouts after its header');
  if (data.length > BATCH_ITEMS_MAX) problems.push(`the file has ${data.length} payouts; a batch takes at most ${BATCH_ITEMS_MAX} (split the file)`);
  const firstLineOf = new Map<string, number>();
  const items: CsvItem[] = [];
  for (const row of data) {
    const bad = (message: string) => problems.push(`line ${row.line}: ${message}`);
    if (row.fields.length !== CSV_HEADER.length) {
      bad(`expected ${CSV_HEADER.length} fields (${CSV_HEADER.join(',')}), found ${row.fields.length}`);
      continue;
    }
    const [currencyText, toAddress, amount, reference] = row.fields.map((f) => f.trim()) as [string, string, string, string];
    const currency = findCrypto(currencyText.toUpperCase());
    if (!currency) bad(`unknown currency "${currencyText.slice(0, 40)}"`);
    if (toAddress === '') bad('to_address is empty');
    const parsed = parseDecimal(amount);
    if (!parsed.ok || parsed.value.units <= 0n) bad(`amount must be a positive number such as 12.5; got "${amount.slice(0, 40)}"`);
    else if (currency && parsed.value.scale > currency.decimals) bad(`amount has more than ${currency.decimals} decimals, the precision of ${currency.code}`);
    if (reference === '' || [...reference].length > ITEM_REFERENCE_LENGTH_MAX || !PRINTABLE.test(reference)) bad(`reference must be 1 to ${ITEM_REFERENCE_LENGTH_MAX} printable characters`);
    else if (firstLineOf.has(reference)) bad(`reference "${reference}" repeats line ${firstLineOf.get(reference)}'s: every payout needs its own`);
    else firstLineOf.set(reference, row.line);
    items.push({ line: row.line, currency: currencyText.toUpperCase(), to_address: toAddress, amount, reference });
  }
  return { items, problems };
}

const final = (s: BatchWire['item_statuses']) => (s ? s.confirmed + s.failed : 0);

function progressText(b: BatchWire, tty: boolean): string {
  const s = b.item_statuses ?? { queued: 0, sent: 0, confirmed: 0, failed: 0 };
  const done = final(s);
  const counts = `confirmed ${s.confirmed}, failed ${s.failed}, sent ${s.sent}, queued ${s.queued}`;
  if (!tty) return `${b.id}: ${done}/${b.item_count} final (${counts})\n`;
  const filled = b.item_count === 0 ? BAR_WIDTH : Math.round((done / b.item_count) * BAR_WIDTH);
  return `\r[${'#'.repeat(filled)}${'-'.repeat(BAR_WIDTH - filled)}] ${done}/${b.item_count} final (${counts})`;
}

const approveHint = (shop: string, b: BatchWire) =>
  `Batch ${b.id} is worth ${b.usd} USD, above the project's approval threshold: it waits for a code of the project's second factor.\nApprove it with: tollgate payout batch approve ${shop} ${b.id} --code 123456\n`;

/** A batch for people: a summary, then one row per item. */
export function humanBatch(result: unknown, table: PayoutBatchContext['table']): string {
  const b = result as BatchWire;
  const s = b.item_statuses;
  const lines = [
    `${'batch'.padEnd(10)} ${b.id}`,
    `${'status'.padEnd(10)} ${b.status}${b.approval.required ? (b.approval.approved_at ? ` (approved ${b.approval.approved_at})` : ' (needs approval)') : ''}`,
    `${'worth'.padEnd(10)} ${b.usd} USD`,
    ...b.totals.map((t, i) => `${(i === 0 ? 'totals' : '').padEnd(10)} ${t.amount} ${t.currency} + ${t.fee} network fees`),
    ...(s ? [`${'items'.padEnd(10)} ${b.item_count}: confirmed ${s.confirmed}, failed ${s.failed}, sent ${s.sent}, queued ${s.queued}`] : []),
    '',
  ];
  if (b.items) lines.push(table(['#', 'REFERENCE', 'CURRENCY', 'AMOUNT', 'TO', 'STATUS', 'TX', 'REASON'], b.items.map((i) => [i.index, i.reference, i.currency, i.amount, i.to_address, i.status, i.tx_hash, i.reason])).trimEnd());
  return `${lines.join('\n')}\n`;
}

function humanBatchList(result: unknown, table: PayoutBatchContext['table']): string {
  const { batches, next } = result as { batches: BatchWire[]; next: string | null };
  if (batches.length === 0) return 'No payout batches.\n';
  const rows = batches.map((b) => [b.id, b.status, b.item_count, `${b.usd} USD`, b.totals.map((t) => `${t.amount} ${t.currency}`).join(', '), b.created]);
  return `${table(['ID', 'STATUS', 'ITEMS', 'WORTH', 'TOTALS', 'CREATED'], rows)}${next ? `More: add --cursor ${next}\n` : ''}`;
}

/** `item_3.amount: …` from the gateway → `line 4: amount: …` (the file's own numbering). */
function onLines(message: string, items: readonly CsvItem[]): string {
  // The gateway's problems come joined by '; ': each goes on its own line, without the separator.
  return message.replace(/(?:; )?item_(\d+)\.(\w+): /g, (_, n: string, field: string) => `\n  line ${items[Number(n) - 1]?.line ?? `? (item ${n})`}: ${field === 'item' ? '' : `${field}: `}`);
}

async function createFromFile(ctx: PayoutBatchContext, base: string, flags: Flags) {
  if (typeof flags.file !== 'string') throw new CliError('payout batch create needs --file payouts.csv (header: currency,to_address,amount,reference)');
  let text: string;
  try {
    text = ctx.readFile(flags.file);
  } catch (e) {
    throw new CliError(`cannot read ${flags.file}: ${e instanceof Error ? e.message : String(e)}`);
  }
  const { items, problems } = validateCsv(text);
  if (problems.length > 0) throw new CliError(`${flags.file} has ${problems.length} problem${problems.length === 1 ? '' : 's'}; nothing was sent:\n  ${problems.join('\n  ')}`);
  // The same file sent again (a retry, a second run) names the same batch instead of paying twice.
  const key = `csv-${createHash('sha256').update(text).digest('hex')}`;
  const body = { items: items.map(({ line: _, ...item }) => item) };
  let created: BatchWire | null = null;
  for (let attempt = 1; !created; attempt++) {
    try {
      created = (await ctx.call('POST', base, body, { 'idempotency-key': key }, CREATE_TIMEOUT_MS)) as BatchWire;
    } catch (e) {
      if (!(e instanceof CliError)) throw e;
      // Unreachable or timed out: the gateway may have made (part of) the batch; the same key finishes it.
      if (e.message.startsWith('cannot reach') && attempt < CREATE_ATTEMPTS_MAX) continue;
      throw new CliError(onLines(e.message, items));
    }
  }
  return created;
}

/** Polls the batch until every item is final (confirmed or failed), drawing the progress. */
async function follow(ctx: PayoutBatchContext, path: string, first: BatchWire, quiet: boolean): Promise<BatchWire> {
  let b = first;
  let last = '';
  const started = Date.now();
  for (;;) {
    if (!quiet) {
      const text = progressText(b, ctx.tty);
      if (text !== last) ctx.out(text);
      last = text;
    }
    if (final(b.item_statuses) >= b.item_count) break;
    if (Date.now() - started > FOLLOW_MS_MAX) throw new CliError(`stopped following ${b.id} after ${FOLLOW_MS_MAX / 3600_000} h; see \`tollgate payout batch show\``);
    await ctx.sleep(ctx.pollMs);
    b = (await ctx.call('GET', path)) as BatchWire;
  }
  if (!quiet && ctx.tty) ctx.out('\n');
  return b;
}

/** `payout batch create|show|list|approve SHOP_ID [BATCH_ID]`. */
export async function payoutBatch(ctx: PayoutBatchContext, sub: string | undefined, shop: string | undefined, batchId: string | undefined, flags: Flags): Promise<{ result: unknown; show: (r: unknown) => string }> {
  const subs = ['create', 'show', 'list', 'approve'];
  if (!sub || !subs.includes(sub)) throw new CliError(`payout batch needs one of ${subs.join(', ')}`);
  if (!shop) throw new CliError(`payout batch ${sub} needs a SHOP_ID (see \`tollgate project list\`)`);
  const base = `/admin/projects/${encodeURIComponent(shop)}/payouts/batches`;
  const show = (r: unknown) => humanBatch(r, ctx.table);
  if (sub === 'list') {
    const cursor = typeof flags.cursor === 'string' ? `&cursor=${encodeURIComponent(flags.cursor)}` : '';
    return { result: await ctx.call('GET', `${base}?limit=100${cursor}`), show: (r) => humanBatchList(r, ctx.table) };
  }
  if (sub === 'create') {
    const created = await createFromFile(ctx, base, flags);
    const path = `${base}/${encodeURIComponent(created.id)}`;
    if (created.status === 'awaiting_approval') {
      if (!flags.json) ctx.out(approveHint(shop, created));
      return { result: created, show };
    }
    if (flags['no-wait']) return { result: created, show };
    return { result: await follow(ctx, path, created, flags.json === true), show };
  }
  if (!batchId) throw new CliError(`payout batch ${sub} needs SHOP_ID and a batch ID (see \`tollgate payout batch list ${shop}\`)`);
  const path = `${base}/${encodeURIComponent(batchId)}`;
  if (sub === 'show') {
    const b = (await ctx.call('GET', path)) as BatchWire;
    if (b.status === 'awaiting_approval' && !flags.json) ctx.out(approveHint(shop, b));
    return { result: b, show };
  }
  if (typeof flags.code !== 'string' || flags.code.trim() === '') throw new CliError(`payout batch approve needs --code CODE, a fresh code of the project's second factor: tollgate payout batch approve ${shop} ${batchId} --code 123456`);
  return { result: await ctx.call('POST', `${path}/approve`, { code: flags.code }), show };
}
