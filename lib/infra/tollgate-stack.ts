/**
 * The one stack a merchant deploys. Feature constructs each read their slice of the manifest;
 * they meet only through the props passed here.
 */
import { CfnCondition, CfnOutput, CfnParameter, Duration, Fn, Stack, type StackProps } from 'aws-cdk-lib';
import { Rule, RuleTargetInput, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import { CHAINS, type ChainId } from '../../shared/domain/currencies';
import { type FunctionSpec, type HttpGroup, httpGroups, type QueueId, type QueueSpec, queues as queueSpecs, queueUrlEnv, type ScheduleId, type ScheduleSpec, schedules } from '../manifest';
import { Alarms } from './alarms';
import { HttpApi } from './http-api';
import { applyNagAcknowledgements } from './nag';
import { Queues } from './queues';
import { Storage } from './storage';
import { TollgateFunction } from './tollgate-function';

type ConsumerId = 'crediting' | 'postback-sender';
/** `redrive`: queues whose DLQ the function may read back (tollgate postback dlq, tollgate chain dlq). */
type Access = { table: 'RO' | 'RW' | 'none'; sendTo: QueueId[]; projectKey: boolean; adminToken: boolean; redrive?: QueueId[] };
/** Least privilege per function: what each group may touch. */
const ACCESS: Record<HttpGroup | ScheduleId | ConsumerId, Access> = {
  // attach-tx hands verified transfers to crediting.
  invoices: { table: 'RW', sendTo: ['postbacks', 'observations'], projectKey: false, adminToken: false },
  wallet: { table: 'RO', sendTo: [], projectKey: false, adminToken: false },
  admin: { table: 'RW', sendTo: ['postbacks', 'observations'], projectKey: true, adminToken: true, redrive: ['postbacks', 'observations'] },
  health: { table: 'none', sendTo: [], projectKey: false, adminToken: false },
  'invoice-expiry': { table: 'RW', sendTo: [], projectKey: false, adminToken: false },
  'chain-watcher': { table: 'RW', sendTo: ['observations'], projectKey: false, adminToken: false },
  crediting: { table: 'RW', sendTo: ['postbacks'], projectKey: false, adminToken: false },
  // Reads invoices and the project secret (to sign); writes only its attempt log.
  'postback-sender': { table: 'RW', sendTo: [], projectKey: true, adminToken: false },
};
const CONSUMER_OF: Partial<Record<QueueId, ConsumerId>> = { observations: 'crediting', postbacks: 'postback-sender' };

/** Chains that get a watcher schedule (cdk.json context `tollgate:chains`); each needs RPC URLs in EvmChainsJson. */
const DEFAULT_WATCHED_CHAINS: ChainId[] = ['ethereum', 'bsc', 'arbitrum', 'optimism', 'base', 'polygon'];

const pascal = (id: string) => id.replace(/(^|-)(\w)/g, (_m, _d, c: string) => c.toUpperCase());

export class TollgateStack extends Stack {
  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);

    const evmXpub = new CfnParameter(this, 'EvmXpub', {
      type: 'String',
      description: "Account-level extended PUBLIC key of the deployment wallet, path m/44'/60'/0' (xpub...). Deposit addresses derive from it; no private key is ever given to the stack.",
      allowedPattern: '^xpub[1-9A-HJ-NP-Za-km-z]{100,112}$',
      constraintDescription: 'must be an xpub extended public key',
    });
    const publicBaseUrl = new CfnParameter(this, 'PublicBaseUrl', {
      type: 'String',
      default: '',
      description: 'Public URL of the gateway (a custom domain). Empty: the API Gateway URL.',
    });

    const evmChains = new CfnParameter(this, 'EvmChainsJson', {
      type: 'String',
      noEcho: true,
      default: '{}',
      description: 'RPC endpoints per chain, JSON: {"ethereum":{"rpcUrls":["https://...","https://fallback..."]},"base":{...}}. Optional per chain: confirmations, tokens, logScan (README "Chains").',
    });
    const watchedChains = (this.node.tryGetContext('tollgate:chains') as ChainId[] | undefined) ?? DEFAULT_WATCHED_CHAINS;
    for (const chain of watchedChains) {
      if (!Object.hasOwn(CHAINS, chain) || CHAINS[chain].family !== 'evm') throw new Error(`tollgate:chains: ${chain} is not an EVM chain of the registry`);
    }

    const storage = new Storage(this, 'Storage');
    const queues = new Queues(this, 'Queues');
    const http = new HttpApi(this, 'Http');
    const alarms = new Alarms(this, 'Alarms');
    for (const [queueId, { dlq }] of Object.entries(queues.byId)) alarms.watchDeadLetters(queueId, dlq);
    const projectKey = new Secret(this, 'ProjectSecretsKey', {
      description: 'Encrypts project secret keys at rest in the table',
      generateSecretString: { passwordLength: 64, excludePunctuation: true },
    });
    const adminToken = new Secret(this, 'AdminToken', {
      description: 'Bearer token of the tollgate CLI (admin routes)',
      generateSecretString: { passwordLength: 48, excludePunctuation: true },
    });

    const useApiUrl = new CfnCondition(this, 'UseApiUrl', { expression: Fn.conditionEquals(publicBaseUrl.valueAsString, '') });
    const environment: Record<string, string> = {
      SERVICE_NAME: 'tollgate',
      TABLE_NAME: storage.table.tableName,
      [queueUrlEnv('postbacks')]: queues.byId.postbacks.queue.queueUrl,
      [queueUrlEnv('observations')]: queues.byId.observations.queue.queueUrl,
      [`${queueUrlEnv('postbacks')}_DLQ`]: queues.byId.postbacks.dlq.queueUrl,
      [`${queueUrlEnv('observations')}_DLQ`]: queues.byId.observations.dlq.queueUrl,
      EVM_CHAINS_JSON: evmChains.valueAsString,
      PUBLIC_BASE_URL: Fn.conditionIf(useApiUrl.logicalId, http.api.apiEndpoint, publicBaseUrl.valueAsString).toString(),
      EVM_XPUB: evmXpub.valueAsString,
      RATES_MODE: 'live',
      PROJECT_SECRETS_KEY_ARN: projectKey.secretArn,
      ADMIN_TOKEN_SECRET_ARN: adminToken.secretArn,
      LOG_LEVEL: 'info',
    };

    const build = (name: HttpGroup | ScheduleId | ConsumerId, fnId: string, spec: FunctionSpec) => {
      const fn = new TollgateFunction(this, fnId, spec, environment);
      const access = ACCESS[name];
      if (access.table === 'RW') storage.table.grantReadWriteData(fn);
      if (access.table === 'RO') storage.table.grantReadData(fn);
      for (const queueId of access.sendTo) queues.byId[queueId].queue.grantSendMessages(fn);
      for (const queueId of access.redrive ?? []) {
        queues.byId[queueId].dlq.grantConsumeMessages(fn);
        queues.byId[queueId].queue.grantSendMessages(fn);
      }
      if (access.projectKey) projectKey.grantRead(fn);
      if (access.adminToken) adminToken.grantRead(fn);
      alarms.watchFunction(fnId, fn);
      return fn;
    };

    for (const group of Object.keys(httpGroups) as HttpGroup[]) {
      http.mount(group, build(group, `${group[0].toUpperCase()}${group.slice(1)}Function`, httpGroups[group]));
    }
    for (const [scheduleId, spec] of Object.entries(schedules) as [ScheduleId, ScheduleSpec][]) {
      const fn = build(scheduleId, `Schedule${pascal(scheduleId)}`, spec);
      const every = Schedule.rate(Duration.minutes(spec.rateMinutes));
      if (!spec.perChain) {
        new Rule(this, `${scheduleId}Rule`, { schedule: every, targets: [new LambdaFunction(fn, { retryAttempts: 2 })] });
        continue;
      }
      for (const chain of watchedChains) {
        // No retries: the next minute's run resumes from the checkpoint anyway.
        new Rule(this, `${scheduleId}${pascal(chain)}Rule`, { schedule: every, targets: [new LambdaFunction(fn, { event: RuleTargetInput.fromObject({ chain }), retryAttempts: 0 })] });
        alarms.watchScanLag(chain, CHAINS[chain].blockTimeMs);
      }
    }
    for (const [queueId, spec] of Object.entries(queueSpecs) as [QueueId, QueueSpec][]) {
      const consumerId = CONSUMER_OF[queueId];
      if (!spec.consumer || !consumerId) continue;
      const fn = build(consumerId, `Consumer${pascal(consumerId)}`, spec.consumer);
      fn.addEventSource(new SqsEventSource(queues.byId[queueId].queue, { batchSize: spec.consumer.batchSize, reportBatchItemFailures: true }));
    }

    new CfnOutput(this, 'ApiUrl', { value: http.api.apiEndpoint, description: 'CryptoCloud-compatible base URL: put it where your plugin had https://api.cryptocloud.plus' });
    new CfnOutput(this, 'AdminTokenSecretArn', { value: adminToken.secretArn, description: 'aws secretsmanager get-secret-value --secret-id <this> gives the tollgate CLI token' });
    new CfnOutput(this, 'TableName', { value: storage.table.tableName });
    new CfnOutput(this, 'PostbackDlqUrl', { value: queues.byId.postbacks.dlq.queueUrl });

    applyNagAcknowledgements(this, { table: storage.table, projectKey, adminToken });
  }
}
