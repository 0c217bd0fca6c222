/**
 * One schema for every environment variable, parsed once per cold start; all problems are
 * reported together (STYLE §9). CDK sets these from the manifest; the local runtime sets them
 * from lib/local/dev-defaults.ts.
 *
 * On AWS each function gets only the settings its manifest `access` names (least privilege), so
 * what one function needs and another lacks is optional here; functions/kit/deps.ts refuses, with
 * the variable's name, the first use of a part whose setting is missing.
 */
import * as z from 'zod';
import {
  type baseVariables,
  dlqUrlEnv,
  type QueueEnvName,
  queueIds,
  queueUrlEnv,
  type StateMachineEnvName,
  type secretVariables,
  type settingVariables,
  stateMachineArnEnv,
  workflowIds,
} from '../lib/manifest';

/** The queue and state machine variables' names, for adapters that report a missing one (they do not import lib/). */
export { dlqUrlEnv, queueUrlEnv, stateMachineArnEnv };
import type { ChainFamily } from './domain/currencies';
import { POSTBACK_RETRY, POSTBACK_TIMEOUT_MS_DEFAULT, SECRET_GRACE_MS_DEFAULT } from './domain/postbacks';
import { COOLING_OFF_HOURS_DEFAULT } from './domain/withdrawal-wallet';

const optionalUrl = z.url().optional();

const finalityRule = z.union([z.object({ blocks: z.number().int().min(1).max(10_000) }), z.object({ tag: z.enum(['safe', 'finalized', 'solidified']) })]);
/**
 * Per chain, the same shape for every family: endpoints (several for fallback), API keys where
 * the provider wants a header (TronGrid), and optional overrides. See README "Chains".
 */
export const ChainSettingsSchema = z.record(
  z.string(),
  z.object({
    /** The chain's endpoints (EVM JSON-RPC, TronGrid HTTP). Inline only locally and in tests: on AWS they come from the endpoints secret (RPC_URLS_SECRET_ARN). */
    rpcUrls: z.array(z.url()).min(1).optional(),
    /** Sent as TRON-PRO-API-KEY (Tron), rotated with the URLs. Inline only locally, like the URLs. */
    apiKeys: z.array(z.string().min(1).max(200)).min(1).optional(),
    devnet: z.boolean().optional(),
    /** The network the endpoints must serve, when not the registry's (a testnet: Sepolia 11155111, Tron Nile 3448148188). */
    chainId: z.number().int().positive().optional(),
    tokens: z.record(z.string(), z.string()).optional(),
    confirmations: z.object({ normal: finalityRule, large: z.object({ aboveUsd: z.string().regex(/^\d+(\.\d+)?$/), rule: finalityRule }).optional() }).optional(),
    logScan: z.enum(['all', 'registry']).optional(),
    /** USD per code: the network fee a payment bears when the merchant's side pays it (registry defaults otherwise). */
    transferFeeUsd: z.record(z.string(), z.string().regex(/^\d{1,6}(\.\d{1,6})?$/)).optional(),
    /** EVM: the TollgateDisperse contract the hot wallet pays mass payouts through (`tollgate chain deploy-disperse`). */
    disperseContract: z.string().optional(),
  }),
);
const jsonOf = <T extends z.ZodType>(schema: T) =>
  z.string().transform((text, ctx): z.infer<T> => {
    try {
      const parsed = schema.safeParse(JSON.parse(text));
      if (parsed.success) return parsed.data;
      ctx.addIssue({ code: 'custom', message: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') });
    } catch {
      ctx.addIssue({ code: 'custom', message: 'is not valid JSON' });
    }
    return z.NEVER;
  });

/**
 * The endpoints secret's value (URLs and keys are provider credentials): per chain a list of URLs,
 * or `{urls, apiKeys}` where the provider takes a key header (TronGrid).
 */
export const RpcUrlsSchema = z.record(
  z.string(),
  z.union([z.array(z.url()).min(1).transform((urls) => ({ urls, apiKeys: [] as string[] })), z.object({ urls: z.array(z.url()).min(1), apiKeys: z.array(z.string().min(1)).default([]) })]),
);

/** QUEUE_URL_<ID> and QUEUE_URL_<ID>_DLQ for every queue of the manifest, each optional. */
const queueUrlEntries = Object.fromEntries(queueIds.flatMap((id) => [queueUrlEnv(id), dlqUrlEnv(id)].map((name) => [name, z.string().min(1).optional()]))) as Record<
  QueueEnvName,
  z.ZodOptional<z.ZodString>
>;

/** STATE_MACHINE_ARN_<WORKFLOW> for every workflow of the manifest, each optional (only the functions that start it get it). */
const stateMachineEntries = Object.fromEntries(workflowIds.map((id) => [stateMachineArnEnv(id), z.string().min(1).optional()])) as Record<StateMachineEnvName, z.ZodOptional<z.ZodString>>;

/** The hot wallets' public addresses per chain: {"ethereum": "0x...", "tron": "T..."}. Public, no key. */
export const HotWalletsSchema = z.record(z.string().min(1).max(40), z.string().min(1).max(128));
/** Minimum hot wallet reserves per chain, in whole coins of the chain's native currency (a decimal string). */
export const HotWalletMinReserveSchema = z.record(z.string().min(1).max(40), z.string().regex(/^\d{1,20}(\.\d{1,18})?$/, 'a decimal amount of the native coin, e.g. "0.05"'));

export const ConfigSchema = z
  .object({
    SERVICE_NAME: z.string().default('tollgate'),
    AWS_REGION: z.string().default('us-east-1'),
    TABLE_NAME: z.string().min(3),
    DYNAMODB_ENDPOINT: optionalUrl,
    SQS_ENDPOINT: optionalUrl,
    /** A queue's URL for the functions that send to or consume it; its DLQ's for those that redrive it. */
    ...queueUrlEntries,
    /** A state machine's ARN, for the functions that start its executions (AWS; the local host needs none). */
    ...stateMachineEntries,
    POSTBACK_TIMEOUT_MS: z.coerce.number().int().min(100).max(30_000).default(POSTBACK_TIMEOUT_MS_DEFAULT),
    /** Backoff before the 2nd attempt; it doubles up to POSTBACK_RETRY_MAX_SECONDS. */
    POSTBACK_RETRY_FIRST_SECONDS: z.coerce.number().int().min(0).max(43_200).default(POSTBACK_RETRY.firstDelaySeconds),
    POSTBACK_RETRY_MAX_SECONDS: z.coerce.number().int().min(0).max(43_200).default(POSTBACK_RETRY.maxDelaySeconds),
    POSTBACK_SECRET_GRACE_HOURS: z.coerce.number().min(0).max(24 * 30).default(SECRET_GRACE_MS_DEFAULT / 3_600_000),
    /**
     * Postbacks to 127.0.0.1/::1/localhost: refused unless set. Only the local runtime sets it, for
     * its demo receiver; private, link-local and metadata addresses stay refused regardless.
     */
    POSTBACK_ALLOW_LOOPBACK: z.enum(['true', 'false']).default('false').transform((v) => v === 'true'),
    /**
     * Postbacks to LAN addresses (10/8, 172.16/12, 192.168/16, fc00::/7): the local runtime's
     * override (TOLLGATE_POSTBACK_ALLOW_PRIVATE=1) for a shop on the LAN or in a container.
     * Link-local (cloud metadata) and every other range stay refused; refused inside Lambda.
     */
    POSTBACK_ALLOW_PRIVATE: z.enum(['true', 'false']).default('false').transform((v) => v === 'true'),
    /** Set by the Lambda runtime itself: marks a deployed function (local-only settings are refused there). */
    AWS_LAMBDA_FUNCTION_NAME: z.string().optional(),
    /** {"ethereum": {...}, "tron": {...}}: the chains this deployment watches, every family in one shape. */
    CHAINS_JSON: jsonOf(ChainSettingsSchema).optional(),
    /** Deprecated name of CHAINS_JSON (EVM only, before Tron): still read when CHAINS_JSON is not set. */
    EVM_CHAINS_JSON: jsonOf(ChainSettingsSchema).optional(),
    /** On AWS: the secret holding the chains' endpoints (RpcUrlsSchema), read only by the functions that read chains. */
    RPC_URLS_SECRET_ARN: z.string().optional(),
    /** Deprecated name of RPC_URLS_SECRET_ARN. */
    EVM_RPC_URLS_SECRET_ARN: z.string().optional(),
    RPC_TIMEOUT_MS: z.coerce.number().int().positive().default(8_000),
    PUBLIC_BASE_URL: z.url().optional(),
    /** Account-level extended public keys, one per family (EVM m/44'/60'/0', Tron m/44'/195'/0'). Public: deposit derivation only. */
    EVM_XPUB: z.string().startsWith('xpub', 'EVM_XPUB must be an extended public key (xpub...)').optional(),
    TRON_XPUB: z.string().startsWith('xpub', 'TRON_XPUB must be an extended public key (xpub...)').optional(),
    RATES_MODE: z.enum(['live', 'fixed']).default('live'),
    /** For RATES_MODE=fixed: JSON object of USD per unit, e.g. {"ETH":"3000","EUR":"1.08"}. */
    RATES_FIXED_JSON: z.string().default('{}'),
    RATES_COINBASE_URL: z.url().default('https://api.coinbase.com'),
    RATES_BINANCE_URL: z.url().default('https://api.binance.com'),
    RATES_EXCHANGERATE_URL: z.url().default('https://open.er-api.com'),
    RATES_TIMEOUT_MS: z.coerce.number().int().positive().default(2_000),
    RATES_MAX_AGE_MS: z.coerce.number().int().positive().default(300_000),
    RATE_LOCK_MINUTES: z.coerce.number().int().min(1).max(1440).default(30),
    /** Per client IP and minute; defaults in lib/manifest.ts rateLimits. */
    RATE_LIMIT_BROWSE_PER_MINUTE: z.coerce.number().int().positive().optional(),
    RATE_LIMIT_CREATE_PER_MINUTE: z.coerce.number().int().positive().optional(),
    /** Set by the local runtime only: the payment page offers its devnet wallet for test invoices. */
    LOCAL_TEST_WALLET: z.enum(['true', 'false']).default('false').transform((v) => v === 'true'),
    IDEMPOTENCY_TTL_HOURS: z.coerce.number().int().min(1).max(168).default(24),
    /**
     * Hours a withdrawal wallet waits after it is added or its address changes before it may
     * receive funds (default 24): time to notice a change nobody meant. 0 only for tests and demos.
     */
    WITHDRAWAL_COOLING_OFF_HOURS: z.coerce.number().min(0).max(24 * 30).default(COOLING_OFF_HOURS_DEFAULT),
    /**
     * The most a sweep's network fee (USD: the currency's transferFeeUsd, plus the native coin's
     * for a token's gas top-up) may be of the deposit's worth; smaller deposits wait (default 0.05).
     */
    SWEEP_MAX_FEE_SHARE: z.string().regex(/^(0(\.\d{1,6})?|1(\.0{1,6})?)$/).default('0.05'),
    /** Per currency code, the same share: e.g. {"ETH":"0.02","USDT_TRC20":"0.1"}. */
    SWEEP_THRESHOLDS_JSON: jsonOf(z.record(z.string().regex(/^[A-Z0-9_]{2,20}$/), z.string().regex(/^(0(\.\d{1,6})?|1(\.0{1,6})?)$/))).default({}),
    /** 32 bytes, base64: locally a literal, on AWS a Secrets Manager ARN. */
    PROJECT_SECRETS_KEY: z.string().optional(),
    PROJECT_SECRETS_KEY_ARN: z.string().optional(),
    /** sha256 hex of the admin token (local), or the ARN of the secret holding the token (AWS). */
    ADMIN_TOKEN_SHA256: z.string().regex(/^[0-9a-f]{64}$/).optional(),
    ADMIN_TOKEN_SECRET_ARN: z.string().optional(),
    /** The BIP39 mnemonic that signs: a literal locally (devnet only), the ARN of its secret on AWS; only the sweep and withdrawal workers get either. */
    MNEMONIC: z.string().optional(),
    MNEMONIC_SECRET_ARN: z.string().optional(),
    /** The hot wallets' addresses, for functions that check their balances without signing (reconciliation). */
    HOT_WALLETS_JSON: jsonOf(HotWalletsSchema).optional(),
    /** The least native coin each hot wallet should hold for fees, in whole coins per chain ({"ethereum": "0.1", "tron": "100"}); unset chains keep HOT_WALLET_MIN_RESERVE_DEFAULTS. */
    HOT_WALLET_MIN_RESERVE_JSON: jsonOf(HotWalletMinReserveSchema).optional(),
    /** Set by the stack: whether its AlarmEmail parameter names an address (`tollgate project go-live`); unset where there is no stack (null). */
    ALARM_EMAIL_CONFIGURED: z.enum(['true', 'false']).optional().transform((v) => (v === undefined ? null : v === 'true')),
    LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error', 'silent']).default('info'),
    /** json: one structured line per event (Lambda, and anything that reads logs); pretty: `npm start`'s readable lines. */
    LOG_FORMAT: z.enum(['json', 'pretty']).default('json'),
  })
  .refine((c) => !(c.CHAINS_JSON && c.EVM_CHAINS_JSON), { message: 'set CHAINS_JSON only: EVM_CHAINS_JSON is its deprecated name', path: ['EVM_CHAINS_JSON'] })
  .refine((c) => !(c.RPC_URLS_SECRET_ARN && c.EVM_RPC_URLS_SECRET_ARN), { message: 'set RPC_URLS_SECRET_ARN only: EVM_RPC_URLS_SECRET_ARN is its deprecated name', path: ['EVM_RPC_URLS_SECRET_ARN'] })
  .refine((c) => !(c.POSTBACK_ALLOW_PRIVATE && c.AWS_LAMBDA_FUNCTION_NAME), { message: 'postbacks to private addresses are a local-runtime override only: unset POSTBACK_ALLOW_PRIVATE on AWS', path: ['POSTBACK_ALLOW_PRIVATE'] })
  // Loopback inside Lambda is the Runtime API (127.0.0.1:9001) and extensions' ports: never a merchant's listener.
  .refine((c) => !(c.POSTBACK_ALLOW_LOOPBACK && c.AWS_LAMBDA_FUNCTION_NAME), { message: 'postbacks to loopback are a local-runtime override only: unset POSTBACK_ALLOW_LOOPBACK on AWS', path: ['POSTBACK_ALLOW_LOOPBACK'] })
  .transform(({ CHAINS_JSON, EVM_CHAINS_JSON, RPC_URLS_SECRET_ARN, EVM_RPC_URLS_SECRET_ARN, ...rest }) => ({
    ...rest,
    CHAINS_JSON: CHAINS_JSON ?? EVM_CHAINS_JSON ?? {},
    RPC_URLS_SECRET_ARN: RPC_URLS_SECRET_ARN ?? EVM_RPC_URLS_SECRET_ARN,
    /** Which variable named the chains, for messages (a deployment may still use the old name). */
    chainsVariable: CHAINS_JSON || !EVM_CHAINS_JSON ? 'CHAINS_JSON' : 'EVM_CHAINS_JSON',
  }))
  .superRefine((c, ctx) => {
    // Plain environment is readable by whoever can read the function's configuration.
    if (c.RPC_URLS_SECRET_ARN && !Object.values(c.CHAINS_JSON).every((s) => !s.rpcUrls && !s.apiKeys)) {
      ctx.addIssue({ code: 'custom', path: [c.chainsVariable], message: 'RPC URLs carry provider API keys: with the endpoints secret (RPC_URLS_SECRET_ARN) set, URLs and API keys belong in that secret' });
    }
  });

export type Config = z.infer<typeof ConfigSchema>;

/** The variable holding each family's account xpub: what an operator is told to set when one is missing. */
export const XPUB_VARIABLES = { evm: 'EVM_XPUB', tron: 'TRON_XPUB' } as const satisfies Record<ChainFamily, keyof Config>;

/** Compile-time: every variable the manifest hands a function is one this schema parses. */
type ManifestVariable =
  | (typeof baseVariables)[number]
  | (typeof settingVariables)[keyof typeof settingVariables][number]
  | (typeof secretVariables)[keyof typeof secretVariables]
  | StateMachineEnvName;
const _manifestVariablesParsed: readonly (keyof z.input<typeof ConfigSchema>)[] = [] as ManifestVariable[];
void _manifestVariablesParsed;

export function loadConfig(env: Record<string, string | undefined>): Config {
  const parsed = ConfigSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.') || '(env)'}: ${i.message}`).join('; ');
    throw new Error(`invalid configuration: ${problems}`);
  }
  return parsed.data;
}
