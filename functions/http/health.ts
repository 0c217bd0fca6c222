/** Lambda entry for `GET /health`. */
import { ok } from '../../shared/domain/result';
import { httpGroup, route } from '../kit/http';

export const health = route({
  route: 'health',
  input: (): { ok: true; value: null } => ({ ok: true, value: null }),
  run: async () => ok({ status: 'ok' }),
  present: (out) => out,
});

export const handler = httpGroup([health]);
