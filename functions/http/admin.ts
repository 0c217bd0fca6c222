/** Lambda entry for the `admin` route group: what the tollgate CLI calls. */

import { CreateProjectRequest, presentProject, RotateKeysRequest, SettingsPatchRequest } from '../../shared/api/admin/contract';
import { presentInvoice } from '../../shared/api/cryptocloud/presenters';
import { presentDeadLetter, presentPostbackEvent, presentPostbackLog } from '../../shared/api/native/postbacks';
import { AttachTxRequest, chainPathId, RescanRequest } from '../../shared/api/native/requests';
import { rescanRange, WatchSet } from '../../shared/app/chain-watcher';
import { attachTransaction, confirmInvoice } from '../../shared/app/invoice-payments';
import { confirmTestInvoice } from '../../shared/app/invoices';
import { postbackLogOf, resendPostbacks } from '../../shared/app/postbacks';
import { createProject, rotateKeys, showProject, updateProject } from '../../shared/app/projects';
import { describeFinality } from '../../shared/domain/chains';
import type { InvoiceId } from '../../shared/domain/ids';
import { parseInvoiceRef } from '../../shared/domain/ids';
import { err, ok } from '../../shared/domain/result';
import type { Deps } from '../../shared/ports';
import { hashKey, runtime, watcherDeps } from '../kit/deps';
import { fromSchema, type HttpRequest, httpGroup, route } from '../kit/http';
import { idAnd, pathId, presentAttached } from './invoice-payments';

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

/** The CLI names an invoice only; its project comes from the invoice. */
async function invoiceAndProject(deps: Deps, id: InvoiceId) {
  const invoice = await deps.invoices.get(id);
  const project = invoice ? await deps.projects.get(invoice.shopId) : null;
  return invoice && project ? ok({ invoice, project }) : err({ kind: 'invoice.not_found' as const, invoiceId: `INV-${id}` });
}

export const adminInvoiceConfirm = route({
  route: 'admin.invoice.confirm',
  input: pathId,
  run: async ({ deps, input, now }) => {
    const found = await invoiceAndProject(deps, input);
    if (!found.ok) return found;
    const done = await confirmInvoice(deps, found.value.project, input, now);
    return done.ok ? ok({ invoice: done.value, project: found.value.project }) : done;
  },
  present: ({ invoice, project }, { deps }) => presentInvoice(deps.settings, invoice, project),
});

const attachInput = idAnd(fromSchema(AttachTxRequest));
export const adminInvoiceAttachTx = route({
  route: 'admin.invoice.attach_tx',
  input: attachInput,
  run: async ({ deps, input }) => {
    const found = await invoiceAndProject(deps, input.id);
    if (!found.ok) return found;
    const out = await attachTransaction(deps, found.value.project, input.id, input.body.tx_hash);
    return out.ok ? ok(out.value.transfers) : out;
  },
  present: (transfers) => ({ accepted: presentAttached(transfers) }),
  status: 202,
});

export const adminInvoicePostbacks = route({
  route: 'admin.invoice.postbacks',
  input: pathId,
  run: async ({ deps, input }) => {
    const found = await invoiceAndProject(deps, input);
    return found.ok ? postbackLogOf(deps, found.value.project, input) : found;
  },
  present: (view) => presentPostbackLog(view),
});

export const adminInvoicePostbacksResend = route({
  route: 'admin.invoice.postbacks_resend',
  input: pathId,
  run: async ({ deps, input }) => {
    const found = await invoiceAndProject(deps, input);
    return found.ok ? resendPostbacks(deps, found.value.project, input) : found;
  },
  present: (events) => ({ queued: events.map((e) => presentPostbackEvent(e)) }),
  status: 202,
});

/** Parked postbacks: at most this many per call (the CLI repeats redrive until none are left). */
const DLQ_PAGE_MAX = 100;

export const adminPostbacksDlq = route({
  route: 'admin.postbacks.dlq',
  input: noInput,
  run: async ({ deps }) => ok(await deps.deadLetters.list('postbacks', DLQ_PAGE_MAX)),
  present: (letters) => letters.map(presentDeadLetter),
});

export const adminPostbacksRedrive = route({
  route: 'admin.postbacks.redrive',
  input: noInput,
  run: async ({ deps }) => {
    const moved = await deps.deadLetters.redrive('postbacks', DLQ_PAGE_MAX);
    deps.log.info('postback.dlq_redriven', { moved });
    return ok({ moved });
  },
  present: (out) => out,
});

const chainOf = fromSchema(chainPathId, (r) => r.pathParameters.chain ?? '', 'chain');
const rescanBody = fromSchema(RescanRequest);
const rescanInput = (req: HttpRequest) => {
  const chain = chainOf(req);
  const range = rescanBody(req);
  if (chain.ok && range.ok) return { ok: true as const, value: { chain: chain.value, range: range.value } };
  return { ok: false as const, errors: { ...(chain.ok ? {} : chain.errors), ...(range.ok ? {} : range.errors) } };
};

export const adminChainRescan = route({
  route: 'admin.chain.rescan',
  input: rescanInput,
  run: async ({ deps, input }) => {
    const deployment = deps.chains.find((d) => d.chain === input.chain);
    if (!deployment) return err({ kind: 'chain.not_served' as const, code: input.chain });
    const watcher = watcherDeps(input.chain);
    return ok({ chain: input.chain, ...input.range, ...(await rescanRange(watcher, deployment, new WatchSet(input.chain, watcher.watched), input.range)) });
  },
  present: (out) => out,
});

export const adminChainStatus = route({
  route: 'admin.chain.status',
  input: noInput,
  run: async ({ deps }) => {
    const { chainState } = runtime();
    return ok(
      await Promise.all(
        deps.chains.map(async (d) => {
          const cp = await chainState.get(d.chain);
          return {
            chain: d.chain,
            name: d.name,
            evm_chain_id: d.evmChainId,
            devnet: d.devnet,
            codes: d.currencies.map((c) => c.currency.code),
            confirmations: { normal: describeFinality(d.confirmations.normal), ...(d.confirmations.large ? { above_usd: d.confirmations.large.aboveUsd, large: describeFinality(d.confirmations.large.rule) } : {}) },
            scanned_to: cp?.cursor ?? null,
            head: cp?.head.number ?? null,
            lag_blocks: cp ? cp.head.number - cp.cursor : null,
            head_seen_at: cp ? new Date(cp.headAt).toISOString() : null,
          };
        }),
      ),
    );
  },
  present: (rows) => rows,
});

export const handler = httpGroup([projectCreate, projectList, projectShow, projectUpdate, projectRotateKeys, invoiceConfirmTest, adminInvoiceConfirm, adminInvoiceAttachTx, adminInvoicePostbacks, adminInvoicePostbacksResend, adminPostbacksDlq, adminPostbacksRedrive, adminChainRescan, adminChainStatus]);
