import { createInvoice } from '../../shared/app/create-invoice';
import { showProject } from '../../shared/app/projects';
import { presentCreatedInvoice } from '../../shared/api/cryptocloud/presenters';
import { CreateInvoiceRequest } from '../../shared/api/cryptocloud/requests';
import { ok } from '../../shared/domain/result';
import { fromSchema, route } from '../kit/http';
import { shopIdOf } from './admin-common';
import { CreatedInvoice } from '../../shared/api/cryptocloud/responses';

/** The CryptoCloud create body, with the shop taken from the path. */
const input = fromSchema(CreateInvoiceRequest, (req) => ({ ...req.body, shop_id: shopIdOf(req) }));

/**
 * A payment link without merchant code (`tollgate link create`): the same use case and answer as
 * CryptoCloud's create. The payer picks the currency on the page, so `cryptocurrency` is not
 * taken here (and this function needs no deposit-address rights); no Idempotency-Key either.
 */
export const adminInvoiceCreate = route({
  route: 'admin.invoice.create',
  input,
  request: { body: CreateInvoiceRequest },
  response: CreatedInvoice,
  run: async ({ deps, input, now }) => {
    const project = await showProject(deps, input.shopId);
    if (!project.ok) return project;
    const made = await createInvoice(deps, { ...input, cryptocurrency: null, project: project.value, locale: project.value.settings.locale, idempotency: null, now });
    return made.ok ? ok({ invoice: made.value, project: project.value }) : made;
  },
  present: ({ invoice, project }, { deps }) => presentCreatedInvoice(deps.settings, invoice, project),
  status: 201,
});
