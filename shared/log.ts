/**
 * Structured JSON logs with secrets redacted (STYLE §8). One line per event. The `pretty` format
 * (LOG_FORMAT, the default of `npm start`) is for a person watching a terminal: one short line per
 * event in PRETTY_LINES, warnings and errors in brief, everything else hidden.
 */
import { findCrypto } from './domain/currencies';
import { formatDecimal, fromUnits } from './domain/money';
import type { Logger } from './ports';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';
export type LogFormat = 'json' | 'pretty';
const RANK: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 };

/** Keys whose values never reach a log line, matched case-insensitively anywhere in the tree. */
const SECRET_KEYS = /^(authorization|api_?key|secret(_?key)?|mnemonic|private_?key|password|token|admin_?token|totp.*|xprv)$/i;
export const REDACTED = '[redacted]';
/**
 * Objects nested deeper than this many levels are not walked, so they are replaced whole: a
 * secret key below the limit must not reach the line unexamined (and the walk stays bounded).
 */
export const LOG_DEPTH_MAX = 8;
export const TOO_DEEP = '[too deep]';

export function redact(value: unknown, depth = 0): unknown {
  if (typeof value === 'bigint') return value.toString();
  if (value === null || typeof value !== 'object') return value;
  if (depth >= LOG_DEPTH_MAX) return TOO_DEEP;
  if (Array.isArray(value)) return value.map((v) => redact(v, depth + 1));
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, SECRET_KEYS.test(k) ? REDACTED : redact(v, depth + 1)]));
}

type Fields = Record<string, unknown>;

/** Base units of `code` as a decimal with its code (`12.5 USDT_ERC20`); raw units if the code is unknown. */
function crypto(units: unknown, code: unknown): string {
  const c = findCrypto(String(code));
  return c && typeof units === 'string' && /^\d+$/.test(units) ? `${formatDecimal(fromUnits(BigInt(units), c.decimals))} ${c.code}` : `${units} ${code}`;
}
/** `ethereum#0xabc…#3`, `tron#abc…#native` or a bare hash → `0x1234…cdef`, `abcdef…1234`. */
const shortTx = (transfer: unknown) => {
  // EVM hashes carry 0x; Tron's are bare hex (a key's chain name is never 16 hex digits long).
  const hash = /0x[0-9a-f]{8,}|[0-9a-f]{16,}/i.exec(String(transfer))?.[0] ?? String(transfer);
  return hash.length > 14 ? `${hash.slice(0, 6)}…${hash.slice(-4)}` : hash;
};
const hostOf = (url: unknown) => {
  try {
    return new URL(String(url)).host;
  } catch {
    return String(url);
  }
};
/** What a postback attempt got back: an HTTP status or why there was none. */
const answer = (f: Fields) => (f.httpStatus !== undefined ? `HTTP ${f.httpStatus}` : String(f.reason ?? f.outcome));

/** The events a person running the gateway wants to see, by `msg`, each as one line. */
const PRETTY_LINES: Record<string, (f: Fields) => string> = {
  'invoice.created': (f) => `invoice ${f.invoiceId} created: ${f.amount} ${f.fiat}${f.currency ? ` in ${f.currency}` : ''}  ${f.link}`,
  'invoice.currency_selected': (f) => `invoice ${f.invoiceId}: payer chose ${f.currency}, to pay ${crypto(f.amountToPay, f.currency)}`,
  'payment.seen': (f) => `payment seen for ${f.invoiceId}: ${crypto(f.amount, f.code)}, tx ${shortTx(f.transfer)} (${f.state})`,
  'payment.credited': (f) => `credited ${crypto(f.amount, f.code)} to ${f.invoiceId}, invoice now ${f.status}`,
  'invoice.tx_attached': (f) => `tx ${shortTx(f.txHash)} attached to ${f.invoiceId} (${f.transfers} transfers)`,
  'invoice.transition': (f) => `invoice ${f.invoiceId} ${f.reason === 'expired' ? 'expired' : f.to}`,
  'postback.delivered': (f) => `postback for ${f.invoiceId} delivered to ${hostOf(f.target)}: ${answer(f)}, attempt ${f.attempt}`,
  'postback.failed': (f) => `postback for ${f.invoiceId} to ${hostOf(f.target)} failed: ${answer(f)}, attempt ${f.attempt}, next in ${f.retryInSeconds}s`,
  'postback.gave_up': (f) => `postback for ${f.invoiceId} to ${hostOf(f.target)} gave up after ${f.receives} attempts (${answer(f)}); see \`tollgate postback dlq list\``,
};

/** Fields a brief warning leaves out: where it ran (known) and what is long (stacks, metrics). */
const BRIEF_HIDDEN = new Set(['service', 'function', 'stack', '_aws', 'requestId']);
const BRIEF_VALUE_CHARS_MAX = 120;
const BRIEF_LINE_CHARS_MAX = 300;

function brief(msg: string, f: Fields): string {
  const parts = Object.entries(f)
    .filter(([k, v]) => !BRIEF_HIDDEN.has(k) && v !== undefined && v !== null)
    .map(([k, v]) => {
      const text = typeof v === 'object' ? JSON.stringify(v) : String(v);
      return `${k}=${text.length > BRIEF_VALUE_CHARS_MAX ? `${text.slice(0, BRIEF_VALUE_CHARS_MAX)}…` : text}`;
    });
  const line = [msg, ...parts].join('  ');
  return line.length > BRIEF_LINE_CHARS_MAX ? `${line.slice(0, BRIEF_LINE_CHARS_MAX)}…` : line;
}

const TAG: Record<Exclude<LogLevel, 'silent'>, string> = { debug: '', info: '', warn: 'WARN  ', error: 'ERROR ' };
const localTime = (d: Date) => [d.getHours(), d.getMinutes(), d.getSeconds()].map((n) => String(n).padStart(2, '0')).join(':');

/** A pretty line, or null for an event the pretty format hides. */
export function prettyLine(lvl: Exclude<LogLevel, 'silent'>, msg: string, fields: Fields, at: Date): string | null {
  const template = PRETTY_LINES[msg];
  if (!template && RANK[lvl] < RANK.warn) return null;
  return `${localTime(at)}  ${TAG[lvl]}${template ? template(fields) : brief(msg, fields)}`;
}

export const toStdout = (line: string) => process.stdout.write(`${line}\n`);

export function makeLogger(base: Record<string, unknown>, level: LogLevel, write: (line: string) => void = toStdout, format: LogFormat = 'json'): Logger {
  const emit = (lvl: Exclude<LogLevel, 'silent'>, msg: string, fields?: Record<string, unknown>) => {
    if (RANK[lvl] < RANK[level]) return;
    const safe = redact({ ...base, ...fields }) as Fields;
    if (format === 'json') return write(JSON.stringify({ level: lvl, time: new Date().toISOString(), msg, ...safe }));
    const line = prettyLine(lvl, msg, safe, new Date());
    if (line !== null) write(line);
  };
  return {
    debug: (m, f) => emit('debug', m, f),
    info: (m, f) => emit('info', m, f),
    warn: (m, f) => emit('warn', m, f),
    error: (m, f) => emit('error', m, f),
    child: (fields) => makeLogger({ ...base, ...fields }, level, write, format),
  };
}
