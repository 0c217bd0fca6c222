/**
 * GET /openapi.json and GET /docs/api: the OpenAPI document committed beside the pages' assets
 * (`npm run docs:openapi`, lib/openapi), read once per instance, with this deployment's base URL
 * as its server; and the same document as a page. The pages function carries no schema code for it.
 */
import { type OpenApiDocument, renderApiDocs } from '../../shared/pages/api-docs-page';
import { ok } from '../../shared/domain/result';
import { readAssetFile } from '../kit/assets';
import { etagOf } from '../kit/etag';
import { noInput, replyRoute } from '../kit/http';

/** The generated document; its own `servers` entry ('/') is replaced by the deployment's URL. */
const OPENAPI_ASSET = 'openapi.json';
/** Documentation changes with a deploy only: an hour, like the other assets. */
const CACHE_CONTROL = 'public, max-age=3600';

type Rendered = { json: string; page: string; jsonTag: string; pageTag: string };
let rendered: Rendered | null = null;

function documents(publicBaseUrl: string): Rendered {
  if (rendered) return rendered;
  const doc = JSON.parse(readAssetFile(OPENAPI_ASSET)) as OpenApiDocument & { servers: { url: string }[] };
  const served = { ...doc, servers: [{ url: publicBaseUrl, description: 'This deployment' }] };
  const json = JSON.stringify(served);
  const page = renderApiDocs(served);
  rendered = { json, page, jsonTag: etagOf(json), pageTag: etagOf(page) };
  return rendered;
}

export const openApiJson = replyRoute({
  route: 'docs.openapi',
  input: noInput,
  run: async ({ deps }) => ok(documents(deps.settings.publicBaseUrl)),
  reply: (d) => ({ contentType: 'application/json; charset=utf-8', body: d.json, etag: d.jsonTag, cacheControl: CACHE_CONTROL }),
});

export const pageApiDocs = replyRoute({
  route: 'page.api_docs',
  input: noInput,
  run: async ({ deps }) => ok(documents(deps.settings.publicBaseUrl)),
  reply: (d) => ({ contentType: 'text/html; charset=utf-8', body: d.page, etag: d.pageTag, cacheControl: CACHE_CONTROL }),
});
