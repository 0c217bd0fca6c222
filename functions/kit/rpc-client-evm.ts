/** The JSON-RPC client of an EVM chain's endpoints: the reader's (chains-evm.ts) and the network-fees schedule's, which carries no reader. */
import { JsonRpcClient, RPC_DEFAULTS } from '../../shared/adapters/chains/evm/json-rpc';
import type { ChainDeployment } from '../../shared/domain/chains';
import type { Logger } from '../../shared/ports';
import type { EndpointSource } from './chain-adapters';

export function evmRpcClient(deployment: ChainDeployment, endpoints: EndpointSource, { timeoutMs, log }: { timeoutMs: number; log: Logger }): JsonRpcClient {
  const urlsOf = (e: { urls: readonly string[]; apiKeys: readonly string[] }) => {
    if (e.apiKeys.length > 0) throw new Error(`the RPC URL secret gives apiKeys for ${deployment.chain}; an EVM provider takes its key in the URL`);
    return e.urls;
  };
  const urls = typeof endpoints === 'function' ? async () => urlsOf(await endpoints()) : urlsOf(endpoints);
  return new JsonRpcClient(urls, { ...RPC_DEFAULTS, timeoutMs, onRetry: (info) => log.warn('rpc.retry', { chain: deployment.chain, ...info }) });
}
