/**
 * The OpenAPI document (lib/openapi/spec.ts): every route declares its request schema, the
 * committed file is the generated one, the document is structurally OpenAPI 3.1, and the
 * CryptoCloud response schemas describe what the presenters really answer.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { type RouteId, routes } from '../../lib/manifest';
import { buildOpenApi, OPENAPI_FILE, openApiText, routesWithoutRequestSchema } from '../../lib/openapi/spec';
import { presentBalance, presentCreatedInvoice, presentInvoice, presentStatistics, presentStaticWallet } from '../../shared/api/cryptocloud/presenters';
import { Balance, CreatedInvoice, Invoice as InvoiceSchema, OutCreated, StaticWallet, Statistics } from '../../shared/api/cryptocloud/responses';
import { OutCreateRequestDoc, parseOutCreate, presentOutCreated } from '../../shared/api/cryptocloud/withdrawals';
import { findCrypto } from '../../shared/domain/currencies';
import type { Invoice } from '../../shared/domain/invoice/invoice';
import { ratio } from '../../shared/domain/money';
import type { Project } from '../../shared/domain/project';
import type { StaticWallet as Wallet } from '../../shared/domain/static-wallet';
import type { Withdrawal } from '../../shared/domain/withdrawal';
import { createdInvoice, presenterAt, presenterCtx, presenterProject, usdtSelection } from '../support/presenter-fixtures';

type Json = Record<string, unknown>;
const doc = buildOpenApi('0.0.0-test') as Json & { paths: Record<string, Record<string, Json>>; components: Json };
const operations = () => Object.entries(doc.paths).flatMap(([path, ops]) => Object.entries(ops).map(([method, op]) => ({ path, method, op })));

describe('OpenAPI document', () => {
  it('every route in the manifest declares its request schema (input: fromSchema, withRequest, noInput, or `request`)', () => {
    const missing = routesWithoutRequestSchema();
    expect(missing, `routes without a request schema: ${missing.join(', ')}; declare what they read (see functions/kit/http.ts RequestSchemas)`).toEqual([]);
  });

  it('the committed file is the generated one (run `npm run docs:openapi`)', () => {
    expect(readFileSync(OPENAPI_FILE, 'utf8') === openApiText(), 'shared/pages/assets/openapi.json is stale: run `npm run docs:openapi` and commit it').toBe(true);
  });

  it('documents every route once, under its manifest id', () => {
    const ids = operations().map(({ op }) => op.operationId as RouteId);
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual((Object.keys(routes) as RouteId[]).sort());
  });

  it('is structurally OpenAPI 3.1: required fields, path parameters, security schemes, tags and references resolve', () => {
    expect(doc.openapi).toBe('3.1.0');
    const info = doc.info as Json;
    expect(typeof info.title).toBe('string');
    expect(typeof info.version).toBe('string');
    const tags = new Set((doc.tags as { name: string }[]).map((t) => t.name));
    const schemes = doc.components.securitySchemes as Record<string, Json>;
    for (const scheme of Object.values(schemes)) expect(['apiKey', 'http']).toContain(scheme.type);
    for (const { path, method, op } of operations()) {
      const where = `${method.toUpperCase()} ${path}`;
      expect(path, where).toMatch(/^\/[^{}]*(\{\w+\}[^{}]*)*$/);
      expect(['get', 'post', 'patch', 'delete', 'put'], where).toContain(method);
      expect(Object.keys(op.responses as Json).length, where).toBeGreaterThan(0);
      for (const code of Object.keys(op.responses as Json)) expect(code, where).toMatch(/^[1-5]\d\d$/);
      for (const tag of op.tags as string[]) expect(tags.has(tag), `${where}: tag ${tag}`).toBe(true);
      // Each template parameter is declared once, in: path, required; no other path parameter.
      const params = (op.parameters as Json[] | undefined) ?? [];
      const inPath = params.filter((p) => p.in === 'path').map((p) => p.name);
      expect(inPath.sort(), where).toEqual([...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort());
      for (const p of params) {
        expect(['path', 'query', 'header', 'cookie'], where).toContain(p.in);
        if (p.in === 'path') expect(p.required, where).toBe(true);
        expect(p.schema, `${where} ${String(p.name)}`).toBeTypeOf('object');
      }
      expect(new Set(params.map((p) => `${p.in}:${p.name}`)).size, where).toBe(params.length);
      if (op.requestBody) expect(Object.keys((op.requestBody as Json).content as Json).length, where).toBeGreaterThan(0);
      for (const requirement of (op.security as Json[] | undefined) ?? []) for (const name of Object.keys(requirement)) expect(schemes[name], `${where}: ${name}`).toBeDefined();
      // Every route that takes a key says which, and no keyless route asks for one.
      const auth = routes[op.operationId as RouteId].auth;
      expect(op.security === undefined, where).toBe(auth === 'none');
    }
    // Every $ref points at something in the document.
    const refs = JSON.stringify(doc).match(/"\$ref":"[^"]+"/g) ?? [];
    for (const ref of refs) {
      const path = ref.slice(8, -1).replace(/^#\//, '').split('/');
      const target = path.reduce<unknown>((node, key) => (node as Json | undefined)?.[key], doc);
      expect(target, ref).toBeDefined();
    }
  });

  it('documents the lenient CryptoCloud fields by what they accept, with the required ones required', () => {
    const create = (doc.paths['/v2/invoice/create'].post.requestBody as { content: Record<string, { schema: Json }> }).content;
    expect(Object.keys(create)).toEqual(['application/json', 'application/x-www-form-urlencoded']);
    const schema = create['application/json'].schema as { properties: Record<string, Json>; required: string[] };
    expect(schema.required.sort()).toEqual(['amount', 'shop_id']);
    expect(schema.properties.amount.type).toEqual(['number', 'string']);
    // A field with no type is a field the document says nothing about.
    for (const { path, method, op } of operations()) {
      const body = (op.requestBody as { content: Record<string, { schema: Json }> } | undefined)?.content['application/json'].schema;
      for (const [name, prop] of Object.entries((body?.properties as Record<string, Json> | undefined) ?? {})) {
        expect(Object.keys(prop).length, `${method} ${path} body.${name} is undocumented`).toBeGreaterThan(0);
      }
    }
  });

  it('wraps answers in the envelope and refusals in the error envelope', () => {
    const op = doc.paths['/v2/invoice/merchant/info'].post as { responses: Record<string, Json> };
    const ok = (op.responses['200'].content as Record<string, { schema: { properties: Json; required: string[] } }>)['application/json'].schema;
    expect(ok.properties.status).toEqual({ const: 'success' });
    expect((ok.properties.result as Json).type).toBe('array');
    expect(op.responses['400']).toEqual({ $ref: '#/components/responses/Error' });
    expect(op.responses['403']).toEqual({ $ref: '#/components/responses/Unauthorized' });
  });
});

// Fixtures: the presenters' real output must parse with the strict response schemas.
const ctx = presenterCtx;
const project = presenterProject;
const at = presenterAt;
const created = createdInvoice;
const paid: Invoice = {
  ...created,
  status: 'paid',
  finishedAt: at + 60_000,
  orderId: 'order-1',
  email: 'a@b.test',
  selection: usdtSelection,
  amountPaid: 12_840_000n,
  received: 12_840_000n,
};

describe('CryptoCloud response schemas match the presenters', () => {
  it('invoice create (before and after a currency is chosen)', () => {
    for (const invoice of [created, paid]) expect(CreatedInvoice.safeParse(presentCreatedInvoice(ctx, invoice, project)).error).toBeUndefined();
  });

  it('invoice info and list', () => {
    for (const invoice of [created, paid]) expect(InvoiceSchema.safeParse(presentInvoice(ctx, invoice, project)).error).toBeUndefined();
  });

  it('balance', () => {
    const usdt = findCrypto('USDT_ERC20');
    if (!usdt) throw new Error('registry lost USDT_ERC20');
    const rows = presentBalance(ctx, [{ currency: usdt, total: 5_000_000n, available: 4_000_000n, usdPerUnit: ratio(1n, 1n), enabled: true }] as Parameters<typeof presentBalance>[1]);
    expect(Balance.safeParse(rows).error).toBeUndefined();
  });

  it('static wallet create', () => {
    const wallet = { id: '5b0c0a4e-1111-4222-8333-444455556666', code: 'USDT_ERC20', address: '0xabc' } as Wallet;
    expect(StaticWallet.safeParse(presentStaticWallet(ctx, wallet, { chains: [], project: { settings: { enabledCurrencies: [] } } as unknown as Project })).error).toBeUndefined();
  });

  it('statistics', () => {
    const zero = { all: 0, created: 0, partial: 0, paid: 0, overpaid: 0, canceled: 0 };
    const stats = { count: { ...zero, all: 2, paid: 2 }, amountUsdCents: { all: 1050n, created: 0n, partial: 0n, paid: 1050n, overpaid: 0n, canceled: 0n } };
    expect(Statistics.safeParse(presentStatistics(stats as Parameters<typeof presentStatistics>[0])).error).toBeUndefined();
  });

  it('out/create: the answer, and the documented body agrees with the parser', () => {
    expect(OutCreated.safeParse(presentOutCreated({ id: 'WD-1', code: 'ETH', amount: 50_000_000_000_000_000n } as Withdrawal)).error).toBeUndefined();
    const bodies = [
      { currency_code: 'ETH', to_address: '0xabc', amount: 0.05 },
      { currency_code: 'ETH', to_address: '0xabc', amount: '0.05' },
      { currency_code: 'ETH', to_address: '0xabc' },
      { currency_code: 5, to_address: '0xabc', amount: 1 },
      { currency_code: 'ETH', to_address: '0xabc', amount: true },
    ];
    for (const body of bodies) expect(OutCreateRequestDoc.safeParse(body).success, JSON.stringify(body)).toBe(parseOutCreate(body).ok);
  });
});
