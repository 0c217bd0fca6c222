import { getInvoices, listInvoices } from '../../shared/app/invoices';
import { presentInvoice } from '../../shared/api/cryptocloud/presenters';
import { InvoiceInfoRequest, ListInvoicesRequest, looksLikeList } from '../../shared/api/cryptocloud/requests';
import type { InvoiceId } from '../../shared/domain/ids';
import { ok } from '../../shared/domain/result';
import { fromSchema, type HttpRequest, requireProject, route } from '../kit/http';

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
  run: async ({ deps, project, input }) => {
    const own = requireProject(project);
    if ('list' in input) return ok(await listInvoices(deps, own, input.list, input.list.offset, input.list.limit));
    return ok(await getInvoices(deps, own, input.ids));
  },
  present: (invoices, { deps, project }) => invoices.map((i) => presentInvoice(deps.settings, i, requireProject(project))),
});
