/**
 * The one stack a merchant deploys. Feature constructs each read their slice of the manifest;
 * they meet only through the props passed here.
 */
import { Aws, CfnCondition, CfnOutput, CfnParameter, CfnRule, Duration, Fn, RemovalPolicy, SecretValue, Stack, type StackProps } from 'aws-cdk-lib';
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
 * The chains that get a watcher schedule, from the CDK context `tollgate:chains`. It arrives as a
 * string from the command line (`-c tollgate:chains=ethereum,base`) and as a JSON array from
 * cdk.json (`"tollgate:chains": ["ethereum", "base"]`); both name chains of the registry.
 */
export const CHAINS_CONTEXT_KEY = 'tollgate:chains';

/** Without the context: the six EVM chains and Tron (each needs endpoints in RpcUrlsJson). */
export const DEFAULT_WATCHED_CHAINS: readonly ChainId[] = ['ethereum', 'bsc', 'arbitrum', 'optimism', 'base', 'polygon', 'tron'];

export const validChainIds = (): ChainId[] => Object.values(CHAINS).filter((c) => c.enabled).map((c) => c.id);

const usage = () =>
  `valid chains: ${validChainIds().join(', ')}. Give them as -c ${CHAINS_CONTEXT_KEY}=ethereum,base on the command line, or in cdk.json: "context": { "${CHAINS_CONTEXT_KEY}": ["ethereum", "base"] }`;

/** The watched chains, in the order given, once each; a clear error for anything else. */
export function watchedChainsFrom(value: unknown): ChainId[] {
  if (value === undefined || value === null) return [...DEFAULT_WATCHED_CHAINS];
  let names: unknown[];
  if (Array.isArray(value)) names = value;
  else if (typeof value === 'string') {
    const text = value.trim();
    // `-c 'tollgate:chains=["ethereum","base"]'` (the JSON form on a command line) is read as JSON.
    if (text.startsWith('[')) {
      try {
        names = JSON.parse(text);
      } catch {
        throw new Error(`${CHAINS_CONTEXT_KEY}: ${text} is not a JSON array; ${usage()}`);
      }
      if (!Array.isArray(names)) throw new Error(`${CHAINS_CONTEXT_KEY}: ${text} is not a JSON array; ${usage()}`);
    } else names = text.split(',');
  } else throw new Error(`${CHAINS_CONTEXT_KEY} must be a comma-separated string or an array of chain names, got ${JSON.stringify(value)}; ${usage()}`);
  const chains: ChainId[] = [];
  for (const raw of names) {
    const name = typeof raw === 'string' ? raw.trim() : raw;
    if (name === '') continue;
    if (typeof name !== 'string' || !Object.hasOwn(CHAINS, name) || !CHAINS[name as ChainId].enabled) {
      throw new Error(`${CHAINS_CONTEXT_KEY}: ${JSON.stringify(name)} is not a chain of the registry; ${usage()}`);
    }
    if (!chains.includes(name as ChainId)) chains.push(name as ChainId);
  }
  if (chains.length === 0) throw new Error(`${CHAINS_CONTEXT_KEY} names no chain; ${usage()}`);
  return chains;
}

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
      description: 'Public URL of the gateway, as payment links and pages give it. Empty: https://DomainName when DomainName is set, else the API Gateway URL.',
    });
    const domainName = new CfnParameter(this, 'DomainName', {
      type: 'String',
      default: '',
      allowedPattern: '^(([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z]{2,63})?$',
      constraintDescription: 'must be empty or a lower-case host name such as pay.example.com',
      description: 'Custom domain of the gateway (pay.example.com), with CertificateArn. Empty: no custom domain. Point its DNS at the CustomDomainTarget output.',
    });
    const certificateArn = new CfnParameter(this, 'CertificateArn', {
      type: 'String',
      default: '',
      allowedPattern: '^(arn:aws[a-z-]*:acm:[a-z0-9-]+:[0-9]{12}:certificate/[0-9a-f-]+)?$',
      constraintDescription: 'must be empty or an ACM certificate ARN',
      description: 'ACM certificate for DomainName, issued and validated in the SAME region as this stack (a regional API Gateway endpoint).',
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
    // Chains that get a watcher schedule; each needs endpoints in RpcUrlsJson and runs under its family's watcher (lib/manifest.ts `perChain`).
    const watchedChains = watchedChainsFrom(this.node.tryGetContext(CHAINS_CONTEXT_KEY));

    const storage = new Storage(this, 'Storage');
    const queues = new Queues(this, 'Queues');
    const http = new HttpApi(this, 'Http');
    const hasDomain = new CfnCondition(this, 'HasDomainName', { expression: Fn.conditionNot(Fn.conditionEquals(domainName.valueAsString, '')) });
    new CfnRule(this, 'DomainNeedsCertificate', {
      ruleCondition: hasDomain.expression,
      assertions: [{ assert: Fn.conditionNot(Fn.conditionEquals(certificateArn.valueAsString, '')), assertDescription: 'DomainName needs CertificateArn: an ACM certificate for that name in this region' }],
    });
    const customDomain = http.addCustomDomain(domainName.valueAsString, certificateArn.valueAsString, hasDomain);
    const alarms = new Alarms(this, 'Alarms');
    for (const [queueId, { dlq }] of Object.entries(queues.byId)) alarms.watchDeadLetters(queueId, dlq);
    // Retained like the table: the project secret keys in a retained (or restored) table are unreadable without it.
    const projectKey = new Secret(this, 'ProjectSecretsKey', {
      description: 'Encrypts project secret keys at rest in the table',
      generateSecretString: { passwordLength: 64, excludePunctuation: true },
      removalPolicy: RemovalPolicy.RETAIN,
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
    // PublicBaseUrl when given, else the custom domain, else the API Gateway URL.
    const publicUrl = Fn.conditionIf(useApiUrl.logicalId, Fn.conditionIf(hasDomain.logicalId, Fn.join('', ['https://', domainName.valueAsString]), http.api.apiEndpoint), publicBaseUrl.valueAsString).toString();
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
        PUBLIC_BASE_URL: publicUrl,
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

    new CfnOutput(this, 'ApiUrl', { value: http.api.apiEndpoint, description: 'The API Gateway URL (always answers; the CLI\'s TOLLGATE_ENDPOINT). CryptoCloud-compatible base URL when no custom domain is set' });
    new CfnOutput(this, 'PublicUrl', { value: publicUrl, description: 'The gateway\'s public base URL (payment links, pages): put it where your plugin had https://api.cryptocloud.plus' });
    new CfnOutput(this, 'AdminTokenSecretArn', { value: adminToken.secretArn, description: 'The Secrets Manager secret holding the tollgate CLI\'s admin token (TOLLGATE_ADMIN_TOKEN)' });
    new CfnOutput(this, 'AdminTokenCommand', {
      value: Fn.join('', ['aws secretsmanager get-secret-value --region ', Aws.REGION, ' --secret-id ', adminToken.secretArn, ' --query SecretString --output text']),
      description: 'Prints the admin token (copy and run it; the value itself is never an output)',
    });
    new CfnOutput(this, 'CustomDomainTarget', {
      condition: hasDomain,
      value: customDomain.attrRegionalDomainName,
      description: 'Point DomainName here: a CNAME to this name, or a Route 53 alias (A/AAAA) with CustomDomainHostedZoneId',
    });
    new CfnOutput(this, 'CustomDomainHostedZoneId', { condition: hasDomain, value: customDomain.attrRegionalHostedZoneId, description: 'The hosted zone of CustomDomainTarget, for a Route 53 alias record' });
    new CfnOutput(this, 'TableName', { value: storage.table.tableName, description: 'The table in use: the stack\'s own, or the ExistingTableName parameter (a restored table)' });
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
