/**
 * The one stack a merchant deploys. Feature constructs each read their slice of the manifest;
 * they meet only through the props passed here.
 */
import { Aws, CfnCondition, CfnOutput, CfnParameter, Duration, Fn, SecretValue, Stack, type StackProps } from 'aws-cdk-lib';
import { Rule, RuleTargetInput, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import { CHAINS, type ChainId } from '../../shared/domain/currencies';
import { type HttpGroup, type NamedFunction, namedFunctions, type ScheduleSpec, type WorkflowId, workflowIds, workflows } from '../manifest';
import { type AccessRefs, environmentFor, grantAccess } from './access';
import { Alarms, RECONCILING_FUNCTIONS } from './alarms';
import { HttpApi } from './http-api';
import { applyNagAcknowledgements } from './nag';
import { Queues } from './queues';
import { Storage } from './storage';
import { TollgateFunction } from './tollgate-function';
import { Workflows } from './workflows';

/**
 * Chains that get a watcher schedule (cdk.json context `tollgate:chains`); each needs endpoints in
 * RpcUrlsJson. Each chain runs under its family's watcher (lib/manifest.ts `perChain`).
 */
const DEFAULT_WATCHED_CHAINS: ChainId[] = ['ethereum', 'bsc', 'arbitrum', 'optimism', 'base', 'polygon', 'tron'];

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
    const tronXpub = new CfnParameter(this, 'TronXpub', {
      type: 'String',
      default: '',
      description: "Account-level extended PUBLIC key for Tron deposits, path m/44'/195'/0' (xpub...). Empty: no Tron deposit addresses are handed out.",
      allowedPattern: '^(xpub[1-9A-HJ-NP-Za-km-z]{100,112})?$',
      constraintDescription: 'must be empty or an xpub extended public key',
    });
    const publicBaseUrl = new CfnParameter(this, 'PublicBaseUrl', {
      type: 'String',
      default: '',
      description: 'Public URL of the gateway (a custom domain). Empty: the API Gateway URL.',
    });

    const chainsJson = new CfnParameter(this, 'ChainsJson', {
      type: 'String',
      default: '{}',
      // Plain configuration of the functions that read chains: the endpoints and their API keys go to RpcUrlsJson.
      allowedPattern: '^((?!rpcUrls|apiKeys).)*$',
      constraintDescription: 'must not contain rpcUrls or apiKeys: endpoints and provider keys go in RpcUrlsJson (a secret)',
      description: 'The chains served, one shape for every family, JSON: {"ethereum":{},"base":{"logScan":"registry"},"tron":{}}. Optional per chain: confirmations, tokens, logScan, transferFeeUsd, disperseContract (EVM: the mass payout contract, `tollgate chain deploy-disperse CHAIN`) (README "Chains"). No endpoints or API keys here.',
    });
    const rpcUrlsJson = new CfnParameter(this, 'RpcUrlsJson', {
      type: 'String',
      noEcho: true,
      default: '{}',
      description:
        'Endpoints per chain, JSON: {"ethereum":["https://...","https://fallback..."],"tron":{"urls":["https://api.trongrid.io"],"apiKeys":["..."]}}. Tron entries take {"urls": [...], "apiKeys": [...]}: each key is sent as the TronGrid key header (TRON-PRO-API-KEY), rotated with the URLs. Kept in a Secrets Manager secret that only the functions reading the chain may read.',
    });
    const mnemonicSecretArn = new CfnParameter(this, 'MnemonicSecretArn', {
      type: 'String',
      description:
        'ARN of the Secrets Manager secret holding the deployment BIP39 mnemonic (create it before deploying, README "Key custody"). Only the sweep and withdrawal workers may read it; EvmXpub and TronXpub derive from it.',
      allowedPattern: '^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:[0-9]{12}:secret:[A-Za-z0-9/_+=.@-]+$',
      constraintDescription: 'must be a Secrets Manager secret ARN',
    });
    const hotWalletsJson = new CfnParameter(this, 'HotWalletsJson', {
      type: 'String',
      default: '{}',
      // Public addresses only: the keys stay behind MnemonicSecretArn.
      allowedPattern: '^((?!mnemonic|private|xprv).)*$',
      constraintDescription: 'must hold public addresses only, never a mnemonic or a private key',
      description: 'The hot wallets\' PUBLIC addresses per chain, JSON: {"ethereum":"0x...","tron":"T..."} (`tollgate wallet hot` prints them). Reconciliation checks their balances without the mnemonic.',
    });
    const watchedChains = (this.node.tryGetContext('tollgate:chains') as ChainId[] | undefined) ?? DEFAULT_WATCHED_CHAINS;
    for (const chain of watchedChains) {
      if (!Object.hasOwn(CHAINS, chain) || !CHAINS[chain].enabled) throw new Error(`tollgate:chains: ${chain} is not a chain of the registry; expected some of ${Object.values(CHAINS).filter((c) => c.enabled).map((c) => c.id).join(', ')}`);
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
    const rpcUrls = new Secret(this, 'RpcUrls', {
      description: 'Chain endpoints per chain (they carry provider API keys), from the RpcUrlsJson parameter',
      secretStringValue: SecretValue.cfnParameter(rpcUrlsJson),
    });

    const useApiUrl = new CfnCondition(this, 'UseApiUrl', { expression: Fn.conditionEquals(publicBaseUrl.valueAsString, '') });
    // shared/config.ts refuses an empty TRON_XPUB: without the parameter the variable is left out (AWS::NoValue).
    const hasTronXpub = new CfnCondition(this, 'HasTronXpub', { expression: Fn.conditionNot(Fn.conditionEquals(tronXpub.valueAsString, '')) });
    const refs: AccessRefs = {
      table: storage.table,
      queues,
      secrets: { projectKey, adminToken, rpcUrls, mnemonic: Secret.fromSecretCompleteArn(this, 'Mnemonic', mnemonicSecretArn.valueAsString) },
      values: {
        SERVICE_NAME: 'tollgate',
        LOG_LEVEL: 'info',
        TABLE_NAME: storage.table.tableName,
        PUBLIC_BASE_URL: Fn.conditionIf(useApiUrl.logicalId, http.api.apiEndpoint, publicBaseUrl.valueAsString).toString(),
        EVM_XPUB: evmXpub.valueAsString,
        TRON_XPUB: Fn.conditionIf(hasTronXpub.logicalId, tronXpub.valueAsString, Aws.NO_VALUE).toString(),
        RATES_MODE: 'live',
        CHAINS_JSON: chainsJson.valueAsString,
        HOT_WALLETS_JSON: hotWalletsJson.valueAsString,
        ALARM_EMAIL_CONFIGURED: Fn.conditionIf(alarms.hasEmail.logicalId, 'true', 'false').toString(),
      },
      stateMachines: {},
    };

    const FUNCTION_ID_PREFIX: Record<NamedFunction['kind'], (name: string) => string> = {
      http: (name) => `${pascal(name)}Function`,
      schedule: (name) => `Schedule${pascal(name)}`,
      consumer: (name) => `Consumer${pascal(name)}`,
      worker: (name) => `Task${pascal(name)}`,
    };
    // Each function: its manifest access, granted and given as environment, and nothing else.
    const makeFunction = ({ id: name, kind, spec, consumes }: NamedFunction): TollgateFunction => {
      const fnId = FUNCTION_ID_PREFIX[kind](name);
      const fn = new TollgateFunction(this, fnId, spec, environmentFor(spec.access, consumes?.queue ?? null, refs));
      grantAccess(fn, spec.access, refs);
      alarms.watchFunction(fnId, fn);
      if (RECONCILING_FUNCTIONS.has(name)) alarms.watchLogEvents(fnId, fn.logGroup);
      if (kind === 'http') http.mount(name as HttpGroup, fn);
      if (consumes) fn.addEventSource(new SqsEventSource(queues.byId[consumes.queue].queue, { batchSize: consumes.batchSize, reportBatchItemFailures: true }));
      if (kind === 'schedule') this.scheduleFunction(name, spec as ScheduleSpec, fn, watchedChains, alarms);
      return fn;
    };
    // Workers first: the state machines invoke them, and the functions that start a workflow are given the machines' ARNs.
    const workerOf = (workflow: WorkflowId) => {
      const named = namedFunctions().find((f) => f.kind === 'worker' && f.id === workflows[workflow].worker.name);
      if (!named) throw new Error(`the ${workflow} worker is not among the manifest's functions`);
      return makeFunction(named);
    };
    const workers = Object.fromEntries(workflowIds.map((w) => [w, workerOf(w)])) as Record<WorkflowId, TollgateFunction>;
    const machines = new Workflows(this, 'Workflows', { workers, alarms }).byId;
    refs.stateMachines = machines;
    for (const f of namedFunctions().filter((n) => n.kind !== 'worker')) makeFunction(f);

    new CfnOutput(this, 'ApiUrl', { value: http.api.apiEndpoint, description: 'CryptoCloud-compatible base URL: put it where your plugin had https://api.cryptocloud.plus' });
    new CfnOutput(this, 'AdminTokenSecretArn', { value: adminToken.secretArn, description: 'aws secretsmanager get-secret-value --secret-id <this> gives the tollgate CLI token' });
    new CfnOutput(this, 'TableName', { value: storage.table.tableName });
    new CfnOutput(this, 'PostbackDlqUrl', { value: queues.byId.postbacks.dlq.queueUrl });

    applyNagAcknowledgements(this, { secrets: [projectKey, adminToken, rpcUrls], workflows: workflowIds.map((w) => ({ machine: machines[w], worker: workers[w] })) });
  }

  /** A schedule's EventBridge rules: one, or one per watched chain of its family (`perChain`). */
  private scheduleFunction(name: string, schedule: ScheduleSpec, fn: TollgateFunction, watchedChains: ChainId[], alarms: Alarms): void {
    const every = Schedule.rate(Duration.minutes(schedule.rateMinutes));
    if (!schedule.perChain) {
      new Rule(this, `${name}Rule`, { schedule: every, targets: [new LambdaFunction(fn, { retryAttempts: 2 })] });
      return;
    }
    for (const chain of watchedChains.filter((c) => CHAINS[c].family === schedule.perChain)) {
      // No retries: the next minute's run resumes from the checkpoint anyway.
      new Rule(this, `${name}${pascal(chain)}Rule`, { schedule: every, targets: [new LambdaFunction(fn, { event: RuleTargetInput.fromObject({ chain }), retryAttempts: 0 })] });
      alarms.watchScanLag(chain, CHAINS[chain].blockTimeMs, CHAINS[chain].family);
    }
  }
}
