/**
 * Turns a function's manifest `access` into exactly those grants and that environment: table
 * actions per partition family (`dynamodb:LeadingKeys`), index queries per index, queues, secrets
 * and plain settings. Nothing is granted that the manifest does not name.
 */
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import type { IStateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { PARTITIONS, type Partition } from '../../shared/adapters/dynamo/keys';
import {
  type Access,
  baseVariables,
  dlqUrlEnv,
  type QueueId,
  queueUrlEnv,
  type SecretId,
  secretVariables,
  settingVariables,
  stateMachineArnEnv,
  type TableAction,
  type WorkflowId,
} from '../manifest';
import type { Queues } from './queues';

/** The IAM actions of each item action. Transactions authorize each of their items by these. */
export const IAM_ACTIONS: Record<TableAction, readonly string[]> = {
  get: ['dynamodb:GetItem', 'dynamodb:BatchGetItem'],
  query: ['dynamodb:Query'],
  put: ['dynamodb:PutItem'],
  update: ['dynamodb:UpdateItem'],
  delete: ['dynamodb:DeleteItem'],
};

/** A function that needs nothing builds no runtime and is given no environment (health). */
export const isBare = (a: Access) =>
  Object.keys(a.items).length === 0 &&
  a.indexes.length === 0 &&
  a.sendTo.length === 0 &&
  a.redrive.length === 0 &&
  a.secrets.length === 0 &&
  a.settings.length === 0 &&
  a.startWorkflows.length === 0;

/**
 * One statement per distinct action set, each limited to the partition families that need it.
 * `ForAllValues`: every key a request touches (a batch or transaction has several) must match.
 */
export function tableStatements(tableArn: string, access: Access): PolicyStatement[] {
  const byActions = new Map<string, { actions: string[]; prefixes: string[] }>();
  for (const [partition, wanted] of Object.entries(access.items) as [Partition, readonly TableAction[]][]) {
    const actions = [...new Set(wanted.flatMap((w) => IAM_ACTIONS[w]))].sort();
    const key = actions.join(',');
    const group = byActions.get(key) ?? { actions, prefixes: [] };
    group.prefixes.push(`${PARTITIONS[partition]}*`);
    byActions.set(key, group);
  }
  const statements = [...byActions.values()].map(
    (g) => new PolicyStatement({ actions: g.actions, resources: [tableArn], conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': g.prefixes.sort() } } }),
  );
  // An index has no item keys of the table to condition on: its queries are granted per index, read-only.
  if (access.indexes.length > 0) statements.push(new PolicyStatement({ actions: ['dynamodb:Query'], resources: access.indexes.map((i) => `${tableArn}/index/${i}`) }));
  return statements;
}

export type AccessRefs = {
  table: ITable;
  queues: Queues;
  secrets: Record<SecretId, ISecret>;
  /** The value of every plain setting and base variable, by variable name. */
  values: Record<string, string>;
  /** The state machines, once built (their workers are made first: lib/infra/tollgate-stack.ts). */
  stateMachines: Partial<Record<WorkflowId, IStateMachine>>;
};

function stateMachine(refs: AccessRefs, id: WorkflowId): IStateMachine {
  const machine = refs.stateMachines[id];
  if (!machine) throw new Error(`the ${id} state machine is not built yet: a function that starts it must be made after it (a worker may not start a workflow)`);
  return machine;
}

/** Grants `access` to `fn` (a consumer's own queue is granted by its event source). */
export function grantAccess(fn: IFunction, access: Access, refs: AccessRefs): void {
  for (const statement of tableStatements(refs.table.tableArn, access)) fn.addToRolePolicy(statement);
  for (const queueId of access.sendTo) refs.queues.byId[queueId].queue.grantSendMessages(fn);
  for (const queueId of access.redrive) {
    refs.queues.byId[queueId].dlq.grantConsumeMessages(fn);
    refs.queues.byId[queueId].queue.grantSendMessages(fn);
  }
  for (const secret of access.secrets) refs.secrets[secret].grantRead(fn);
  for (const workflow of access.startWorkflows) stateMachine(refs, workflow).grantStartExecution(fn);
}

/** The environment `access` implies: its queues' URLs, its secrets' ARNs, its settings. */
export function environmentFor(access: Access, consumes: QueueId | null, refs: AccessRefs): Record<string, string> {
  if (isBare(access)) return {};
  const names: string[] = [...baseVariables, ...access.settings.flatMap((g) => settingVariables[g])];
  const env: Record<string, string> = Object.fromEntries(names.map((n) => [n, settingValue(refs, n)]));
  for (const queueId of new Set([...access.sendTo, ...access.redrive, ...(consumes ? [consumes] : [])])) env[queueUrlEnv(queueId)] = refs.queues.byId[queueId].queue.queueUrl;
  for (const queueId of access.redrive) env[dlqUrlEnv(queueId)] = refs.queues.byId[queueId].dlq.queueUrl;
  for (const secret of access.secrets) env[secretVariables[secret]] = refs.secrets[secret].secretArn;
  for (const workflow of access.startWorkflows) env[stateMachineArnEnv(workflow)] = stateMachine(refs, workflow).stateMachineArn;
  return env;
}

function settingValue(refs: AccessRefs, name: string): string {
  const value = refs.values[name];
  if (value === undefined) throw new Error(`the stack has no value for ${name}`);
  return value;
}
