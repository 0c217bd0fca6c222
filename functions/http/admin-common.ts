/** What several admin routes share: the shop id in the path, routes without input, and finding an invoice's project. */
import { presentProject } from '../../shared/api/admin/contract';
import { deadLetterQueuePathId } from '../../shared/api/admin/dead-letters';
import type { InvoiceId } from '../../shared/domain/ids';
import type { Project } from '../../shared/domain/project';
import { err, ok } from '../../shared/domain/result';
import type { IssuedKeys } from '../../shared/app/projects';
import type { Deps } from '../../shared/ports';
import { fromSchema, type HttpRequest, inPath } from '../kit/http';

/** Kept here for the routes that import it from this file; the kit's declares that it reads nothing (OpenAPI). */
export { noInput } from '../kit/http';

/** Parked messages: at most this many per call (the CLI repeats redrive until none are left). */
export const DLQ_PAGE_MAX = 100;

/** The queue named in /admin/queues/{queue}/dlq. */
export const queueOf = fromSchema(deadLetterQueuePathId, inPath('queue'), 'queue');

export const shopIdOf = (req: HttpRequest) => req.pathParameters.shopId ?? '';

/** A project with its fresh keys, shown once (rotation returns only the rotated ones; an absent key is left out). */
export const presentProjectWithKeys = ({ project, keys }: { project: Project; keys: IssuedKeys }) => ({
  ...presentProject(project),
  api_key: keys.apiKey,
  secret_key: keys.secretKey,
  withdrawal_key: keys.withdrawalKey,
});

/** The CLI names an invoice only; its project comes from the invoice. */
export async function invoiceAndProject(deps: Deps, id: InvoiceId) {
  const invoice = await deps.invoices.get(id);
  const project = invoice ? await deps.projects.get(invoice.shopId) : null;
  return invoice && project ? ok({ invoice, project }) : err({ kind: 'invoice.not_found' as const, invoiceId: `INV-${id}` });
}
