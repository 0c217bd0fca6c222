/**
 * What differs between chain families, as data: how addresses and transaction hashes are written
 * and compared, which finality tags a family's nodes answer, where deposit keys are derived, and
 * what a wallet scans. Everything chain-specific in the core reads this table; a third family is
 * one more row and one adapter (shared/adapters/chains/<family>), not a hunt through the code.
 *
 * Checksums (EIP-55, base58check) need hashing, so adapters verify them at the edge; here the
 * shapes are checked and values put in their one comparable form.
 */
import { CHAINS, type ChainFamily, type ChainId, type CryptoCurrency, type FinalityTag } from './currencies';

export type ChainFamilyRules = {
  /** A well-formed address (checksum verified by the family's adapter). */
  addressPattern: RegExp;
  /** EVM hex is case-insensitive (EIP-55 case is only a checksum); base58 is case-sensitive. */
  addressCase: 'insensitive' | 'exact';
  /** A transaction hash as the family writes it, after `normalizeTxHash`. */
  txHashPattern: RegExp;
  /** The tags this family's nodes answer; a rule naming another tag is refused in configuration. */
  finalityTags: readonly FinalityTag[];
  /** The account-level path of the deployment's deposit xpub; deposits are its `0/i`. */
  accountPath: string;
  /**
   * The hot wallet's key: account 1' of the family's coin type, so it sits apart from the deposit
   * account (0') and no deposit index, however large, can ever be the hot wallet.
   */
  hotWalletPath: string;
  /** The token standard with its article, as messages say it. */
  tokenStandard: string;
  /**
   * What moving a deposit on to the hot wallet later costs, in the family's own resources: gas on
   * EVM; energy and bandwidth on Tron (a TRC-20 transfer to an address that already holds the
   * token burns about 65,000 energy; a TRX transfer only bandwidth). Recorded on each offer so the
   * sweep planner can budget it (funds out).
   */
  sweepCost: { native: SweepEstimate; token: SweepEstimate };
};

/** Resource name to amount, e.g. `{ gas: 65000 }` or `{ energy: 65000, bandwidth: 345 }`. */
export type SweepEstimate = Readonly<Record<string, number>>;

export const CHAIN_FAMILIES: Record<ChainFamily, ChainFamilyRules> = {
  evm: {
    addressPattern: /^0x[0-9a-fA-F]{40}$/,
    addressCase: 'insensitive',
    txHashPattern: /^0x[0-9a-f]{64}$/,
    finalityTags: ['safe', 'finalized'],
    accountPath: "m/44'/60'/0'",
    hotWalletPath: "m/44'/60'/1'/0/0",
    tokenStandard: 'an ERC-20',
    sweepCost: { native: { gas: 21_000 }, token: { gas: 65_000 } },
  },
  tron: {
    addressPattern: /^T[1-9A-HJ-NP-Za-km-z]{33}$/,
    addressCase: 'exact',
    txHashPattern: /^[0-9a-f]{64}$/,
    finalityTags: ['solidified'],
    accountPath: "m/44'/195'/0'",
    hotWalletPath: "m/44'/195'/1'/0/0",
    tokenStandard: 'a TRC-20',
    sweepCost: { native: { energy: 0, bandwidth: 268 }, token: { energy: 65_000, bandwidth: 345 } },
  },
};

export const familyOf = (chain: ChainId): ChainFamily => CHAINS[chain].family;
export const rulesOf = (chain: ChainId): ChainFamilyRules => CHAIN_FAMILIES[familyOf(chain)];

/** The one comparable form of an address on a chain: what maps, keys and equality use. */
export const addressKey = (chain: ChainId, address: string): string => (rulesOf(chain).addressCase === 'insensitive' ? address.toLowerCase() : address);

export const sameAddress = (chain: ChainId, a: string, b: string): boolean => addressKey(chain, a) === addressKey(chain, b);

/** Contracts compare like addresses; null is the native coin. */
export const sameContract = (chain: ChainId, a: string | null, b: string | null): boolean => (a === null || b === null ? a === b : sameAddress(chain, a, b));

export const isAddressShape = (chain: ChainId, text: string): boolean => rulesOf(chain).addressPattern.test(text);

/**
 * A transaction hash as the chain writes it, or null when it cannot be one: EVM `0x` + 64 hex,
 * Tron 64 hex without a prefix. Case and a stray (or missing) `0x` are forgiven, since people
 * paste hashes from explorers that print them either way.
 */
export function normalizeTxHash(chain: ChainId, text: string): string | null {
  const bare = text.trim().toLowerCase().replace(/^0x/, '');
  if (!/^[0-9a-f]{64}$/.test(bare)) return null;
  const hash = familyOf(chain) === 'evm' ? `0x${bare}` : bare;
  return rulesOf(chain).txHashPattern.test(hash) ? hash : null;
}

/** The resources sweeping one deposit of this currency is expected to need. */
export const sweepEstimateOf = (currency: CryptoCurrency): SweepEstimate => rulesOf(currency.chain).sweepCost[currency.contract === null ? 'native' : 'token'];
