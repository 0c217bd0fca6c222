/**
 * The composition root: builds Deps once per cold start from the validated environment. A
 * handler cannot tell whether it runs on Lambda or in the local runtime.
 */

import { dlqUrlEnv, type QueueEnvName, type QueueId, queueIds, queues, queueUrlEnv, rateLimits, secretVariables, stateMachineArnEnv, workflowIds } from '../../lib/manifest';
import { type FamilyKeys, HdAddressAllocator } from '../../shared/adapters/addresses/hd-allocator';
import { ADDRESS_CHECKS } from '../../shared/adapters/chains/address-checks';
import { deriveEvmAddress } from '../../shared/adapters/chains/evm/address';
import { deriveTronAddress } from '../../shared/adapters/chains/tron/address';
import { systemClock } from '../../shared/adapters/clock';
import { DynamoBalanceReader } from '../../shared/adapters/dynamo/balance-store';
import { DynamoChainState } from '../../shared/adapters/dynamo/chain-state-store';
import { DynamoWatchSignals } from '../../shared/adapters/dynamo/watch-signals';
import { makeDocumentClient } from '../../shared/adapters/dynamo/client';
import { DynamoCounters } from '../../shared/adapters/dynamo/counters';
import { DynamoDonationStore } from '../../shared/adapters/dynamo/donation-store';
import { DynamoStaticWalletStore } from '../../shared/adapters/dynamo/static-wallet-store';
import { DynamoLedger } from '../../shared/adapters/dynamo/ledger';
import { DynamoPayoutBatchStore } from '../../shared/adapters/dynamo/payout-batch-store';
import { DynamoWithdrawalStore } from '../../shared/adapters/dynamo/withdrawal-store';
import { DynamoSweepStore } from '../../shared/adapters/dynamo/sweep-store';
import { DynamoNetworkFeeStore } from '../../shared/adapters/dynamo/network-fee-store';
import { parseShare, type SweepPolicy } from '../../shared/domain/sweep';
import { DynamoAuditLog } from '../../shared/adapters/dynamo/audit-log';
import { DynamoSecondFactorStore } from '../../shared/adapters/dynamo/second-factor-store';
import { DynamoWithdrawalWalletStore } from '../../shared/adapters/dynamo/withdrawal-wallet-store';
import { DynamoWithdrawalRuleStore } from '../../shared/adapters/dynamo/withdrawal-rule-store';
import { otplibTotp } from '../../shared/adapters/second-factor/otp';
import { DynamoInvoiceStore } from '../../shared/adapters/dynamo/invoice-store';
import { DynamoPaymentStore } from '../../shared/adapters/dynamo/payment-store';
import { DynamoPosLinkStore } from '../../shared/adapters/dynamo/pos-store';
import { DynamoPostbackLog } from '../../shared/adapters/dynamo/postback-log';
import { DynamoProjectStore } from '../../shared/adapters/dynamo/project-store';
import { qrSvg } from '../../shared/adapters/pages/qr-svg';
import { DynamoRateCounter, MemoryRateCounter } from '../../shared/adapters/pages/rate-counters';
import { GuardedTransport } from '../../shared/adapters/http/guarded-transport';
import { postbackSigner } from '../../shared/adapters/http/postback-signer';
import { randomIds, sha256Hex, systemRandom } from '../../shared/adapters/ids';
import { FixedRateSource, MedianRateService, RATE_SERVICE_DEFAULTS } from '../../shared/adapters/rates/rate-service';
import { BinanceSource, CoinbaseSource, ExchangeRateApiSource } from '../../shared/adapters/rates/sources';
import { AesGcmCipher } from '../../shared/adapters/secrets/aes-cipher';
import { type SecretRef, SecretSource } from '../../shared/adapters/secrets/secret-source';
import { SqsDeadLetters, SqsQueue } from '../../shared/adapters/sqs/queue';
import { RoutingWorkflowStarter } from '../../shared/adapters/sfn/starter';
import { type StateMachineArns, StepFunctionsStarter } from '../../shared/adapters/sfn/step-functions';
import type { WatcherDeps } from '../../shared/app/chain-watcher';
import { type Config, loadConfig, RpcUrlsSchema } from '../../shared/config';
import { type ChainDeployment, resolveChainDeployments } from '../../shared/domain/chains';
import type { ChainId } from '../../shared/domain/currencies';
import { HOUR_MS, MINUTE_MS } from '../../shared/domain/time';
import { makeLogger, toStdout } from '../../shared/log';
import { chainAdapterFor, type EndpointSource } from './chain-adapters';
import type { AddressAllocator, ChainAdapter, Deps } from '../../shared/ports';

/** How API keys and idempotency keys are hashed before they touch the table. */
export const hashKey = sha256Hex;

export type Runtime = { deps: Deps; config: Config; secrets: SecretSource; adminTokenRef: SecretRef | null; chainState: DynamoChainState; watchSignals: DynamoWatchSignals; networkFeeStore: DynamoNetworkFeeStore };

let cached: Runtime | null = null;

/**
 * A part this function was not given the setting for (least privilege: lib/manifest.ts `access`).
 * Building it is fine; using it fails with the variable's name instead of a confusing fault.
 */
/** The sweep threshold from its settings; a share outside (0, 1] is a configuration error. */
function sweepPolicyOf(share: string, perCode: Record<string, string>): SweepPolicy {
  const parse = (name: string, text: string) => {
    const r = parseShare(text);
    if (!r) throw new Error(`invalid configuration: ${name}: ${JSON.stringify(text)} is not a share in (0, 1]`);
    return r;
  };
  return { maxFeeShare: parse('SWEEP_MAX_FEE_SHARE', share), perCode: Object.fromEntries(Object.entries(perCode).map(([code, text]) => [code, parse(`SWEEP_THRESHOLDS_JSON.${code}`, text)])) };
}

function missing<T extends object>(part: string, variable: string): T {
  // The ports are asynchronous: a refusal is a rejected promise, like any other failure of theirs.
  const refuse = () => Promise.reject(new Error(`${part} needs ${variable}, which this function is not given (lib/manifest.ts access)`));
  return new Proxy({} as T, { get: (_target, prop) => (typeof prop === 'symbol' || prop === 'then' ? undefined : refuse) });
}

/**
 * Where a chain's endpoints come from: inline in CHAINS_JSON (the local runtime's literals), or
 * the endpoints secret, read once on the first call of a cold start. Only functions whose
 * manifest access names `rpcUrls` are given the secret's ARN and may read it.
 */
export function endpointSource(config: Config, secrets: SecretSource, deployment: ChainDeployment): EndpointSource {
  const chain = deployment.chain;
  if (deployment.rpcUrls.length > 0) return { urls: deployment.rpcUrls, apiKeys: deployment.apiKeys };
  const arn = config.RPC_URLS_SECRET_ARN;
  return async () => {
    if (!arn) throw new Error(`no RPC URLs for ${chain}: ${config.chainsVariable} has none inline and this function is not given ${secretVariables.rpcUrls}`);
    let parsed: ReturnType<typeof RpcUrlsSchema.safeParse>;
    try {
      parsed = RpcUrlsSchema.safeParse(JSON.parse(await secrets.read({ kind: 'aws', arn })));
    } catch (e) {
      if (!(e instanceof SyntaxError)) throw e;
      throw new Error(`the RPC URL secret is not valid JSON; expected ${ENDPOINTS_SHAPE}`);
    }
    // Never echo the secret's value: the URLs and keys are credentials.
    if (!parsed.success) throw new Error(`the RPC URL secret is malformed at ${parsed.error.issues.map((i) => i.path.join('.')).join(', ')}; expected ${ENDPOINTS_SHAPE}`);
    const endpoints = parsed.data[chain];
    if (!endpoints) throw new Error(`the RPC URL secret has no URLs for ${chain}`);
    return endpoints;
  };
}

const ENDPOINTS_SHAPE = '{"<chain>": ["https://..."]} or {"<chain>": {"urls": ["https://..."], "apiKeys": ["..."]}}';

/** One per instance, kept across runtime rebuilds: a rebuilt runtime must not forget who is flooding. */
const memoryRateCounter = new MemoryRateCounter();

export function buildRuntime(env: Record<string, string | undefined>): Runtime {
  const config = loadConfig(env);
  const log = makeLogger({ service: config.SERVICE_NAME, function: env.AWS_LAMBDA_FUNCTION_NAME ?? 'local' }, config.LOG_LEVEL, toStdout, config.LOG_FORMAT);
  const db = makeDocumentClient({ region: config.AWS_REGION, endpoint: config.DYNAMODB_ENDPOINT });
  const counters = new DynamoCounters(db, config.TABLE_NAME);
  const invoices = new DynamoInvoiceStore(db, config.TABLE_NAME);
  const secrets = new SecretSource(config.AWS_REGION);
  const projectKey: SecretRef | null = config.PROJECT_SECRETS_KEY_ARN
    ? { kind: 'aws', arn: config.PROJECT_SECRETS_KEY_ARN }
    : config.PROJECT_SECRETS_KEY
      ? { kind: 'literal', value: config.PROJECT_SECRETS_KEY }
      : null;
  const rates =
    config.RATES_MODE === 'fixed'
      ? new FixedRateSource(JSON.parse(config.RATES_FIXED_JSON) as Record<string, string>)
      : new MedianRateService(
          [new CoinbaseSource(config.RATES_COINBASE_URL), new BinanceSource(config.RATES_BINANCE_URL), new ExchangeRateApiSource(config.RATES_EXCHANGERATE_URL)],
          log,
          { ...RATE_SERVICE_DEFAULTS, timeoutMs: config.RATES_TIMEOUT_MS, maxAgeMs: config.RATES_MAX_AGE_MS },
        );
  const resolved = resolveChainDeployments(config.CHAINS_JSON);
  if (!resolved.ok) throw new Error(`invalid configuration: ${config.chainsVariable}: ${resolved.error.map((e) => `${e.chain}: ${e.message}`).join('; ')}`);
  const chains = resolved.value;
  // A configured contract with a broken checksum is a typo: it would never match a transfer, so payments in it would wait forever.
  const misspelt = chains.flatMap((d) => d.currencies.filter((c) => c.contract !== null && !ADDRESS_CHECKS[d.family](c.contract)).map((c) => `${d.chain}: ${c.currency.code}: ${c.contract}`));
  if (misspelt.length > 0) throw new Error(`invalid configuration: ${config.chainsVariable}: token contracts with a bad checksum: ${misspelt.join('; ')}`);
  const readers = new Map<ChainId, ChainAdapter>();
  const readChain = (chain: ChainId): ChainAdapter => {
    const deployment = chains.find((d) => d.chain === chain);
    if (!deployment) throw new Error(`chain ${chain} is not configured in ${config.chainsVariable}`);
    let reader = readers.get(chain);
    if (!reader) {
      reader = chainAdapterFor(deployment, endpointSource(config, secrets, deployment), { timeoutMs: config.RPC_TIMEOUT_MS, log });
      readers.set(chain, reader);
    }
    return reader;
  };
  const familyKeys: FamilyKeys = {
    ...(config.EVM_XPUB ? { evm: { accountXpub: config.EVM_XPUB, derive: deriveEvmAddress } } : {}),
    ...(config.TRON_XPUB ? { tron: { accountXpub: config.TRON_XPUB, derive: deriveTronAddress } } : {}),
  };
  const urlsOf = (name: (id: QueueId) => QueueEnvName) => Object.fromEntries(queueIds.map((id) => [id, config[name(id)]]));
  const queueUrls = urlsOf(queueUrlEnv);
  const sqsSettings = { region: config.AWS_REGION, endpoint: config.SQS_ENDPOINT };
  const network = { allowLoopback: config.POSTBACK_ALLOW_LOOPBACK, allowPrivate: config.POSTBACK_ALLOW_PRIVATE };
  const chainState = new DynamoChainState(db, config.TABLE_NAME);
  const watchSignals = new DynamoWatchSignals(db, config.TABLE_NAME);
  const networkFeeStore = new DynamoNetworkFeeStore(db, config.TABLE_NAME);
  const deps: Deps = {
    clock: systemClock,
    ids: randomIds,
    random: systemRandom,
    projects: new DynamoProjectStore(db, config.TABLE_NAME, counters),
    invoices,
    idempotency: invoices,
    balances: new DynamoBalanceReader(db, config.TABLE_NAME),
    donations: new DynamoDonationStore(db, config.TABLE_NAME),
    staticWallets: new DynamoStaticWalletStore(db, config.TABLE_NAME),
    rates,
    networkFees: networkFeeStore,
    addresses: Object.keys(familyKeys).length > 0 ? new HdAddressAllocator(familyKeys, counters) : missing<AddressAllocator>('deposit addresses', 'EVM_XPUB'),
    queue: new SqsQueue(queueUrls, sqsSettings),
    nativeWatch: watchSignals,
    ledger: new DynamoLedger(db, config.TABLE_NAME),
    withdrawals: new DynamoWithdrawalStore(db, config.TABLE_NAME),
    payoutBatches: new DynamoPayoutBatchStore(db, config.TABLE_NAME),
    sweeps: new DynamoSweepStore(db, config.TABLE_NAME),
    chains,
    readChain,
    payments: new DynamoPaymentStore(db, config.TABLE_NAME),
    checkpoints: chainState,
    postbackLog: new DynamoPostbackLog(db, config.TABLE_NAME),
    transport: new GuardedTransport(network),
    signer: postbackSigner,
    deadLetters: new SqsDeadLetters(queueUrls, urlsOf(dlqUrlEnv), sqsSettings),
    cipher: new AesGcmCipher(() => (projectKey ? secrets.read(projectKey) : Promise.reject(new Error('project secrets need PROJECT_SECRETS_KEY_ARN (or PROJECT_SECRETS_KEY), which this function is not given')))),
    log,
    rateCounters: { memory: memoryRateCounter, table: new DynamoRateCounter(db, config.TABLE_NAME) },
    qr: qrSvg,
    posLinks: new DynamoPosLinkStore(db, config.TABLE_NAME, counters),
    totp: otplibTotp,
    secondFactors: new DynamoSecondFactorStore(db, config.TABLE_NAME),
    withdrawalWallets: new DynamoWithdrawalWalletStore(db, config.TABLE_NAME),
    withdrawalRules: new DynamoWithdrawalRuleStore(db, config.TABLE_NAME),
    audit: new DynamoAuditLog(db, config.TABLE_NAME),
    addressChecks: ADDRESS_CHECKS,
    // The local host when one runs in this process; else the ARN each function is given (access.startWorkflows).
    workflows: new RoutingWorkflowStarter(
      new StepFunctionsStarter(Object.fromEntries(workflowIds.map((id) => [id, { arn: config[stateMachineArnEnv(id)], variable: stateMachineArnEnv(id) }])) as StateMachineArns, { region: config.AWS_REGION }),
    ),
    settings: {
      // A getter: functions that render no link are not given PUBLIC_BASE_URL.
      get publicBaseUrl() {
        if (!config.PUBLIC_BASE_URL) throw new Error('payment links need PUBLIC_BASE_URL, which this function is not given (lib/manifest.ts access)');
        return config.PUBLIC_BASE_URL.replace(/\/$/, '');
      },
      rateLockMs: config.RATE_LOCK_MINUTES * MINUTE_MS,
      rateLimitsPerMinute: { browse: config.RATE_LIMIT_BROWSE_PER_MINUTE ?? rateLimits.browse.perMinute, create: config.RATE_LIMIT_CREATE_PER_MINUTE ?? rateLimits.create.perMinute },
      testWallet: config.LOCAL_TEST_WALLET,
      idempotencyTtlMs: config.IDEMPOTENCY_TTL_HOURS * HOUR_MS,
      withdrawalCoolingOffMs: config.WITHDRAWAL_COOLING_OFF_HOURS * HOUR_MS,
      sweepPolicy: sweepPolicyOf(config.SWEEP_MAX_FEE_SHARE, config.SWEEP_THRESHOLDS_JSON),
      postbacks: {
        timeoutMs: config.POSTBACK_TIMEOUT_MS,
        // The attempt count is the queue's maxReceiveCount (lib/manifest.ts), not a setting.
        retry: { attempts: queues.postbacks.maxReceiveCount, firstDelaySeconds: config.POSTBACK_RETRY_FIRST_SECONDS, maxDelaySeconds: config.POSTBACK_RETRY_MAX_SECONDS },
        secretGraceMs: config.POSTBACK_SECRET_GRACE_HOURS * HOUR_MS,
        network,
      },
    },
  };
  const adminTokenRef: SecretRef | null = config.ADMIN_TOKEN_SECRET_ARN
    ? { kind: 'aws', arn: config.ADMIN_TOKEN_SECRET_ARN }
    : config.ADMIN_TOKEN_SHA256
      ? { kind: 'literal', value: config.ADMIN_TOKEN_SHA256 }
      : null;
  return { deps, config, secrets, adminTokenRef, chainState, watchSignals, networkFeeStore };
}

/** Built on first use, from process.env. */
export function runtime(): Runtime {
  cached ??= buildRuntime(process.env);
  return cached;
}

/** Tests and the local runtime swap the environment between boots. */
export function resetRuntime(): void {
  cached = null;
}

/** What a chain watcher needs, from the same runtime (the schedule, the rescan route, tests). */
export function watcherDeps(chain: ChainId): WatcherDeps {
  const { deps, chainState } = runtime();
  const { watchSignals: signals } = runtime();
  return { clock: deps.clock, log: deps.log, reader: deps.readChain(chain), checkpoints: chainState, watched: chainState, payments: deps.payments, queue: deps.queue, native: signals, waits: signals };
}
