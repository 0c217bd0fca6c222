/**
 * Step Functions, locally (DESIGN §7): the manifest's workflow definitions, built by the same
 * generator the stack deploys, run in-process with aws-local-stepfunctions. Every Task is mapped
 * to its worker's real handler module (lib/manifest.ts `workflows[...].worker.entry`); a Task
 * without a mapping refuses to start rather than call AWS. Execution names are unique per
 * workflow, as on AWS: a second start with a used name is `already_started` and runs nothing.
 */
import { randomUUID } from 'node:crypto';
import { ExecutionTimeoutError, StateMachine, type StateMachineDefinition } from 'aws-local-stepfunctions';
import { checkExecutionName } from '../../shared/adapters/sfn/execution-name';
import { registerLocalWorkflows } from '../../shared/adapters/sfn/local-registry';
import { type WorkflowId, workflowDefinition, workflowIds, workflows } from '../manifest';
import { type Asl, allStates, taskStates } from '../workflows/asl';

// aws-local-stepfunctions 3 calls Promise.withResolvers (Node 22); Node 20 lacks it.
if (typeof (Promise as { withResolvers?: unknown }).withResolvers !== 'function') {
  Object.defineProperty(Promise, 'withResolvers', {
    configurable: true,
    writable: true,
    value: <T>() => {
      let resolve!: (value: T | PromiseLike<T>) => void;
      let reject!: (reason?: unknown) => void;
      const promise = new Promise<T>((ok, fail) => {
        resolve = ok;
        reject = fail;
      });
      return { promise, resolve, reject };
    },
  });
}

/** A worker as Lambda calls it: the Task's Parameters as the event, a JSON object back. */
export type WorkerHandler = (event: Record<string, unknown>, context: unknown) => Promise<unknown>;

export type ExecutionStatus = 'running' | 'succeeded' | 'failed' | 'timed_out' | 'aborted';

export type ExecutionRecord = {
  workflow: WorkflowId;
  name: string;
  status: ExecutionStatus;
  input: Record<string, unknown>;
  /** The final state's output (succeeded only). */
  output: unknown;
  /** As Step Functions reports it: the error name and its cause (failed and timed out only). */
  error: { error: string; cause: string } | null;
  /** The states entered, in order (the last STATES_KEPT_MAX): the route the execution took. */
  states: string[];
  startedAt: number;
  stoppedAt: number | null;
};

export type WorkflowHostOptions = {
  /** Milliseconds each Wait state pauses in place of its Seconds (tests: 0). Default: the definition's seconds. */
  waitMs?: number;
  /** Milliseconds before each retry in place of the definition's backoff (tests: 0). Default: the definition's. */
  retryDelayMs?: number;
  /** Scripted workers by workflow (tests of the routing only); default: the manifest's worker modules. */
  workers?: Partial<Record<WorkflowId, WorkerHandler>>;
  log?: HostLog;
};

/** A long confirmation loop enters many states; the record keeps the latest. */
const STATES_KEPT_MAX = 500;
/** Finished executions kept with their details; their names are kept for ever (uniqueness). */
const FINISHED_KEPT_MAX = 1_000;
/** Locally the workers' ARN only names them: nothing calls it (every Task has a local handler). */
const localWorkerArn = (workflow: WorkflowId) => `arn:aws:lambda:us-east-1:000000000000:function:tollgate-local-${workflows[workflow].worker.name}`;

const NO_LOG: HostLog = { info() {}, error() {} };

/**
 * What Lambda makes of a thrown error when Step Functions invokes a function by its ARN: the
 * error name is the error's type, the cause a JSON object with its message. Locally the same, so
 * a release step reads `$.error` alike in both places.
 */
class LambdaError extends Error {
  constructor(e: unknown) {
    const type = e instanceof Error ? e.name : 'Error';
    const message = e instanceof Error ? e.message : String(e);
    super(JSON.stringify({ errorType: type, errorMessage: message, trace: e instanceof Error ? (e.stack ?? '').split('\n') : [] }));
    this.name = type;
  }
}

type Running = { record: ExecutionRecord; done: Promise<ExecutionRecord>; abort: () => void };

/** The host's log lines (the runtime's logger fits). */
export type HostLog = { info(msg: string, fields?: Record<string, unknown>): void; error(msg: string, fields?: Record<string, unknown>): void };

/** A WorkflowStarter (shared/ports/funds-out.ts) by shape: lib/local does not import the ports. */
export class WorkflowHost {
  private readonly machines = new Map<WorkflowId, { machine: StateMachine; handlers: Record<string, (input: unknown) => Promise<unknown>>; waits: Record<string, number>; retries: Record<string, number> }>();
  private readonly names = new Map<WorkflowId, Set<string>>(workflowIds.map((w) => [w, new Set<string>()]));
  private readonly records = new Map<string, Running>();
  private readonly log: HostLog;
  private stopped = false;

  constructor(options: WorkflowHostOptions = {}) {
    this.log = options.log ?? NO_LOG;
    for (const workflow of workflowIds) {
      const asl = workflowDefinition(workflow, localWorkerArn(workflow));
      const worker = options.workers?.[workflow] ?? moduleWorker(workflow);
      // The runner looks handlers and overrides up by state name, in a Map's Iterator too (its runs get the same options).
      const handlers = Object.fromEntries(taskStates(asl).map((state) => [state, (input: unknown) => invoke(workflow, worker, input)]));
      assertEveryTaskMapped(workflow, asl, handlers);
      const waitStates = allStates(asl).flatMap(([name, s]) => (s.Type === 'Wait' ? [name] : []));
      const waits = options.waitMs === undefined ? {} : Object.fromEntries(waitStates.map((s) => [s, options.waitMs as number]));
      const retries = options.retryDelayMs === undefined ? {} : Object.fromEntries(taskStates(asl).map((s) => [s, options.retryDelayMs as number]));
      this.machines.set(workflow, { machine: new StateMachine(asl as unknown as StateMachineDefinition), handlers, waits, retries });
    }
  }

  async start(workflow: WorkflowId, name: string, input: Record<string, unknown>): Promise<'started' | 'already_started'> {
    if (this.stopped) throw new Error('the local workflow host is stopped');
    const setup = this.machines.get(workflow);
    if (!setup) throw new Error(`unknown workflow ${workflow}; expected one of ${workflowIds.join(', ')}`);
    checkExecutionName(name);
    const used = this.names.get(workflow) as Set<string>;
    if (used.has(name)) {
      this.log.info('workflow.already_started', { workflow, execution: name });
      return 'already_started';
    }
    used.add(name);
    const json = JSON.parse(JSON.stringify(input, (_k, v) => (typeof v === 'bigint' ? v.toString() : v))) as Record<string, unknown>;
    const record: ExecutionRecord = { workflow, name, status: 'running', input: json, output: null, error: null, states: [], startedAt: Date.now(), stoppedAt: null };
    const run = setup.machine.run(json as never, { overrides: { taskResourceLocalHandlers: setup.handlers as never, waitTimeOverrides: setup.waits, retryIntervalOverrides: setup.retries }, noThrowOnAbort: true });
    const events = this.follow(record, run.eventLogs as AsyncGenerator<EventLog>);
    const done = run.result
      .then((output) => {
        record.status = this.stopped && output === null ? 'aborted' : 'succeeded';
        record.output = output;
      })
      .catch((e: unknown) => {
        record.status = e instanceof ExecutionTimeoutError ? 'timed_out' : 'failed';
        // The failure event (read by follow) carries Step Functions' own error and cause; this is the fallback.
        record.error ??= { error: e instanceof Error ? e.name : 'Error', cause: e instanceof Error ? e.message : String(e) };
      })
      .then(async () => {
        await events;
        record.stoppedAt = Date.now();
        const fields = { workflow, execution: name, status: record.status, states: record.states.length, ms: record.stoppedAt - record.startedAt };
        if (record.status === 'succeeded') this.log.info('workflow.finished', { ...fields, end: record.states.at(-1) });
        else this.log.error('workflow.failed', { ...fields, at: record.states.at(-1), error: record.error?.error, cause: record.error?.cause });
        this.forgetOldFinished();
        return record;
      });
    this.records.set(key(workflow, name), { record, done, abort: run.abort });
    this.log.info('workflow.started', { workflow, execution: name });
    return 'started';
  }

  /** The execution's record as it stands (running or finished), or null if none by that name is kept. */
  execution(workflow: WorkflowId, name: string): ExecutionRecord | null {
    return this.records.get(key(workflow, name))?.record ?? null;
  }

  executions(): ExecutionRecord[] {
    return [...this.records.values()].map((r) => r.record);
  }

  /** The final record of an execution started before; fails after `timeoutMs` (a bounded wait). */
  async waitFor(workflow: WorkflowId, name: string, timeoutMs = 20_000): Promise<ExecutionRecord> {
    const running = this.records.get(key(workflow, name));
    if (!running) throw new Error(`no ${workflow} execution named ${name} was started on this host`);
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<never>((_, fail) => {
      timer = setTimeout(() => fail(new Error(`the ${workflow} execution ${name} did not finish within ${timeoutMs} ms; states so far: ${running.record.states.join(' → ')}`)), timeoutMs);
    });
    try {
      return await Promise.race([running.done, late]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Aborts what still runs (an aborted execution is recorded as such) and refuses new starts. */
  async stop(): Promise<void> {
    this.stopped = true;
    const running = [...this.records.values()].filter((r) => r.record.status === 'running');
    for (const r of running) r.abort();
    await Promise.allSettled(running.map((r) => r.done));
  }

  private async follow(record: ExecutionRecord, events: AsyncGenerator<EventLog>): Promise<void> {
    for await (const event of events) {
      if (event.type === 'StateEntered' && 'state' in event) {
        record.states.push(event.state.name);
        if (record.states.length > STATES_KEPT_MAX) record.states.shift();
      }
      if (event.type === 'ExecutionFailed' && 'Error' in event) record.error = { error: event.Error, cause: typeof event.Cause === 'string' ? event.Cause : JSON.stringify(event.Cause) };
      if (event.type === 'ExecutionTimeout') record.error = { error: 'States.Timeout', cause: 'the execution passed its TimeoutSeconds' };
    }
  }

  private forgetOldFinished(): void {
    const finished = [...this.records.entries()].filter(([, r]) => r.record.status !== 'running');
    for (const [k] of finished.slice(0, Math.max(0, finished.length - FINISHED_KEPT_MAX))) this.records.delete(k);
  }
}

/** The events of the runner's log that the record reads (the package does not export its event type). */
type EventLog =
  | { type: 'StateEntered'; state: { name: string } }
  | { type: 'ExecutionFailed'; Error: string; Cause: unknown }
  | { type: 'ExecutionTimeout' }
  | { type: Exclude<string, 'StateEntered' | 'ExecutionFailed' | 'ExecutionTimeout'> };

const key = (workflow: WorkflowId, name: string) => `${workflow}/${name}`;

/**
 * Any Task (nested ones included) without a local handler would be sent to AWS Lambda: refuse the
 * definition instead. A Map's Iterator is walked (allStates); a Parallel's branches are not, so
 * one is refused, as is a Map without an inline Iterator (an ItemProcessor or a Distributed Map).
 */
function assertEveryTaskMapped(workflow: WorkflowId, asl: Asl, handlers: Record<string, unknown>): void {
  for (const [name, state] of allStates(asl) as [string, { Type: string; Iterator?: unknown }][]) {
    if (state.Type === 'Parallel') throw new Error(`${workflow}: state ${name} is a Parallel; the local host does not walk its branches, so their Tasks would call AWS`);
    if (state.Type === 'Map' && !state.Iterator) throw new Error(`${workflow}: Map ${name} has no inline Iterator; the local host maps only Iterator Tasks`);
    if (state.Type === 'Task' && typeof handlers[name] !== 'function') throw new Error(`${workflow}: Task ${name} has no local handler; it would call AWS Lambda`);
  }
}

/** The worker's real handler, imported on first use from its manifest entry. */
function moduleWorker(workflow: WorkflowId): WorkerHandler {
  let loaded: Promise<WorkerHandler> | null = null;
  return async (event, context) => {
    loaded ??= import(/* @vite-ignore */ `../../${workflows[workflow].worker.entry}`).then((m: { handler?: WorkerHandler }) => {
      if (typeof m.handler !== 'function') throw new Error(`${workflows[workflow].worker.entry} exports no handler`);
      return m.handler;
    });
    return (await loaded)(event, context);
  };
}

/** One invocation as Lambda makes it: a JSON event, a context with the time left, a JSON answer, Lambda's error shape. */
async function invoke(workflow: WorkflowId, worker: WorkerHandler, input: unknown): Promise<unknown> {
  const spec = workflows[workflow].worker;
  const deadline = Date.now() + spec.timeoutSeconds * 1000;
  const context = { functionName: `tollgate-local-${spec.name}`, awsRequestId: randomUUID(), getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()) };
  try {
    const output = await worker(JSON.parse(JSON.stringify(input)) as Record<string, unknown>, context);
    return output === undefined ? null : JSON.parse(JSON.stringify(output));
  } catch (e) {
    throw new LambdaError(e);
  }
}

/** Starts a host and registers it, so `deps.workflows` in this process starts executions on it. */
export function startWorkflowHost(options: WorkflowHostOptions = {}): { host: WorkflowHost; stop(): Promise<void> } {
  const host = new WorkflowHost(options);
  const unregister = registerLocalWorkflows(host);
  return {
    host,
    stop: async () => {
      unregister();
      await host.stop();
    },
  };
}
