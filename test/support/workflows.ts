/**
 * A local workflow host for one test file: registered in beforeAll (so `deps.workflows` in this
 * process starts executions on it), stopped in afterAll. Waits are bounded.
 */
import { afterAll, beforeAll } from 'vitest';
import { type ExecutionRecord, startWorkflowHost, type WorkerHandler, type WorkflowHost } from '../../lib/local/workflow-host';
import type { WorkflowId } from '../../shared/ports/funds-out';

/** How long waitFor looks for an execution that a handler starts (it is registered before start returns). */
const FIND_ATTEMPTS_MAX = 50;
const FIND_INTERVAL_MS = 20;

export type UseWorkflowsOptions = {
  /** Seconds each Wait state pauses (the deployed definition's 15 s otherwise); 0 in most tests. */
  waitSeconds?: number;
  /** Milliseconds before each retry (default 0: retries are counted, not waited for). */
  retryDelayMs?: number;
  /** Scripted workers (tests of the routing); default: the manifest's worker modules. */
  workers?: Partial<Record<WorkflowId, WorkerHandler>>;
};

export function useWorkflows(options: UseWorkflowsOptions = {}) {
  let started: ReturnType<typeof startWorkflowHost> | null = null;
  beforeAll(() => {
    started = startWorkflowHost({
      waitMs: options.waitSeconds === undefined ? undefined : options.waitSeconds * 1000,
      retryDelayMs: options.retryDelayMs ?? 0,
      workers: options.workers,
    });
  });
  afterAll(async () => {
    await started?.stop();
    started = null;
  });
  const host = (): WorkflowHost => {
    if (!started) throw new Error('useWorkflows: the host starts in beforeAll; call it from a test');
    return started.host;
  };
  return {
    host,
    start: (workflow: WorkflowId, name: string, input: Record<string, unknown>) => host().start(workflow, name, input),
    /** The final record of the execution named `name` (of `workflow`, when two workflows share the name). */
    async waitFor(name: string, workflow?: WorkflowId, timeoutMs?: number): Promise<ExecutionRecord> {
      for (let attempt = 0; attempt < FIND_ATTEMPTS_MAX; attempt += 1) {
        const found = host()
          .executions()
          .filter((r) => r.name === name && (!workflow || r.workflow === workflow));
        if (found.length > 1) throw new Error(`executions of ${found.map((r) => r.workflow).join(' and ')} are named ${name}: pass the workflow`);
        if (found.length === 1) return host().waitFor(found[0].workflow, name, timeoutMs);
        await new Promise((r) => setTimeout(r, FIND_INTERVAL_MS));
      }
      throw new Error(`no execution named ${name} was started within ${FIND_ATTEMPTS_MAX * FIND_INTERVAL_MS} ms`);
    },
  };
}
