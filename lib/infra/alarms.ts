/**
 * What wakes someone at 3 a.m.: any function error, any message parked in a DLQ, a growing scan
 * lag, work stuck in a queue. Alarms go to an SNS topic; the optional AlarmEmail parameter
 * subscribes an address to it.
 */
import { CfnCondition, CfnParameter, Duration, Fn } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, type IMetric, MathExpression, Metric, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { SCAN_LAG_METRIC } from '../../shared/app/chain-watcher';
import { LEDGER_DEBT_METRIC } from '../../shared/app/crediting';
import { STUCK_WORK_METRIC, WORK_QUEUES, WORK_STUCK_AFTER_MS } from '../../shared/app/work-queues';
import type { ChainFamily } from '../../shared/domain/currencies';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { FilterPattern, type ILogGroup, MetricFilter } from 'aws-cdk-lib/aws-logs';
import { Alias } from 'aws-cdk-lib/aws-kms';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { CfnSubscription, Topic } from 'aws-cdk-lib/aws-sns';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import type { StateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';

/** Where a lagging watcher's operator looks first: the endpoints' credentials and the family's retry log line. */
const WHAT_TO_CHECK: Record<ChainFamily, string> = {
  evm: 'Check its RPC URLs and the watcher logs (watcher.pass_failed, rpc.retry).',
  tron: 'Check its TronGrid URLs and API keys (many HTTP 429 retries: the keys are over their rate limit) and the watcher logs (watcher.pass_failed, trongrid.retry).',
};

const LOG_ALARM_NAMESPACE = 'Tollgate';

/** Events whose every occurrence is an alarm (shared/app/reconciliation.ts logs them at error level). */
const LOG_ALARMS = {
  ReconcileDrift: {
    msg: 'reconcile.drift',
    description:
      'Reconciliation found drift: a balance item disagrees with the journal, or a chain holds less than the books say. Run `tollgate reconcile` (it names the chain, currency and amount), and search the logs for reconcile.drift.',
  },
  HotWalletLowReserve: {
    msg: 'hot_wallet.low_reserve',
    description: 'A hot wallet holds less native coin than its minimum fee reserve: sweeps and withdrawals will stall. `tollgate wallet hot` shows the address; fund it (README, hot wallet funding).',
  },
} as const;
type LogAlarmId = keyof typeof LOG_ALARMS;

/** The functions that run reconciliation (the schedule and the admin routes): their log groups feed LOG_ALARMS. */
export const RECONCILING_FUNCTIONS: ReadonlySet<string> = new Set(['reconciliation', 'admin']);

export class Alarms extends Construct {
  private readonly action: SnsAction;
  /** True when the AlarmEmail parameter names an address: the admin function is told (ALARM_EMAIL_CONFIGURED, the go-live check). */
  readonly hasEmail: CfnCondition;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    const topic = new Topic(this, 'Topic', { displayName: 'Tollgate alarms', enforceSSL: true, masterKey: Alias.fromAliasName(this, 'SnsKey', 'alias/aws/sns') });
    const email = new CfnParameter(scope, 'AlarmEmail', { type: 'String', default: '', description: 'E-mail address for alarms (optional; confirm the subscription mail)' });
    const subscription = new CfnSubscription(this, 'EmailSubscription', { topicArn: topic.topicArn, protocol: 'email', endpoint: email.valueAsString });
    this.hasEmail = new CfnCondition(this, 'HasAlarmEmail', { expression: Fn.conditionNot(Fn.conditionEquals(email.valueAsString, '')) });
    subscription.cfnOptions.condition = this.hasEmail;
    this.action = new SnsAction(topic);
    this.watchStuckWork();
    this.alarmOnAny(
      'LedgerDebt',
      'A reorg reversed a credit larger than the available balance: the shortfall is recorded as debt that later credits repay. Search the crediting logs for ledger.debt_recorded (it names the invoice and the transfer).',
      new Metric({ namespace: LEDGER_DEBT_METRIC.namespace, metricName: LEDGER_DEBT_METRIC.name, statistic: 'Sum', period: Duration.minutes(5) }),
    );
  }

  /**
   * An item of a work queue (the expirer's invoices, a chain's pending transfers) has been due for
   * longer than the bound (StuckWorkItems, which both log in EMF). The queues page past it, so
   * the rest still moves; this says something keeps failing on it.
   */
  private watchStuckWork(): void {
    const usingMetrics = Object.fromEntries(
      WORK_QUEUES.map((queue, i) => [
        `q${i}`,
        new Metric({ namespace: STUCK_WORK_METRIC.namespace, metricName: STUCK_WORK_METRIC.name, dimensionsMap: { [STUCK_WORK_METRIC.dimension]: queue }, statistic: 'Maximum', period: Duration.minutes(5) }),
      ]),
    );
    this.alarmOnAny(
      'StuckWork',
      `A work queue (${WORK_QUEUES.join(', ')}) holds items due for more than ${WORK_STUCK_AFTER_MS / 60_000} minutes. Search the logs for work.stuck (it names them), then invoice.expiry_held or the crediting errors of those transfers.`,
      new MathExpression({ expression: `MAX([${Object.keys(usingMetrics).join(', ')}])`, usingMetrics, period: Duration.minutes(5) }),
    );
  }

  /**
   * Log events that are alarms in themselves, counted by metric filters on the log groups of the
   * functions that may write them (the reconciliation schedule and the admin routes): one alarm
   * per event, fed by every such log group.
   */
  private readonly logAlarms = new Set<LogAlarmId>();

  watchLogEvents(name: string, logGroup: ILogGroup): void {
    for (const [id, spec] of Object.entries(LOG_ALARMS) as [LogAlarmId, (typeof LOG_ALARMS)[LogAlarmId]][]) {
      new MetricFilter(this, `${name}${id}Filter`, { logGroup, filterPattern: FilterPattern.stringValue('$.msg', '=', spec.msg), metricNamespace: LOG_ALARM_NAMESPACE, metricName: id, metricValue: '1' });
      if (this.logAlarms.has(id)) continue;
      this.logAlarms.add(id);
      this.alarmOnAny(id, spec.description, new Metric({ namespace: LOG_ALARM_NAMESPACE, metricName: id, statistic: 'Sum', period: Duration.minutes(5) }));
    }
  }

  /** Any error in five minutes: these functions do money work, so one error is worth a look. */
  watchFunction(name: string, fn: IFunction): void {
    this.alarmOnAny(`${name}Errors`, `${name} function raised errors; search its log group for level=error and the requestId`, fn.metricErrors({ period: Duration.minutes(5) }));
  }

  /** A parked message is work that did not happen (a postback not delivered). */
  watchDeadLetters(name: string, dlq: Queue): void {
    this.alarmOnAny(`${name}DeadLetters`, `${name} has messages in its dead-letter queue; inspect and redrive them`, dlq.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5) }));
  }

  /**
   * A workflow execution that failed (a step kept failing, or a withdrawal Stuck with its hold kept)
   * or timed out (a transfer unconfirmed for hours): money is held or unswept until someone looks.
   */
  watchWorkflow(name: string, machine: StateMachine): void {
    const where = `Open the ${name} state machine's failed executions (the name is the withdrawal or sweep id) and its log group`;
    this.alarmOnAny(`${name}ExecutionsFailed`, `A ${name} execution failed. ${where}; a Stuck withdrawal kept its hold because a transaction may still land.`, machine.metricFailed({ period: Duration.minutes(5) }));
    this.alarmOnAny(`${name}ExecutionsTimedOut`, `A ${name} execution timed out (a transfer unconfirmed for hours). ${where}, then the transaction on chain.`, machine.metricTimedOut({ period: Duration.minutes(5) }));
  }

  /**
   * The watcher is falling behind its chain (the ScanLagBlocks metric it logs in EMF). The
   * threshold is five minutes of blocks, held for five minutes: a growing lag, not a blip.
   */
  watchScanLag(chain: string, blockTimeMs: number, family: ChainFamily): void {
    const fiveMinutesOfBlocks = Math.max(10, Math.ceil(300_000 / blockTimeMs));
    const alarm = new Alarm(this, `ScanLag${chain}`, {
      alarmDescription: `The ${chain} watcher is more than ${fiveMinutesOfBlocks} blocks behind the head: payments are detected late. ${WHAT_TO_CHECK[family]}`,
      metric: new Metric({ namespace: SCAN_LAG_METRIC.namespace, metricName: SCAN_LAG_METRIC.name, dimensionsMap: { [SCAN_LAG_METRIC.dimension]: chain }, statistic: 'Maximum', period: Duration.minutes(1) }),
      threshold: fiveMinutesOfBlocks,
      evaluationPeriods: 5,
      comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    alarm.addAlarmAction(this.action);
  }

  private alarmOnAny(id: string, alarmDescription: string, metric: IMetric): void {
    const alarm = new Alarm(this, id, {
      alarmDescription,
      metric,
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    alarm.addAlarmAction(this.action);
  }
}
