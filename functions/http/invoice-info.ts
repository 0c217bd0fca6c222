import { strayReviewsFor } from '../../shared/app/invoice-payments';
import { chainHeadsFor, getInvoices, listInvoices } from '../../shared/app/invoices';
import { presentInvoice } from '../../shared/api/cryptocloud/presenters';
import { InvoiceInfoRequest, ListInvoicesRequest, looksLikeList } from '../../shared/api/cryptocloud/requests';
import type { InvoiceId } from '../../shared/domain/ids';
import { ok } from '../../shared/domain/result';
import { fromSchema, type HttpRequest, requireProject, route, requestOf } from '../kit/http';
import { InvoiceList } from '../../shared/api/cryptocloud/responses';

const infoInput = fromSchema(InvoiceInfoRequest);
const listInput = fromSchema(ListInvoicesRequest);

/** An old doc page sent list bodies to /info; some SDKs copied it (reference §1.4). */
type InfoInput = { list: ReturnType<typeof ListInvoicesRequest.parse> } | { ids: InvoiceId[] };

const input = (req: HttpRequest): { ok: true; value: InfoInput } | { ok: false; errors: Record<string, string> } => {
  if (looksLikeList(req.body)) {
    const list = listInput(req);
    return list.ok ? { ok: true, value: { list: list.value } } : list;
  }
  const info = infoInput(req);
  return info.ok ? { ok: true, value: { ids: info.value.ids } } : info;
};

export const invoiceInfo = route({
  route: 'invoice.info',
  input,
  request: requestOf(infoInput),
  response: InvoiceList,
  run: async ({ deps, project, input }) => {
    const own = requireProject(project);
    const invoices = 'list' in input ? await listInvoices(deps, own, input.list, input.list.offset, input.list.limit) : await getInvoices(deps, own, input.ids);
    return ok({ invoices, heads: await chainHeadsFor(deps, invoices), strays: await strayReviewsFor(deps, invoices) });
  },
  present: ({ invoices, heads, strays }, { deps, project }) => invoices.map((i) => presentInvoice({ ...deps.settings, heads, strays }, i, requireProject(project))),
});
