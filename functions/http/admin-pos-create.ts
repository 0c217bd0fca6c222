/** POST /admin/projects/{shopId}/pos: a new POS link (`tollgate pos create`); its URL is shown once. */
import { CreatePosLinkRequest, presentPosLink } from '../../shared/api/native/pos-widget';
import { createPosLink } from '../../shared/app/pos';
import { hashKey } from '../kit/deps';
import { fromSchema, route } from '../kit/http';
import { shopIdOf } from './admin-common';

const input = fromSchema(CreatePosLinkRequest);

export const adminPosCreate = route({
  route: 'admin.pos.create',
  input,
  run: ({ deps, input, req, now }) => createPosLink(deps, hashKey, { ...input, shopId: shopIdOf(req), now }),
  present: ({ link, token }, { deps }) => ({ ...presentPosLink(link), url: `${deps.settings.publicBaseUrl}/pos/${token}` }),
  status: 201,
});
