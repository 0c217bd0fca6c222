/**
 * What reconciliation and the hot wallet view read besides Deps: read-only balance readers per
 * chain (over the same endpoints as the chain readers), the unswept deposits, the hot wallets'
 * public addresses and the reserve minimums. Never the mnemonic: a hot wallet's address is a
 * setting (HOT_WALLETS_JSON), which the local runtime derives for its devnet.
 */
import { EvmBalanceReader } from '../../shared/adapters/chains/evm/evm-balances';
import { JsonRpcClient, RPC_DEFAULTS } from '../../shared/adapters/chains/evm/json-rpc';
import { TronBalanceReader } from '../../shared/adapters/chains/tron/tron-balances';
import { TronGridClient } from '../../shared/adapters/chains/tron/trongrid-client';
import { makeDocumentClient } from '../../shared/adapters/dynamo/client';
import { DynamoUnsweptDeposits } from '../../shared/adapters/dynamo/unswept-deposits';
import type { ChainDeployment } from '../../shared/domain/chains';
import { type ChainId, nativeCurrencyOf } from '../../shared/domain/currencies';
import { HOT_WALLET_MIN_RESERVE_DEFAULTS, reserveUnits } from '../../shared/domain/reconciliation';
import type { ChainBalanceReader, ReconciliationReaders } from '../../shared/ports/reconciliation';
import { endpointSource, type Runtime, runtime } from './deps';

function balanceReaderFor(rt: Runtime, deployment: ChainDeployment): ChainBalanceReader {
  const { config, secrets, deps } = rt;
  const endpoints = endpointSource(config, secrets, deployment);
  const log = deps.log;
  if (deployment.family === 'tron') {
    const client = new TronGridClient({
      chain: deployment.chain,
      ...(typeof endpoints === 'function' ? { urls: endpoints } : { urls: endpoints.urls, apiKeys: endpoints.apiKeys }),
      timeoutMs: config.RPC_TIMEOUT_MS,
      onRetry: (info) => log.warn('trongrid.retry', { chain: deployment.chain, ...info }),
    });
    return new TronBalanceReader(deployment, client);
  }
  const urls = typeof endpoints === 'function' ? async () => (await endpoints()).urls : endpoints.urls;
  const rpc = new JsonRpcClient(urls, { ...RPC_DEFAULTS, timeoutMs: config.RPC_TIMEOUT_MS, onRetry: (info) => log.warn('rpc.retry', { chain: deployment.chain, ...info }) });
  return new EvmBalanceReader(deployment, rpc);
}

let built: { runtime: Runtime; readers: ReconciliationReaders } | null = null;

/** Built once per runtime. */
export function reconciliationReaders(): ReconciliationReaders {
  const rt = runtime();
  if (built?.runtime === rt) return built.readers;
  const { config, deps } = rt;
  const hot: Partial<Record<string, string>> = config.HOT_WALLETS_JSON ?? {};
  const minimums = config.HOT_WALLET_MIN_RESERVE_JSON ?? {};
  const readers = new Map<ChainId, ChainBalanceReader>();
  const db = makeDocumentClient({ region: config.AWS_REGION, endpoint: config.DYNAMODB_ENDPOINT });
  const result: ReconciliationReaders = {
    balances: (chain) => {
      let reader = readers.get(chain);
      if (!reader) {
        const deployment = deps.chains.find((d) => d.chain === chain);
        if (!deployment) throw new Error(`chain ${chain} is not configured in ${config.chainsVariable}`);
        reader = balanceReaderFor(rt, deployment);
        readers.set(chain, reader);
      }
      return reader;
    },
    deposits: new DynamoUnsweptDeposits(db, config.TABLE_NAME),
    hotWallet: (chain) => hot[chain] ?? null,
    minReserve: (chain) => {
      const text = minimums[chain] ?? HOT_WALLET_MIN_RESERVE_DEFAULTS[chain];
      const units = reserveUnits(text, nativeCurrencyOf(chain).decimals);
      if (units === null) throw new Error(`invalid configuration: HOT_WALLET_MIN_RESERVE_JSON: ${chain}: ${JSON.stringify(text)} is not an amount`);
      return units;
    },
  };
  built = { runtime: rt, readers: result };
  return result;
}
