/**
 * The README's currency table is the generator's output (npm run docs:currencies), so it cannot
 * drift from the registry. It sits between `<!-- currencies:start -->` and
 * `<!-- currencies:end -->`.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { currencyTable, README_CHAINS_JSON } from '../../lib/docs/currency-table';
import { CRYPTO_CURRENCIES } from '../../shared/domain/currencies';

const README = readFileSync(join(import.meta.dirname, '..', '..', 'README.md'), 'utf8');
const between = /<!-- currencies:start -->\n([\s\S]*?)<!-- currencies:end -->/.exec(README);

describe('currency table', () => {
  it('README.md between the currencies markers is `npm run docs:currencies` (regenerate and paste on a change)', () => {
    expect(between, 'README.md has no <!-- currencies:start --> … <!-- currencies:end --> block').not.toBeNull();
    expect(between?.[1].trim()).toBe(currencyTable().trim());
  });

  it('has a row per registry currency with its code, chain, contract, decimals, confirmations and why', () => {
    const table = currencyTable(README_CHAINS_JSON);
    const rows = table.split('\n').filter((l) => l.startsWith('| ') && !l.startsWith('| Code') && !l.startsWith('| ---'));
    expect(rows.map((r) => r.split(' | ')[0].slice(2))).toEqual(CRYPTO_CURRENCIES.map((c) => c.code));
    expect(rows).toContain('| USDT_ERC20 | Ethereum | `0xdAC17F958D2ee523a2206206994597C13D831ec7` | 6 | 12; finalized above 1000 USD | yes | served |');
    expect(rows).toContain('| BNB | BNB Smart Chain | (native coin) | 18 | 15 | no | chain not in ChainsJson |');
    expect(rows).toContain('| TRX | Tron | (native coin) | 6 | solidified | yes | served |');
  });

  it('follows the ChainsJson it is given: a devnet serves only the tokens it deployed', () => {
    const table = currencyTable('{"ethereum":{"devnet":true,"tokens":{"USDT_ERC20":"0x5fbdb2315678afecb367f032d93f642f64180aa3"}}}');
    expect(table).toContain('| USDT_ERC20 | Ethereum | `0x5fbdb2315678afecb367f032d93f642f64180aa3` | 6 | 12; finalized above 1000 USD | yes | served (contract from ChainsJson tokens) |');
    expect(table).toContain('| USDC_ERC20 | Ethereum | `0xA0b86991c6218b36c1d19D4a2e9Eb0cE3606eB48` | 6 | 12; finalized above 1000 USD | no | no token contract on this chain (devnet: not deployed) |');
    expect(() => currencyTable('{"solana":{}}')).toThrow(/solana: unknown chain/);
  });
});
