/**
 * The deployed state machines' routing, run locally: the generator's real ASL on
 * aws-local-stepfunctions, with scripted workers (this is the definitions' behaviour; the steps'
 * own logic is tested with the real worker elsewhere). Each scripted worker answers per id.
 */
import { describe, expect, it } from 'vitest';
import { buildRuntime } from '../../functions/kit/deps';
import { WorkflowHost } from '../../lib/local/workflow-host';
import type { WorkerHandler } from '../../lib/local/workflow-host';
import { useWorkflows } from '../support/workflows';

type Script = (step: string, event: Record<string, unknown>) => Record<string, unknown>;

/** A worker that answers by script per execution id and records every call (step and event). */
function scripted(idField: string) {
  const scripts = new Map<string, Script>();
  const calls = new Map<string, { step: string; event: Record<string, unknown> }[]>();
  const handler: WorkerHandler = async (event) => {
    const id = String(event[idField]);
    const script = scripts.get(id);
    if (!script) throw new Error(`no script for ${id}`);
    const step = String(event.step);
    calls.set(id, [...(calls.get(id) ?? []), { step, event }]);
    return script(step, event);
  };
  return { handler, script: (id: string, s: Script) => scripts.set(id, s), steps: (id: string) => (calls.get(id) ?? []).map((c) => c.step), calls: (id: string) => calls.get(id) ?? [] };
}

/** Answers `confirm` from a list (then the last one again); every other step from `answers`. */
function withdrawalScript(answers: Partial<Record<string, Record<string, unknown> | Error>>, confirms: string[] = ['landed']): Script {
  let confirm = 0;
  return (step, event) => {
    const id = { withdrawalId: event.withdrawalId };
    if (step === 'confirm') return { ...id, state: confirms[Math.min(confirm++, confirms.length - 1)] };
    const answer = answers[step];
    if (answer instanceof Error) throw answer;
    return { ...id, ...(answer ?? {}) };
  };
}

const withdrawals = scripted('withdrawalId');
const sweeps = scripted('sweepId');
const workflows = useWorkflows({ waitSeconds: 0, workers: { withdrawal: withdrawals.handler, sweep: sweeps.handler } });

describe('withdrawal workflow', () => {
  it('HappyPath: holds, signs, broadcasts, polls the confirmation until it lands, then settles', async () => {
    withdrawals.script('wd_happy', withdrawalScript({ hold: { outcome: 'held' } }, ['pending', 'pending', 'landed']));
    expect(await workflows.start('withdrawal', 'wd_happy', { withdrawalId: 'wd_happy' })).toBe('started');
    const run = await workflows.waitFor('wd_happy');
    expect(run.status).toBe('succeeded');
    expect(withdrawals.steps('wd_happy')).toEqual(['hold', 'sign', 'broadcast', 'confirm', 'confirm', 'confirm', 'settle']);
    expect(run.states.filter((s) => s === 'WaitForConfirmations')).toHaveLength(2);
    expect(run.states.at(-1)).toBe('Withdrawn');
    // Each Task gets exactly the contract's event: its step and the carried id.
    for (const c of withdrawals.calls('wd_happy')) expect(c.event).toEqual({ step: c.step, withdrawalId: 'wd_happy' });
  });

  it('HoldRejected: ends without signing or sending anything', async () => {
    withdrawals.script('wd_rejected', withdrawalScript({ hold: { outcome: 'rejected' } }));
    await workflows.start('withdrawal', 'wd_rejected', { withdrawalId: 'wd_rejected' });
    const run = await workflows.waitFor('wd_rejected');
    expect(run.status).toBe('succeeded');
    expect(withdrawals.steps('wd_rejected')).toEqual(['hold']);
    expect(run.states.at(-1)).toBe('Rejected');
  });

  it('BroadcastKeepsFailing: retries four times, then releases the hold with the error', async () => {
    withdrawals.script('wd_rpc_down', withdrawalScript({ hold: { outcome: 'held' }, broadcast: new Error('rpc down'), release: { released: true } }));
    await workflows.start('withdrawal', 'wd_rpc_down', { withdrawalId: 'wd_rpc_down' });
    const run = await workflows.waitFor('wd_rpc_down');
    expect(withdrawals.steps('wd_rpc_down')).toEqual(['hold', 'sign', 'broadcast', 'broadcast', 'broadcast', 'broadcast', 'broadcast', 'release']);
    const release = withdrawals.calls('wd_rpc_down').at(-1)?.event as { withdrawalId: string; error: { Error: string; Cause: string } };
    expect(release.withdrawalId).toBe('wd_rpc_down');
    // As Lambda reports a thrown error: its type, and a JSON cause with the message.
    expect(release.error.Error).toBe('Error');
    expect(JSON.parse(release.error.Cause)).toMatchObject({ errorType: 'Error', errorMessage: 'rpc down' });
    expect(run.status).toBe('succeeded');
    expect(run.states.at(-1)).toBe('Released');
  });

  it('MayStillLand: a release that keeps the hold ends in the Stuck failure (alarmed)', async () => {
    withdrawals.script('wd_stuck', withdrawalScript({ hold: { outcome: 'held' }, settle: new Error('table throttled'), release: { released: false } }));
    await workflows.start('withdrawal', 'wd_stuck', { withdrawalId: 'wd_stuck' });
    const run = await workflows.waitFor('wd_stuck');
    expect(withdrawals.steps('wd_stuck').slice(-2)).toEqual(['settle', 'release']);
    expect(run.status).toBe('failed');
    expect(run.states.at(-1)).toBe('Stuck');
    expect(run.error?.error).toBe('Withdrawal.Stuck');
  });

  it('UnexpectedAnswer: a step answering outside the contract is released like an error, not followed', async () => {
    withdrawals.script('wd_odd', withdrawalScript({ hold: { outcome: 'maybe' }, release: { released: true } }));
    await workflows.start('withdrawal', 'wd_odd', { withdrawalId: 'wd_odd' });
    const run = await workflows.waitFor('wd_odd');
    expect(withdrawals.steps('wd_odd')).toEqual(['hold', 'release']);
    expect((withdrawals.calls('wd_odd')[1].event.error as { Error: string }).Error).toBe('Workflow.UnexpectedAnswer');
    expect(run.states.at(-1)).toBe('Released');
  });

  it('SameNameTwice: the second start is already_started and runs nothing', async () => {
    withdrawals.script('wd_twice', withdrawalScript({ hold: { outcome: 'held' } }));
    const [first, second] = await Promise.all([
      workflows.start('withdrawal', 'wd_twice', { withdrawalId: 'wd_twice' }),
      workflows.start('withdrawal', 'wd_twice', { withdrawalId: 'wd_twice' }),
    ]);
    expect([first, second]).toEqual(['started', 'already_started']);
    await workflows.waitFor('wd_twice');
    expect(await workflows.start('withdrawal', 'wd_twice', { withdrawalId: 'wd_twice' })).toBe('already_started');
    expect(withdrawals.steps('wd_twice').filter((s) => s === 'hold')).toHaveLength(1);
    // A name is unique per workflow: a sweep may carry the same one.
    sweeps.script('wd_twice', () => ({ sweepId: 'wd_twice', outcome: 'skip' }));
    expect(await workflows.start('sweep', 'wd_twice', { sweepId: 'wd_twice' })).toBe('started');
    expect((await workflows.waitFor('wd_twice', 'sweep')).status).toBe('succeeded');
  });

  it('refuses a name Step Functions would refuse', async () => {
    await expect(workflows.start('withdrawal', 'wd one', { withdrawalId: 'x' })).rejects.toThrow(/invalid execution name/);
    await expect(workflows.start('withdrawal', 'x'.repeat(81), { withdrawalId: 'x' })).rejects.toThrow(/invalid execution name/);
  });
});

describe('sweep workflow', () => {
  it('Skip: ends after start when the sweep is not worth its fee', async () => {
    sweeps.script('sw_small', (step) => ({ sweepId: 'sw_small', ...(step === 'start' ? { outcome: 'skip' } : {}) }));
    await workflows.start('sweep', 'sw_small', { sweepId: 'sw_small' });
    const run = await workflows.waitFor('sw_small');
    expect(run.status).toBe('succeeded');
    expect(sweeps.steps('sw_small')).toEqual(['start']);
    expect(run.states.at(-1)).toBe('Skipped');
  });

  it('TokenWithGasTopUp: waits for the top-up, transfers, polls the confirmation, settles', async () => {
    let topUps = 0;
    let confirms = 0;
    sweeps.script('sw_token', (step) => {
      const id = { sweepId: 'sw_token' };
      if (step === 'start') return { ...id, outcome: 'go' };
      if (step === 'top_up') return { ...id, state: topUps++ < 1 ? 'pending' : 'ready' };
      if (step === 'confirm') return { ...id, state: confirms++ < 2 ? 'pending' : 'landed' };
      return id;
    });
    await workflows.start('sweep', 'sw_token', { sweepId: 'sw_token' });
    const run = await workflows.waitFor('sw_token');
    expect(run.status).toBe('succeeded');
    expect(sweeps.steps('sw_token')).toEqual(['start', 'top_up', 'top_up', 'transfer', 'confirm', 'confirm', 'confirm', 'settle']);
    expect(run.states.at(-1)).toBe('Swept');
  });

  it('TransferKeepsFailing: ends in Failed with the step\'s error, after the retries', async () => {
    sweeps.script('sw_fail', (step) => {
      if (step === 'transfer') throw new TypeError('bad nonce');
      return { sweepId: 'sw_fail', outcome: 'go', state: 'ready' };
    });
    await workflows.start('sweep', 'sw_fail', { sweepId: 'sw_fail' });
    const run = await workflows.waitFor('sw_fail');
    expect(sweeps.steps('sw_fail').filter((s) => s === 'transfer')).toHaveLength(5);
    expect(run.status).toBe('failed');
    expect(run.states.at(-1)).toBe('Failed');
    expect(run.error?.error).toBe('TypeError');
    expect(run.error?.cause).toContain('bad nonce');
  });
});

describe('starting from a handler', () => {
  it('deps.workflows starts on the registered local host', async () => {
    withdrawals.script('wd_from_deps', withdrawalScript({ hold: { outcome: 'rejected' } }));
    const { deps } = buildRuntime({ TABLE_NAME: 'unused', LOG_LEVEL: 'silent' });
    expect(await deps.workflows.start('withdrawal', 'wd_from_deps', { withdrawalId: 'wd_from_deps' })).toBe('started');
    expect((await workflows.waitFor('wd_from_deps')).status).toBe('succeeded');
  });

  it('the Step Functions starter names its missing ARN variable; a stopped host refuses new starts', async () => {
    await workflows.host().stop();
    const { deps } = buildRuntime({ TABLE_NAME: 'unused', LOG_LEVEL: 'silent' });
    const { StepFunctionsStarter } = await import('../../shared/adapters/sfn/step-functions');
    const aws = new StepFunctionsStarter({ withdrawal: { arn: undefined, variable: 'STATE_MACHINE_ARN_WITHDRAWAL' }, sweep: { arn: undefined, variable: 'STATE_MACHINE_ARN_SWEEP' }, payout_batch: { arn: undefined, variable: 'STATE_MACHINE_ARN_PAYOUT_BATCH' } }, { region: 'us-east-1' });
    await expect(aws.start('withdrawal', 'wd_nowhere', {})).rejects.toThrow(/STATE_MACHINE_ARN_WITHDRAWAL/);
    await expect(deps.workflows.start('withdrawal', 'wd_after_stop', {})).rejects.toThrow(/stopped/);
  });
});

describe('local host', () => {
  it('maps every Task to the worker module of the manifest when no script is given', () => {
    // Built without scripted workers: every Task has a handler (the placeholder or real module), none reaches AWS.
    expect(() => new WorkflowHost()).not.toThrow();
  });
});
