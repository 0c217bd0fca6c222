import { describe, expect, it } from 'vitest';
import { CHAINS, CRYPTO_CURRENCIES, ENABLED_CRYPTO_CODES, findCrypto } from '../../shared/domain/currencies';

describe('currency registry', () => {
  it('covers every CryptoCloud code on the chains plan (DESIGN §6)', () => {
    const planned = ['TRX', 'USDT_TRC20', 'USDD_TRC20', 'ETH', 'USDT_ERC20', 'USDC_ERC20', 'DAI_ERC20', 'BNB', 'USDT_BSC', 'USDC_BSC', 'DAI_BSC', 'ETH_ARB', 'USDT_ARB', 'USDC_ARB', 'DAI_ARB', 'ETH_OPT', 'USDT_OPT', 'USDC_OPT', 'DAI_OPT', 'ETH_BASE', 'USDC_BASE', 'DAI_BASE'];
    for (const code of planned) expect(findCrypto(code), code).toBeDefined();
  });

  it('gives each entry decimals, chain, contract and confirmations, with unique codes and ids', () => {
    const codes = new Set(CRYPTO_CURRENCIES.map((c) => c.code));
    const ids = new Set(CRYPTO_CURRENCIES.map((c) => c.cryptocloudId));
    expect(codes.size).toBe(CRYPTO_CURRENCIES.length);
    expect(ids.size).toBe(CRYPTO_CURRENCIES.length);
    for (const c of CRYPTO_CURRENCIES) {
      expect(c.decimals).toBeGreaterThan(0);
      expect(CHAINS[c.chain].confirmations.normal).toBeDefined();
      if (c.contract && CHAINS[c.chain].family === 'evm') expect(c.contract).toMatch(/^0x[0-9a-fA-F]{40}$/);
      if (c.contract && CHAINS[c.chain].family === 'tron') expect(c.contract).toMatch(/^T[1-9A-HJ-NP-Za-km-z]{33}$/);
    }
    expect(findCrypto('USDT_ERC20')).toMatchObject({ decimals: 6, contract: '0xdAC17F958D2ee523a2206206994597C13D831ec7' });
    expect(findCrypto('USDT_BSC')?.decimals).toBe(18);
  });

  it('follows published confirmation practice', () => {
    expect(CHAINS.ethereum.confirmations).toEqual({ normal: { blocks: 12 }, large: { aboveUsd: '1000', rule: { tag: 'finalized' } } });
    expect(CHAINS.bsc.confirmations.normal).toEqual({ blocks: 15 });
    expect(CHAINS.polygon.confirmations.normal).toEqual({ blocks: 128 });
    for (const l2 of ['arbitrum', 'optimism', 'base'] as const) expect(CHAINS[l2].confirmations.normal).toEqual({ tag: 'safe' });
  });

  it('enables every chain family this build can serve, Tron included', () => {
    expect(ENABLED_CRYPTO_CODES).toContain('USDT_ERC20');
    for (const code of ['TRX', 'USDT_TRC20', 'USDD_TRC20']) expect(ENABLED_CRYPTO_CODES).toContain(code);
    expect(CHAINS.tron.confirmations).toEqual({ normal: { tag: 'solidified' } });
  });
});
