/** The expiry schedule as the local scheduler runs it: the real handler, the sparse index. */
import { beforeAll, describe, expect, it } from 'vitest';
import { startSchedules } from '../../lib/local/schedule-host';
import type { Deps } from '../../shared/ports';
import type { Project } from '../../shared/domain/project';
import { createTestInvoice } from '../support/builders';
import { newProject, useTestGateway } from '../support/gateway';

let deps: Deps;
let project: Project;

beforeAll(async () => {
  ({ deps } = await useTestGateway());
  ({ project } = await newProject());
});

const invoiceAt = (createdAt: number, lifetimeMs: number) => createTestInvoice(deps, project, { now: createdAt, lifetimeMs });

describe('invoice-expiry schedule', () => {
  it('cancels what expired and nothing else, when the scheduler fires it', async () => {
    const now = Date.now();
    const expired = await Promise.all(Array.from({ length: 5 }, () => invoiceAt(now - 10 * 60_000, 60_000)));
    const waiting = await invoiceAt(now, 60 * 60_000);
    const host = startSchedules({ chains: [] });
    const summary = (await host.runNow('invoice-expiry')) as { expired: number };
    host.stop();
    expect(summary.expired).toBeGreaterThanOrEqual(5);
    for (const i of expired) expect((await deps.invoices.get(i.id))?.status).toBe('canceled');
    expect((await deps.invoices.get(waiting.id))?.status).toBe('created');
  });
});
