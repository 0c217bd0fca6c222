/** Native invoice endpoints: currency choice (payer), partial confirm and attach-tx (merchant). */
import { presentInvoice, presentPayerInvoice } from '../../shared/api/cryptocloud/presenters';
import { AttachTxRequest, invoicePathId, SelectCurrencyRequest } from '../../shared/api/native/requests';
import { type AttachedTransfer, attachTransaction, confirmInvoice, selectCurrency } from '../../shared/app/invoice-payments';
import { ok } from '../../shared/domain/result';
import { type HttpRequest, fromSchema, inPath, requireProject, route, withRequest } from '../kit/http';

export const pathId = fromSchema(invoicePathId, inPath('invoiceId'), 'invoice_id');
const selectBody = fromSchema(SelectCurrencyRequest);
const attachBody = fromSchema(AttachTxRequest);

/** Path id plus body, with every problem reported together. */
export function idAnd<T>(body: (req: HttpRequest) => { ok: true; value: T } | { ok: false; errors: Record<string, string> }) {
  return withRequest((req: HttpRequest) => {
    const id = pathId(req);
    const rest = body(req);
    if (id.ok && rest.ok) return { ok: true as const, value: { id: id.value, body: rest.value } };
    return { ok: false as const, errors: { ...(id.ok ? {} : id.errors), ...(rest.ok ? {} : rest.errors) } };
  }, pathId, body);
}

const selectInput = idAnd(selectBody);
const attachInput = idAnd(attachBody);

export const presentAttached = (transfers: AttachedTransfer[]) =>
  transfers.map((t) => ({ key: t.key, amount_units: t.amount.toString(), block_number: t.blockNumber, confirmations: t.confirmations, required_confirmations: t.requiredConfirmations, final: false }));

export const invoiceSelect = route({
  route: 'api.invoice.select',
  input: selectInput,
  run: async ({ deps, input, now }) => {
    const selected = await selectCurrency(deps, input.id, input.body.currency, now, input.body.email);
    if (!selected.ok) return selected;
    const project = await deps.projects.get(selected.value.shopId);
    if (!project) throw new Error(`invariant: invoice ${input.id} has no project`);
    return ok({ invoice: selected.value, project });
  },
  // The payer's view: the select route needs no key, so it shows no merchant data.
  present: ({ invoice, project }, { deps }) => presentPayerInvoice(deps.settings, invoice, project),
});

export const invoiceConfirm = route({
  route: 'api.invoice.confirm',
  input: pathId,
  run: ({ deps, project, input, now }) => confirmInvoice(deps, requireProject(project), input, now),
  present: (invoice, { deps, project }) => presentInvoice(deps.settings, invoice, requireProject(project)),
});

export const invoiceAttachTx = route({
  route: 'api.invoice.attach_tx',
  input: attachInput,
  run: async ({ deps, project, input }) => {
    const out = await attachTransaction(deps, requireProject(project), input.id, input.body.tx_hash);
    return out.ok ? ok(out.value.transfers) : out;
  },
  present: (transfers) => ({ accepted: presentAttached(transfers) }),
  status: 202,
});
