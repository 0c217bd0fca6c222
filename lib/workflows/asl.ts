/**
 * The small subset of the Amazon States Language our workflows use, and what every Task shares.
 * JSONPath only: aws-local-stepfunctions ignores JSONata and `Assign` silently, and has no `.sync`,
 * Distributed Map or HeartbeatSeconds, so none of those appear here (STACK.md, "Step Functions").
 */

export type AslTask = {
  Type: 'Task';
  Comment: string;
  /** A Lambda function ARN, invoked directly: the Parameters are the event, the return value is the result. */
  Resource: string;
  Parameters: Record<string, string>;
  // No ResultPath: the default ('$') passes the worker's answer on as the whole state. Written out,
  // aws-local-stepfunctions 3 stores the answer under a key named "$" instead.
  TimeoutSeconds: number;
  Retry: { ErrorEquals: string[]; IntervalSeconds: number; BackoffRate: number; MaxAttempts: number }[];
  Catch?: { ErrorEquals: string[]; ResultPath: string; Next: string }[];
  Next: string;
};
/** A guarded comparison (see `equals`): the field must be there before it is compared. */
export type AslRule = { And: [{ Variable: string; IsPresent: true }, { Variable: string; StringEquals: string } | { Variable: string; BooleanEquals: boolean }]; Next: string };
export type AslChoice = { Type: 'Choice'; Comment: string; Choices: AslRule[]; Default: string };
export type AslWait = { Type: 'Wait'; Comment: string; Seconds: number; Next: string };
export type AslPass = { Type: 'Pass'; Comment: string; Parameters: Record<string, unknown>; Next: string };
export type AslSucceed = { Type: 'Succeed'; Comment: string };
export type AslFail = { Type: 'Fail'; Comment: string; Error?: string; Cause?: string; ErrorPath?: string; CausePath?: string };
/**
 * An inline Map (JSONPath): runs `Iterator` once per element of `ItemsPath`, at most
 * `MaxConcurrency` at a time. `Iterator` rather than `ItemProcessor`: both run on AWS and locally,
 * and `Iterator` cannot be mistaken for a Distributed Map. Its events count in the execution's
 * own history (25,000 at most), so each iteration must stay short.
 */
export type AslMap = {
  Type: 'Map';
  Comment: string;
  ItemsPath: string;
  MaxConcurrency: number;
  Iterator: { StartAt: string; States: Record<string, AslState> };
  ResultPath: null;
  Catch?: { ErrorEquals: string[]; ResultPath: string; Next: string }[];
  Next: string;
};
export type AslState = AslTask | AslChoice | AslWait | AslPass | AslSucceed | AslFail | AslMap;

export type Asl = { Comment: string; StartAt: string; TimeoutSeconds: number; States: Record<string, AslState> };

/** What a definition generator is given: the worker to invoke and the loops' pace. */
export type DefinitionOptions = {
  /** The worker Lambda's ARN (deployed) or a stand-in ARN that the local host maps to the worker's module. */
  workerArn: string;
  /** Longer than the worker's own timeout, so the Lambda's timeout error (with its cause) comes first. */
  taskTimeoutSeconds: number;
  /** Pause of each polling loop (confirmations, gas top-up). Deployed: LOOP_WAIT_SECONDS. */
  loopWaitSeconds?: number;
};

/** A confirmation takes blocks: polling every 15 s costs ~10 history events per round (see each definition's timeout). */
export const LOOP_WAIT_SECONDS = 15;

/**
 * Every Task retries any error (a throttled Lambda, an RPC outage, a lost DynamoDB race): 2 s,
 * 4 s, 8 s, 16 s, then the Catch. The steps are idempotent (the worker contract), so a retry is
 * always safe; 30 s of backoff covers a short RPC or Lambda outage.
 */
export const TASK_RETRY = [
  // A step that found its subject where it cannot go on (a canceled withdrawal) says so by name: no retry changes that.
  { ErrorEquals: ['WithdrawalStopped', 'SweepStopped'], IntervalSeconds: 1, BackoffRate: 1, MaxAttempts: 0 },
  { ErrorEquals: ['States.ALL'], IntervalSeconds: 2, BackoffRate: 2, MaxAttempts: 4 },
];

/**
 * One Task of the worker contract: `{step, ...carried ids}` in, the step's JSON object out as the
 * whole state. `onError`: where an error goes once the retries are spent (with it under `$.error`);
 * null: the execution fails with it.
 */
export function task(o: DefinitionOptions, step: string, carried: Record<string, string>, comment: string, next: string, onError: string | null): AslTask {
  return {
    Type: 'Task',
    Comment: comment,
    Resource: o.workerArn,
    Parameters: { step, ...carried },
    TimeoutSeconds: o.taskTimeoutSeconds,
    Retry: TASK_RETRY,
    ...(onError ? { Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: onError }] } : {}),
    Next: next,
  };
}

export function loopWait(o: DefinitionOptions, comment: string, next: string): AslWait {
  const seconds = o.loopWaitSeconds ?? LOOP_WAIT_SECONDS;
  if (!Number.isInteger(seconds) || seconds < 1) throw new Error(`loopWaitSeconds must be a whole number of seconds, at least 1 (got ${seconds}); tests shorten waits with the local host's overrides`);
  return { Type: 'Wait', Comment: comment, Seconds: seconds, Next: next };
}

/**
 * `$.<field> == value`, guarded: a Choice on a missing field is a runtime error on AWS, which would
 * fail the execution before any clean-up; guarded, a missing field takes the Choice's Default.
 */
export function equals(field: string, value: string | boolean, next: string): AslRule {
  const variable = `$.${field}`;
  const compare = typeof value === 'string' ? { Variable: variable, StringEquals: value } : { Variable: variable, BooleanEquals: value };
  return { And: [{ Variable: variable, IsPresent: true }, compare], Next: next };
}

/**
 * Every state of a definition by name, those nested in a Map's Iterator included. The local runner
 * finds handlers, wait and retry overrides by state name alone, nested or not, so a name used twice
 * would route two states alike: refused.
 */
export function allStates(asl: { States: Record<string, AslState> }): [string, AslState][] {
  const out: [string, AslState][] = [];
  const seen = new Set<string>();
  const visit = (states: Record<string, AslState>) => {
    for (const [name, state] of Object.entries(states)) {
      if (seen.has(name)) throw new Error(`state name ${name} is used twice (once inside a Map): the local host routes states by name`);
      seen.add(name);
      out.push([name, state]);
      if (state.Type === 'Map') visit(state.Iterator.States);
    }
  };
  visit(asl.States);
  return out;
}

/** Every Task state of a definition (nested ones included), by name: the local host maps each to the worker. */
export const taskStates = (asl: Asl): string[] => allStates(asl).flatMap(([name, s]) => (s.Type === 'Task' ? [name] : []));
