/**
 * Withdrawal rules (keys.withdrawalRule): one item per project and currency in the project's
 * WRULE# partition, so the currency is the uniqueness and a Query lists a project's rules. While
 * enabled, the item carries the byOwnerTime keys of the deployment's WRULES list, which the
 * evaluator reads every minute (sparse: a rule switched off leaves it). Every write is
 * conditional on the version read: two evaluators racing for one firing, one wins.
 */
import { type DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand, } from '@aws-sdk/lib-dynamodb';
import type { AuditEvent } from '../../domain/audit';
import { formatDecimal, parseDecimal } from '../../domain/money';
import { formatLocalTime, parseLocalTime, type RuleSchedule, type RuleTrigger, type Weekday, type WithdrawalRule } from '../../domain/withdrawal-rule';
import type { FactorWrite } from '../../ports/second-factor';
import type { WithdrawalRuleStore } from '../../ports/withdrawal-rules';
import { auditPut } from './audit-log';
import { int, type Item } from './codec';
import { keys } from './keys';
import { isConditionFailure, pageToken } from './query';
import { factorPut, transactUnlessRaced } from './second-factor-store';

/** A project has at most one rule per currency: far fewer than this. */
const RULES_PER_PROJECT_MAX = 200;
const ENABLED_SK_SHAPE = /^[^#]+#[^#]+$/;

function encodeTrigger(t: RuleTrigger): Item {
  if (t.kind === 'amount') return { triggerKind: 'amount', thresholdUsd: formatDecimal(t.thresholdUsd) };
  const s = t.schedule;
  return { triggerKind: 'schedule', every: s.every, atTime: formatLocalTime(s.at), weekday: s.every === 'weekly' ? s.weekday : undefined, monthDay: s.every === 'monthly' ? s.day : undefined };
}

function decodeTrigger(item: Item): RuleTrigger {
  if (item.triggerKind === 'amount') {
    const parsed = parseDecimal(String(item.thresholdUsd));
    if (!parsed.ok) throw new Error(`withdrawal rule ${String(item.id)}: bad thresholdUsd`);
    return { kind: 'amount', thresholdUsd: parsed.value };
  }
  const at = parseLocalTime(String(item.atTime));
  if (!at) throw new Error(`withdrawal rule ${String(item.id)}: bad atTime`);
  const every = String(item.every);
  const schedule: RuleSchedule =
    every === 'daily' ? { every, at } : every === 'weekly' ? { every, weekday: String(item.weekday) as Weekday, at } : { every: 'monthly', day: int(item, 'monthDay'), at };
  return { kind: 'schedule', schedule };
}

function encodeRule(r: WithdrawalRule): Item {
  return {
    ...keys.withdrawalRule(r.shopId, r.code),
    ...(r.enabled ? keys.enabledRuleIndex(r.shopId, r.code) : {}),
    type: 'withdrawalRule',
    schemaVersion: 1,
    id: r.id,
    shopId: r.shopId,
    code: r.code,
    walletId: r.walletId,
    ...encodeTrigger(r.trigger),
    enabled: r.enabled,
    armed: r.armed,
    firings: r.firings,
    since: r.since,
    lastScheduledAt: r.lastScheduledAt ?? undefined,
    pending: r.pending ?? undefined,
    lastOutcome: r.lastOutcome ? { ...r.lastOutcome, withdrawalId: r.lastOutcome.withdrawalId ?? undefined, skipped: r.lastOutcome.skipped ?? undefined } : undefined,
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
    version: r.version,
  };
}

function decodeRule(item: Item): WithdrawalRule {
  const pending = item.pending as Item | undefined;
  const outcome = item.lastOutcome as Item | undefined;
  return {
    id: String(item.id),
    shopId: String(item.shopId),
    code: String(item.code),
    walletId: String(item.walletId),
    trigger: decodeTrigger(item),
    enabled: item.enabled === true,
    armed: item.armed === true,
    firings: int(item, 'firings'),
    since: int(item, 'since'),
    lastScheduledAt: item.lastScheduledAt === undefined ? null : int(item, 'lastScheduledAt'),
    pending: pending ? { key: String(pending.key), claimedAt: int(pending, 'claimedAt') } : null,
    lastOutcome: outcome
      ? { key: String(outcome.key), at: int(outcome, 'at'), withdrawalId: outcome.withdrawalId === undefined ? null : String(outcome.withdrawalId), skipped: outcome.skipped === undefined ? null : String(outcome.skipped) }
      : null,
    createdAt: int(item, 'createdAt'),
    updatedAt: int(item, 'updatedAt'),
    version: int(item, 'version'),
  };
}

const versionCondition = (expectedVersion: number | null) =>
  expectedVersion === null
    ? { ConditionExpression: 'attribute_not_exists(pk)' }
    : { ConditionExpression: 'version = :expected', ExpressionAttributeValues: { ':expected': expectedVersion } };

export class DynamoWithdrawalRuleStore implements WithdrawalRuleStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async get(shopId: string, code: string): Promise<WithdrawalRule | null> {
    if (!/^[A-Z0-9_]{1,40}$/.test(code)) return null;
    const out = await this.db.send(new GetCommand({ TableName: this.tableName, Key: keys.withdrawalRule(shopId, code), ConsistentRead: true }));
    return out.Item ? decodeRule(out.Item) : null;
  }

  async list(shopId: string): Promise<WithdrawalRule[]> {
    const out = await this.db.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :r)',
        ExpressionAttributeValues: { ':pk': keys.withdrawalRule(shopId, 'x').pk, ':r': keys.withdrawalRulePrefix },
        ConsistentRead: true,
        Limit: RULES_PER_PROJECT_MAX,
      }),
    );
    return (out.Items ?? []).map(decodeRule);
  }

  async write(rule: WithdrawalRule, expectedVersion: number | null, factor: FactorWrite, events: readonly AuditEvent[]): Promise<boolean> {
    const put = { Put: { TableName: this.tableName, Item: encodeRule(rule), ...versionCondition(expectedVersion) } };
    return this.transact([put, factorPut(this.tableName, factor), ...events.map((e) => auditPut(this.tableName, e))]);
  }

  async remove(rule: WithdrawalRule, factor: FactorWrite, events: readonly AuditEvent[]): Promise<boolean> {
    const del = { Delete: { TableName: this.tableName, Key: keys.withdrawalRule(rule.shopId, rule.code), ...versionCondition(rule.version) } };
    return this.transact([del, factorPut(this.tableName, factor), ...events.map((e) => auditPut(this.tableName, e))]);
  }

  async save(rule: WithdrawalRule, expectedVersion: number): Promise<boolean> {
    try {
      await this.db.send(new PutCommand({ TableName: this.tableName, Item: encodeRule(rule), ...versionCondition(expectedVersion) }));
      return true;
    } catch (e) {
      if (isConditionFailure(e)) return false;
      throw e;
    }
  }

  async enabled(limit: number, after: string | null): Promise<{ rules: WithdrawalRule[]; next: string | null }> {
    const from = after ? pageToken.decode(after, ENABLED_SK_SHAPE) : null;
    const out = await this.db.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: 'byOwnerTime',
        KeyConditionExpression: 'gsi1pk = :p',
        ExpressionAttributeValues: { ':p': keys.enabledRules },
        Limit: limit,
        ...(from ? { ExclusiveStartKey: { gsi1pk: keys.enabledRules, gsi1sk: from, ...keys.withdrawalRule(from.split('#')[0], from.split('#')[1]) } } : {}),
      }),
    );
    const items = out.Items ?? [];
    const last = items.at(-1);
    return { rules: items.map(decodeRule), next: out.LastEvaluatedKey && last ? pageToken.encode(String(last.gsi1sk)) : null };
  }

  private transact(items: unknown[]): Promise<boolean> {
    return transactUnlessRaced(this.db, items);
  }
}
