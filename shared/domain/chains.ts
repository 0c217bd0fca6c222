/**
 * Which chains this deployment watches, and how: the registry's published defaults (currencies.ts)
 * merged with the deployment's configuration (RPC URLs, confirmation overrides, and the local
 * devnet standing in for a chain). Pure: the configuration arrives as parsed data.
 */
import { CHAINS, type Chain, type ChainId, type Confirmations, CRYPTO_CURRENCIES, type CryptoCurrency, type FinalityRule } from './currencies';
import { compareRatio, type Ratio } from './money';
import { err, ok, type Result } from './result';

/**
 * The local devnet's profile: anvil's chain id, one block a second, 3 confirmations so a demo
 * completes in seconds.
 */
export const DEVNET_PROFILE = { chainId: 31337, blockTimeMs: 1_000, confirmations: { normal: { blocks: 3 } } satisfies Confirmations, name: 'Local devnet' };

/** How transfers are found in logs: every ERC-20 Transfer (finds fake tokens too) or only the registry's tokens. */
export type LogScan = 'all' | 'registry';

/** One chain as this deployment runs it. */
export type ChainDeployment = {
  chain: ChainId;
  name: string;
  /** EIP-155 id the RPC endpoints must report. */
  evmChainId: number;
  /** Inline URLs (the local runtime); empty when they come from the RPC secret (AWS). */
  rpcUrls: string[];
  blockTimeMs: number;
  confirmations: Confirmations;
  /** Codes served on this chain, with the contract each is read from (null: the native coin). */
  currencies: { currency: CryptoCurrency; contract: string | null }[];
  logScan: LogScan;
  devnet: boolean;
};

/** What an operator writes per chain (EVM_CHAINS_JSON), all optional. */
export type ChainSettings = {
  /** Inline only locally: on AWS the URLs (which carry API keys) live in a secret. */
  rpcUrls?: string[];
  /** Serve this chain's codes from the local devnet (chain id 31337, 3 confirmations). */
  devnet?: boolean;
  /** Contract per code: on a devnet the deployed test tokens; elsewhere an override. */
  tokens?: Record<string, string>;
  confirmations?: Confirmations;
  logScan?: LogScan;
};

export type ChainSettingsError = { chain: string; message: string };

const HEX_ADDRESS = /^0x[0-9a-fA-F]{40}$/;

export function resolveChainDeployments(settings: Record<string, ChainSettings>): Result<ChainDeployment[], ChainSettingsError[]> {
  const errors: ChainSettingsError[] = [];
  const out: ChainDeployment[] = [];
  for (const [id, s] of Object.entries(settings)) {
    const chain: Chain | undefined = Object.hasOwn(CHAINS, id) ? CHAINS[id as ChainId] : undefined;
    if (!chain || chain.family !== 'evm') {
      errors.push({ chain: id, message: `unknown EVM chain; expected one of ${Object.values(CHAINS).filter((c) => c.family === 'evm').map((c) => c.id).join(', ')}` });
      continue;
    }
    if (s.rpcUrls?.length === 0) {
      errors.push({ chain: id, message: 'at least one RPC URL is required' });
      continue;
    }
    const tokens = s.tokens ?? {};
    for (const [code, contract] of Object.entries(tokens)) {
      const known = CRYPTO_CURRENCIES.find((c) => c.code === code && c.chain === chain.id && c.contract !== null);
      if (!known) errors.push({ chain: id, message: `${code} is not an ERC-20 code of ${chain.id}` });
      if (!HEX_ADDRESS.test(contract)) errors.push({ chain: id, message: `${code}: ${JSON.stringify(contract)} is not a contract address` });
    }
    const devnet = s.devnet === true;
    // A devnet has none of the mainnet contracts: it serves its native coin and the tokens it deployed.
    const currencies = CRYPTO_CURRENCIES.filter((c) => c.chain === chain.id)
      .map((currency) => ({ currency, contract: currency.contract === null ? null : (tokens[currency.code] ?? (devnet ? undefined : currency.contract)) }))
      .filter((c): c is { currency: CryptoCurrency; contract: string | null } => c.contract !== undefined);
    out.push({
      chain: chain.id,
      name: devnet ? `${DEVNET_PROFILE.name} (as ${chain.name})` : chain.name,
      evmChainId: devnet ? DEVNET_PROFILE.chainId : chain.chainId,
      rpcUrls: s.rpcUrls ?? [],
      blockTimeMs: devnet ? DEVNET_PROFILE.blockTimeMs : chain.blockTimeMs,
      confirmations: s.confirmations ?? (devnet ? DEVNET_PROFILE.confirmations : chain.confirmations),
      currencies,
      logScan: s.logScan ?? 'all',
      devnet,
    });
  }
  return errors.length > 0 ? err(errors) : ok(out);
}

/** The codes a set of deployments serves, in registry order. */
export const servedCodes = (deployments: readonly ChainDeployment[]): string[] =>
  CRYPTO_CURRENCIES.filter((c) => deployments.some((d) => d.currencies.some((s) => s.currency.code === c.code))).map((c) => c.code);

/** The served currency a token contract (or the native coin, null) stands for on a chain. */
export function currencyByContract(deployment: ChainDeployment, contract: string | null): CryptoCurrency | null {
  const wanted = contract?.toLowerCase() ?? null;
  return deployment.currencies.find((c) => (c.contract?.toLowerCase() ?? null) === wanted)?.currency ?? null;
}

export const contractOf = (deployment: ChainDeployment, code: string): string | null | undefined =>
  deployment.currencies.find((c) => c.currency.code === code)?.contract;

/**
 * The depth a payment needs: the large-amount rule once its USD worth is above the tier,
 * otherwise the normal one.
 */
export function requiredFinality(confirmations: Confirmations, usdWorth: Ratio): FinalityRule {
  const large = confirmations.large;
  if (!large) return confirmations.normal;
  const [whole, frac = ''] = large.aboveUsd.split('.');
  const threshold: Ratio = { num: BigInt(whole + frac), den: 10n ** BigInt(frac.length) };
  return compareRatio(usdWorth, threshold) > 0 ? large.rule : confirmations.normal;
}

/** Whether a deployment's rules read the `safe` or `finalized` tags (so their heights must be fetched). */
export const usesFinalityTags = (confirmations: Confirmations): boolean => [confirmations.normal, confirmations.large?.rule].some((r) => r !== undefined && 'tag' in r);

/** `12`, `safe` or `finalized`: how a rule reads in API answers. */
export const describeFinality = (rule: FinalityRule): number | 'safe' | 'finalized' => ('blocks' in rule ? rule.blocks : rule.tag);
