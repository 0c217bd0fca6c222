/**
 * Embedded defaults for the local runtime: per-data-folder secrets (generated once, kept under
 * the data folder, devnet only) and the environment the handlers read, validated by the same
 * schema as on AWS (shared/config.ts).
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { HDNodeWallet, Mnemonic } from 'ethers';
import { tronAddressFromEvm } from '../../shared/adapters/chains/tron/address';
import { sha256Hex } from '../../shared/adapters/ids';
import { loadConfig } from '../../shared/config';
import { type QueueId, queueEnvironment } from '../manifest';
import { CHAIN_FAMILIES } from '../../shared/domain/chain-families';
import type { ChainSettings } from '../../shared/domain/chains';
import { CHAINS, type ChainFamily, type ChainId } from '../../shared/domain/currencies';

export const DEFAULT_PORT = 3000;
export const DEFAULT_DATA_DIR = '.tollgate';

/** USD per unit for the fixed-rate provider: round numbers so demo amounts are easy to read. */
export const DEVNET_RATES: Record<string, string> = {
  ETH: '3000', BNB: '600', POL: '0.5', TRX: '0.25',
  EUR: '1.08', GBP: '1.27', RUB: '0.011', UAH: '0.024', UZS: '0.000079', KGS: '0.0115', KZT: '0.002',
  AMD: '0.0026', AZN: '0.588', BYN: '0.31', AUD: '0.66', TRY: '0.029', AED: '0.2723', CAD: '0.73',
  CNY: '0.138', HKD: '0.128', IDR: '0.000063', INR: '0.012', JPY: '0.0067', PHP: '0.017', SGD: '0.74',
  THB: '0.028', VND: '0.000039', MYR: '0.22',
};

export type LocalSecrets = {
  /** Devnet only: deposit addresses of this data folder derive from it. */
  mnemonic: string;
  adminToken: string;
  /** Encrypts project secret keys at rest (base64, 32 bytes). */
  projectSecretsKey: string;
};

export const secretsPath = (dataDir: string) => join(dataDir, 'secrets.json');
export const runtimePath = (dataDir: string) => join(dataDir, 'runtime.json');
export const lockPath = (dataDir: string) => join(dataDir, 'gateway.lock');
export const demoPath = (dataDir: string) => join(dataDir, 'demo-project.json');
export const demoInvoicePath = (dataDir: string) => join(dataDir, 'demo-invoice.json');
export const devnetStatePath = (dataDir: string) => join(dataDir, 'devnet', 'anvil-state.json');

/** The Tron part of `devnet info`: the TronGrid simulator and its funded payer. */
export type TronDevnetInfo = {
  /** The simulator's base URL (TronGrid's HTTP API; its control API under /_simulator/). */
  api_url: string;
  payer_address: string;
  /** Hex with 0x, as tronweb's `privateKey` takes it without the prefix. */
  payer_private_key: string;
  /** The simulator's own TRC-20 contracts, by code (local, not mainnet's). */
  tokens: Record<string, string>;
};

/**
 * What `tollgate devnet info --json` prints: how to pay on the local chains. The top-level RPC and
 * payer fields are the EVM devnet's (anvil, standing in for Ethereum); `codes` and `tokens` cover
 * every local chain; `tron` is the TronGrid simulator standing in for Tron.
 */
export type DevnetInfo = {
  rpc_url: string;
  chain_id: number;
  chain: string;
  codes: string[];
  tokens: Record<string, string>;
  payer_private_key: string;
  payer_address: string;
  /** The mass payout contract on the EVM devnet (CHAINS_JSON disperseContract of `ethereum`). */
  disperse_contract?: string;
  tron?: TronDevnetInfo;
};

/** The devnet stands in for Ethereum and the TronGrid simulator for Tron, so a shop uses the same codes locally and in production. */
export function devnetChainSettings(
  devnet: { rpcUrl: string; tokens: Record<string, string>; disperseContract?: string },
  tron?: { apiUrl: string; tokens: Record<string, string> },
): Record<string, ChainSettings> {
  return {
    // The disperse contract the devnet engine deployed: mass payouts of its tokens take one transaction.
    ethereum: { rpcUrls: [devnet.rpcUrl], devnet: true, tokens: devnet.tokens, ...(devnet.disperseContract ? { disperseContract: devnet.disperseContract } : {}) },
    ...(tron ? { tron: { rpcUrls: [tron.apiUrl], devnet: true, tokens: tron.tokens } } : {}),
  };
}

export function loadOrCreateSecrets(dataDir: string): LocalSecrets {
  mkdirSync(dataDir, { recursive: true });
  const path = secretsPath(dataDir);
  if (existsSync(path)) return JSON.parse(readFileSync(path, 'utf8')) as LocalSecrets;
  const secrets: LocalSecrets = {
    mnemonic: Mnemonic.fromEntropy(randomBytes(16)).phrase,
    adminToken: `tga_${randomBytes(32).toString('base64url')}`,
    projectSecretsKey: randomBytes(32).toString('base64'),
  };
  writeFileSync(path, JSON.stringify(secrets, null, 2), { mode: 0o600 });
  return secrets;
}

/** The account xpub the API functions get; the mnemonic itself never reaches them. */
export const accountXpub = (mnemonic: string, family: ChainFamily) => HDNodeWallet.fromPhrase(mnemonic, undefined, CHAIN_FAMILIES[family].accountPath).neuter().extendedKey;
export const evmAccountXpub = (mnemonic: string) => accountXpub(mnemonic, 'evm');

/** The hot wallet of each family (its own path, apart from every deposit address), as the senders derive it. */
export function hotWalletAddresses(mnemonic: string): Record<ChainFamily, string> {
  const evmOf = (family: ChainFamily) => HDNodeWallet.fromPhrase(mnemonic, undefined, CHAIN_FAMILIES[family].hotWalletPath).address;
  return { evm: evmOf('evm'), tron: tronAddressFromEvm(evmOf('tron')) };
}

/** HOT_WALLETS_JSON for the served chains: each chain's family's hot wallet. */
export function hotWalletsByChain(mnemonic: string, chains: readonly string[]): Record<string, string> {
  const hot = hotWalletAddresses(mnemonic);
  return Object.fromEntries(chains.filter((c): c is ChainId => Object.hasOwn(CHAINS, c)).map((c) => [c, hot[CHAINS[c].family]]));
}

export function localEnvironment(input: {
  port: number;
  tableName: string;
  dynamoEndpoint: string;
  sqsEndpoint: string;
  queueUrls: Record<QueueId, { url: string; dlqUrl: string }>;
  /** CHAINS_JSON: the devnet standing in for Ethereum, the TronGrid simulator for Tron. */
  chains: Record<string, ChainSettings>;
  secrets: LocalSecrets;
  overrides?: Record<string, string | undefined>;
}): Record<string, string> {
  const env: Record<string, string | undefined> = {
    SERVICE_NAME: 'tollgate-local',
    AWS_REGION: 'us-east-1',
    TABLE_NAME: input.tableName,
    DYNAMODB_ENDPOINT: input.dynamoEndpoint,
    SQS_ENDPOINT: input.sqsEndpoint,
    // One process hosts every function locally, so it gets every queue and every DLQ.
    ...queueEnvironment(input.queueUrls),
    // The demo's receivers listen on this machine; private and metadata addresses stay refused.
    POSTBACK_ALLOW_LOOPBACK: 'true',
    // LAN addresses only through the documented override (TOLLGATE_POSTBACK_ALLOW_PRIVATE=1, lib/local/gateway.ts).
    POSTBACK_ALLOW_PRIVATE: 'false',
    LOCAL_TEST_WALLET: 'true',
    CHAINS_JSON: JSON.stringify(input.chains),
    PUBLIC_BASE_URL: `http://localhost:${input.port}`,
    EVM_XPUB: evmAccountXpub(input.secrets.mnemonic),
    TRON_XPUB: accountXpub(input.secrets.mnemonic, 'tron'),
    // One process hosts every function locally; only the sweep and withdrawal workers read it (functions/kit/chain-senders.ts).
    MNEMONIC: input.secrets.mnemonic,
    // The hot wallets' public addresses, for reconciliation and `tollgate wallet hot` (which never read the mnemonic).
    HOT_WALLETS_JSON: JSON.stringify(hotWalletsByChain(input.secrets.mnemonic, Object.keys(input.chains))),
    RATES_MODE: 'fixed',
    RATES_FIXED_JSON: JSON.stringify(DEVNET_RATES),
    PROJECT_SECRETS_KEY: input.secrets.projectSecretsKey,
    ADMIN_TOKEN_SHA256: sha256Hex(input.secrets.adminToken),
    LOG_LEVEL: 'info',
    // A person reads this terminal: one line per event that matters (LOG_FORMAT=json for everything).
    LOG_FORMAT: 'pretty',
    ...Object.fromEntries(Object.entries(input.overrides ?? {}).filter(([, v]) => v !== undefined && v !== '')),
  };
  const clean = Object.fromEntries(Object.entries(env).filter((e): e is [string, string] => e[1] !== undefined));
  loadConfig(clean); // fail at boot, with every problem listed, not at the first request
  return clean;
}

/** The devnet's RPC port of this data folder, kept so a wallet pointed at it keeps working across restarts. */
export const devnetPortPath = (dataDir: string) => join(dataDir, 'devnet', 'rpc-port.json');
