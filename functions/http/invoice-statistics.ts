import { invoiceStatistics } from '../../shared/app/invoices';
import { presentStatistics } from '../../shared/api/cryptocloud/presenters';
import { StatisticsRequest } from '../../shared/api/cryptocloud/requests';
import { ok } from '../../shared/domain/result';
import { fromSchema, requireProject, route } from '../kit/http';
import { Statistics } from '../../shared/api/cryptocloud/responses';

const input = fromSchema(StatisticsRequest);

export const invoiceStatisticsRoute = route({
  route: 'invoice.statistics',
  input: input,
  response: Statistics,
  run: async ({ deps, project, input }) => ok(await invoiceStatistics(deps, requireProject(project), input)),
  present: (stats) => presentStatistics(stats),
});
