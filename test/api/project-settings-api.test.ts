/** Project settings through the admin API: a bad setting gets a clear field error in the envelope. */
import { describe, expect, it } from 'vitest';
import { PARTIAL_TOLERANCE_PERCENT_MAX } from '../../shared/domain/project';
import { ADMIN_TOKEN, call, newProject, useTestGateway } from '../support/gateway';

const admin = { authorization: `Bearer ${ADMIN_TOKEN}` };

describe('admin project update', () => {
  it(`refuses a partial tolerance above ${PARTIAL_TOLERANCE_PERCENT_MAX}% and keeps the old one`, async () => {
    await useTestGateway();
    const { shopId } = await newProject({ partialTolerance: '2%' });
    const refused = await call('admin.project.update', { headers: admin, pathParameters: { shopId }, body: { partial_tolerance: '15%' } });
    expect(refused.status).toBe(400);
    expect(JSON.stringify(refused.body)).toContain(`at most ${PARTIAL_TOLERANCE_PERCENT_MAX}%`);
    const shown = await call('admin.project.show', { headers: admin, pathParameters: { shopId }, contentType: null });
    expect((shown.body.result as { settings: { partial_tolerance: string } }).settings.partial_tolerance).toBe('2%');
    const accepted = await call('admin.project.update', { headers: admin, pathParameters: { shopId }, body: { partial_tolerance: '10%' } });
    expect(accepted.status).toBe(200);
  });
});
