/** POST /api/public/pos/{token}/invoices: a sale from the POS page; the token decides project, currency and maximum. */
import { PosSaleRequest, posToken, presentPublicInvoice } from '../../shared/api/native/pos-widget';
import { createPosSale } from '../../shared/app/pos';
import { err } from '../../shared/domain/result';
import { hashKey } from '../kit/deps';
import { fromSchema, route, requestOf } from '../kit/http';

const input = fromSchema(PosSaleRequest);

export const publicPosInvoiceCreate = route({
  route: 'public.pos.invoice_create',
  input: (req) => {
    const body = input(req);
    return body.ok ? { ok: true, value: { ...body.value, token: req.pathParameters.token ?? '' } } : body;
  },
  request: requestOf(input),
  run: async ({ deps, input, now }) =>
    // A malformed token is unknown too: the same 404, and no table read for it.
    posToken.safeParse(input.token).success ? createPosSale(deps, hashKey, { ...input, now }) : err({ kind: 'pos.not_found' as const }),
  present: ({ invoice }, { deps }) => presentPublicInvoice(deps.settings.publicBaseUrl, invoice),
  status: 201,
});
