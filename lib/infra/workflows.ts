/**
 * One Standard state machine per workflow of the manifest, from the same generator the local host
 * runs (lib/workflows/*): the definition tested is the definition deployed. Each logs every event
 * with its data (ids and step answers, never a key) and is traced; failures and timeouts alarm.
 */
import { RemovalPolicy, Stack } from 'aws-cdk-lib';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { DefinitionBody, LogLevel, StateMachine, StateMachineType } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { type WorkflowId, workflowDefinition, workflowIds } from '../manifest';
import type { Alarms } from './alarms';

const pascal = (id: string) => id.replace(/(^|[-_])(\w)/g, (_m, _d, c: string) => c.toUpperCase());

export class Workflows extends Construct {
  readonly byId: Record<WorkflowId, StateMachine>;

  constructor(scope: Construct, id: string, props: { workers: Record<WorkflowId, IFunction>; alarms: Alarms }) {
    super(scope, id);
    const stack = Stack.of(this);
    const byId: Partial<Record<WorkflowId, StateMachine>> = {};
    for (const workflow of workflowIds) {
      const name = pascal(workflow);
      const worker = props.workers[workflow];
      // The vendedlogs prefix keeps CloudWatch's log resource policy small however many machines log.
      const logs = new LogGroup(this, `${name}Logs`, {
        logGroupName: `/aws/vendedlogs/states/${stack.stackName}-${workflow}`,
        retention: RetentionDays.ONE_MONTH,
        removalPolicy: RemovalPolicy.RETAIN,
      });
      const machine = new StateMachine(this, name, {
        stateMachineType: StateMachineType.STANDARD,
        definitionBody: DefinitionBody.fromString(stack.toJsonString(workflowDefinition(workflow, worker.functionArn))),
        logs: { destination: logs, level: LogLevel.ALL, includeExecutionData: true },
        tracingEnabled: true,
      });
      // A definition given as a string is opaque to CDK: the invoke grant is explicit.
      worker.grantInvoke(machine);
      props.alarms.watchWorkflow(`${name}Workflow`, machine);
      byId[workflow] = machine;
    }
    this.byId = byId as Record<WorkflowId, StateMachine>;
  }
}
