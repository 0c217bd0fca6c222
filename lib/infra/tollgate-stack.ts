/**
 * The one stack a merchant deploys. Feature constructs each read their slice of the manifest;
 * they meet only through the props passed here.
 */
import { CfnCondition, CfnOutput, CfnParameter, Duration, Fn, Stack, type StackProps } from 'aws-cdk-lib';
import { Rule, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import { type HttpGroup, httpGroups, queueUrlEnv, type ScheduleId, schedules } from '../manifest';
import { Alarms } from './alarms';
import { HttpApi } from './http-api';
import { applyNagAcknowledgements } from './nag';
import { Queues } from './queues';
import { Storage } from './storage';
import { TollgateFunction } from './tollgate-function';

/** Least privilege per function: what each group may touch. */
const ACCESS: Record<HttpGroup | ScheduleId, { table: 'RO' | 'RW' | 'none'; postbacks: boolean; projectKey: boolean; adminToken: boolean }> = {
  invoices: { table: 'RW', postbacks: true, projectKey: false, adminToken: false },
  wallet: { table: 'RO', postbacks: false, projectKey: false, adminToken: false },
  admin: { table: 'RW', postbacks: true, projectKey: true, adminToken: true },
  health: { table: 'none', postbacks: false, projectKey: false, adminToken: false },
  'invoice-expiry': { table: 'RW', postbacks: false, projectKey: false, adminToken: false },
};

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
      PUBLIC_BASE_URL: Fn.conditionIf(useApiUrl.logicalId, http.api.apiEndpoint, publicBaseUrl.valueAsString).toString(),
      EVM_XPUB: evmXpub.valueAsString,
      RATES_MODE: 'live',
      PROJECT_SECRETS_KEY_ARN: projectKey.secretArn,
      ADMIN_TOKEN_SECRET_ARN: adminToken.secretArn,
      LOG_LEVEL: 'info',
    };

    const build = (name: HttpGroup | ScheduleId, fnId: string, spec: (typeof httpGroups)[HttpGroup] | (typeof schedules)[ScheduleId]) => {
      const fn = new TollgateFunction(this, fnId, spec, environment);
      const access = ACCESS[name];
      if (access.table === 'RW') storage.table.grantReadWriteData(fn);
      if (access.table === 'RO') storage.table.grantReadData(fn);
      if (access.postbacks) queues.byId.postbacks.queue.grantSendMessages(fn);
      if (access.projectKey) projectKey.grantRead(fn);
      if (access.adminToken) adminToken.grantRead(fn);
      alarms.watchFunction(fnId, fn);
      return fn;
    };

    for (const group of Object.keys(httpGroups) as HttpGroup[]) {
      http.mount(group, build(group, `${group[0].toUpperCase()}${group.slice(1)}Function`, httpGroups[group]));
    }
    for (const [scheduleId, spec] of Object.entries(schedules) as [ScheduleId, (typeof schedules)[ScheduleId]][]) {
      const fn = build(scheduleId, `Schedule${scheduleId.replace(/(^|-)(\w)/g, (_m, _d, c: string) => c.toUpperCase())}`, spec);
      new Rule(this, `${scheduleId}Rule`, { schedule: Schedule.rate(Duration.minutes(spec.rateMinutes)), targets: [new LambdaFunction(fn, { retryAttempts: 2 })] });
    }

    new CfnOutput(this, 'ApiUrl', { value: http.api.apiEndpoint, description: 'CryptoCloud-compatible base URL: put it where your plugin had https://api.cryptocloud.plus' });
    new CfnOutput(this, 'AdminTokenSecretArn', { value: adminToken.secretArn, description: 'aws secretsmanager get-secret-value --secret-id <this> gives the tollgate CLI token' });
    new CfnOutput(this, 'TableName', { value: storage.table.tableName });
    new CfnOutput(this, 'PostbackDlqUrl', { value: queues.byId.postbacks.dlq.queueUrl });

    applyNagAcknowledgements(this, { table: storage.table, projectKey, adminToken });
  }
}
