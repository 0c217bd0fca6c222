/**
 * The worst form bodies a client can send within BODY_BYTES_MAX, one per way a decoder can be made
 * to do more than linear work: repeated keys (with and without a name), append brackets, deep
 * brackets, many distinct keys, and the largest bodies still under the pair and per-key caps. The
 * decoder tests and the `form-decode` bench stage share them, so the bench measures what the tests
 * hold the decoder to.
 */
import { BODY_BYTES_MAX, FORM_DEPTH_MAX, FORM_ITEMS_PER_KEY_MAX, FORM_PAIRS_MAX } from '../../shared/api/cryptocloud/wire';

/** `pair(i)` joined by `&` for as long as the body stays within BODY_BYTES_MAX (all ASCII: bytes = chars). */
function fill(pair: (i: number) => string, pairsMax = Number.POSITIVE_INFINITY): string {
  const parts: string[] = [];
  let length = -1;
  for (let i = 0; i < pairsMax; i += 1) {
    const next = pair(i);
    if (length + 1 + next.length > BODY_BYTES_MAX) break;
    parts.push(next);
    length += 1 + next.length;
  }
  return parts.join('&');
}

/** Pads `prefix` with `x` so that `count` such pairs fill the body. */
const padTo = (count: number, prefix: string) => 'x'.repeat(Math.max(0, Math.floor(BODY_BYTES_MAX / count) - prefix.length - 2));

const deepKey = (i: number) => `a${Array.from({ length: FORM_DEPTH_MAX - 1 }, (_, d) => `[${d}_${i}]`).join('')}`;

/** Bodies over the pair cap: the decoder must refuse them before decoding any pair. */
export const OVER_PAIR_CAP: Record<string, string> = {
  nameless_repeated: fill(() => '='),
  repeated_key: fill(() => 'a='),
  repeated_append: fill(() => 'a[]='),
  repeated_deep_append: fill(() => `a${'[b]'.repeat(FORM_DEPTH_MAX - 2)}[]=`),
  distinct_keys: fill((i) => `k${i}=`),
  distinct_deep_keys: fill((i) => `${deepKey(i)}=`),
};

/** Bodies at the caps, each pair as long as the body allows: the most a decoder ever decodes. */
export const AT_CAPS: Record<string, string> = {
  // FORM_PAIRS_MAX distinct paths, each the deepest allowed, with long segments: the most objects.
  distinct_deep_paths: fill((i) => {
    const key = deepKey(i);
    return `${key.slice(0, 1)}[${padTo(FORM_PAIRS_MAX, key)}${key.slice(2)}=`;
  }, FORM_PAIRS_MAX),
  // Every key holds FORM_ITEMS_PER_KEY_MAX values: the longest arrays.
  full_lists: fill((i) => {
    const prefix = `k${Math.floor(i / FORM_ITEMS_PER_KEY_MAX)}[]=`;
    return `${prefix}${padTo(FORM_PAIRS_MAX, prefix)}`;
  }, FORM_PAIRS_MAX),
  // Percent escapes everywhere: the most decoding per byte.
  escaped: fill((i) => {
    const prefix = `%6B${i}%5B%5D=`;
    return `${prefix}${'%41'.repeat(Math.floor(padTo(FORM_PAIRS_MAX, prefix).length / 3))}`;
  }, FORM_PAIRS_MAX),
};

/** Bodies with one pair or none, shaped to stress a key or pair scanner. */
export const SINGLE_PAIR: Record<string, string> = {
  ampersands: '&'.repeat(BODY_BYTES_MAX),
  open_brackets: `a${'['.repeat(BODY_BYTES_MAX - 3)}=1`,
  deep_brackets: `a${'[x]'.repeat(Math.floor((BODY_BYTES_MAX - 3) / 3))}=1`,
  one_long_segment: `a[${'x'.repeat(BODY_BYTES_MAX - 6)}]=1`,
};

export const HOSTILE_FORMS: Record<string, string> = { ...OVER_PAIR_CAP, ...AT_CAPS, ...SINGLE_PAIR };
