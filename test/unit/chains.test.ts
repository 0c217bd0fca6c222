import { describe, expect, it } from 'vitest';
import {
  type ChainDeployment,
  type ChainSettings,
  contractOf,
  currencyByContract,
  DEVNET_PROFILE,
  describeFinality,
  requiredFinality,
  resolveChainDeployments,
  servedCodes,
} from '../../shared/domain/chains';
import { CHAINS, type Confirmations, findCrypto } from '../../shared/domain/currencies';
import { ratio } from '../../shared/domain/money';
import type { Result } from '../../shared/domain/result';

const RPC = ['https://rpc.example/eth'];
const DEVNET_USDT = '0x5FbDB2315678afecb367f032d93F642f64180aa3';
const MAINNET = {
  ETH: null,
  USDT_ERC20: '0xdAC17F958D2ee523a2206206994597C13D831ec7',
  USDC_ERC20: '0xA0b86991c6218b36c1d19D4a2e9Eb0cE3606eB48',
  DAI_ERC20: '0x6B175474E89094C44Da98b954EedeAC495271d0F',
};

const unwrap = <T, E>(r: Result<T, E>): T => {
  if (!r.ok) throw new Error(`expected ok, got ${JSON.stringify(r.error)}`);
  return r.value;
};
const resolve = (settings: Record<string, ChainSettings>): ChainDeployment[] => unwrap(resolveChainDeployments(settings));
const resolveOne = (settings: ChainSettings, chain = 'ethereum'): ChainDeployment => resolve({ [chain]: settings })[0];
const served = (d: ChainDeployment) => Object.fromEntries(d.currencies.map((c) => [c.currency.code, c.contract]));
const errorsOf = (settings: Record<string, ChainSettings>) => {
  const out = resolveChainDeployments(settings);
  if (out.ok) throw new Error('expected errors');
  return out.error;
};

describe('resolveChainDeployments: mainnet', () => {
  it('a mainnet ethereum entry serves ETH, USDT, USDC and DAI from the registry contracts on chain id 1', () => {
    const d = resolveOne({ rpcUrls: RPC });
    expect(served(d)).toEqual(MAINNET);
    expect(d.currencies.map((c) => c.currency.code)).toEqual(['ETH', 'USDT_ERC20', 'USDC_ERC20', 'DAI_ERC20']);
    expect(d.currencies.map((c) => c.currency)).toEqual(['ETH', 'USDT_ERC20', 'USDC_ERC20', 'DAI_ERC20'].map((code) => findCrypto(code)));
    expect(d).toMatchObject({ chain: 'ethereum', name: 'Ethereum', evmChainId: 1, rpcUrls: RPC, blockTimeMs: 12_000, logScan: 'all', devnet: false });
  });

  it('a mainnet ethereum entry uses the registry confirmations: 12 blocks, finalized above 1000 USD', () => {
    const d = resolveOne({ rpcUrls: RPC });
    expect(d.confirmations).toEqual({ normal: { blocks: 12 }, large: { aboveUsd: '1000', rule: { tag: 'finalized' } } });
    expect(d.confirmations).toEqual(CHAINS.ethereum.confirmations);
  });

  it('every EVM chain resolves with its registry chain id and only its own codes', () => {
    for (const chain of Object.values(CHAINS).filter((c) => c.family === 'evm')) {
      const d = resolveOne({ rpcUrls: RPC }, chain.id);
      expect(d.evmChainId).toBe(chain.chainId);
      expect(d.confirmations).toEqual(chain.confirmations);
      expect(d.currencies.every((c) => c.currency.chain === chain.id)).toBe(true);
      expect(d.currencies.filter((c) => c.contract === null)).toHaveLength(1);
    }
  });

  it('a token entry on a mainnet overrides that contract and keeps the others', () => {
    const other = '0x' + 'c'.repeat(40);
    const d = resolveOne({ rpcUrls: RPC, tokens: { USDC_ERC20: other } });
    expect(served(d)).toEqual({ ...MAINNET, USDC_ERC20: other });
  });

  it('logScan defaults to all and can be narrowed to registry', () => {
    expect(resolveOne({ rpcUrls: RPC }).logScan).toBe('all');
    expect(resolveOne({ rpcUrls: RPC, logScan: 'registry' }).logScan).toBe('registry');
  });

  it('keeps the settings order and every RPC URL', () => {
    const urls = ['https://a.example', 'https://b.example'];
    const out = resolve({ bsc: { rpcUrls: urls }, ethereum: { rpcUrls: RPC } });
    expect(out.map((d) => d.chain)).toEqual(['bsc', 'ethereum']);
    expect(out[0].rpcUrls).toEqual(urls);
  });

  it('no settings resolve to no deployments', () => {
    expect(resolveChainDeployments({})).toEqual({ ok: true, value: [] });
  });
});

describe('resolveChainDeployments: devnet', () => {
  it('a devnet entry with one deployed token serves only ETH and that token, as chain id 31337 with 3 confirmations', () => {
    const d = resolveOne({ rpcUrls: ['http://127.0.0.1:8545'], devnet: true, tokens: { USDT_ERC20: DEVNET_USDT } });
    expect(served(d)).toEqual({ ETH: null, USDT_ERC20: DEVNET_USDT });
    expect(d).toMatchObject({ chain: 'ethereum', name: 'Local devnet (as Ethereum)', evmChainId: 31337, blockTimeMs: 1_000, devnet: true });
    expect(d.confirmations).toEqual({ normal: { blocks: 3 } });
    expect(d.confirmations).toEqual(DEVNET_PROFILE.confirmations);
  });

  it('a devnet entry with no tokens serves only the native coin', () => {
    expect(served(resolveOne({ rpcUrls: RPC, devnet: true }))).toEqual({ ETH: null });
  });

  it('devnet: false is a mainnet', () => {
    expect(resolveOne({ rpcUrls: RPC, devnet: false })).toMatchObject({ evmChainId: 1, devnet: false });
  });
});

describe('resolveChainDeployments: errors', () => {
  it('an unknown chain is an error', () => {
    expect(errorsOf({ solana: { rpcUrls: RPC } })).toEqual([{ chain: 'solana', message: expect.stringMatching(/^unknown chain; expected one of ethereum, bsc.*, tron$/) }]);
  });

  it('takes a testnet network id per chain, and API keys only for TronGrid', () => {
    const nile = resolveChainDeployments({ tron: { rpcUrls: RPC, chainId: 3448148188 } });
    expect(nile.ok && nile.value[0].evmChainId).toBe(3448148188);
    const mainnet = resolveChainDeployments({ tron: { rpcUrls: RPC, apiKeys: ['k'] } });
    expect(mainnet.ok && mainnet.value[0]).toMatchObject({ evmChainId: 728126428, apiKeys: ['k'] });
    expect(errorsOf({ ethereum: { rpcUrls: RPC, apiKeys: ['k'] } })).toEqual([{ chain: 'ethereum', message: 'apiKeys are sent only to TronGrid; an EVM provider takes its key in the RPC URL' }]);
  });

  it('tron is checked by its own family: base58 contracts, the solidified tag, no EVM tags', () => {
    expect(resolveChainDeployments({ tron: { rpcUrls: RPC } }).ok).toBe(true);
    expect(errorsOf({ tron: { rpcUrls: RPC, tokens: { USDT_TRC20: DEVNET_USDT } } })).toEqual([{ chain: 'tron', message: `USDT_TRC20: "${DEVNET_USDT}" is not a contract address` }]);
    expect(errorsOf({ tron: { rpcUrls: RPC, confirmations: { normal: { tag: 'safe' } } } })).toEqual([{ chain: 'tron', message: expect.stringContaining("Tron has no 'safe' block") }]);
    expect(errorsOf({ ethereum: { rpcUrls: RPC, confirmations: { normal: { tag: 'solidified' } } } })).toEqual([{ chain: 'ethereum', message: expect.stringContaining("Ethereum has no 'solidified' block") }]);
    expect(errorsOf({ tron: { rpcUrls: RPC, tokens: { USDT_ERC20: 'TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t' } } })).toEqual([{ chain: 'tron', message: 'USDT_ERC20 is not a TRC-20 code of tron' }]);
  });

  it('an inherited property name is not a chain', () => {
    expect(errorsOf({ toString: { rpcUrls: RPC } })).toMatchObject([{ chain: 'toString' }]);
  });

  it('empty rpcUrls is an error', () => {
    expect(errorsOf({ ethereum: { rpcUrls: [] } })).toEqual([{ chain: 'ethereum', message: 'at least one RPC URL is required' }]);
  });

  it('a token code of another chain is an error', () => {
    expect(errorsOf({ ethereum: { rpcUrls: RPC, tokens: { USDT_BSC: DEVNET_USDT } } })).toEqual([{ chain: 'ethereum', message: 'USDT_BSC is not an ERC-20 code of ethereum' }]);
  });

  it('the native code is not a token', () => {
    expect(errorsOf({ ethereum: { rpcUrls: RPC, devnet: true, tokens: { ETH: DEVNET_USDT } } })).toEqual([{ chain: 'ethereum', message: 'ETH is not an ERC-20 code of ethereum' }]);
  });

  it.each(['0x123', DEVNET_USDT.slice(2), DEVNET_USDT + '0', '0x' + 'g'.repeat(40), ''])('a malformed contract %j is an error', (contract) => {
    expect(errorsOf({ ethereum: { rpcUrls: RPC, tokens: { USDT_ERC20: contract } } })).toEqual([{ chain: 'ethereum', message: `USDT_ERC20: ${JSON.stringify(contract)} is not a contract address` }]);
  });

  it('reports every error together, across chains and tokens', () => {
    const errors = errorsOf({
      solana: { rpcUrls: RPC },
      bsc: { rpcUrls: [] },
      ethereum: { rpcUrls: RPC, devnet: true, tokens: { USDT_BSC: DEVNET_USDT, USDC_ERC20: '0x123', FOO: 'bar' } },
      polygon: { rpcUrls: RPC },
    });
    expect(errors.map((e) => e.chain)).toEqual(['solana', 'bsc', 'ethereum', 'ethereum', 'ethereum', 'ethereum']);
    expect(errors.slice(2).map((e) => e.message)).toEqual([
      'USDT_BSC is not an ERC-20 code of ethereum',
      'USDC_ERC20: "0x123" is not a contract address',
      'FOO is not an ERC-20 code of ethereum',
      'FOO: "bar" is not a contract address',
    ]);
  });
});

describe('resolveChainDeployments: confirmations', () => {
  const six: Confirmations = { normal: { blocks: 6 } };

  it('a confirmation override applies to its chain only', () => {
    const [eth, bsc] = resolve({ ethereum: { rpcUrls: RPC, confirmations: six }, bsc: { rpcUrls: RPC } });
    expect(eth.confirmations).toEqual(six);
    expect(bsc.confirmations).toEqual(CHAINS.bsc.confirmations);
  });

  it('a confirmation override beats the devnet profile', () => {
    const tagged: Confirmations = { normal: { tag: 'safe' }, large: { aboveUsd: '50', rule: { tag: 'finalized' } } };
    expect(resolveOne({ rpcUrls: RPC, devnet: true, confirmations: tagged }).confirmations).toEqual(tagged);
  });
});

describe('requiredFinality', () => {
  const eth = CHAINS.ethereum.confirmations;

  it('picks the large rule only strictly above the threshold', () => {
    expect(requiredFinality(eth, ratio(0n, 1n))).toEqual({ blocks: 12 });
    expect(requiredFinality(eth, ratio(1000n, 1n))).toEqual({ blocks: 12 });
    expect(requiredFinality(eth, ratio(100_001n, 100n))).toEqual({ tag: 'finalized' });
    expect(requiredFinality(eth, ratio(1_000_000n, 1n))).toEqual({ tag: 'finalized' });
  });

  it('reads a fractional threshold exactly', () => {
    const c: Confirmations = { normal: { blocks: 2 }, large: { aboveUsd: '1000.5', rule: { blocks: 20 } } };
    expect(requiredFinality(c, ratio(2001n, 2n))).toEqual({ blocks: 2 });
    expect(requiredFinality(c, ratio(100_051n, 100n))).toEqual({ blocks: 20 });
  });

  it('without a large rule, the normal rule at any amount', () => {
    expect(requiredFinality(CHAINS.bsc.confirmations, ratio(10n ** 12n, 1n))).toEqual({ blocks: 15 });
  });
});

describe('servedCodes', () => {
  it('lists the codes of all deployments in registry order', () => {
    const out = resolve({ bsc: { rpcUrls: RPC }, ethereum: { rpcUrls: RPC, devnet: true, tokens: { USDT_ERC20: DEVNET_USDT } } });
    expect(servedCodes(out)).toEqual(['ETH', 'USDT_ERC20', 'BNB', 'USDT_BSC', 'USDC_BSC', 'DAI_BSC']);
  });

  it('is empty for no deployments', () => {
    expect(servedCodes([])).toEqual([]);
  });
});

describe('currencyByContract and contractOf', () => {
  const mainnet = resolveOne({ rpcUrls: RPC });
  const devnet = resolveOne({ rpcUrls: RPC, devnet: true, tokens: { USDT_ERC20: DEVNET_USDT } });

  it('finds a served token whatever the case of its contract', () => {
    expect(currencyByContract(mainnet, MAINNET.USDT_ERC20)?.code).toBe('USDT_ERC20');
    expect(currencyByContract(mainnet, MAINNET.USDT_ERC20.toLowerCase())?.code).toBe('USDT_ERC20');
    expect(currencyByContract(mainnet, '0x' + MAINNET.USDC_ERC20.slice(2).toUpperCase())?.code).toBe('USDC_ERC20');
    expect(currencyByContract(devnet, DEVNET_USDT.toLowerCase())?.code).toBe('USDT_ERC20');
  });

  it('null is the native coin', () => {
    expect(currencyByContract(mainnet, null)?.code).toBe('ETH');
  });

  it('an unknown contract, or a mainnet contract on a devnet, is null', () => {
    expect(currencyByContract(mainnet, '0x' + 'f'.repeat(40))).toBeNull();
    expect(currencyByContract(devnet, MAINNET.USDC_ERC20)).toBeNull();
    expect(currencyByContract(devnet, MAINNET.USDT_ERC20)).toBeNull();
  });

  it('contractOf gives the contract, null for the native coin, undefined when not served', () => {
    expect(contractOf(devnet, 'USDT_ERC20')).toBe(DEVNET_USDT);
    expect(contractOf(devnet, 'ETH')).toBeNull();
    expect(contractOf(devnet, 'USDC_ERC20')).toBeUndefined();
    expect(contractOf(mainnet, 'USDT_BSC')).toBeUndefined();
  });
});

describe('describeFinality', () => {
  it('a block count reads as the number, a tag as the tag', () => {
    expect(describeFinality({ blocks: 12 })).toBe(12);
    expect(describeFinality({ tag: 'safe' })).toBe('safe');
    expect(describeFinality({ tag: 'finalized' })).toBe('finalized');
  });
});

describe('resolveChainDeployments: the disperse contract', () => {
  const CONTRACT = '0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512';
  it('names it on an EVM chain that configures one, and none otherwise (batches then pay one transfer per item)', () => {
    expect(resolveOne({ rpcUrls: RPC, disperseContract: CONTRACT }).disperseContract).toBe(CONTRACT);
    expect(resolveOne({ rpcUrls: RPC }).disperseContract).toBeNull();
  });

  it('refuses one on Tron and one that is not an address', () => {
    expect(errorsOf({ tron: { disperseContract: CONTRACT } })).toEqual([{ chain: 'tron', message: 'disperseContract: the disperse contract runs on EVM chains only' }]);
    expect(errorsOf({ ethereum: { disperseContract: '0x1234' } })).toEqual([{ chain: 'ethereum', message: 'disperseContract: "0x1234" is not a contract address' }]);
  });
});
