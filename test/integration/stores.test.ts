/** The DynamoDB adapters and use cases against DynamoDB Local: invariants held by conditions. */
import { beforeAll, describe, expect, it } from 'vitest';
import { runtime } from '../../functions/kit/deps';
import { DynamoCounters } from '../../shared/adapters/dynamo/counters';
import { makeDocumentClient } from '../../shared/adapters/dynamo/client';
import { keys } from '../../shared/adapters/dynamo/keys';
import { expireDueInvoices, invoiceStatistics } from '../../shared/app/invoices';
import { rotateKeys } from '../../shared/app/projects';
import { sha256Hex } from '../../shared/adapters/ids';
import type { Project } from '../../shared/domain/project';
import type { Deps } from '../../shared/ports';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { createTestInvoice } from '../support/builders';
import { newProject, useTestGateway } from '../support/gateway';

let deps: Deps;
let project: Project;
let tableName: string;
let endpoint: string;

const make = (overrides: Parameters<typeof createTestInvoice>[2] = {}) => createTestInvoice(deps, project, overrides);

beforeAll(async () => {
  ({ deps, tableName, endpoint } = await useTestGateway());
  ({ project } = await newProject());
});

describe('invoice store', () => {
  it('round-trips an invoice with bigint amounts and exact rates', async () => {
    const made = await make({ cryptocurrency: 'ETH', amount: { units: 12345n, scale: 2 } });
    const loaded = await deps.invoices.get(made.id);
    expect(loaded).toEqual(made);
    expect(typeof loaded?.selection?.amountToPay).toBe('bigint');
  });

  it('never hands out a deposit address twice, even under concurrency', async () => {
    const made = await Promise.all(Array.from({ length: 20 }, () => make({ cryptocurrency: 'USDT_ERC20' })));
    const addresses = new Set(made.map((i) => i.selection?.address));
    expect(addresses.size).toBe(20);
    const owner = await makeDocumentClient({ region: 'us-east-1', endpoint }).send(
      new GetCommand({ TableName: tableName, Key: keys.address('ethereum', made[0].selection?.address ?? '') }),
    );
    expect(owner.Item?.invoiceId).toBe(made[0].id);
  });

  it('counters are atomic', async () => {
    const counters = new DynamoCounters(makeDocumentClient({ region: 'us-east-1', endpoint }), tableName);
    const values = await Promise.all(Array.from({ length: 30 }, () => counters.next({ pk: 'COUNTER#TEST', sk: 'COUNTER' })));
    expect(new Set(values).size).toBe(30);
  });

  it('save is conditional on the version read', async () => {
    const made = await make();
    expect(await deps.invoices.save({ ...made, status: 'canceled', version: made.version + 1 }, made.version)).toBe(true);
    expect(await deps.invoices.save({ ...made, status: 'paid', version: made.version + 1 }, made.version)).toBe(false);
    expect((await deps.invoices.get(made.id))?.status).toBe('canceled');
  });

  it('the expirer cancels due invoices through the sparse index and leaves the rest', async () => {
    const now = Date.now();
    const due = await make({ lifetimeMs: 60_000, now: now - 120_000 });
    const live = await make({ lifetimeMs: 3_600_000, now });
    const first = await expireDueInvoices(deps, now);
    expect(first.expired).toBeGreaterThanOrEqual(1);
    expect((await deps.invoices.get(due.id))?.status).toBe('canceled');
    expect((await deps.invoices.get(live.id))?.status).toBe('created');
    // Off the work queue once canceled: a second run finds nothing of it.
    expect((await deps.invoices.dueForExpiry(now, 100)).ids.includes(due.id)).toBe(false);
  });

  it('statistics read only the requested days', async () => {
    const day = Date.UTC(2020, 5, 15, 12);
    await make({ now: day });
    const stats = await invoiceStatistics(deps, project, { start: Date.UTC(2020, 5, 15), end: Date.UTC(2020, 5, 15) });
    expect(stats.count.all).toBe(1);
    const none = await invoiceStatistics(deps, project, { start: Date.UTC(2020, 5, 16), end: Date.UTC(2020, 5, 20) });
    expect(none.count.all).toBe(0);
  });
});

describe('project store', () => {
  it('stores the API key only as a hash and the secret only encrypted', async () => {
    const made = await newProject({ name: 'Hashes' });
    const raw = await makeDocumentClient({ region: 'us-east-1', endpoint }).send(new GetCommand({ TableName: tableName, Key: keys.project(made.shopId) }));
    const text = JSON.stringify(raw.Item);
    expect(text).not.toContain(made.apiKey);
    expect(text).not.toContain(made.secretKey);
    expect(raw.Item?.apiKeyHash).toBe(sha256Hex(made.apiKey));
    expect(await deps.cipher.decrypt(String(raw.Item?.secretKeyCipher))).toBe(made.secretKey);
    expect(Buffer.from(made.secretKey, 'base64url').length).toBeGreaterThanOrEqual(32);
  });

  it('rotating the API key retires the old one at once in this process', async () => {
    const made = await newProject({ name: 'Rotate' });
    expect((await deps.projects.findByApiKeyHash(sha256Hex(made.apiKey)))?.shopId).toBe(made.shopId);
    const rotated = await rotateKeys(deps, sha256Hex, made.shopId, { api: true, secret: false }, Date.now());
    if (!rotated.ok) throw new Error('rotate failed');
    expect(await deps.projects.findByApiKeyHash(sha256Hex(made.apiKey))).toBeNull();
    expect((await deps.projects.findByApiKeyHash(sha256Hex(rotated.value.keys.apiKey ?? '')))?.shopId).toBe(made.shopId);
  });

  it('numbers projects uniquely', async () => {
    const numbers = (await Promise.all([newProject(), newProject(), newProject()])).map((p) => p.project.number);
    expect(new Set(numbers).size).toBe(3);
    expect(runtime().deps).toBe(deps);
  });
});
