/** What the native and admin withdrawal routes share: the path's id, the page query and the Idempotency-Key. */
import { listWithdrawalsQuery } from '../../shared/api/native/withdrawals';
import { canonicalJson } from '../kit/canonical-json';
import { hashKey } from '../kit/deps';
import { fromSchema, type HttpRequest, inQuery, withRequest } from '../kit/http';

export const withdrawalIdInput = withRequest((req: HttpRequest) => ({ ok: true as const, value: req.pathParameters.withdrawalId ?? '' }), {});

const page = fromSchema(listWithdrawalsQuery, inQuery);
export const listInput = withRequest((req: HttpRequest) => {
  const parsed = page(req);
  return parsed.ok ? { ok: true as const, value: { limit: parsed.value.limit, cursor: parsed.value.cursor ?? null } } : parsed;
}, page);

const IDEMPOTENCY_KEY_LENGTH_MAX = 255;

/** The key's and the body's hashes: the same key with another body is refused, not answered with the first withdrawal. */
export function idempotencyOf(req: HttpRequest): { keyHash: string; requestHash: string } | null {
  const key = req.headers['idempotency-key']?.trim();
  return key ? { keyHash: hashKey(key), requestHash: hashKey(canonicalJson(req.body)) } : null;
}

/** An over-long key is refused, not cut (two keys differing past the cut would name one request). */
export const idempotencyProblem = (req: HttpRequest): Record<string, string> | null => {
  const length = req.headers['idempotency-key']?.trim().length ?? 0;
  return length > IDEMPOTENCY_KEY_LENGTH_MAX ? { idempotency: `Idempotency-Key is ${length} characters long; at most ${IDEMPOTENCY_KEY_LENGTH_MAX} are allowed` } : null;
};
