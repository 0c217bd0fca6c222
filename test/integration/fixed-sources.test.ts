/**
 * shared/app reads time and randomness only through the Clock and RandomSource ports, so a test
 * that fixes them gets exact answers: the postback backoff (jitter from RandomSource) and the
 * watcher's lag metric (timestamp from Clock). Real parts: DynamoDB Local, the local SQS engine,
 * the devnet, and a real HTTP receiver that keeps failing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postbackFields } from '../../shared/api/cryptocloud/postback';
import { runWatcher, SCAN_LAG_METRIC, WatchSet } from '../../shared/app/chain-watcher';
import { confirmTestInvoice } from '../../shared/app/invoices';
import { withdrawalWebhookBody } from '../../shared/api/native/withdrawal-webhooks';
import { deliverPostback } from '../../shared/app/postbacks';
import { jobOf, postbackEventsOf, retryDelaySeconds } from '../../shared/domain/postbacks';
import { makeLogger } from '../../shared/log';
import type { Deps } from '../../shared/ports';
import { createTestInvoice } from '../support/builders';
import { fixedRandom, manualClock } from '../support/fixed-sources';
import { newProject } from '../support/gateway';
import { type Harness, usePaymentsHarness } from '../support/payments-harness';
import { type Receiver, startReceiver } from '../support/postback-receiver';

/** Failed attempts before the one whose backoff is checked: the third waits 4× the first delay. */
const RECEIVES = 3;
/** 2030-01-01T00:00:00Z: far from the wall clock, so a stray Date.now() shows. */
const FIXED_START_MS = Date.UTC(2030, 0, 1);

let h: Harness;
let failing: Receiver;

beforeAll(async () => {
  h = await usePaymentsHarness({ env: { LOG_LEVEL: 'silent', POSTBACK_ALLOW_LOOPBACK: 'true', POSTBACK_RETRY_FIRST_SECONDS: '60', POSTBACK_RETRY_MAX_SECONDS: '43200' } });
  failing = await startReceiver(() => ({ status: 503, body: 'down' }));
}, 60_000);

afterAll(async () => {
  await failing?.stop();
  await h?.stop();
});

describe('postback backoff with a fixed random source', () => {
  it('is deterministic: the same fraction gives the same wait every time, and the documented jitter bounds', async () => {
    const { project } = await newProject({ notificationUrl: failing.url });
    const invoice = await createTestInvoice(h.deps, project, { cryptocurrency: 'USDT_ERC20' });
    const paid = await confirmTestInvoice(h.deps, project, invoice.id, h.deps.clock.now());
    if (!paid.ok) throw new Error(JSON.stringify(paid.error));
    const [event] = postbackEventsOf(paid.value);
    const job = jobOf(paid.value, event);
    const policy = h.deps.settings.postbacks.retry;
    const waitWith = async (fraction: number) => {
      const deps: Deps = { ...h.deps, random: fixedRandom(fraction) };
      const outcome = await deliverPostback(deps, { invoice: postbackFields, withdrawal: withdrawalWebhookBody }, job, RECEIVES);
      if (outcome.kind !== 'retry') throw new Error(`expected a retry, got ${JSON.stringify(outcome)}`);
      return outcome.afterSeconds;
    };

    const first = await waitWith(0.25);
    expect(first).toBe(retryDelaySeconds(RECEIVES, policy, 0.25));
    expect(await waitWith(0.25)).toBe(first);
    expect(await waitWith(0.25)).toBe(first);
    // 60 s doubled twice is 240 s, spread to ±20 %: the fraction alone picks the point.
    expect(first).toBe(216);
    expect(await waitWith(0)).toBe(192);
    expect(await waitWith(0.999_999)).toBe(288);
    // Each wait followed a real 503 from the receiver, not a refusal before sending.
    expect((await h.deps.postbackLog.attemptsOf(invoice.id)).map((a) => [a.outcome, a.httpStatus])).toEqual(Array(5).fill(['rejected', 503]));
  });
});

describe('watcher lag metric with a fixed clock', () => {
  it("stamps each pass's ScanLagBlocks line with the Clock's time, not the wall clock", async () => {
    const clock = manualClock(FIXED_START_MS);
    const lines: Record<string, unknown>[] = [];
    const log = makeLogger({}, 'info', (line) => lines.push(JSON.parse(line)));
    const blockTimeMs = h.deployment.blockTimeMs;
    const sleep = async (ms: number) => clock.advance(ms);
    // An invoice waiting for its payment at the fixed time keeps the watcher busy (looping).
    const { project } = await newProject({});
    await createTestInvoice(h.deps, project, { cryptocurrency: 'USDT_ERC20', now: FIXED_START_MS });
    // Two passes: one at the start, one after a block time of (fake) waiting.
    await runWatcher({ ...h.watcher, clock, log }, h.deployment, new WatchSet('ethereum', h.chainState), blockTimeMs * 2.5, sleep);
    const stamps = lines.filter((l) => l.msg === 'watcher.lag').map((l) => (l._aws as { Timestamp: number }).Timestamp);
    expect(stamps).toEqual([FIXED_START_MS, FIXED_START_MS + blockTimeMs]);
    expect(lines.find((l) => l.msg === 'watcher.lag')).toMatchObject({ [SCAN_LAG_METRIC.dimension]: 'ethereum' });
  });
});
