/**
 * GET /docs/api: the OpenAPI document (shared/pages/assets/openapi.json) as one readable page,
 * rendered here from the document itself, so it says what /openapi.json says. No script, no CDN:
 * operations fold with <details>, styles come from /assets (the pages' CSP allows nothing inline).
 */
import { type Html, html, page } from './html';

type Json = Record<string, unknown>;
type Schema = Json;
type Operation = { operationId: string; summary?: string; tags?: string[]; parameters?: Json[]; requestBody?: { description?: string; content: Record<string, { schema: Schema }> }; responses: Record<string, Json>; security?: Record<string, unknown>[] };
export type OpenApiDocument = { info: { title: string; version: string; description?: string }; tags: { name: string; description?: string }[]; paths: Record<string, Record<string, Operation>>; components: { securitySchemes: Record<string, { description?: string }>; responses: Record<string, Json>; schemas: Record<string, Schema> } };

/** Nested objects deeper than this are summarised: the JSON document has them all. */
const DEPTH_MAX = 6;

const AUTH_LABELS: Record<string, string> = { apiKey: 'API key', withdrawalKey: 'Withdrawal key', adminToken: 'Admin token' };

/** Text with `code` spans (the document's descriptions are Markdown-ish); everything escaped. */
const prose = (text: unknown): Html => html`${String(text ?? '').split('`').map((part, i) => (i % 2 === 1 ? html`<code>${part}</code>` : part))}`;

const slug = (text: string) => text.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');

/** A short type label: `string`, `number | string`, `array of object`, `"success"`, `one of: USD, EUR`. */
function typeLabel(s: Schema): string {
  if ('const' in s) return JSON.stringify(s.const);
  if (Array.isArray(s.enum)) return s.enum.length > 8 ? `${String(s.type ?? 'string')} (${s.enum.length} values)` : `one of: ${s.enum.map(String).join(', ')}`;
  const variants = (s.anyOf ?? s.oneOf) as Schema[] | undefined;
  if (variants) return variants.map(typeLabel).join(' | ');
  if (s.type === 'array' || (Array.isArray(s.type) && s.type.includes('array') && s.items)) {
    const items = s.items as Schema | undefined;
    const rest = Array.isArray(s.type) ? s.type.filter((t) => t !== 'array') : [];
    return [`array of ${items ? typeLabel(items) : 'any'}`, ...rest].join(' | ');
  }
  if (Array.isArray(s.type)) return s.type.join(' | ');
  if (typeof s.type === 'string') return s.type + (s.nullable ? ' | null' : '');
  if (s.$ref) return String(s.$ref).split('/').pop() ?? 'object';
  return 'any';
}

/** Bounds and formats, in words. */
function constraints(s: Schema): string[] {
  const out: string[] = [];
  if (typeof s.format === 'string') out.push(s.format);
  if (typeof s.minLength === 'number') out.push(`min ${s.minLength} chars`);
  if (typeof s.maxLength === 'number') out.push(`max ${s.maxLength} chars`);
  if (typeof s.minimum === 'number' && s.minimum > Number.MIN_SAFE_INTEGER) out.push(`≥ ${s.minimum}`);
  if (typeof s.maximum === 'number' && s.maximum < Number.MAX_SAFE_INTEGER) out.push(`≤ ${s.maximum}`);
  if (typeof s.maxItems === 'number') out.push(`at most ${s.maxItems} items`);
  if (typeof s.pattern === 'string') out.push(`pattern ${s.pattern}`);
  if (s.default !== undefined) out.push(`default ${JSON.stringify(s.default)}`);
  if (Array.isArray(s.enum) && s.enum.length > 8) out.push(s.enum.map(String).join(', '));
  return out;
}

/** What an object's properties are, with allOf merged (zod's intersections). */
function propertiesOf(s: Schema): { properties: Record<string, Schema>; required: string[] } | null {
  const parts = Array.isArray(s.allOf) ? (s.allOf as Schema[]) : [s];
  const properties: Record<string, Schema> = {};
  const required: string[] = [];
  for (const part of parts) {
    Object.assign(properties, (part.properties as Record<string, Schema> | undefined) ?? {});
    required.push(...((part.required as string[] | undefined) ?? []));
  }
  return Object.keys(properties).length > 0 ? { properties, required } : null;
}

/** The object a schema describes, directly or as its array's items. */
const nested = (s: Schema): Schema | null => (propertiesOf(s) ? s : s.items && propertiesOf(s.items as Schema) ? (s.items as Schema) : null);

/** `answer`: an answer's fields are always there unless optional, so only the optional ones are marked. */
function fields(s: Schema, depth: number, answer = false): Html {
  const props = propertiesOf(s);
  if (!props) {
    const items = nested(s);
    return html`<p class="api-type"><code>${typeLabel(s)}</code>${s.description ? html` — ${prose(s.description)}` : ''}${items ? ', each:' : ''}</p>${items && depth < DEPTH_MAX ? fields(items, depth + 1, answer) : ''}`;
  }
  return html`<ul class="api-fields">${Object.entries(props.properties).map(([name, p]) => {
    const inner = nested(p);
    const notes = constraints(p);
    return html`<li><div class="api-field"><code class="api-name">${name}</code> <span class="api-ftype">${typeLabel(p)}</span>${answer ? (props.required.includes(name) ? '' : html` <span class="api-opt">optional</span>`) : props.required.includes(name) ? html` <span class="api-req">required</span>` : ''}</div>${p.description ? html`<div class="api-desc">${prose(p.description)}</div>` : ''}${notes.length > 0 ? html`<div class="api-notes">${notes.join(' · ')}</div>` : ''}${inner && depth < DEPTH_MAX ? fields(inner, depth + 1, answer) : ''}</li>`;
  })}</ul>`;
}

function parametersBlock(params: Json[]): Html {
  if (params.length === 0) return html``;
  return html`<h4>Parameters</h4><ul class="api-fields">${params.map((p) => {
    const schema = (p.schema ?? {}) as Schema;
    const notes = constraints(schema);
    return html`<li><div class="api-field"><code class="api-name">${String(p.name)}</code> <span class="api-in">${String(p.in)}</span> <span class="api-ftype">${typeLabel(schema)}</span>${p.required ? html` <span class="api-req">required</span>` : ''}</div>${p.description || schema.description ? html`<div class="api-desc">${prose(p.description ?? schema.description)}</div>` : ''}${notes.length > 0 ? html`<div class="api-notes">${notes.join(' · ')}</div>` : ''}</li>`;
  })}</ul>`;
}

function responsesBlock(doc: OpenApiDocument, responses: Record<string, Json>): Html {
  return html`<h4>Responses</h4>${Object.entries(responses).map(([code, r]) => {
    const resolved = (r.$ref ? doc.components.responses[String(r.$ref).split('/').pop() ?? ''] : r) as { description?: string; content?: Record<string, { schema: Schema }> };
    const [type, media] = Object.entries(resolved.content ?? {})[0] ?? [];
    const schema = media?.schema;
    const envelope = schema?.properties && (schema.properties as Json).result !== undefined && code.startsWith('2');
    const body = envelope ? ((schema.properties as Json).result as Schema) : null;
    return html`<div class="api-response"><div><span class="api-code api-code-${code[0]}">${code}</span> ${prose(resolved.description)}${type ? html` <span class="api-in">${type}</span>` : ''}</div>${body && Object.keys(body).length > 0 ? html`<p class="api-small">In <code>{"status":"success","result": …}</code>, <code>result</code> is:</p>${fields(body, 1, true)}` : envelope ? html`<p class="api-small"><code>{"status":"success","result": …}</code></p>` : ''}</div>`;
  })}`;
}

function operationBlock(doc: OpenApiDocument, path: string, method: string, op: Operation): Html {
  const auth = (op.security ?? []).flatMap((r) => Object.keys(r));
  const body = op.requestBody;
  const bodySchema = body ? Object.values(body.content)[0]?.schema : undefined;
  return html`<details class="api-op" id="${slug(op.operationId)}"><summary><span class="api-method api-${method}">${method.toUpperCase()}</span> <code class="api-path">${path}</code> <span class="api-summary">${op.summary ?? ''}</span>${auth.map((a) => html` <span class="api-auth">${AUTH_LABELS[a] ?? a}</span>`)}</summary><div class="api-body"><p class="api-small">operationId <code>${op.operationId}</code></p>${parametersBlock(op.parameters ?? [])}${body && bodySchema ? html`<h4>Request body</h4><p class="api-small">${Object.keys(body.content).join(' or ')}${body.description ? html` — ${prose(body.description)}` : ''}</p>${fields(bodySchema, 1)}` : ''}${responsesBlock(doc, op.responses)}</div></details>`;
}

export function renderApiDocs(doc: OpenApiDocument): string {
  const ops = Object.entries(doc.paths).flatMap(([path, byMethod]) => Object.entries(byMethod).map(([method, op]) => ({ path, method, op })));
  const byTag = doc.tags.map((tag) => ({ tag, ops: ops.filter((o) => (o.op.tags ?? [])[0] === tag.name) })).filter((t) => t.ops.length > 0);
  const schemes = Object.entries(doc.components.securitySchemes);
  const body = html`<main class="api-shell"><header class="api-head"><h1>${doc.info.title} <span class="api-version">${doc.info.version}</span></h1>${doc.info.description ? html`<p>${prose(doc.info.description)}</p>` : ''}<p>Machine-readable: <a href="/openapi.json">/openapi.json</a> (OpenAPI 3.1).</p></header><section class="api-card"><h2>Authentication</h2><ul class="api-fields">${schemes.map(([name, s]) => html`<li><div class="api-field"><span class="api-auth">${AUTH_LABELS[name] ?? name}</span></div><div class="api-desc">${prose(s.description)}</div></li>`)}</ul></section><nav class="api-card" aria-label="Sections"><h2>Sections</h2><ul class="api-toc">${byTag.map(({ tag, ops: list }) => html`<li><a href="#${slug(tag.name)}">${tag.name}</a> <span class="api-small">${list.length} routes</span></li>`)}</ul></nav>${byTag.map(({ tag, ops: list }) => html`<section class="api-card" id="${slug(tag.name)}"><h2>${tag.name}</h2>${tag.description ? html`<p class="api-small">${prose(tag.description)}</p>` : ''}${list.map((o) => operationBlock(doc, o.path, o.method, o.op))}</section>`)}</main>`;
  return page({ title: `${doc.info.title} ${doc.info.version}`, lang: 'en', body, styles: ['api-docs.css'] });
}
