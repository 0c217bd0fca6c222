/** DELETE /admin/projects/{shopId}/pos/{posId}: the link stops working at once (`tollgate pos revoke`). */
import { presentPosLink } from '../../shared/api/native/pos-widget';
import { revokePosLink } from '../../shared/app/pos';
import { route } from '../kit/http';
import { noInput, shopIdOf } from './admin-common';

export const adminPosRevoke = route({
  route: 'admin.pos.revoke',
  input: noInput,
  run: ({ deps, req, now }) => revokePosLink(deps, shopIdOf(req), req.pathParameters.posId ?? '', now),
  present: (link) => presentPosLink(link),
});
