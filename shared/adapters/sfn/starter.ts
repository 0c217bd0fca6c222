/**
 * The WorkflowStarter every function gets: the local host when one is registered in this process
 * (`npm start`, tests), else AWS Step Functions. Decided per call, so a host registered after the
 * runtime was built is still found.
 */
import type { WorkflowId, WorkflowStarter } from '../../ports/funds-out';
import { LocalWorkflowStarter, localWorkflows } from './local-registry';
import type { StepFunctionsStarter } from './step-functions';

export class RoutingWorkflowStarter implements WorkflowStarter {
  private readonly local = new LocalWorkflowStarter();

  constructor(private readonly aws: StepFunctionsStarter) {}

  start(workflow: WorkflowId, name: string, input: Record<string, unknown>): Promise<'started' | 'already_started'> {
    return localWorkflows() ? this.local.start(workflow, name, input) : this.aws.start(workflow, name, input);
  }
}
