/** GET /admin/projects/{shopId}/pos: the project's POS links, revoked ones too (never their URLs). */
import { presentPosLink } from '../../shared/api/native/pos-widget';
import { listPosLinks } from '../../shared/app/pos';
import { route } from '../kit/http';
import { noInput, shopIdOf } from './admin-common';

export const adminPosList = route({
  route: 'admin.pos.list',
  input: noInput,
  run: ({ deps, req }) => listPosLinks(deps, shopIdOf(req)),
  present: (links) => links.map(presentPosLink),
});
