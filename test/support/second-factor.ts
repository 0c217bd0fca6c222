/** Second-factor helpers for the API tests: a clock the test moves, enrolment through the real admin routes, codes at any instant. */
import { generate } from 'otplib';
import { expect } from 'vitest';
import type { RouteId } from '../../lib/manifest';
import { ADMIN_TOKEN, type CallOptions, call } from './gateway';
import { manualClock } from './fixed-sources';
import type { Deps } from '../../shared/ports';

export const asAdmin = (route: RouteId, options: CallOptions = {}) => call(route, { ...options, headers: { authorization: `Bearer ${ADMIN_TOKEN}`, ...options.headers } });

/** Replaces the runtime's clock: every request's `now` (and every TOTP check) reads it. */
export function useManualClock(deps: Deps, start = Date.UTC(2026, 0, 5, 12, 0, 10)) {
  const clock = manualClock(start);
  deps.clock = clock;
  return clock;
}

/** The code an authenticator shows at `at`. */
export const codeAt = (secret: string, at: number) => generate({ secret, epoch: Math.floor(at / 1000) });

export type Enrolled = { secret: string; recoveryCodes: string[] };

/** Enrols the project's second factor at the clock's instant (its code's step is then spent). */
export async function enrol(shopId: string, now: () => number): Promise<Enrolled> {
  const started = await asAdmin('admin.second_factor.start', { pathParameters: { shopId }, body: {} });
  expect(started.status, JSON.stringify(started.body)).toBe(200);
  const { secret, otpauth_uri: uri } = started.body.result as { secret: string; otpauth_uri: string };
  expect(uri).toContain(`secret=${secret}`);
  const confirmed = await asAdmin('admin.second_factor.confirm', { pathParameters: { shopId }, body: { totp_code: await codeAt(secret, now()) } });
  expect(confirmed.status, JSON.stringify(confirmed.body)).toBe(200);
  return { secret, recoveryCodes: (confirmed.body.result as { recovery_codes: string[] }).recovery_codes };
}

/** One TOTP step later: a fresh code is available. */
export const STEP_MS = 30_000;
