import { presentProject, SettingsPatchRequest } from '../../shared/api/admin/contract';
import { updateProject } from '../../shared/app/projects';
import { fromSchema, type HttpRequest, route, requestOf } from '../kit/http';
import { shopIdOf } from './admin-common';

const patchInput = fromSchema(SettingsPatchRequest);

export const projectUpdate = route({
  route: 'admin.project.update',
  input: (req: HttpRequest) => {
    const patch = patchInput(req);
    return patch.ok ? { ok: true as const, value: { shopId: shopIdOf(req), patch: patch.value } } : patch;
  },
  request: requestOf(patchInput),
  run: ({ deps, input }) => updateProject(deps, input.shopId, input.patch),
  present: (project) => presentProject(project),
});
