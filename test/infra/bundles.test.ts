/**
 * Each function bundles only what its own handlers import (issue 11, "Bundles"). The bundles are
 * built as the stack builds them (bench/bundles.ts: esbuild with lib/infra's FUNCTION_BUNDLING)
 * and read two ways: the modules esbuild put in (its metafile), and marker strings of the
 * deployed text, each unique to one chain reader.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildAllBundles, type FunctionBundle, packageOf } from '../../bench/bundles';
import { httpGroups, namedFunctions } from '../../lib/manifest';

const ROOT = join(import.meta.dirname, '..', '..');

/** A string each reader's code carries and nothing else does (an endpoint or a header it sends). */
const MARKERS = {
  evmReader: { text: 'eth_getTransactionReceipt', source: 'shared/adapters/chains/evm/evm-reader.ts' },
  tronReader: { text: '/wallet/gettransactioninfobyblocknum', source: 'shared/adapters/chains/tron/tron-reader.ts' },
  tronGrid: { text: 'TRON-PRO-API-KEY', source: 'shared/adapters/chains/tron/trongrid-client.ts' },
} as const;

/** The modules of each reader (JSON-RPC and TronGrid clients included). */
const EVM_READER_MODULES = ['shared/adapters/chains/evm/evm-reader.ts', 'shared/adapters/chains/evm/json-rpc.ts', 'functions/kit/chains-evm.ts'];
const TRON_READER_MODULES = ['shared/adapters/chains/tron/tron-reader.ts', 'shared/adapters/chains/tron/trongrid-client.ts', 'functions/kit/chains-tron.ts'];

/**
 * The Tron deposit deriver (base58 of the same secp256k1 derivation) is wired by the shared
 * composition root (functions/kit/deps.ts) into every function that builds the runtime; it
 * reads no chain. Its weight is bounded here so it cannot grow into a Tron adapter unnoticed.
 */
const TRON_DERIVER = 'shared/adapters/chains/tron/address.ts';
const TRON_DERIVER_BYTES_MAX = 2_000;

const bundles = new Map<string, FunctionBundle>();
const bundle = (id: string) => {
  const found = bundles.get(id);
  if (!found) throw new Error(`no bundle ${id}`);
  return found;
};
const ids = () => [...bundles.keys()].sort();
const modulesOf = (id: string) => [...bundle(id).modules.keys()];
const carries = (id: string, modules: readonly string[]) => modulesOf(id).some((m) => modules.includes(m));
const whoCarries = (test: (id: string) => boolean) => ids().filter(test);

beforeAll(async () => {
  for (const b of await buildAllBundles()) bundles.set(b.id, b);
}, 120_000);

describe('function bundles', () => {
  it('builds one bundle per function of the manifest, and each marker names its own source', () => {
    expect(ids()).toEqual(namedFunctions().map((f) => f.id).sort());
    for (const { text, source } of Object.values(MARKERS)) expect(readFileSync(join(ROOT, source), 'utf8'), source).toContain(text);
  });

  it('carries tronweb only in the workers that sign Tron transfers (sweeps, withdrawals and mass payouts)', () => {
    const signers = new Set(['payout-batch-worker', 'sweep-worker', 'withdrawal-worker']);
    for (const id of ids()) if (!signers.has(id)) expect(modulesOf(id).filter((m) => packageOf(m) === 'tronweb'), id).toEqual([]);
  });

  it('gives the API functions no ethers providers (deriving from the xpub needs none)', () => {
    for (const id of Object.keys(httpGroups)) {
      expect(modulesOf(id).filter((m) => m.startsWith('node_modules/ethers/lib.esm/providers/')), id).toEqual([]);
      // Nor the wallet classes that inherit the provider base classes, nor their keystore cipher.
      expect(modulesOf(id).filter((m) => m.startsWith('node_modules/ethers/lib.esm/wallet/') || packageOf(m) === 'aes-js'), id).toEqual([]);
    }
  });

  it('gives the pages, public, wallet and health functions no chain reader at all', () => {
    for (const id of ['pages', 'public', 'wallet', 'health']) {
      expect(carries(id, [...EVM_READER_MODULES, ...TRON_READER_MODULES]), id).toBe(false);
      for (const { text } of Object.values(MARKERS)) expect(bundle(id).code.includes(text), `${id}: ${text}`).toBe(false);
    }
  });

  it('gives the Tron reader only to the Tron watcher, crediting, the attach-tx route groups (they verify on chain) the sweep and withdrawal workers (depth of their transfers) and reconciliation (balances)', () => {
    const tronReaders = ['admin', 'crediting', 'invoices', 'network-fees', 'payout-batch-worker', 'reconciliation', 'sweep-worker', 'tron-watcher', 'withdrawal-worker'];
    expect(whoCarries((id) => carries(id, TRON_READER_MODULES))).toEqual(tronReaders);
    // Reconciliation reads balances through the TronGrid client, not the block reader; network-fees its prices.
    expect(whoCarries((id) => bundle(id).code.includes(MARKERS.tronReader.text))).toEqual(tronReaders.filter((id) => id !== 'reconciliation' && id !== 'network-fees'));
    expect(whoCarries((id) => bundle(id).code.includes(MARKERS.tronGrid.text))).toEqual(tronReaders);
    // The EVM reader likewise: the EVM watcher and the same three, never the Tron watcher.
    const evmReaders = ['admin', 'chain-watcher', 'crediting', 'invoices', 'payout-batch-worker', 'sweep-worker', 'withdrawal-worker'];
    // Reconciliation shares the JSON-RPC client (balances), not the block reader.
    expect(whoCarries((id) => carries(id, EVM_READER_MODULES))).toEqual([...evmReaders, 'network-fees', 'reconciliation'].sort());
    expect(whoCarries((id) => bundle(id).code.includes(MARKERS.evmReader.text))).toEqual(evmReaders);
  });

  it('gives the EVM watcher no Tron code: no reader, no TronGrid client, no tronweb', () => {
    const tron = modulesOf('chain-watcher').filter((m) => /(^|\/)tron/i.test(m) && m !== TRON_DERIVER);
    expect(tron).toEqual([]);
    for (const marker of [MARKERS.tronReader.text, MARKERS.tronGrid.text]) expect(bundle('chain-watcher').code).not.toContain(marker);
    for (const id of ids()) expect(bundle(id).modules.get(TRON_DERIVER) ?? 0, id).toBeLessThan(TRON_DERIVER_BYTES_MAX);
  });
});
