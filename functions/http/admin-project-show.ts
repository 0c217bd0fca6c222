import { presentProject } from '../../shared/api/admin/contract';
import { showProject } from '../../shared/app/projects';
import { type HttpRequest, route } from '../kit/http';
import { shopIdOf } from './admin-common';

export const projectShow = route({
  route: 'admin.project.show',
  input: (req: HttpRequest) => ({ ok: true as const, value: shopIdOf(req) }),
  request: {},
  run: ({ deps, input }) => showProject(deps, input),
  present: (project) => presentProject(project),
});
