/** GET /assets/{file+}: the pages' styles, scripts and currency icons. */
import { err, ok } from '../../shared/domain/result';
import { readAsset } from '../kit/assets';
import { replyRoute } from '../kit/http';

export const pageAsset = replyRoute({
  route: 'page.asset',
  input: (req) => ({ ok: true, value: req.pathParameters.file ?? '' }),
  request: {},
  run: async ({ input }) => {
    const asset = readAsset(input);
    return asset ? ok(asset) : err({ kind: 'page.not_found', path: `/assets/${input.slice(0, 100)}` });
  },
  // Not fingerprinted: an hour, so a deploy reaches browsers the same day.
  reply: (asset) => ({ contentType: asset.contentType, body: asset.body, cacheControl: 'public, max-age=3600' }),
});
