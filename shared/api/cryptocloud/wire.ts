/**
 * Decoding request bodies the way CryptoCloud clients send them (reference §8): JSON, or
 * x-www-form-urlencoded with PHP-style brackets (`add_fields[time_to_pay][hours]=1`).
 */

export const BODY_BYTES_MAX = 64 * 1024;

export type BodyDecodeError = { kind: 'content_type'; contentType: string } | { kind: 'malformed_json' } | { kind: 'not_an_object' } | { kind: 'too_deep'; depthMax: number };

/** Real clients nest two levels (`add_fields[time_to_pay][hours]`); anything deep is hostile. */
export const FORM_DEPTH_MAX = 5;
export const JSON_DEPTH_MAX = 32;
/** Keys that would reach Object.prototype: dropped, like any other unknown field. */
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

const asArray = (v: unknown): unknown[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);
const isPlainObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
const own = (node: Record<string, unknown>, key: string) => (Object.hasOwn(node, key) ? node[key] : undefined);

function assign(root: Record<string, unknown>, path: string[], value: string): void {
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
  node[leaf] = existing === undefined && appendAt === -1 ? value : [...asArray(existing), value];
}

/** Bracket keys become nested objects; `a[]=x&a[]=y` and repeated keys become arrays. */
export function decodeForm(text: string): { ok: true; value: Record<string, unknown> } | { ok: false; error: BodyDecodeError } {
  const root: Record<string, unknown> = {};
  for (const [rawKey, value] of new URLSearchParams(text)) {
    const m = /^([^[\]]+)((?:\[[^[\]]*\])*)$/.exec(rawKey);
    const path = m ? [m[1], ...[...m[2].matchAll(/\[([^[\]]*)\]/g)].map((x) => x[1])] : [rawKey];
    if (path.length > FORM_DEPTH_MAX) return { ok: false, error: { kind: 'too_deep', depthMax: FORM_DEPTH_MAX } };
    if (path.some((segment) => FORBIDDEN_KEYS.has(segment))) continue;
    assign(root, path, value);
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
  if (type === 'application/x-www-form-urlencoded') return decodeForm(text);
  if (type === '') {
    // No declared type: sniff, since some HTTP libraries omit it on POST.
    return text.trimStart().startsWith('{') ? asJson() : decodeForm(text);
  }
  return { ok: false, error: { kind: 'content_type', contentType: type } };
}
