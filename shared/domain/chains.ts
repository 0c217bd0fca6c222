/**
 * Which chains this deployment watches, and how: the registry's published defaults (currencies.ts)
 * merged with the deployment's configuration (endpoints, confirmation overrides, fees, and the
 * local stand-in for a chain: anvil, the TronGrid simulator). Pure: the configuration arrives as parsed data.
 */
import { CHAIN_FAMILIES, sameContract } from './chain-families';
import { CHAINS, type Chain, type ChainFamily, type ChainId, type Confirmations, CRYPTO_CURRENCIES, type CryptoCurrency, type FinalityRule, type FinalityTag } from './currencies';
import { compareRatio, type Ratio } from './money';
import { err, ok, type Result } from './result';

/**
 * What stands in for a chain locally, per family: anvil for EVM (its chain id, one block a
 * second), the TronGrid simulator for Tron (a block every 3 s). Three confirmations, so a demo
 * completes in seconds; the simulator's solidified height works too when configured.
 */
export const DEVNET_PROFILES: Record<ChainFamily, { chainId: number; blockTimeMs: number; confirmations: Confirmations; name: string }> = {
  evm: { chainId: 31337, blockTimeMs: 1_000, confirmations: { normal: { blocks: 3 } }, name: 'Local devnet' },
  tron: { chainId: CHAINS.tron.chainId, blockTimeMs: 3_000, confirmations: { normal: { blocks: 3 } }, name: 'TronGrid simulator' },
};
/** The EVM devnet's profile (anvil). */
export const DEVNET_PROFILE = DEVNET_PROFILES.evm;

/** How transfers are found in logs: every token Transfer (finds fake tokens too) or only the registry's tokens. */
export type LogScan = 'all' | 'registry';

/** One chain as this deployment runs it. */
export type ChainDeployment = {
  chain: ChainId;
  family: ChainFamily;
  name: string;
  /** The network id the endpoints must report (EIP-155 on EVM; Tron's own). */
  evmChainId: number;
  /** Inline URLs (the local runtime); empty when they come from the endpoints secret (AWS). */
  rpcUrls: string[];
  /** Inline API keys (TronGrid), rotated with the URLs; empty when none or in the secret. */
  apiKeys: string[];
  blockTimeMs: number;
  confirmations: Confirmations;
  /** Codes served on this chain, with the contract each is read from (null: the native coin) and the fee a merchant-side payment bears. */
  currencies: { currency: CryptoCurrency; contract: string | null; transferFeeUsd: string }[];
  logScan: LogScan;
  devnet: boolean;
  /** The mass payout contract (lib/contracts/TollgateDisperse.sol) on this EVM chain; null: batches pay one transfer per item. */
  disperseContract: string | null;
};

/** What an operator writes per chain (CHAINS_JSON), all optional; the same shape for every family. */
export type ChainSettings = {
  /** The chain's endpoints. Inline only locally: on AWS the URLs (which carry API keys) live in a secret. */
  rpcUrls?: string[];
  /** API keys sent as a header where the provider wants one (TronGrid). */
  apiKeys?: string[];
  /** Serve this chain's codes from the local stand-in (anvil, the TronGrid simulator). */
  devnet?: boolean;
  /** The network id the endpoints must serve instead of the registry's: a testnet (Tron Nile 3448148188, Sepolia 11155111). */
  chainId?: number;
  /** Contract per code: on a devnet the deployed test tokens; elsewhere an override. */
  tokens?: Record<string, string>;
  confirmations?: Confirmations;
  logScan?: LogScan;
  /** Network fee per code in USD (registry's `transferFeeUsd` otherwise). */
  transferFeeUsd?: Record<string, string>;
  /** EVM: the deployed TollgateDisperse contract (`tollgate chain deploy-disperse`); mass payouts of tokens then take one transaction per currency. */
  disperseContract?: string;
};

export type ChainSettingsError = { chain: string; message: string };

const rulesOfConfirmations = (c: Confirmations): FinalityRule[] => [c.normal, ...(c.large ? [c.large.rule] : [])];

export function resolveChainDeployments(settings: Record<string, ChainSettings>): Result<ChainDeployment[], ChainSettingsError[]> {
  const errors: ChainSettingsError[] = [];
  const out: ChainDeployment[] = [];
  for (const [id, s] of Object.entries(settings)) {
    const chain: Chain | undefined = Object.hasOwn(CHAINS, id) ? CHAINS[id as ChainId] : undefined;
    if (!chain?.enabled) {
      errors.push({ chain: id, message: `unknown chain; expected one of ${Object.values(CHAINS).filter((c) => c.enabled).map((c) => c.id).join(', ')}` });
      continue;
    }
    const family = CHAIN_FAMILIES[chain.family];
    if (s.rpcUrls?.length === 0) {
      errors.push({ chain: id, message: 'at least one RPC URL is required' });
      continue;
    }
    // Only TronGrid takes its key in a header; an EVM provider's key is part of its URL.
    if (s.apiKeys && chain.family === 'evm') errors.push({ chain: id, message: 'apiKeys are sent only to TronGrid; an EVM provider takes its key in the RPC URL' });
    const tokens = s.tokens ?? {};
    for (const [code, contract] of Object.entries(tokens)) {
      const known = CRYPTO_CURRENCIES.find((c) => c.code === code && c.chain === chain.id && c.contract !== null);
      if (!known) errors.push({ chain: id, message: `${code} is not ${family.tokenStandard} code of ${chain.id}` });
      if (!family.addressPattern.test(contract)) errors.push({ chain: id, message: `${code}: ${JSON.stringify(contract)} is not a contract address` });
    }
    for (const [code, fee] of Object.entries(s.transferFeeUsd ?? {})) {
      if (!CRYPTO_CURRENCIES.some((c) => c.code === code && c.chain === chain.id)) errors.push({ chain: id, message: `transferFeeUsd: ${code} is not a code of ${chain.id}` });
      if (!/^\d{1,6}(\.\d{1,6})?$/.test(fee)) errors.push({ chain: id, message: `transferFeeUsd: ${code}: ${JSON.stringify(fee)} is not a USD amount` });
    }
    if (s.disperseContract !== undefined) {
      if (chain.family !== 'evm') errors.push({ chain: id, message: 'disperseContract: the disperse contract runs on EVM chains only' });
      else if (!family.addressPattern.test(s.disperseContract)) errors.push({ chain: id, message: `disperseContract: ${JSON.stringify(s.disperseContract)} is not a contract address` });
    }
    const devnet = s.devnet === true;
    const profile = DEVNET_PROFILES[chain.family];
    const confirmations = s.confirmations ?? (devnet ? profile.confirmations : chain.confirmations);
    for (const rule of rulesOfConfirmations(confirmations)) {
      if ('tag' in rule && !family.finalityTags.includes(rule.tag)) {
        errors.push({ chain: id, message: `confirmations: ${chain.name} has no '${rule.tag}' block; use a number of blocks or one of ${family.finalityTags.map((t) => `'${t}'`).join(', ')}` });
      }
    }
    // A devnet has none of the mainnet contracts: it serves its native coin and the tokens it deployed.
    const currencies = CRYPTO_CURRENCIES.filter((c) => c.chain === chain.id).flatMap((currency) => {
      const contract = currency.contract === null ? null : (tokens[currency.code] ?? (devnet ? undefined : currency.contract));
      return contract === undefined ? [] : [{ currency, contract, transferFeeUsd: s.transferFeeUsd?.[currency.code] ?? currency.transferFeeUsd }];
    });
    out.push({
      chain: chain.id,
      family: chain.family,
      name: devnet ? `${profile.name} (as ${chain.name})` : chain.name,
      evmChainId: devnet ? profile.chainId : (s.chainId ?? chain.chainId),
      rpcUrls: s.rpcUrls ?? [],
      apiKeys: s.apiKeys ?? [],
      blockTimeMs: devnet ? profile.blockTimeMs : chain.blockTimeMs,
      confirmations,
      currencies,
      logScan: s.logScan ?? 'all',
      devnet,
      disperseContract: s.disperseContract ?? null,
    });
  }
  return errors.length > 0 ? err(errors) : ok(out);
}

/** The codes a set of deployments serves, in registry order. */
export const servedCodes = (deployments: readonly ChainDeployment[]): string[] =>
  CRYPTO_CURRENCIES.filter((c) => deployments.some((d) => d.currencies.some((s) => s.currency.code === c.code))).map((c) => c.code);

/** The served currency a token contract (or the native coin, null) stands for on a chain. */
export function currencyByContract(deployment: ChainDeployment, contract: string | null): CryptoCurrency | null {
  return deployment.currencies.find((c) => sameContract(deployment.chain, c.contract, contract))?.currency ?? null;
}

/** A served code's currency with this deployment's network fee for it (CHAINS_JSON `transferFeeUsd`); null when not served. */
export function servedCurrency(deployments: readonly ChainDeployment[], code: string): CryptoCurrency | null {
  for (const d of deployments) {
    const served = d.currencies.find((c) => c.currency.code === code);
    if (served) return { ...served.currency, transferFeeUsd: served.transferFeeUsd };
  }
  return null;
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

const sameRule = (a: FinalityRule, b: FinalityRule): boolean => ('blocks' in a ? 'blocks' in b && a.blocks === b.blocks : 'tag' in b && a.tag === b.tag);

/**
 * The stricter of two of a chain's rules: its large-amount rule if either is it, else the deeper
 * block count, else `a`. A payment's rule may rise (its customer's deposit grew) but never fall.
 */
export function stricterRule(confirmations: Confirmations, a: FinalityRule, b: FinalityRule): FinalityRule {
  const large = confirmations.large?.rule;
  if (large && (sameRule(a, large) || sameRule(b, large))) return large;
  if ('blocks' in a && 'blocks' in b) return a.blocks >= b.blocks ? a : b;
  return a;
}

/** The finality tags a deployment's rules read (so their heights must be fetched), each once. */
export const finalityTagsUsed = (confirmations: Confirmations): FinalityTag[] => [
  ...new Set([confirmations.normal, confirmations.large?.rule].flatMap((r) => (r && 'tag' in r ? [r.tag] : []))),
];

/** `12`, `safe`, `finalized` or `solidified`: how a rule reads in API answers. */
export const describeFinality = (rule: FinalityRule): number | FinalityTag => ('blocks' in rule ? rule.blocks : rule.tag);
