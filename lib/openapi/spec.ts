/**
 * The OpenAPI 3.1 document of every route in lib/manifest.ts, built from the zod schemas the
 * handlers parse with (their `request` and `response` metadata, functions/kit/http.ts), so the
 * document cannot say what the code does not do. `npm run docs:openapi` writes it to
 * OPENAPI_FILE; a test fails when the committed file differs, and when a route declares no
 * request schema. The pages function serves the committed file (functions/http/page-openapi.ts):
 * no zod and no handler code in its bundle.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as z from 'zod';
import { handler as admin } from '../../functions/http/admin';
import { handler as health } from '../../functions/http/health';
import { handler as invoices } from '../../functions/http/invoices';
import { handler as pages } from '../../functions/http/pages';
import { handler as publicRoutes } from '../../functions/http/public';
import { handler as wallet } from '../../functions/http/wallet';
import type { RequestSchemas } from '../../functions/kit/http';
import { BODY_BYTES_MAX } from '../../shared/api/cryptocloud/wire';
import { type HttpGroup, type RouteId, type RouteSpec, routeBodyBytesMax, routes } from '../manifest';

/** Where the generated document is committed: beside the pages' assets, which the pages function is deployed with. */
export const OPENAPI_FILE = join(import.meta.dirname, '..', '..', 'shared', 'pages', 'assets', 'openapi.json');

/** What the generator needs of a route definition (route() and bareGroup() definitions alike). */
export type DocumentedRoute = { route: RouteId; request?: RequestSchemas; response?: z.ZodType; status?: number; reply?: unknown };

/** Every group's definitions, from the handlers themselves (httpGroup and bareGroup keep their lists). */
export const groupDefinitions: Record<HttpGroup, readonly DocumentedRoute[]> = {
  invoices: invoices.definitions,
  wallet: wallet.definitions,
  admin: admin.definitions,
  pages: pages.definitions,
  public: publicRoutes.definitions,
  health: health.definitions,
};

export const TAGS = {
  cryptocloud: { name: 'CryptoCloud v2', description: 'Drop-in for CryptoCloud API v2: point a CryptoCloud client or plugin at this host. Every answer is `{"status":"success","result":…}` or `{"status":"error","result":{field: message}}`.' },
  native: { name: 'Native API', description: "Tollgate's own routes for a project's API key: payments, donations, static wallets, withdrawals, withdrawal wallets and rules, mass payouts, postbacks." },
  public: { name: 'Public', description: 'Routes a customer\'s browser calls without a key (payment page, donation pages, POS links, the widget); rate-limited per client.' },
  admin: { name: 'Admin (CLI)', description: 'What the `tollgate` CLI calls with the deployment\'s admin token. Stable enough to script, but the CLI is the supported interface.' },
  pages: { name: 'Pages', description: 'HTML pages and their assets (not an API; listed so every route is documented).' },
  service: { name: 'Service', description: 'Liveness, and this document.' },
} as const;

const tagOf = (id: RouteId, spec: RouteSpec): string => {
  if (spec.group === 'health' || id.startsWith('docs.')) return TAGS.service.name;
  if (spec.page) return TAGS.pages.name;
  if (spec.auth === 'admin') return TAGS.admin.name;
  if (spec.path.startsWith('/v2/')) return TAGS.cryptocloud.name;
  if (spec.auth === 'none') return TAGS.public.name;
  return id.startsWith('api.') ? TAGS.native.name : TAGS.cryptocloud.name;
};

/** Reply routes answer other than the envelope; their media types (the rest of the pages are HTML). */
const REPLY_TYPES: Partial<Record<RouteId, string>> = {
  'page.pay_qr': 'image/svg+xml',
  'page.wallet_qr': 'image/svg+xml',
  'page.widget_script': 'text/javascript',
  'page.asset': 'text/css, text/javascript or image/svg+xml',
  'public.invoice.status': 'application/json',
  'public.wallet.status': 'application/json',
};

type Json = Record<string, unknown>;

/**
 * JSON Schema (draft 2020-12, OpenAPI 3.1's dialect) of what a client sends (`io: 'input'`: before
 * transforms). The lenient CryptoCloud fields accept anything and say what they mean in their
 * `.meta()`; `wireRequired` there marks a field the schema's own message requires.
 */
export function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): Json {
  const out = z.toJSONSchema(schema, { io, target: 'draft-2020-12', unrepresentable: 'any', reused: 'inline' }) as Json;
  delete out.$schema;
  return tidy(out, io) as Json;
}

/**
 * Moves each property's `wireRequired: true` into its object's `required` list. In answers, drops
 * `additionalProperties: false` (the strict response schemas' own check): a client must tolerate a
 * field added later.
 */
function tidy(node: unknown, io: 'input' | 'output'): unknown {
  if (Array.isArray(node)) return node.map((n) => tidy(n, io));
  if (!node || typeof node !== 'object') return node;
  const out: Json = {};
  for (const [k, v] of Object.entries(node)) if (!(io === 'output' && k === 'additionalProperties' && v === false)) out[k] = tidy(v, io);
  const props = out.properties as Record<string, Json> | undefined;
  if (props && typeof props === 'object') {
    const required = new Set((out.required as string[] | undefined) ?? []);
    for (const [name, prop] of Object.entries(props)) {
      if (prop && typeof prop === 'object' && prop.wireRequired === true) {
        delete prop.wireRequired;
        required.add(name);
      }
    }
    if (required.size > 0) out.required = [...required];
  }
  return out;
}

/** An object schema's properties, allOf (zod's `.and`) merged, for query parameters. */
function objectParts(schema: Json): { properties: Record<string, Json>; required: string[] } {
  const parts = Array.isArray(schema.allOf) ? (schema.allOf as Json[]) : [schema];
  const properties: Record<string, Json> = {};
  const required: string[] = [];
  for (const part of parts) {
    Object.assign(properties, (part.properties as Record<string, Json> | undefined) ?? {});
    required.push(...((part.required as string[] | undefined) ?? []));
  }
  return { properties, required };
}

const envelope = (result: Json): Json => ({ type: 'object', properties: { status: { const: 'success' }, result }, required: ['status', 'result'] });
const ERROR_REF = { $ref: '#/components/responses/Error' };

const SECURITY: Record<RouteSpec['auth'], Json[]> = {
  project: [{ apiKey: [] }],
  withdrawal: [{ withdrawalKey: [] }],
  admin: [{ adminToken: [] }],
  none: [],
};

/** `/assets/{file+}` (API Gateway's greedy parameter) is `/assets/{file}` to OpenAPI. */
const openApiPath = (path: string) => path.replace(/\{(\w+)\+\}/g, '{$1}');
const pathNames = (path: string) => [...path.matchAll(/\{(\w+)\+?\}/g)].map((m) => m[1]);

/** The first line of the manifest's comment is not reachable at run time; the summary is the route id's words. */
const summaryOf = (id: RouteId) => id.replace(/^(api|admin|page|public)\./, '').replace(/[._]/g, ' ');

function operation(id: RouteId, spec: RouteSpec, def: DocumentedRoute | undefined): Json {
  const request = def?.request;
  const parameters: Json[] = pathNames(spec.path).map((name) => ({
    name,
    in: 'path',
    required: true,
    schema: request?.path?.[name] ? jsonSchema(request.path[name], 'input') : { type: 'string' },
  }));
  if (request?.query) {
    const { properties, required } = objectParts(jsonSchema(request.query, 'input'));
    for (const [name, schema] of Object.entries(properties)) {
      const { description, ...rest } = schema;
      parameters.push({ name, in: 'query', required: required.includes(name), ...(description ? { description } : {}), schema: rest });
    }
  }
  const op: Json = { operationId: id, summary: summaryOf(id), tags: [tagOf(id, spec)] };
  if (parameters.length > 0) op.parameters = parameters;
  if (request?.body) {
    const schema = jsonSchema(request.body, 'input');
    const limit = routeBodyBytesMax[id] ?? BODY_BYTES_MAX;
    op.requestBody = {
      required: true,
      description: `JSON or form-encoded (PHP-style brackets: \`add_fields[time_to_pay][hours]=1\`), at most ${limit} bytes.`,
      content: { 'application/json': { schema }, 'application/x-www-form-urlencoded': { schema } },
    };
  }
  const ok = String(def?.status ?? 200);
  const responses: Json = {};
  if (def?.reply || spec.page) {
    const type = REPLY_TYPES[id] ?? 'text/html';
    const schema = def?.response ? jsonSchema(def.response, 'output') : type === 'application/json' ? { type: 'object' } : { type: 'string' };
    responses[ok] = { description: type === 'text/html' ? 'The page' : 'The answer', content: { [type.includes(' ') ? '*/*' : type]: { schema } } };
  } else {
    const result = def?.response ? jsonSchema(def.response, 'output') : {};
    responses[ok] = { description: 'Success', content: { 'application/json': { schema: envelope(result) } } };
  }
  // Any body is decoded (and may be refused) before the route's own checks; health reads nothing.
  if (spec.group !== 'health') responses['400'] = ERROR_REF;
  if (spec.auth !== 'none') responses['403'] = { $ref: '#/components/responses/Unauthorized' };
  if (spec.path.includes('{')) responses['404'] = ERROR_REF;
  if (routeBodyBytesMax[id]) responses['413'] = ERROR_REF;
  if (spec.limit) responses['429'] = { $ref: '#/components/responses/RateLimited' };
  op.responses = responses;
  if (spec.auth !== 'none') op.security = SECURITY[spec.auth];
  return op;
}

/** Routes whose definition declares no request schema (their input says nothing, and no `request` was given). */
export function routesWithoutRequestSchema(): RouteId[] {
  const found = new Map(Object.values(groupDefinitions).flatMap((defs) => defs.map((d) => [d.route, d] as const)));
  return (Object.keys(routes) as RouteId[]).filter((id) => !found.get(id)?.request);
}

export function buildOpenApi(version: string): Json {
  const defs = new Map<RouteId, DocumentedRoute>();
  for (const list of Object.values(groupDefinitions)) for (const d of list) defs.set(d.route, d);
  const paths: Record<string, Record<string, Json>> = {};
  for (const [id, spec] of Object.entries(routes) as [RouteId, RouteSpec][]) {
    const path = openApiPath(spec.path);
    paths[path] ??= {};
    paths[path][spec.method.toLowerCase()] = operation(id, spec, defs.get(id));
  }
  const errorSchema = { type: 'object', properties: { status: { const: 'error' }, result: { type: 'object', additionalProperties: { type: 'string' }, description: 'One message per field (or per problem: `authorization`, `body`, `rate_limit`, `server`).' } }, required: ['status', 'result'] };
  return {
    openapi: '3.1.0',
    info: {
      title: 'Tollgate API',
      version,
      summary: 'Self-hosted crypto payment gateway: CryptoCloud API v2, the native API and the admin API.',
      description: 'Generated from the zod schemas the handlers parse with (`npm run docs:openapi`). Requests are validated before any work; a refusal is `{"status":"error","result":{field: message}}` with status 400 (CryptoCloud clients read only 400 and 403).',
      license: { name: 'See the repository LICENSE' },
    },
    // The deployment's own base URL is put here when the document is served (GET /openapi.json).
    servers: [{ url: '/' }],
    tags: Object.values(TAGS),
    paths,
    components: {
      securitySchemes: {
        apiKey: { type: 'apiKey', in: 'header', name: 'Authorization', description: 'The project\'s API key, as CryptoCloud sends it: `Authorization: Token <API key>`.' },
        withdrawalKey: { type: 'apiKey', in: 'header', name: 'Authorization', description: 'The project\'s separate withdrawal key (CryptoCloud\'s out/create only): `Authorization: Token <withdrawal key>`.' },
        adminToken: { type: 'http', scheme: 'bearer', description: 'The deployment\'s admin token (the CLI\'s): `Authorization: Bearer <admin token>`.' },
      },
      schemas: { Error: errorSchema },
      responses: {
        Error: { description: 'Refused: what is wrong, per field', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } },
        Unauthorized: { description: 'No key, or the wrong one: `{"status":"error","result":{"authorization":"Unauthorized request."}}`', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } },
        RateLimited: { description: 'Too many requests from this address; retry after `Retry-After` seconds', headers: { 'Retry-After': { schema: { type: 'integer' } } }, content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } },
      },
    },
  };
}

/** The document as committed: the package's version, two-space JSON, a final newline. */
export function openApiText(): string {
  const { version } = JSON.parse(readFileSync(join(import.meta.dirname, '..', '..', 'package.json'), 'utf8')) as { version: string };
  return `${JSON.stringify(buildOpenApi(version), null, 2)}\n`;
}
