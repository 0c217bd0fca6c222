/**
 * Decoding request bodies the way CryptoCloud clients send them (reference §8): JSON, or
 * x-www-form-urlencoded with PHP-style brackets (`add_fields[time_to_pay][hours]=1`).
 */

export const BODY_BYTES_MAX = 64 * 1024;

export type BodyDecodeError = { kind: 'content_type'; contentType: string } | { kind: 'malformed_json' } | { kind: 'not_an_object' };

const asArray = (v: unknown): unknown[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);
const isPlainObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

function assign(node: Record<string, unknown>, path: string[], value: string): void {
  const [head, ...rest] = path;
  if (rest.length === 0) node[head] = node[head] === undefined ? value : [...asArray(node[head]), value];
  else if (rest[0] === '') node[head] = [...asArray(node[head]), value];
  else {
    if (!isPlainObject(node[head])) node[head] = {};
    assign(node[head] as Record<string, unknown>, rest, value);
  }
}

/** Bracket keys become nested objects; `a[]=x&a[]=y` and repeated keys become arrays. */
export function decodeForm(text: string): Record<string, unknown> {
  const root: Record<string, unknown> = {};
  for (const [rawKey, value] of new URLSearchParams(text)) {
    const m = /^([^[\]]+)((?:\[[^[\]]*\])*)$/.exec(rawKey);
    const path = m ? [m[1], ...[...m[2].matchAll(/\[([^[\]]*)\]/g)].map((x) => x[1])] : [rawKey];
    assign(root, path, value);
  }
  return root;
}

/** Decodes a body by content type. An empty body is `{}` whatever the type (one SDK posts none). */
export function decodeBody(contentType: string | undefined, text: string): { ok: true; value: Record<string, unknown> } | { ok: false; error: BodyDecodeError } {
  const type = (contentType ?? '').split(';')[0].trim().toLowerCase();
  if (text.trim() === '') return { ok: true, value: {} };
  const asJson = () => {
    try {
      const parsed: unknown = JSON.parse(text);
      if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return { ok: false as const, error: { kind: 'not_an_object' as const } };
      return { ok: true as const, value: parsed as Record<string, unknown> };
    } catch {
      return { ok: false as const, error: { kind: 'malformed_json' as const } };
    }
  };
  if (type === 'application/json' || type.endsWith('+json')) return asJson();
  if (type === 'application/x-www-form-urlencoded') return { ok: true, value: decodeForm(text) };
  if (type === '') {
    // No declared type: sniff, since some HTTP libraries omit it on POST.
    return text.trimStart().startsWith('{') ? asJson() : { ok: true, value: decodeForm(text) };
  }
  return { ok: false, error: { kind: 'content_type', contentType: type } };
}
