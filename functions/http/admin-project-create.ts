import { CreateProjectRequest } from '../../shared/api/admin/contract';
import { createProject } from '../../shared/app/projects';
import { hashKey } from '../kit/deps';
import { fromSchema, route } from '../kit/http';
import { presentProjectWithKeys } from './admin-common';

const createInput = fromSchema(CreateProjectRequest);

export const projectCreate = route({
  route: 'admin.project.create',
  input: createInput,
  run: ({ deps, input, now }) => createProject(deps, hashKey, { name: input.name, patch: input, now }),
  present: (made) => presentProjectWithKeys(made),
  status: 201,
});
