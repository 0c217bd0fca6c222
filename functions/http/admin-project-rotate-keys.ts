import { RotateKeysRequest } from '../../shared/api/admin/contract';
import { rotateKeys } from '../../shared/app/projects';
import { hashKey } from '../kit/deps';
import { fromSchema, type HttpRequest, route, requestOf } from '../kit/http';
import { presentProjectWithKeys, shopIdOf } from './admin-common';

const rotateInput = fromSchema(RotateKeysRequest);

export const projectRotateKeys = route({
  route: 'admin.project.rotate_keys',
  input: (req: HttpRequest) => {
    const which = rotateInput(req);
    return which.ok ? { ok: true as const, value: { shopId: shopIdOf(req), which: which.value } } : which;
  },
  request: requestOf(rotateInput),
  run: ({ deps, input, now }) => rotateKeys(deps, hashKey, input.shopId, input.which, now),
  present: (rotated) => presentProjectWithKeys(rotated),
});
