/** Lambda entry for the `admin` route group: what the tollgate CLI calls. */
import { hashKey } from '../kit/deps';
import { CreateProjectRequest, presentProject, RotateKeysRequest, SettingsPatchRequest } from '../../shared/api/admin/contract';
import { presentInvoice } from '../../shared/api/cryptocloud/presenters';
import { confirmTestInvoice } from '../../shared/app/invoices';
import { createProject, rotateKeys, showProject, updateProject } from '../../shared/app/projects';
import { parseInvoiceRef } from '../../shared/domain/ids';
import { err, ok } from '../../shared/domain/result';
import { fromSchema, type HttpRequest, httpGroup, route } from '../kit/http';

const createInput = fromSchema(CreateProjectRequest);
const patchInput = fromSchema(SettingsPatchRequest);
const rotateInput = fromSchema(RotateKeysRequest);
const noInput = (): { ok: true; value: null } => ({ ok: true, value: null });

const shopIdOf = (p: Record<string, string | undefined>) => p.shopId ?? '';

export const projectCreate = route({
  route: 'admin.project.create',
  input: createInput,
  run: ({ deps, input, now }) => createProject(deps, hashKey, { name: input.name, patch: input, now }),
  present: ({ project, keys }) => ({ ...presentProject(project), api_key: keys.apiKey, secret_key: keys.secretKey }),
  status: 201,
});

export const projectList = route({
  route: 'admin.project.list',
  input: noInput,
  run: async ({ deps }) => ok(await deps.projects.list()),
  present: (projects) => projects.map(presentProject),
});

export const projectShow = route({
  route: 'admin.project.show',
  input: (req: HttpRequest) => ({ ok: true as const, value: shopIdOf(req.pathParameters) }),
  run: ({ deps, input }) => showProject(deps, input),
  present: (project) => presentProject(project),
});

export const projectUpdate = route({
  route: 'admin.project.update',
  input: (req: HttpRequest) => {
    const patch = patchInput(req);
    return patch.ok ? { ok: true as const, value: { shopId: shopIdOf(req.pathParameters), patch: patch.value } } : patch;
  },
  run: ({ deps, input }) => updateProject(deps, input.shopId, input.patch),
  present: (project) => presentProject(project),
});

export const projectRotateKeys = route({
  route: 'admin.project.rotate_keys',
  input: (req: HttpRequest) => {
    const which = rotateInput(req);
    return which.ok ? { ok: true as const, value: { shopId: shopIdOf(req.pathParameters), which: which.value } } : which;
  },
  run: ({ deps, input, now }) => rotateKeys(deps, hashKey, input.shopId, input.which, now),
  present: ({ project, keys }) => ({ ...presentProject(project), api_key: keys.apiKey, secret_key: keys.secretKey }),
});

export const invoiceConfirmTest = route({
  route: 'admin.invoice.confirm_test',
  input: (req: HttpRequest) => {
    const id = parseInvoiceRef(req.pathParameters.invoiceId ?? '');
    return id.ok ? { ok: true as const, value: id.value } : { ok: false as const, errors: { uuid: 'expected an invoice id such as INV-XXXXXXXX' } };
  },
  run: async ({ deps, input, now }) => {
    const invoice = await deps.invoices.get(input);
    const project = invoice ? await deps.projects.get(invoice.shopId) : null;
    if (!invoice || !project) return err({ kind: 'invoice.not_found' as const, invoiceId: `INV-${input}` });
    const done = await confirmTestInvoice(deps, project, input, now);
    return done.ok ? ok({ invoice: done.value, project }) : done;
  },
  present: ({ invoice, project }, { deps }) => presentInvoice(deps.settings, invoice, project),
});

export const handler = httpGroup([projectCreate, projectList, projectShow, projectUpdate, projectRotateKeys, invoiceConfirmTest]);
