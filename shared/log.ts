/** Structured JSON logs with secrets redacted (STYLE §8). One line per event. */
import type { Logger } from './ports';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';
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

export function makeLogger(base: Record<string, unknown>, level: LogLevel, write: (line: string) => void = (l) => process.stdout.write(`${l}\n`)): Logger {
  const emit = (lvl: Exclude<LogLevel, 'silent'>, msg: string, fields?: Record<string, unknown>) => {
    if (RANK[lvl] < RANK[level]) return;
    write(JSON.stringify({ level: lvl, time: new Date().toISOString(), msg, ...(redact({ ...base, ...fields }) as object) }));
  };
  return {
    debug: (m, f) => emit('debug', m, f),
    info: (m, f) => emit('info', m, f),
    warn: (m, f) => emit('warn', m, f),
    error: (m, f) => emit('error', m, f),
    child: (fields) => makeLogger({ ...base, ...fields }, level, write),
  };
}
