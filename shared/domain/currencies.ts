/**
 * The currency registry: the one source of truth for fiat codes, chains and crypto codes
 * (STYLE §1.5). Codes are CryptoCloud's (reference §4) so a shop's integration uses the same
 * codes here as there. Contracts are the real mainnet ones; the local runtime maps the
 * `ethereum` chain onto its devnet instead.
 */

/** CryptoCloud's 25 creation currencies, with ISO 4217 minor units. */
export const FIAT_MINOR_UNITS = {
  USD: 2, UZS: 2, KGS: 2, KZT: 2, AMD: 2, AZN: 2, BYN: 2, AUD: 2, TRY: 2, AED: 2, CAD: 2, CNY: 2,
  HKD: 2, IDR: 2, INR: 2, JPY: 0, PHP: 2, SGD: 2, THB: 2, VND: 0, MYR: 2, RUB: 2, UAH: 2, EUR: 2,
  GBP: 2,
} as const;
export type FiatCode = keyof typeof FIAT_MINOR_UNITS;
export const FIAT_CODES = Object.keys(FIAT_MINOR_UNITS) as FiatCode[];
export const isFiatCode = (code: string): code is FiatCode => Object.hasOwn(FIAT_MINOR_UNITS, code);

export type ChainFamily = 'evm' | 'tron';
export type ChainId = 'ethereum' | 'bsc' | 'arbitrum' | 'optimism' | 'base' | 'polygon' | 'tron';

/**
 * How deep a transfer must be before it is credited. `blocks` counts confirmations; a tag
 * defers to the chain's own finality: EVM's `safe` and `finalized`, Tron's `solidified` (a block
 * two thirds of the super representatives have built on, about a minute; chain-families.ts). Above `largeAboveUsd` the stricter
 * rule applies (published practice: deep reorgs are only worth attacking for large amounts).
 */
export const FINALITY_TAGS = ['safe', 'finalized', 'solidified'] as const;
export type FinalityTag = (typeof FINALITY_TAGS)[number];
export type FinalityRule = { blocks: number } | { tag: FinalityTag };
export type Confirmations = { normal: FinalityRule; large?: { aboveUsd: string; rule: FinalityRule } };

export type Chain = {
  id: ChainId;
  family: ChainFamily;
  /** EIP-155 chain id (Tron: its own network id). */
  chainId: number;
  name: string;
  blockTimeMs: number;
  confirmations: Confirmations;
  /** CryptoCloud's network object (reference §1.11); ids are theirs where known. */
  network: { id: number; code: string; fullname: string };
  /** Whether this build can watch and credit the chain. */
  enabled: boolean;
};

const tiered = (blocks: number): Confirmations => ({
  normal: { blocks },
  large: { aboveUsd: '1000', rule: { tag: 'finalized' } },
});
const safeThenFinal: Confirmations = {
  normal: { tag: 'safe' },
  large: { aboveUsd: '1000', rule: { tag: 'finalized' } },
};

export const CHAINS: Record<ChainId, Chain> = {
  ethereum: { id: 'ethereum', family: 'evm', chainId: 1, name: 'Ethereum', blockTimeMs: 12_000, confirmations: tiered(12), network: { id: 3, code: 'ERC20', fullname: 'Ethereum' }, enabled: true },
  bsc: { id: 'bsc', family: 'evm', chainId: 56, name: 'BNB Smart Chain', blockTimeMs: 3_000, confirmations: { normal: { blocks: 15 } }, network: { id: 20, code: 'BSC', fullname: 'BNB Smart Chain' }, enabled: true },
  arbitrum: { id: 'arbitrum', family: 'evm', chainId: 42161, name: 'Arbitrum One', blockTimeMs: 250, confirmations: safeThenFinal, network: { id: 21, code: 'ARB', fullname: 'Arbitrum One' }, enabled: true },
  optimism: { id: 'optimism', family: 'evm', chainId: 10, name: 'Optimism', blockTimeMs: 2_000, confirmations: safeThenFinal, network: { id: 22, code: 'OPT', fullname: 'Optimism' }, enabled: true },
  base: { id: 'base', family: 'evm', chainId: 8453, name: 'Base', blockTimeMs: 2_000, confirmations: safeThenFinal, network: { id: 23, code: 'BASE', fullname: 'Base' }, enabled: true },
  polygon: { id: 'polygon', family: 'evm', chainId: 137, name: 'Polygon PoS', blockTimeMs: 2_000, confirmations: { normal: { blocks: 128 } }, network: { id: 24, code: 'POLYGON', fullname: 'Polygon' }, enabled: true },
  tron: { id: 'tron', family: 'tron', chainId: 728126428, name: 'Tron', blockTimeMs: 3_000, confirmations: { normal: { tag: 'solidified' } }, network: { id: 4, code: 'TRC20', fullname: 'Tron' }, enabled: true },
};

/** The symbol a price feed quotes (ETH on Arbitrum is still ETH). */
export type PriceSymbol = 'ETH' | 'BNB' | 'POL' | 'TRX' | 'USDT' | 'USDC' | 'DAI' | 'USDD';
/** Stablecoins are priced at par with USD; a depeg is not modelled (see README). */
export const USD_PEGGED: ReadonlySet<PriceSymbol> = new Set(['USDT', 'USDC', 'DAI', 'USDD']);

export type CryptoCurrency = {
  code: string;
  /** CryptoCloud's short ticker (`currency.code` in invoice objects). */
  ticker: PriceSymbol;
  name: string;
  chain: ChainId;
  /** null for the chain's native coin. */
  contract: string | null;
  decimals: number;
  priceSymbol: PriceSymbol;
  stablecoin: boolean;
  /** Estimated cost to sweep one deposit to the hot wallet, in USD: the `fee` of an invoice. */
  transferFeeUsd: string;
  /** CryptoCloud's numeric currency id where known (reference §4), else ours from 100 up. */
  cryptocloudId: number;
  /** CryptoCloud's display order. */
  order: number;
  /** True when the code is ours, not CryptoCloud's (CryptoCloud lists no Polygon codes). */
  nativeExtension?: boolean;
};

type Row = [code: string, ticker: PriceSymbol, chain: ChainId, contract: string | null, decimals: number, feeUsd: string, id: number];
const NAMES: Record<PriceSymbol, string> = { ETH: 'Ethereum', BNB: 'BNB', POL: 'Polygon', TRX: 'Tron', USDT: 'Tether', USDC: 'USD Coin', DAI: 'Dai', USDD: 'USDD' };

// Sweep fee estimates: an ERC-20 transfer on L1 plus the gas top-up, far less on L2s; Tron's
// 1.4 USD is CryptoCloud's published figure.
const ROWS: Row[] = [
  ['USDT_TRC20', 'USDT', 'tron', 'TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t', 6, '1.4', 4],
  ['TRX', 'TRX', 'tron', null, 6, '0.3', 10],
  ['USDD_TRC20', 'USDD', 'tron', 'TXDk8mbtRbXeYuMNS83CfKPaYYT8XWv9Hz', 18, '1.4', 11],
  ['ETH', 'ETH', 'ethereum', null, 18, '0.5', 3],
  ['USDT_ERC20', 'USDT', 'ethereum', '0xdAC17F958D2ee523a2206206994597C13D831ec7', 6, '1.5', 5],
  ['USDC_ERC20', 'USDC', 'ethereum', '0xA0b86991c6218b36c1d19D4a2e9Eb0cE3606eB48', 6, '1.5', 6],
  ['DAI_ERC20', 'DAI', 'ethereum', '0x6B175474E89094C44Da98b954EedeAC495271d0F', 18, '1.5', 12],
  ['BNB', 'BNB', 'bsc', null, 18, '0.05', 20],
  ['USDT_BSC', 'USDT', 'bsc', '0x55d398326f99059fF775485246999027B3197955', 18, '0.1', 13],
  ['USDC_BSC', 'USDC', 'bsc', '0x8AC76a51cc950d9822D68b83fE1Ad97B32Cd580d', 18, '0.1', 14],
  ['DAI_BSC', 'DAI', 'bsc', '0x1AF3F329e8BE154074D8769D1FFa4eE058B1DBc3', 18, '0.1', 15],
  ['ETH_ARB', 'ETH', 'arbitrum', null, 18, '0.02', 16],
  ['USDT_ARB', 'USDT', 'arbitrum', '0xFd086bC7CD5C481DCC9C85ebE478A1C0b69FCbb9', 6, '0.05', 17],
  ['USDC_ARB', 'USDC', 'arbitrum', '0xaf88d065e77c8cC2239327C5EDb3A432268e5831', 6, '0.05', 18],
  ['DAI_ARB', 'DAI', 'arbitrum', '0xDA10009cBd5D07dd0CeCc66161FC93D7c9000da1', 18, '0.05', 19],
  ['ETH_OPT', 'ETH', 'optimism', null, 18, '0.02', 21],
  ['USDT_OPT', 'USDT', 'optimism', '0x94b008aA00579c1307B0EF2c499aD98a8ce58e58', 6, '0.05', 22],
  ['USDC_OPT', 'USDC', 'optimism', '0x0b2C639c533813f4Aa9D7837CAf62653d097Ff85', 6, '0.05', 23],
  ['DAI_OPT', 'DAI', 'optimism', '0xDA10009cBd5D07dd0CeCc66161FC93D7c9000da1', 18, '0.05', 24],
  ['ETH_BASE', 'ETH', 'base', null, 18, '0.02', 25],
  ['USDC_BASE', 'USDC', 'base', '0x833589fCD6eDb6E08f4c7C32D4f71b54bdA02913', 6, '0.05', 26],
  ['DAI_BASE', 'DAI', 'base', '0x50c5725949A6F0c72E6C4a641F24049A917DB0Cb', 18, '0.05', 27],
  ['POL', 'POL', 'polygon', null, 18, '0.02', 101],
  ['USDT_POLYGON', 'USDT', 'polygon', '0xc2132D05D31c914a87C6611C10748AEb04B58e8F', 6, '0.05', 102],
  ['USDC_POLYGON', 'USDC', 'polygon', '0x3c499c542cEF5E3811e1192ce70d8cC03d5c3359', 6, '0.05', 103],
  ['DAI_POLYGON', 'DAI', 'polygon', '0x8f3Cf7ad23Cd3CaDbD9735AFf958023239c6A063', 18, '0.05', 104],
];

export const CRYPTO_CURRENCIES: readonly CryptoCurrency[] = ROWS.map(
  ([code, ticker, chain, contract, decimals, transferFeeUsd, cryptocloudId], index) => ({
    code,
    ticker,
    name: NAMES[ticker],
    chain,
    contract,
    decimals,
    priceSymbol: ticker,
    stablecoin: USD_PEGGED.has(ticker),
    transferFeeUsd,
    cryptocloudId,
    order: index + 1,
    ...(chain === 'polygon' ? { nativeExtension: true } : {}),
  }),
);

const BY_CODE = new Map(CRYPTO_CURRENCIES.map((c) => [c.code, c]));

export const findCrypto = (code: string): CryptoCurrency | undefined => BY_CODE.get(code.toUpperCase());
export const isEnabledInBuild = (c: CryptoCurrency): boolean => CHAINS[c.chain].enabled;
export const ENABLED_CRYPTO_CODES: readonly string[] = CRYPTO_CURRENCIES.filter(isEnabledInBuild).map((c) => c.code);

/** The chain's own coin (ETH, BNB, POL, TRX): what its network fees are paid in. */
export const nativeCurrencyOf = (chain: ChainId): CryptoCurrency => {
  const native = CRYPTO_CURRENCIES.find((c) => c.chain === chain && c.contract === null);
  if (!native) throw new Error(`invariant: the registry has no native coin for ${chain}`);
  return native;
};
