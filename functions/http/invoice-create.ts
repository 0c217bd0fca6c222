import { createInvoice } from '../../shared/app/create-invoice';
import { presentCreatedInvoice } from '../../shared/api/cryptocloud/presenters';
import { CreateInvoiceRequest } from '../../shared/api/cryptocloud/requests';
import { hashKey } from '../kit/deps';
import { err } from '../../shared/domain/result';
import { canonicalJson } from '../kit/canonical-json';
import { fromSchema, type HttpRequest, requireProject, route, withRequest } from '../kit/http';
import { CreatedInvoice } from '../../shared/api/cryptocloud/responses';

const IDEMPOTENCY_KEY_LENGTH_MAX = 255;

function idempotencyOf(req: HttpRequest) {
  const key = req.headers['idempotency-key']?.trim();
  if (!key) return null;
  return { key, keyHash: hashKey(key), requestHash: hashKey(canonicalJson(req.body)) };
}

const body = fromSchema(CreateInvoiceRequest);

/**
 * An over-long Idempotency-Key is refused, not cut: two keys that differ only past the limit would
 * otherwise name one request, and the second would get the first one's invoice.
 */
const input: typeof body = withRequest((req) => {
  const length = req.headers['idempotency-key']?.trim().length ?? 0;
  if (length > IDEMPOTENCY_KEY_LENGTH_MAX) {
    return { ok: false, errors: { idempotency: `Idempotency-Key is ${length} characters long; at most ${IDEMPOTENCY_KEY_LENGTH_MAX} are allowed` } };
  }
  return body(req);
}, body);

export const invoiceCreate = route({
  route: 'invoice.create',
  input: input,
  response: CreatedInvoice,
  run: async ({ deps, project, input, now, req }) => {
    const own = requireProject(project);
    if (input.shopId !== own.shopId) return err({ kind: 'invoice.shop_mismatch' as const, shopId: input.shopId });
    return createInvoice(deps, { ...input, project: own, locale: req.locale ?? own.settings.locale, idempotency: idempotencyOf(req), now });
  },
  present: (invoice, { deps, project }) => presentCreatedInvoice(deps.settings, invoice, requireProject(project)),
});
