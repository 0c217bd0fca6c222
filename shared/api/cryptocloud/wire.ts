/**
 * Decoding request bodies the way CryptoCloud clients send them (reference §8): JSON, or
 * x-www-form-urlencoded with PHP-style brackets (`add_fields[time_to_pay][hours]=1`).
 */

import { INFO_IDS_MAX_WIRE } from './limits';

export const BODY_BYTES_MAX = 64 * 1024;

export type BodyDecodeError =
  | { kind: 'content_type'; contentType: string }
  | { kind: 'malformed_json' }
  | { kind: 'not_an_object' }
  | { kind: 'too_deep'; depthMax: number }
  | { kind: 'too_many_pairs'; pairsMax: number }
  | { kind: 'too_many_items'; key: string; itemsMax: number }
  /** A JSON object sent under another declared type (curl's `-d` says form-urlencoded unless told). */
  | { kind: 'json_mislabeled'; contentType: string };

/** Real clients nest two levels (`add_fields[time_to_pay][hours]`); anything deep is hostile. */
export const FORM_DEPTH_MAX = 5;
export const JSON_DEPTH_MAX = 32;
/**
 * Pairs in one form body. The largest real body is an info request with INFO_IDS_MAX_WIRE ids and a
 * few fields; a 64 KiB body of `&a=` holds 20,000, and a hostile one is refused before any is decoded.
 */
export const FORM_PAIRS_MAX = 10 * INFO_IDS_MAX_WIRE;
/**
 * Values one form key may collect (`a[]=x` or a repeated key). Above the longest list the wire takes
 * (INFO_IDS_MAX_WIRE ids), so a list a little too long still gets the schema's own message.
 */
export const FORM_ITEMS_PER_KEY_MAX = 2 * INFO_IDS_MAX_WIRE;
/** A hostile key can be 64 KiB long; an error message names only its start. */
const KEY_ECHO_CHARS_MAX = 64;
/** Keys that would reach Object.prototype: dropped, like any other unknown field. */
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

type FormDecoded = { ok: true; value: Record<string, unknown> } | { ok: false; error: BodyDecodeError };

const isPlainObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
const own = (node: Record<string, unknown>, key: string) => (Object.hasOwn(node, key) ? node[key] : undefined);

/**
 * `a[b][]` → ['a', 'b', '']. A key that is not of that shape (`[a]`, `a[b`, `a]`) is one name, whole.
 * One pass over the key, no regular expression, so a 64 KiB key costs 64 KiB of work.
 */
function keyPath(key: string): string[] {
  const open = key.indexOf('[');
  if (open <= 0 || key.lastIndexOf(']', open) !== -1) return [key];
  const path = [key.slice(0, open)];
  let at = open;
  while (at < key.length) {
    const close = key.indexOf(']', at + 1);
    if (key[at] !== '[' || close === -1) return [key];
    const segment = key.slice(at + 1, close);
    if (segment.includes('[')) return [key];
    path.push(segment);
    at = close + 1;
  }
  return path;
}

/** Pairs `new URLSearchParams(text)` would yield (it skips empty `&&` runs), counting no further than `max + 1`. */
function pairCountExceeds(text: string, max: number): boolean {
  let count = 0;
  let start = 0;
  while (start <= text.length) {
    const end = text.indexOf('&', start);
    const stop = end === -1 ? text.length : end;
    if (stop > start) {
      count += 1;
      if (count > max) return true;
    }
    if (end === -1) return false;
    start = end + 1;
  }
  return false;
}

/**
 * Writes one value; returns false when its key already holds FORM_ITEMS_PER_KEY_MAX values. Arrays
 * grow in place, so n values under one key cost n steps, not n²/2 copies.
 */
function assign(root: Record<string, unknown>, path: string[], value: string): boolean {
  // An empty segment (`a[]`) means "append": the segments before it name an array.
  const appendAt = path.indexOf('', 1);
  const names = appendAt === -1 ? path : path.slice(0, appendAt);
  let node = root;
  for (const name of names.slice(0, -1)) {
    if (!isPlainObject(own(node, name))) node[name] = {};
    node = node[name] as Record<string, unknown>;
  }
  const leaf = names[names.length - 1];
  const existing = own(node, leaf);
  if (existing === undefined) {
    node[leaf] = appendAt === -1 ? value : [value];
  } else if (Array.isArray(existing)) {
    if (existing.length >= FORM_ITEMS_PER_KEY_MAX) return false;
    existing.push(value);
  } else {
    node[leaf] = [existing, value];
  }
  return true;
}

/**
 * Bracket keys become nested objects; `a[]=x&a[]=y` and repeated keys become arrays. Linear in the
 * body's length: the pair count is checked before anything is decoded, and no step revisits
 * earlier pairs.
 */
export function decodeForm(text: string): FormDecoded {
  if (pairCountExceeds(text, FORM_PAIRS_MAX)) return { ok: false, error: { kind: 'too_many_pairs', pairsMax: FORM_PAIRS_MAX } };
  const root: Record<string, unknown> = {};
  for (const [rawKey, value] of new URLSearchParams(text)) {
    const path = keyPath(rawKey);
    if (path.length > FORM_DEPTH_MAX) return { ok: false, error: { kind: 'too_deep', depthMax: FORM_DEPTH_MAX } };
    if (path.some((segment) => FORBIDDEN_KEYS.has(segment))) continue;
    if (!assign(root, path, value)) {
      return { ok: false, error: { kind: 'too_many_items', key: rawKey.slice(0, KEY_ECHO_CHARS_MAX), itemsMax: FORM_ITEMS_PER_KEY_MAX } };
    }
  }
  return { ok: true, value: root };
}

/** Nesting depth of a parsed JSON value, without recursion (so a hostile body cannot overflow the stack). */
function depthOf(value: unknown): number {
  let deepest = 0;
  const stack: [unknown, number][] = [[value, 1]];
  while (stack.length > 0) {
    const [v, depth] = stack.pop() as [unknown, number];
    if (v === null || typeof v !== 'object') continue;
    deepest = Math.max(deepest, depth);
    if (deepest > JSON_DEPTH_MAX) return deepest;
    for (const child of Object.values(v)) stack.push([child, depth + 1]);
  }
  return deepest;
}

/** Decodes a body by content type. An empty body is `{}` whatever the type (one SDK posts none). */
export function decodeBody(contentType: string | undefined, text: string): { ok: true; value: Record<string, unknown> } | { ok: false; error: BodyDecodeError } {
  const type = (contentType ?? '').split(';')[0].trim().toLowerCase();
  if (text.trim() === '') return { ok: true, value: {} };
  const asJson = () => {
    try {
      const parsed: unknown = JSON.parse(text);
      if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return { ok: false as const, error: { kind: 'not_an_object' as const } };
      if (depthOf(parsed) > JSON_DEPTH_MAX) return { ok: false as const, error: { kind: 'too_deep' as const, depthMax: JSON_DEPTH_MAX } };
      return { ok: true as const, value: parsed as Record<string, unknown> };
    } catch {
      return { ok: false as const, error: { kind: 'malformed_json' as const } };
    }
  };
  if (type === 'application/json' || type.endsWith('+json')) return asJson();
  // A form body never starts with `{`, but a JSON one sent without its header does: decoded as a
  // form it would be one nonsense key, and every field "not passed". Say what happened instead.
  if (type !== '' && text.trimStart().startsWith('{') && asJson().ok) return { ok: false, error: { kind: 'json_mislabeled', contentType: type } };
  if (type === 'application/x-www-form-urlencoded') return decodeForm(text);
  if (type === '') {
    // No declared type: sniff, since some HTTP libraries omit it on POST.
    return text.trimStart().startsWith('{') ? asJson() : decodeForm(text);
  }
  return { ok: false, error: { kind: 'content_type', contentType: type } };
}
