/** What the native and admin mass payout routes share: the path's batch id, the create body, the page query. */
import { ApprovePayoutBatchRequest, CreatePayoutBatchRequest, listPayoutBatchesQuery } from '../../shared/api/native/payout-batches';
import { fromSchema, type HttpRequest, inQuery, withRequest } from '../kit/http';
import { idempotencyProblem } from './withdrawal-common';

export const batchIdOf = (req: HttpRequest) => req.pathParameters.batchId ?? '';

const body = fromSchema(CreatePayoutBatchRequest);
/** The items (each checked by the use case, every bad one reported) and a bounded Idempotency-Key. */
export const createBatchInput = withRequest((req: HttpRequest) => {
  const problem = idempotencyProblem(req);
  return problem ? { ok: false as const, errors: problem } : body(req);
}, body);

const page = fromSchema(listPayoutBatchesQuery, inQuery);
export const listBatchesInput = withRequest((req: HttpRequest) => {
  const parsed = page(req);
  return parsed.ok ? { ok: true as const, value: { limit: parsed.value.limit, cursor: parsed.value.cursor ?? null } } : parsed;
}, page);

const approveBody = fromSchema(ApprovePayoutBatchRequest);
/** POST .../{batchId}/approve {code}. */
export const approveBatchInput = withRequest((req: HttpRequest) => {
  const parsed = approveBody(req);
  return parsed.ok ? { ok: true as const, value: { batchId: batchIdOf(req), code: parsed.value.code } } : parsed;
}, approveBody);
