/** Starts executions on AWS Step Functions: one per withdrawal or sweep, named by its id. */
import { ExecutionAlreadyExists, SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import type { WorkflowId, WorkflowStarter } from '../../ports/funds-out';
import { checkExecutionName } from './execution-name';

/** The state machine ARN of each workflow this function may start, with the variable that names it (for the error). */
export type StateMachineArns = Record<WorkflowId, { arn: string | undefined; variable: string }>;

/** Inputs are small ids; Step Functions' own limit is 256 KiB. */
const INPUT_BYTES_MAX = 32 * 1024;

export class StepFunctionsStarter implements WorkflowStarter {
  private client: SFNClient | null = null;

  constructor(
    private readonly arns: StateMachineArns,
    private readonly settings: { region: string; endpoint?: string },
  ) {}

  async start(workflow: WorkflowId, name: string, input: Record<string, unknown>): Promise<'started' | 'already_started'> {
    const { arn, variable } = this.arns[workflow];
    if (!arn) throw new Error(`starting a ${workflow} execution needs ${variable}, which this function is not given (lib/manifest.ts access.startWorkflows)`);
    checkExecutionName(name);
    const body = JSON.stringify(input, (_k, v) => (typeof v === 'bigint' ? v.toString() : v));
    if (Buffer.byteLength(body) > INPUT_BYTES_MAX) throw new Error(`the ${workflow} execution input is larger than ${INPUT_BYTES_MAX} bytes: carry ids, not records`);
    this.client ??= new SFNClient({ region: this.settings.region, ...(this.settings.endpoint ? { endpoint: this.settings.endpoint } : {}) });
    try {
      // A name is unique per state machine for 90 days. Same name and same input while the first
      // is still running answers 200 with the running execution: that is also "started once".
      await this.client.send(new StartExecutionCommand({ stateMachineArn: arn, name, input: body }));
      return 'started';
    } catch (e) {
      if (e instanceof ExecutionAlreadyExists) return 'already_started';
      throw e;
    }
  }
}
