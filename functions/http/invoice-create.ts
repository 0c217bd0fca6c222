import { createInvoice } from '../../shared/app/create-invoice';
import { presentCreatedInvoice } from '../../shared/api/cryptocloud/presenters';
import { CreateInvoiceRequest } from '../../shared/api/cryptocloud/requests';
import { hashKey } from '../kit/deps';
import { err } from '../../shared/domain/result';
import { canonicalJson } from '../kit/canonical-json';
import { fromSchema, type HttpRequest, requireProject, route } from '../kit/http';

const IDEMPOTENCY_KEY_LENGTH_MAX = 255;

function idempotencyOf(req: HttpRequest) {
  const key = req.headers['idempotency-key']?.trim().slice(0, IDEMPOTENCY_KEY_LENGTH_MAX);
  if (!key) return null;
  return { key, keyHash: hashKey(key), requestHash: hashKey(canonicalJson(req.body)) };
}

const input = fromSchema(CreateInvoiceRequest);

export const invoiceCreate = route({
  route: 'invoice.create',
  input: input,
  run: async ({ deps, project, input, now, req }) => {
    const own = requireProject(project);
    if (input.shopId !== own.shopId) return err({ kind: 'invoice.shop_mismatch' as const, shopId: input.shopId });
    return createInvoice(deps, { ...input, project: own, locale: req.locale ?? own.settings.locale, idempotency: idempotencyOf(req), now });
  },
  present: (invoice, { deps, project }) => presentCreatedInvoice(deps.settings, invoice, requireProject(project)),
});
