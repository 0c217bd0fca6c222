import { presentProject } from '../../shared/api/admin/contract';
import { ok } from '../../shared/domain/result';
import { route } from '../kit/http';
import { noInput } from './admin-common';

export const projectList = route({
  route: 'admin.project.list',
  input: noInput,
  run: async ({ deps }) => ok(await deps.projects.list()),
  present: (projects) => projects.map(presentProject),
});
