/**
 * The mass payout definition's routing, run locally with a scripted worker: Hold (over several
 * calls), the Map over the legs with its concurrency bound, each leg's loops, the leg error path
 * (one leg failing never fails the Map), Close and its Stuck end. The steps' own logic runs with
 * the real worker in test/integration/payout-batches.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { PAYOUT_BATCH_LIMITS, workflowDefinition, workflows as manifestWorkflows } from '../../lib/manifest';
import { allStates } from '../../lib/workflows/asl';
import { HISTORY_EVENTS_MAX, historyEventsBound, legWaitSeconds, payoutBatchDefinition } from '../../lib/workflows/payout-batch';
import { BATCH_LEG_CONCURRENCY } from '../../shared/domain/payout-batch';
import type { WorkerHandler } from '../../lib/local/workflow-host';
import { useWorkflows } from '../support/workflows';

type Call = { step: string; event: Record<string, unknown> };
/** Per leg (or `batch`): answers by step, given how many times this step was called for it before. */
type LegScript = Partial<Record<string, (n: number, event: Record<string, unknown>) => Record<string, unknown>>>;

const calls = new Map<string, Call[]>();
const scripts = new Map<string, { legs: string[]; holdingCalls?: number; leg: (legId: string) => LegScript; complete?: boolean }>();
let inFlight = 0;
let inFlightMax = 0;

const worker: WorkerHandler = async (event) => {
  const batchId = String(event.batchId);
  const script = scripts.get(batchId);
  if (!script) throw new Error(`no script for ${batchId}`);
  const step = String(event.step);
  const own = calls.get(batchId) ?? [];
  own.push({ step, event });
  calls.set(batchId, own);
  if (step === 'hold') {
    const holds = own.filter((c) => c.step === 'hold').length;
    if (holds <= (script.holdingCalls ?? 0)) return { batchId, state: 'holding' };
    return { batchId, state: 'held', legs: script.legs.map((legId) => ({ batchId, legId })) };
  }
  if (step === 'close') return { batchId, complete: script.complete ?? true };
  const legId = String(event.legId);
  const n = own.filter((c) => c.step === step && c.event.legId === legId).length - 1;
  if (step === 'send' && n === 0) inFlightMax = Math.max(inFlightMax, ++inFlight);
  // Give the other iterations a moment, so the concurrency bound is what limits them.
  await new Promise((r) => setTimeout(r, 5));
  try {
    const answer = script.leg(legId)[step]?.(n, event) ?? {};
    return { batchId, legId, ...answer };
  } finally {
    if (step === 'settle' || step === 'release') inFlight -= 1;
  }
};

const flow = useWorkflows({ waitSeconds: 0, workers: { payout_batch: worker } });

const normalLeg: LegScript = { send: () => ({ state: 'sent' }), confirm: (n) => ({ state: n < 1 ? 'pending' : 'landed' }) };
const stepsOf = (batchId: string, legId?: string) => (calls.get(batchId) ?? []).filter((c) => legId === undefined || c.event.legId === legId).map((c) => c.step);

async function run(batchId: string) {
  expect(await flow.start('payout_batch', batchId, { batchId })).toBe('started');
  return flow.waitFor(batchId, 'payout_batch', 30_000);
}

describe('payout batch workflow', () => {
  it('Paid: holds over two calls, pays every leg (send, confirm polled until landed, settle), then closes', async () => {
    scripts.set('PB-PAID0001', { legs: ['PB-PAID0001-L1', 'PB-PAID0001-L2', 'PB-PAID0001-L3'], holdingCalls: 1, leg: () => normalLeg });
    const done = await run('PB-PAID0001');
    expect(done.status).toBe('succeeded');
    expect(done.states.at(-1)).toBe('Completed');
    expect(stepsOf('PB-PAID0001').filter((s) => s === 'hold')).toHaveLength(2);
    for (const leg of ['PB-PAID0001-L1', 'PB-PAID0001-L2', 'PB-PAID0001-L3']) expect(stepsOf('PB-PAID0001', leg)).toEqual(['send', 'confirm', 'confirm', 'settle']);
    expect(stepsOf('PB-PAID0001').at(-1)).toBe('close');
    // Each Task gets exactly the contract's event: its step and the carried ids.
    for (const c of calls.get('PB-PAID0001') ?? []) {
      if (c.step === 'hold' || c.step === 'close') expect(c.event).toEqual({ step: c.step, batchId: 'PB-PAID0001' });
      else expect(c.event).toEqual({ step: c.step, batchId: 'PB-PAID0001', legId: c.event.legId });
    }
  });

  it('Concurrency: never more than BATCH_LEG_CONCURRENCY legs at once, every leg paid', async () => {
    const legs = Array.from({ length: 10 }, (_, i) => `PB-MANY0001-L${i + 1}`);
    inFlightMax = 0;
    inFlight = 0;
    scripts.set('PB-MANY0001', { legs, leg: () => ({ send: () => ({ state: 'sent' }), confirm: (n) => ({ state: n < 3 ? 'pending' : 'landed' }) }) });
    const done = await run('PB-MANY0001');
    expect(done.status).toBe('succeeded');
    for (const leg of legs) expect(stepsOf('PB-MANY0001', leg).at(-1)).toBe('settle');
    expect(inFlightMax).toBeLessThanOrEqual(BATCH_LEG_CONCURRENCY);
    expect(inFlightMax).toBeGreaterThan(1);
  });

  it('Waiting: a leg whose send says waiting is sent again after a pause', async () => {
    scripts.set('PB-WAIT0001', { legs: ['PB-WAIT0001-L1'], leg: () => ({ send: (n) => ({ state: n < 2 ? 'waiting' : 'sent' }), confirm: () => ({ state: 'landed' }) }) });
    const done = await run('PB-WAIT0001');
    expect(done.status).toBe('succeeded');
    expect(stepsOf('PB-WAIT0001', 'PB-WAIT0001-L1')).toEqual(['send', 'send', 'send', 'confirm', 'settle']);
    expect(done.states.filter((s) => s === 'WaitToSend')).toHaveLength(2);
  });

  it('OneLegFails: its step is retried four times, then the leg is released with the error; the other legs are paid and the batch completes', async () => {
    scripts.set('PB-ONEBAD01', {
      legs: ['PB-ONEBAD01-L1', 'PB-ONEBAD01-L2', 'PB-ONEBAD01-L3'],
      leg: (legId) =>
        legId === 'PB-ONEBAD01-L2'
          ? {
              send: () => {
                throw new Error('rpc down');
              },
              release: () => ({ released: true }),
            }
          : normalLeg,
    });
    const done = await run('PB-ONEBAD01');
    expect(done.status).toBe('succeeded');
    expect(done.states.at(-1)).toBe('Completed');
    expect(stepsOf('PB-ONEBAD01', 'PB-ONEBAD01-L2')).toEqual(['send', 'send', 'send', 'send', 'send', 'release']);
    const release = (calls.get('PB-ONEBAD01') ?? []).find((c) => c.step === 'release')?.event as { error: { Error: string; Cause: string } };
    expect(JSON.parse(release.error.Cause)).toMatchObject({ errorType: 'Error', errorMessage: 'rpc down' });
    for (const leg of ['PB-ONEBAD01-L1', 'PB-ONEBAD01-L3']) expect(stepsOf('PB-ONEBAD01', leg)).toEqual(['send', 'confirm', 'confirm', 'settle']);
    expect(stepsOf('PB-ONEBAD01').at(-1)).toBe('close');
  });

  it('UnexpectedAnswer: a leg step answering outside the contract goes to release, like an error', async () => {
    scripts.set('PB-ODDLEG01', { legs: ['PB-ODDLEG01-L1'], leg: () => ({ send: () => ({ state: 'maybe' }), release: () => ({ released: true }) }) });
    const done = await run('PB-ODDLEG01');
    expect(done.status).toBe('succeeded');
    expect(stepsOf('PB-ODDLEG01', 'PB-ODDLEG01-L1')).toEqual(['send', 'release']);
    const release = (calls.get('PB-ODDLEG01') ?? []).find((c) => c.step === 'release')?.event as { error: { Error: string } };
    expect(release.error.Error).toBe('Workflow.UnexpectedAnswer');
  });

  it('StuckRelease: a release that keeps failing ends its leg (the others go on); Close finds items in flight and the execution fails (alarmed)', async () => {
    scripts.set('PB-STUCK001', {
      legs: ['PB-STUCK001-L1', 'PB-STUCK001-L2'],
      complete: false,
      leg: (legId) =>
        legId === 'PB-STUCK001-L1'
          ? {
              send: () => ({ state: 'sent' }),
              confirm: () => {
                throw new Error('table throttled');
              },
              release: () => {
                throw new Error('still throttled');
              },
            }
          : normalLeg,
    });
    const done = await run('PB-STUCK001');
    expect(stepsOf('PB-STUCK001', 'PB-STUCK001-L1').filter((s) => s === 'release')).toHaveLength(5);
    expect(done.states).toContain('LegStuck');
    expect(stepsOf('PB-STUCK001', 'PB-STUCK001-L2')).toEqual(['send', 'confirm', 'confirm', 'settle']);
    expect(stepsOf('PB-STUCK001').at(-1)).toBe('close');
    expect(done.status).toBe('failed');
    expect(done.error?.error).toBe('PayoutBatch.Stuck');
  });

  it('KeptHold: a release that answers released false ends the leg as stuck, without failing the Map', async () => {
    scripts.set('PB-KEPT0001', {
      legs: ['PB-KEPT0001-L1'],
      complete: false,
      leg: () => ({ send: () => ({ state: 'sent' }), settle: () => ({ state: 'odd' }), confirm: () => ({ state: 'nope' }), release: () => ({ released: false }) }),
    });
    const done = await run('PB-KEPT0001');
    expect(stepsOf('PB-KEPT0001', 'PB-KEPT0001-L1')).toEqual(['send', 'confirm', 'release']);
    expect(done.states).toContain('LegStuck');
    expect(done.states.at(-1)).toBe('Stuck');
  });

  it('NoLegs: every item failed at its hold; the batch closes at once', async () => {
    scripts.set('PB-NOLEGS01', { legs: [], leg: () => normalLeg });
    const done = await run('PB-NOLEGS01');
    expect(done.status).toBe('succeeded');
    expect(stepsOf('PB-NOLEGS01')).toEqual(['hold', 'close']);
  });
});

describe('payout batch definition', () => {
  it('is an inline JSONPath Map with the concurrency bound, every Task routed to the batch worker with a timeout above its own', () => {
    const asl = workflowDefinition('payout_batch', 'arn:aws:lambda:us-east-1:000000000000:function:w');
    const map = asl.States.PayLegs;
    expect(map).toMatchObject({ Type: 'Map', ItemsPath: '$.legs', MaxConcurrency: BATCH_LEG_CONCURRENCY, ResultPath: null });
    expect(JSON.stringify(asl)).not.toMatch(/ItemProcessor|ItemReader|DISTRIBUTED|QueryLanguage/);
    const tasks = allStates(asl).filter(([, s]) => s.Type === 'Task');
    expect(tasks.map(([name]) => name).sort()).toEqual(['Close', 'Confirm', 'Hold', 'Release', 'Send', 'Settle']);
    for (const [, t] of tasks) if (t.Type === 'Task') expect(t.TimeoutSeconds).toBeGreaterThan(manifestWorkflows.payout_batch.worker.timeoutSeconds);
  });

  it('keeps the worst-case history of one execution under Step Functions\' 25,000 events at the deployed pace', () => {
    const o = { workerArn: 'arn', taskTimeoutSeconds: 130 };
    expect(legWaitSeconds(o)).toBe(30);
    expect(historyEventsBound(o, PAYOUT_BATCH_LIMITS)).toBeLessThan(HISTORY_EVENTS_MAX);
    // The legs the planner can make: 1,000 items, 25 to an each leg.
    expect(PAYOUT_BATCH_LIMITS.legsMax).toBe(40);
  });

  it('refuses a concurrency that is not a whole number of at least 1', () => {
    expect(() => payoutBatchDefinition({ workerArn: 'arn', taskTimeoutSeconds: 130 }, { legConcurrency: 0, legsMax: 40 })).toThrow(/legConcurrency/);
  });
});
