/**
 * A test's own gateway environment: a fresh table on the shared DynamoDB Local, fixed rates, a
 * fixed devnet key, and helpers that call the real handlers with API Gateway v2 events.
 */
import { randomBytes } from 'node:crypto';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { inject } from 'vitest';
import { resetRuntime, runtime } from '../../functions/kit/deps';
// Tests also drive the runtime directly (the watcher, crediting), not only through the entries that register the EVM reader.
import '../../functions/kit/chains-evm';
import { type HttpGroup, httpGroups, queueUrlEnv, type RouteId, routeKey, routes } from '../../lib/manifest';
import { ensureTable } from '../../lib/local/engines/dynamodb';
import { accountXpub, DEVNET_RATES, evmAccountXpub } from '../../lib/local/dev-defaults';
import { sha256Hex } from '../../shared/adapters/ids';
import { createProject } from '../../shared/app/projects';
import type { SettingsPatch } from '../../shared/domain/project';
import { CHAINS } from '../../shared/domain/currencies';

/** A well-known test mnemonic: deposit addresses in tests are reproducible. */
export const TEST_MNEMONIC = 'test test test test test test test test test test test junk';
export const ADMIN_TOKEN = 'tga_test-admin-token-0123456789abcdef';
const UNREACHABLE_RPC = 'http://127.0.0.1:9';
const EVM_CHAIN_IDS = Object.values(CHAINS).filter((c) => c.family === 'evm').map((c) => c.id);

export async function useTestGateway(overrides: Record<string, string> = {}) {
  const tableName = `t_${randomBytes(6).toString('hex')}`;
  const endpoint = inject('dynamoEndpoint');
  await ensureTable(endpoint, tableName);
  Object.assign(process.env, {
    TABLE_NAME: tableName,
    DYNAMODB_ENDPOINT: endpoint,
    [queueUrlEnv('postbacks')]: 'http://127.0.0.1:9/000000000000/postbacks',
    SQS_ENDPOINT: overrides.SQS_ENDPOINT ?? 'http://127.0.0.1:9',
    PUBLIC_BASE_URL: 'https://pay.test',
    EVM_XPUB: evmAccountXpub(TEST_MNEMONIC),
    TRON_XPUB: accountXpub(TEST_MNEMONIC, 'tron'),
    RATES_MODE: 'fixed',
    RATES_FIXED_JSON: JSON.stringify(DEVNET_RATES),
    PROJECT_SECRETS_KEY: randomBytes(32).toString('base64'),
    ADMIN_TOKEN_SHA256: sha256Hex(ADMIN_TOKEN),
    LOG_LEVEL: 'silent',
    // Every EVM chain is served (nothing listens here): API tests never reach a node.
    EVM_CHAINS_JSON: JSON.stringify(Object.fromEntries(EVM_CHAIN_IDS.map((c) => [c, { rpcUrls: [UNREACHABLE_RPC] }]))),
    // Every call of a test comes from one address; the tests of the limits set their own.
    RATE_LIMIT_BROWSE_PER_MINUTE: '1000000',
    RATE_LIMIT_CREATE_PER_MINUTE: '1000000',
    ...overrides,
  });
  // CHAINS_JSON replaces the deprecated EVM_CHAINS_JSON; setting both is refused by the config.
  if (overrides.CHAINS_JSON) delete process.env.EVM_CHAINS_JSON;
  resetRuntime();
  return { tableName, endpoint, deps: runtime().deps };
}

export async function newProject(patch: SettingsPatch = {}) {
  const { deps } = runtime();
  const made = await createProject(deps, sha256Hex, { name: patch.name ?? 'Test shop', patch, now: deps.clock.now() });
  if (!made.ok) throw new Error(JSON.stringify(made.error));
  return { project: made.value.project, apiKey: made.value.keys.apiKey, secretKey: made.value.keys.secretKey, shopId: made.value.project.shopId };
}

type Handler = (e: APIGatewayProxyEventV2, c: Context) => Promise<APIGatewayProxyStructuredResultV2>;
const handlers = new Map<HttpGroup, Promise<Handler>>();

export type CallOptions = {
  body?: unknown;
  rawBody?: string;
  contentType?: string | null;
  apiKey?: string | null;
  headers?: Record<string, string>;
  query?: Record<string, string>;
  pathParameters?: Record<string, string>;
};

export type CallResult = { status: number; body: { status: string; result: unknown } & Record<string, unknown>; headers: Record<string, string> };

/** Invokes the route's real Lambda handler with an API Gateway v2 event. */
export async function call(route: RouteId, options: CallOptions = {}): Promise<CallResult> {
  const out = await callRaw(route, options);
  return { status: out.status, body: JSON.parse(out.text || '{}'), headers: out.headers };
}

/** The same, with the body as text: pages, assets, and empty 304 answers. */
export async function callRaw(route: RouteId, options: CallOptions & { sourceIp?: string } = {}): Promise<{ status: number; text: string; headers: Record<string, string> }> {
  const spec = routes[route];
  let handler = handlers.get(spec.group);
  if (!handler) {
    handler = import(/* @vite-ignore */ `../../${httpGroups[spec.group].entry}`).then((m: { handler: Handler }) => m.handler);
    handlers.set(spec.group, handler);
  }
  const form = options.contentType === 'application/x-www-form-urlencoded';
  const rawBody =
    options.rawBody ??
    (options.body === undefined ? '' : form ? new URLSearchParams(options.body as Record<string, string>).toString() : JSON.stringify(options.body));
  const headers: Record<string, string> = { ...options.headers };
  if (options.contentType !== null) headers['content-type'] = options.contentType ?? 'application/json';
  if (options.apiKey) headers.authorization = `Token ${options.apiKey}`;
  const path = Object.entries(options.pathParameters ?? {}).reduce<string>((p, [k, v]) => p.replace(`{${k}}`, v), spec.path);
  const event = {
    version: '2.0',
    routeKey: routeKey(spec),
    rawPath: path,
    rawQueryString: new URLSearchParams(options.query ?? {}).toString(),
    headers,
    queryStringParameters: options.query,
    pathParameters: options.pathParameters,
    requestContext: { requestId: `req-${randomBytes(4).toString('hex')}`, http: { method: spec.method, path, sourceIp: options.sourceIp ?? '198.51.100.7' } },
    body: rawBody || undefined,
    isBase64Encoded: false,
  } as unknown as APIGatewayProxyEventV2;
  const out = await (await handler)(event, {} as Context);
  return { status: out.statusCode ?? 0, text: out.body ?? '', headers: (out.headers ?? {}) as Record<string, string> };
}
