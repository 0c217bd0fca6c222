/**
 * Where the local runtime's workflow host (lib/local/workflow-host.ts) makes itself known to the
 * handlers in the same process: functions/ must not import lib/local, so the host registers here
 * and the starter (./starter.ts) finds it. Nothing registers on Lambda.
 */
import type { WorkflowStarter } from '../../ports/funds-out';

let registered: WorkflowStarter | null = null;

/** Registers the in-process host; returns the call that unregisters it (only if it is still the one registered). */
export function registerLocalWorkflows(host: WorkflowStarter): () => void {
  if (registered && registered !== host) throw new Error('a local workflow host is already registered in this process; stop it first');
  registered = host;
  return () => {
    if (registered === host) registered = null;
  };
}

export const localWorkflows = (): WorkflowStarter | null => registered;

/** Starts on the registered local host; refuses when none is (a Lambda never has one). */
export class LocalWorkflowStarter implements WorkflowStarter {
  start(...args: Parameters<WorkflowStarter['start']>): ReturnType<WorkflowStarter['start']> {
    const host = localWorkflows();
    if (!host) return Promise.reject(new Error('no local workflow host is registered in this process (lib/local/workflow-host.ts)'));
    return host.start(...args);
  }
}
