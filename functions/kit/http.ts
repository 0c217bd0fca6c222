/**
 * The HTTP pipeline shared by every route (STYLE §4): context → auth → body → validation →
 * run → present, with one error mapper and one canonical log line per request. A route group
 * (one Lambda) dispatches on the API Gateway v2 `routeKey`.
 */
import { timingSafeEqual } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import type * as z from 'zod';
import { type RouteId, type RouteSpec, rateLimits, routeBodyBytesMax, routeKey, routes } from '../../lib/manifest';
import { allowRequest, rateClient } from '../../shared/app/rate-limits';
import { renderErrorPage } from '../../shared/pages/error-page';
import { securityHeaders } from './security-headers';
import { authenticate } from '../../shared/app/projects';
import type { AppError } from '../../shared/app/errors';
import { failure, success } from '../../shared/api/cryptocloud/envelope';
import { fieldErrors, pickLocale } from '../../shared/api/cryptocloud/requests';
import { BODY_BYTES_MAX, type BodyDecodeError, decodeBody } from '../../shared/api/cryptocloud/wire';
import type { Project } from '../../shared/domain/project';
import type { Result } from '../../shared/domain/result';
import type { Deps, Logger } from '../../shared/ports';
import { renderAppError } from './errors-to-http';
import { hashKey, runtime } from './deps';

export type HttpRequest = {
  body: Record<string, unknown>;
  rawBody: string;
  query: Record<string, string | undefined>;
  headers: Record<string, string | undefined>;
  pathParameters: Record<string, string | undefined>;
  /** The request's locale, or null when it named none. */
  locale: string | null;
  requestId: string;
};

export type RunContext<I> = { deps: Deps; project: Project | null; input: I; now: number; req: HttpRequest; log: Logger };

/**
 * A response other than the JSON envelope: a page, an asset, or JSON the browser caches by ETag.
 * `frameAncestors`: origins that may frame it (pages only; none by default).
 */
export type Reply = { status?: number; contentType: string; body: string; etag?: string; cacheControl?: string; frameAncestors?: readonly string[]; location?: string };

/**
 * What a route reads from a request, as zod schemas: the OpenAPI document (lib/openapi) is built
 * from them. Metadata only: a request is parsed by the route's `input`, never by these. `path`
 * names the path parameters that have a schema (the others are plain strings of the manifest's
 * path); `{}` says the route reads nothing but its path, so a route that declares nothing is
 * detectable (test/unit/openapi.test.ts).
 */
export type RequestSchemas = { body?: z.ZodType; query?: z.ZodType; path?: Readonly<Record<string, z.ZodType>> };
/** An input function (or a picker) that says what it reads. */
export type Described = { request?: RequestSchemas };

export type RouteDefinition<I = unknown, O = unknown> = {
  route: RouteId;
  /** What the route reads (OpenAPI); undefined only when its input says nothing, which a test refuses. */
  request?: RequestSchemas;
  /** The success envelope's `result`, as a zod schema (OpenAPI); absent: documented as any JSON. */
  response?: z.ZodType;
  /** Parses the request into the use case's input; the returned map is the 400 envelope. */
  input: (req: HttpRequest) => { ok: true; value: I } | { ok: false; errors: Record<string, string> };
  run: (ctx: RunContext<I>) => Promise<Result<O, AppError>>;
  present: (out: O, ctx: RunContext<I>) => unknown;
  /** Answers with this instead of the envelope (pages, assets, the status poll). */
  reply?: (out: O, ctx: RunContext<I>) => Reply | Promise<Reply>;
  /** Success status; CryptoCloud always answers 200. */
  status?: number;
  /**
   * A route browsers call from other sites (the widget): the origin its success may be read by.
   * Refusals carry no data, so any origin may read them and show the customer why.
   */
  corsOrigin?: (out: O, ctx: RunContext<I>) => string;
};

const CORS_REFUSAL = { 'access-control-allow-origin': '*', vary: 'Origin' };

/** Routes with `auth: project` always have one; this states it for the type checker. */
export function requireProject(project: Project | null): Project {
  if (!project) throw new Error('invariant: route needs an authenticated project');
  return project;
}

/** Build a route definition with the schema attached (STYLE §13.6). */
export function route<I, O>(def: {
  route: RouteId;
  input: RouteDefinition<I, O>['input'];
  run: (ctx: RunContext<NoInfer<I>>) => Promise<Result<O, AppError>>;
  present: (out: NoInfer<O>, ctx: RunContext<NoInfer<I>>) => unknown;
  status?: number;
  corsOrigin?: (out: NoInfer<O>, ctx: RunContext<NoInfer<I>>) => string;
  /** What the route reads, when its `input` does not say it (fromSchema, noInput and withRequest do). */
  request?: RequestSchemas;
  response?: z.ZodType;
}): RouteDefinition<I, O> {
  return { ...def, request: def.request ?? requestOf(def.input) };
}

/** A route that answers with a page, an asset or cacheable JSON (`reply`) instead of the envelope. */
export function replyRoute<I, O>(def: {
  route: RouteId;
  input: RouteDefinition<I, O>['input'];
  run: (ctx: RunContext<NoInfer<I>>) => Promise<Result<O, AppError>>;
  reply: (out: NoInfer<O>, ctx: RunContext<NoInfer<I>>) => Reply | Promise<Reply>;
  request?: RequestSchemas;
  response?: z.ZodType;
}): RouteDefinition<I, O> {
  return { ...def, request: def.request ?? requestOf(def.input), present: () => null };
}

type Picker = ((req: HttpRequest) => unknown) & { place?: (schema: z.ZodType) => RequestSchemas };

/** Pickers for fromSchema that say where they read, so the schema lands in the right place of the OpenAPI document. */
export const inBody: Picker = Object.assign((r: HttpRequest) => r.body, { place: (schema: z.ZodType) => ({ body: schema }) });
export const inQuery: Picker = Object.assign((r: HttpRequest) => r.query, { place: (schema: z.ZodType) => ({ query: schema }) });
/** One path parameter, '' when absent (the schema says what is wrong). */
export const inPath = (name: string): Picker => Object.assign((r: HttpRequest) => r.pathParameters[name] ?? '', { place: (schema: z.ZodType) => ({ path: { [name]: schema } }) });

/** An input function (its `request`, if it has one) or schemas given as they are. */
type RequestPart = ((req: HttpRequest) => unknown) | RequestSchemas | undefined;

/** The request schemas an input function (or several) declared, merged; undefined when none declared anything. */
export function requestOf(...parts: readonly RequestPart[]): RequestSchemas | undefined {
  const found = parts.map((p) => (typeof p === 'function' ? (p as Described).request : p)).filter((p): p is RequestSchemas => p !== undefined);
  if (found.length === 0) return undefined;
  const path = Object.assign({}, ...found.map((r) => r.path ?? {})) as Record<string, z.ZodType>;
  return Object.assign({}, ...found, Object.keys(path).length > 0 ? { path } : {}) as RequestSchemas;
}

/** Attaches what an input function reads (OpenAPI metadata; parsing is unchanged). */
export function withRequest<F extends (req: HttpRequest) => unknown>(input: F, ...parts: readonly RequestPart[]): F & Described {
  return Object.assign(input, { request: requestOf(...parts) ?? {} });
}

/** A route that reads nothing from the request but its path (the path's parameters are documented from the manifest). */
export const noInput = withRequest((): { ok: true; value: null } => ({ ok: true, value: null }), {});

/**
 * Adapts a zod schema to a route's `input`; `renameTo` puts every message under one key. With a
 * picker of this file (inBody by default, inQuery, inPath), the input says what it reads.
 */
export function fromSchema<T>(schema: { safeParse(value: unknown): z.ZodSafeParseResult<T> }, pick: Picker = inBody, renameTo?: string) {
  const input = (req: HttpRequest): { ok: true; value: T } | { ok: false; errors: Record<string, string> } => {
    const parsed = schema.safeParse(pick(req));
    return parsed.success ? { ok: true, value: parsed.data } : { ok: false, errors: fieldErrors(parsed.error, renameTo) };
  };
  return Object.assign(input, { request: pick.place?.(schema as unknown as z.ZodType) }) as typeof input & Described;
}

class EdgeError extends Error {
  constructor(
    readonly status: number,
    readonly result: Record<string, string>,
    readonly headers: Record<string, string> = {},
  ) {
    super(Object.values(result).join('; '));
    this.name = 'EdgeError';
  }
}

const UNAUTHORIZED = { authorization: 'Unauthorized request.' };

function respond(status: number, body: unknown, requestId: string, extra: Record<string, string> = {}): APIGatewayProxyStructuredResultV2 {
  return {
    statusCode: status,
    headers: { 'content-type': 'application/json; charset=utf-8', 'x-request-id': requestId, 'cache-control': 'no-store', ...securityHeaders(null), ...extra },
    body: JSON.stringify(body),
  };
}

/** Below this a gzip frame costs more than it saves. */
const GZIP_BYTES_MIN = 1024;

/**
 * API Gateway's HTTP APIs do not compress, so pages and assets are gzipped here when the browser
 * accepts it: a phone downloads the page's gzipped weight, as `npm run bench` measures it.
 */
function compressed(body: string, acceptEncoding: string | undefined): { body: string; isBase64Encoded: boolean; headers: Record<string, string> } {
  if (Buffer.byteLength(body) < GZIP_BYTES_MIN || !/\bgzip\b/.test(acceptEncoding ?? '')) return { body, isBase64Encoded: false, headers: { vary: 'accept-encoding' } };
  return { body: gzipSync(body).toString('base64'), isBase64Encoded: true, headers: { 'content-encoding': 'gzip', vary: 'accept-encoding' } };
}

function respondWith(reply: Reply, requestId: string, ifNoneMatch: string | undefined, acceptEncoding?: string): APIGatewayProxyStructuredResultV2 {
  const html = reply.contentType.startsWith('text/html');
  const headers: Record<string, string> = {
    'content-type': reply.contentType,
    'x-request-id': requestId,
    'cache-control': reply.cacheControl ?? 'no-store',
    ...securityHeaders(html ? (reply.frameAncestors ?? []) : null),
    // An SVG opened on its own is a document: it may run nothing (ours are drawn by this server; defence in depth).
    ...(reply.contentType.startsWith('image/svg+xml') ? { 'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'" } : {}),
    ...(reply.etag ? { etag: reply.etag } : {}),
    ...(reply.location ? { location: reply.location } : {}),
  };
  if (reply.etag && ifNoneMatch?.split(',').some((t) => t.trim() === reply.etag)) return { statusCode: 304, headers, body: '' };
  const out = compressed(reply.body, acceptEncoding);
  return { statusCode: reply.status ?? 200, headers: { ...headers, ...out.headers }, body: out.body, isBase64Encoded: out.isBase64Encoded };
}

const withHeaders = (r: APIGatewayProxyStructuredResultV2, extra: Record<string, string>): APIGatewayProxyStructuredResultV2 => ({ ...r, headers: { ...r.headers, ...extra } });

function lowerKeys(h: Record<string, string | undefined> | undefined) {
  return Object.fromEntries(Object.entries(h ?? {}).map(([k, v]) => [k.toLowerCase(), v]));
}

/** The 400 message for each way a body can fail to decode; exhaustive, so a new kind must say its message. */
const BODY_ERRORS: { [K in BodyDecodeError['kind']]: (e: Extract<BodyDecodeError, { kind: K }>) => Record<string, string> } = {
  content_type: (e) => ({ content_type: `Unsupported Content-Type '${e.contentType}'; send application/json or application/x-www-form-urlencoded` }),
  malformed_json: () => ({ body: 'Request body is not valid JSON' }),
  not_an_object: () => ({ body: 'Request body must be a JSON object' }),
  too_deep: (e) => ({ body: `Request body is nested deeper than ${e.depthMax} levels` }),
  too_many_pairs: (e) => ({ body: `Form body has more than ${e.pairsMax} fields` }),
  too_many_items: (e) => ({ body: `Form field '${e.key}' has more than ${e.itemsMax} values` }),
  json_mislabeled: (e) => ({ content_type: `The body is JSON but the Content-Type header says '${e.contentType}'; send the header 'Content-Type: application/json' (curl: -H 'Content-Type: application/json')` }),
};

/**
 * Decodes the body; called only once the caller is authenticated (or the route needs no key).
 * `bodyBytesMax`: a route's own larger limit (lib/manifest.ts routeBodyBytesMax); such native
 * routes answer 413 past it, the others keep 400 (CryptoCloud SDKs parse only 400 and 403).
 */
function decodeRequest(event: APIGatewayProxyEventV2, headers: Record<string, string | undefined>, requestId: string, bodyBytesMax?: number): HttpRequest {
  const rawBody = event.body ? (event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body) : '';
  if (bodyBytesMax !== undefined && Buffer.byteLength(rawBody, 'utf8') > bodyBytesMax) {
    throw new EdgeError(413, { body: `Request body exceeds ${bodyBytesMax} bytes (${Math.round(bodyBytesMax / 1024)} KiB); send fewer items per request` });
  }
  if (bodyBytesMax === undefined && Buffer.byteLength(rawBody, 'utf8') > BODY_BYTES_MAX) {
    throw new EdgeError(400, { body: `Request body exceeds ${BODY_BYTES_MAX} bytes` });
  }
  const decoded = decodeBody(headers['content-type'], rawBody);
  if (!decoded.ok) throw new EdgeError(400, (BODY_ERRORS[decoded.error.kind] as (e: BodyDecodeError) => Record<string, string>)(decoded.error));
  const query = event.queryStringParameters ?? {};
  return { body: decoded.value, rawBody, query, headers, pathParameters: event.pathParameters ?? {}, locale: pickLocale(query, decoded.value), requestId };
}

async function isAdmin(authorization: string | undefined): Promise<boolean> {
  const rt = runtime();
  const token = /^\s*Bearer\s+(\S{16,512})\s*$/i.exec(authorization ?? '')?.[1];
  if (!token || !rt.adminTokenRef) return false;
  const stored = await rt.secrets.read(rt.adminTokenRef);
  // On AWS the secret holds the token; locally the env holds its hash. Compare hashes either way.
  const expected = rt.adminTokenRef.kind === 'aws' ? hashKey(stored) : stored;
  const given = hashKey(token);
  return timingSafeEqual(Buffer.from(given), Buffer.from(expected));
}

/** Any route; the group only dispatches, each route's own types were checked where it was built. */
// biome-ignore lint/suspicious/noExplicitAny: heterogeneous route list
export type AnyRoute = RouteDefinition<any, any>;

/** One Lambda handler for a group of routes. */
export function httpGroup(definitions: AnyRoute[]) {
  const byKey = new Map(definitions.map((d) => [routeKey(routes[d.route]), d]));
  const dispatch = async (event: APIGatewayProxyEventV2, context: Context): Promise<APIGatewayProxyStructuredResultV2> => {
    const started = performance.now();
    const requestId = event.requestContext?.requestId ?? context?.awsRequestId ?? 'unknown';
    let deps: Deps;
    try {
      ({ deps } = runtime());
    } catch (e) {
      // A broken deployment (bad environment) still answers with the envelope, and says why in the log.
      process.stdout.write(`${JSON.stringify({ level: 'error', msg: 'runtime.config_invalid', requestId, error: e instanceof Error ? e.message : String(e) })}\n`);
      return respond(500, failure({ server: `Internal error; request id ${requestId}` }), requestId);
    }
    const def = byKey.get(event.routeKey);
    let log = deps.log.child({ requestId, route: def?.route ?? event.routeKey });
    let status = 500;
    const spec: RouteSpec | undefined = def ? routes[def.route] : undefined;
    const headers = lowerKeys(event.headers);
    // A page's errors are pages too: a customer never sees an API envelope.
    const refuse = (code: number, result: Record<string, string>, extra: Record<string, string> = {}) =>
      spec?.page ? withHeaders(respondWith({ status: code, contentType: 'text/html; charset=utf-8', body: renderErrorPage(code, headers['accept-language'] ?? null) }, requestId, undefined), extra) : respond(code, failure(result), requestId, { ...(def?.corsOrigin ? CORS_REFUSAL : {}), ...extra });
    try {
      if (!def || !spec) throw new EdgeError(404, { path: `No route ${event.routeKey}` });
      if (spec.limit) {
        // Who is asking, as a hash: the table never holds a customer's IP address.
        const client = hashKey(rateClient(event.requestContext?.http?.sourceIp ?? 'unknown')).slice(0, 32);
        if (!(await allowRequest(deps, spec.limit, rateLimits[spec.limit].store, client, deps.clock.now()))) {
          log.warn('request.rate_limited', { limit: spec.limit });
          throw new EdgeError(429, { rate_limit: 'Too many requests from this address; try again in a minute' }, { 'retry-after': '60' });
        }
      }
      // Every auth mode reads the Authorization header alone, so a stranger's body is never decoded:
      // decoding costs work in proportion to the body, checking a header does not.
      const auth = spec.auth;
      let project: Project | null = null;
      if (auth === 'project' || auth === 'withdrawal') {
        // Each key opens its own routes only: a withdrawal key is no project key, and the reverse.
        project = await authenticate(deps, hashKey, headers.authorization, auth === 'withdrawal' ? 'withdrawal' : 'api');
        if (!project) throw new EdgeError(403, UNAUTHORIZED);
        log = log.child({ shopId: project.shopId });
      } else if (auth === 'admin' && !(await isAdmin(headers.authorization))) {
        throw new EdgeError(403, UNAUTHORIZED);
      }
      const req = decodeRequest(event, headers, requestId, routeBodyBytesMax[def.route]);
      const input = def.input(req);
      if (!input.ok) throw new EdgeError(400, input.errors);
      const ctx: RunContext<unknown> = { deps, project, input: input.value, now: deps.clock.now(), req, log };
      const out = await def.run(ctx);
      if (!out.ok) {
        const rendered = renderAppError(out.error);
        status = rendered.status;
        log.info('request.refused', { kind: out.error.kind });
        // A page that names nothing is a 404 to a browser; the API keeps CryptoCloud's 400.
        if (spec.page && out.error.kind.endsWith('not_found')) status = 404;
        return refuse(status, rendered.result);
      }
      if (def.reply) {
        const answer = respondWith(await def.reply(out.value, ctx), requestId, headers['if-none-match'], headers['accept-encoding']);
        status = answer.statusCode ?? 200;
        return answer;
      }
      status = def.status ?? 200;
      const cors: Record<string, string> = def.corsOrigin ? { 'access-control-allow-origin': def.corsOrigin(out.value, ctx), vary: 'Origin' } : {};
      return respond(status, success(def.present(out.value, ctx)), requestId, cors);
    } catch (e) {
      if (e instanceof EdgeError) {
        status = e.status;
        return refuse(status, e.result, e.headers);
      }
      status = 500;
      log.error('request.fault', { error: e instanceof Error ? e.message : String(e), stack: e instanceof Error ? e.stack : undefined });
      // Never a stack or an internal message on the wire.
      return refuse(500, { server: `Internal error; request id ${requestId}` });
    } finally {
      log.info('request', { status, ms: Math.round((performance.now() - started) * 100) / 100 });
    }
  };
  // The definitions ride along for lib/openapi, which documents each group from its own list.
  return Object.assign(middy<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2>().handler(dispatch), { definitions });
}

/**
 * A group whose routes need no configuration at all (health): it builds no runtime, so its
 * function is deployed with no environment, no table, no queue and no secret (lib/manifest.ts
 * `access`). No canonical log line: a liveness probe every few seconds would drown the log, and
 * the API's access log records it.
 */
export function bareGroup(definitions: { route: RouteId; answer: () => unknown; request?: RequestSchemas; response?: z.ZodType }[]) {
  const byKey = new Map(definitions.map((d) => [routeKey(routes[d.route]), d]));
  const handler = middy<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2>().handler(async (event: APIGatewayProxyEventV2, context: Context) => {
    const requestId = event.requestContext?.requestId ?? context?.awsRequestId ?? 'unknown';
    const def = byKey.get(event.routeKey);
    return def ? respond(200, success(def.answer()), requestId) : respond(404, failure({ path: `No route ${event.routeKey}` }), requestId);
  });
  return Object.assign(handler, { definitions });
}
