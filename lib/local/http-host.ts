/**
 * HTTP request → API Gateway v2 event → the route group's real handler → HTTP response. Routes
 * come from the manifest, exactly as API Gateway gets them from the stack.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { type HttpGroup, httpGroups, type RouteSpec, routeBodyBytesMax, routeKey, routes } from '../manifest';
import { BODY_BYTES_MAX } from '../../shared/api/cryptocloud/wire';

type LambdaHandler = (event: APIGatewayProxyEventV2, context: Context) => Promise<APIGatewayProxyStructuredResultV2>;

/** Read a little past the largest API limit (a route may raise its own) so the handler can answer "too large" itself. */
const RAW_BODY_BYTES_MAX = Math.max(BODY_BYTES_MAX, ...Object.values(routeBodyBytesMax)) + 1024;

type CompiledRoute = { spec: RouteSpec; key: string; pattern: RegExp; params: string[] };

const escapeRegExp = (text: string) => text.replace(/[.*+?^$()|[\]\\{}]/g, '\\$&');

/** `/admin/projects/{shopId}` → a pattern capturing `shopId`, as API Gateway matches it. */
const compile = (spec: RouteSpec): CompiledRoute => {
  const params: string[] = [];
  const source = spec.path
    .split('/')
    .map((segment) => {
      const param = /^\{(\w+)(\+?)\}$/.exec(segment);
      if (!param) return escapeRegExp(segment);
      params.push(param[1]);
      // `{name+}` is API Gateway's greedy parameter: the rest of the path.
      return param[2] ? '(.+)' : '([^/]+)';
    })
    .join('/');
  return { spec, key: routeKey(spec), pattern: new RegExp(`^${source}/?$`), params };
};

export type ExtraHandler = (req: IncomingMessage, url: URL, body: Buffer) => Promise<{ status: number; headers: Record<string, string>; body: string } | null>;

export function createHttpHost(options: { loadGroup?: (group: HttpGroup) => Promise<LambdaHandler>; extra?: ExtraHandler } = {}): Server {
  const compiled = Object.values(routes).map((r) => compile(r as RouteSpec));
  const loaded = new Map<HttpGroup, Promise<LambdaHandler>>();
  const load =
    options.loadGroup ??
    (async (group: HttpGroup) => {
      const mod = (await import(/* @vite-ignore */ `../../${httpGroups[group].entry}`)) as { handler: LambdaHandler };
      return mod.handler;
    });

  return createServer(async (req, res) => {
    const started = Date.now();
    const url = new URL(req.url ?? '/', 'http://localhost');
    const method = (req.method ?? 'GET').toUpperCase();
    const send = (status: number, headers: Record<string, string>, body: string | Buffer) => {
      res.writeHead(status, headers);
      res.end(body);
    };
    try {
      const chunks: Buffer[] = [];
      let size = 0;
      const sourceIp = req.socket.remoteAddress ?? '127.0.0.1';
      for await (const chunk of req) {
        // Drain everything (so the client gets an answer) but keep only a little past the limit:
        // the handler sees an oversized body and answers with the envelope.
        if (size <= RAW_BODY_BYTES_MAX) chunks.push(chunk as Buffer);
        size += (chunk as Buffer).length;
      }
      const body = Buffer.concat(chunks);
      const match = compiled.find((r) => r.spec.method === method && r.pattern.test(url.pathname));
      if (!match) {
        const extra = options.extra ? await options.extra(req, url, body) : null;
        if (extra) return send(extra.status, extra.headers, extra.body);
        const known = compiled.some((r) => r.pattern.test(url.pathname));
        return send(known ? 405 : 404, { 'content-type': 'application/json' }, JSON.stringify({ status: 'error', result: { path: `${known ? 'Method not allowed for' : 'No route'} ${method} ${url.pathname}` } }));
      }
      const values = match.pattern.exec(url.pathname)?.slice(1) ?? [];
      const decoded = values.map((v) => {
        try {
          return decodeURIComponent(v);
        } catch {
          return null;
        }
      });
      if (decoded.includes(null)) {
        return send(400, { 'content-type': 'application/json' }, JSON.stringify({ status: 'error', result: { path: 'Malformed percent-encoding in the path' } }));
      }
      const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(',') : (v ?? '')]));
      const requestId = randomUUID();
      const event: APIGatewayProxyEventV2 = {
        version: '2.0',
        routeKey: match.key,
        rawPath: url.pathname,
        rawQueryString: url.search.slice(1),
        headers,
        queryStringParameters: url.search ? Object.fromEntries(url.searchParams) : undefined,
        pathParameters: match.params.length ? Object.fromEntries(match.params.map((p, i) => [p, decoded[i] ?? ''])) : undefined,
        requestContext: {
          accountId: 'local',
          apiId: 'local',
          domainName: url.host,
          domainPrefix: 'local',
          http: { method, path: url.pathname, protocol: 'HTTP/1.1', sourceIp, userAgent: headers['user-agent'] ?? '' },
          requestId,
          routeKey: match.key,
          stage: '$default',
          time: new Date(started).toISOString(),
          timeEpoch: started,
        },
        body: body.length ? body.toString('base64') : undefined,
        // API Gateway base64-encodes bodies it does not know to be text; always doing so is the safe superset.
        isBase64Encoded: body.length > 0,
      };
      let handlerPromise = loaded.get(match.spec.group);
      if (!handlerPromise) {
        handlerPromise = load(match.spec.group);
        loaded.set(match.spec.group, handlerPromise);
      }
      const handler = await handlerPromise;
      const out = await handler(event, { awsRequestId: requestId, functionName: `local-${match.spec.group}` } as Context);
      const headersOut = Object.fromEntries(Object.entries(out.headers ?? {}).map(([k, v]) => [k, String(v)]));
      // As API Gateway does: a base64 answer (a gzipped page) goes out as its bytes.
      send(out.statusCode ?? 200, headersOut, out.isBase64Encoded ? Buffer.from(out.body ?? '', 'base64') : (out.body ?? ''));
    } catch (e) {
      process.stderr.write(`local http host fault: ${e instanceof Error ? e.stack : String(e)}\n`);
      send(500, { 'content-type': 'application/json' }, JSON.stringify({ status: 'error', result: { server: 'Internal error in the local host' } }));
    }
  });
}
