import { allStates, TASK_RETRY } from '../../lib/workflows/asl';
/**
 * The state machines on the synthesized template: each runs exactly the generator's definition
 * (the one the local host runs), is logged, traced and alarmed, and only the workflow workers
 * may read the mnemonic secret.
 */
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../lib/app';
import { namedFunctions, stateMachineArnEnv, workflowDefinition, workflowIds, workflows } from '../../lib/manifest';

// biome-ignore lint/suspicious/noExplicitAny: CloudFormation properties are read by path, as the template has them.
type Resource = { Type: string; Properties: Record<string, any> };
type Statement = { Action: string | string[]; Resource: unknown; Effect: string };

let template: Template;
let resources: Record<string, Resource>;

beforeAll(() => {
  const { stack } = buildApp(new App({ context: { 'aws:cdk:bundling-stacks': [] } }));
  template = Template.fromStack(stack);
  resources = template.toJSON().Resources;
});

const byType = (type: string) => Object.entries(resources).filter(([, r]) => r.Type === type);
/** The logical id of the Lambda whose description is `spec`'s. */
const functionId = (description: string) => {
  const found = byType('AWS::Lambda::Function').find(([, r]) => r.Properties.Description === description);
  if (!found) throw new Error(`no function described ${description}`);
  return found[0];
};
const machineOf = (workflow: string) => {
  // Logical ids keep letters and digits only (payout_batch → WorkflowsPayoutBatch…).
  const found = byType('AWS::StepFunctions::StateMachine').find(([id]) => id.toLowerCase().startsWith(`workflows${workflow.replace(/[^a-z0-9]/gi, '')}`));
  if (!found) throw new Error(`no state machine for ${workflow}`);
  return found;
};
/** The definition with each worker ARN (`Fn::GetAtt [<id>, Arn]`) written as `arn:<id>`. */
function resolveDefinition(definition: unknown): unknown {
  const joined = definition as { 'Fn::Join': [string, unknown[]] };
  const parts = joined['Fn::Join'][1].map((p) => (typeof p === 'string' ? p : `arn:${(p as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0]}`));
  return JSON.parse(parts.join(joined['Fn::Join'][0]));
}
const actionsOf = (s: Statement) => (Array.isArray(s.Action) ? s.Action : [s.Action]);
/** Roles (logical ids) whose policies let them do `action` on a resource mentioning `needle`. */
function rolesAllowed(action: string, needle: string): string[] {
  const roles = new Set<string>();
  for (const [, policy] of byType('AWS::IAM::Policy')) {
    const statements = policy.Properties.PolicyDocument.Statement as Statement[];
    const allows = statements.some((s) => s.Effect === 'Allow' && actionsOf(s).some((a) => a === action || a === '*' || a === 'secretsmanager:*') && (JSON.stringify(s.Resource).includes(needle) || s.Resource === '*'));
    if (allows) for (const r of policy.Properties.Roles as { Ref: string }[]) roles.add(r.Ref);
  }
  return [...roles].sort();
}
const roleOf = (fnId: string) => (resources[fnId].Properties.Role as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];

describe('workflows on AWS', () => {
  it('deploys exactly the generator\'s definition for each workflow, around its own worker', () => {
    for (const workflow of workflowIds) {
      const [, machine] = machineOf(workflow);
      const worker = functionId(workflows[workflow].worker.description);
      expect(resolveDefinition(machine.Properties.DefinitionString)).toEqual(workflowDefinition(workflow, `arn:${worker}`));
    }
  });

  it('uses JSONPath only, with a timeout on the machine and on every Task, and no construct the local runner lacks', () => {
    for (const workflow of workflowIds) {
      const asl = workflowDefinition(workflow, 'arn:aws:lambda:us-east-1:000000000000:function:w');
      const text = JSON.stringify(asl);
      for (const banned of ['JSONata', 'QueryLanguage', 'Assign', '.sync', 'HeartbeatSeconds', 'ItemProcessor', 'waitForTaskToken']) expect(text, `${workflow}: ${banned}`).not.toContain(banned);
      expect(asl.TimeoutSeconds).toBeGreaterThan(0);
      // Tasks inside the batch workflow's Map included.
      for (const [name, state] of allStates(asl)) {
        if (state.Type !== 'Task') continue;
        expect(state.TimeoutSeconds, name).toBeGreaterThan(workflows[workflow].worker.timeoutSeconds);
        expect(state.Retry, name).toEqual(TASK_RETRY);
      }
    }
  });

  it('logs every event to its own log group, traces, and alarms on failed and timed-out executions', () => {
    for (const workflow of workflowIds) {
      const [id, machine] = machineOf(workflow);
      expect(machine.Properties.LoggingConfiguration.Level).toBe('ALL');
      expect(machine.Properties.TracingConfiguration).toEqual({ Enabled: true });
      const alarms = byType('AWS::CloudWatch::Alarm').filter(([, a]) => JSON.stringify(a.Properties.Dimensions ?? []).includes(id));
      expect(alarms.map(([, a]) => a.Properties.MetricName).sort(), workflow).toEqual(['ExecutionsFailed', 'ExecutionsTimedOut']);
    }
  });

  it('lets only the functions whose access names a workflow start it, and gives them its ARN', () => {
    for (const workflow of workflowIds) {
      const [machineId] = machineOf(workflow);
      const starters = namedFunctions().filter((f) => f.spec.access.startWorkflows.includes(workflow));
      expect(starters.length, workflow).toBeGreaterThan(0);
      expect(rolesAllowed('states:StartExecution', machineId), workflow).toEqual(starters.map((f) => roleOf(functionId(f.spec.description))).sort());
      for (const f of namedFunctions()) {
        const env = resources[functionId(f.spec.description)].Properties.Environment?.Variables ?? {};
        expect(stateMachineArnEnv(workflow) in env, `${f.id} ${workflow}`).toBe(starters.some((s) => s.id === f.id));
      }
    }
    expect(namedFunctions().filter((f) => f.spec.access.startWorkflows.includes('withdrawal')).map((f) => f.id).sort()).toEqual(['admin', 'invoices', 'withdrawal-rules']);
    expect(namedFunctions().filter((f) => f.spec.access.startWorkflows.includes('sweep')).map((f) => f.id)).toEqual(['sweep-planner']);
    // The batch API (native and admin twins): a batch starts when created below the approval amount, or approved.
    expect(namedFunctions().filter((f) => f.spec.access.startWorkflows.includes('payout_batch')).map((f) => f.id).sort()).toEqual(['admin', 'invoices']);
  });

  it('lets only the sweep, withdrawal and mass payout workers read the mnemonic secret (no other role, no wildcard)', () => {
    const readers = rolesAllowed('secretsmanager:GetSecretValue', 'MnemonicSecretArn');
    const workers = workflowIds.map((w) => roleOf(functionId(workflows[w].worker.description))).sort();
    expect(readers).toEqual(workers);
    expect(namedFunctions().filter((f) => f.spec.access.secrets.includes('mnemonic')).map((f) => f.id).sort()).toEqual(['payout-batch-worker', 'sweep-worker', 'withdrawal-worker']);
    // Nothing else carries the secret's ARN either (the state machines' roles included).
    for (const [id, r] of byType('AWS::Lambda::Function')) {
      const env = JSON.stringify(r.Properties.Environment?.Variables ?? {});
      expect(env.includes('MnemonicSecretArn'), id).toBe(workers.includes(roleOf(id)));
    }
  });
});
