/**
 * The pipeline of a workflow worker (Step Functions Task → one step of a use case). The event is
 * the state's input: `{step, withdrawalId | sweepId, error?}`; the answer becomes the next
 * state's input. A thrown error is the Task's failure: Step Functions retries it or takes the
 * state's Catch (its `name` is the error type the definition matches, e.g. WithdrawalStopped).
 */
import type { Deps } from '../../shared/ports';
import type { FundsOutDeps } from '../../shared/ports/funds-out';
import { fundsOutDeps } from './chain-senders';
import { runtime } from './deps';

export type TaskInput = { step: string; withdrawalId: string; sweepId: string; cause: string; [key: string]: unknown };
type Step = (deps: Deps & FundsOutDeps, input: TaskInput) => Promise<Record<string, unknown>>;

/** What a Catch hands the next state: `{Error, Cause}` under `error`, as the definitions place it. */
function causeOf(event: Record<string, unknown>): string {
  const error = event.error as { Error?: unknown; Cause?: unknown } | undefined;
  if (!error) return 'unknown failure';
  let cause = typeof error.Cause === 'string' ? error.Cause : '';
  try {
    const parsed = JSON.parse(cause) as { errorMessage?: unknown };
    if (typeof parsed.errorMessage === 'string') cause = parsed.errorMessage;
  } catch {
    // A plain-text cause (the local runner's) is kept as it is.
  }
  return `${String(error.Error ?? 'Error')}: ${cause}`.slice(0, 500);
}

export function workflowTask(workflow: string, steps: Record<string, Step>) {
  return async (event: Record<string, unknown>): Promise<Record<string, unknown>> => {
    const { deps } = runtime();
    const step = String(event.step ?? '');
    const run = Object.hasOwn(steps, step) ? steps[step] : undefined;
    if (!run) throw new Error(`${workflow} worker: unknown step ${JSON.stringify(step)}; expected one of ${Object.keys(steps).join(', ')}`);
    const input = { ...event, step, withdrawalId: String(event.withdrawalId ?? ''), sweepId: String(event.sweepId ?? ''), cause: causeOf(event) } as TaskInput;
    const log = deps.log.child({ workflow, step, withdrawalId: input.withdrawalId || undefined, sweepId: input.sweepId || undefined });
    try {
      const out = await run({ ...deps, ...(await fundsOutDeps()), log }, input);
      log.debug('workflow.step_done', { out });
      return out;
    } catch (e) {
      log.warn('workflow.step_failed', { error: e instanceof Error ? `${e.name}: ${e.message}` : String(e) });
      throw e;
    }
  };
}
