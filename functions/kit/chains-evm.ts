/**
 * Registers the EVM reader (JSON-RPC over fetch) for the functions whose entries import this:
 * the EVM watcher, crediting and the routes that read a chain (attach-tx, rescan).
 * The pages, public, wallet and health functions read no chain and do not carry it.
 */
import { EvmChainReader } from '../../shared/adapters/chains/evm/evm-reader';
import { JsonRpcClient, RPC_DEFAULTS } from '../../shared/adapters/chains/evm/json-rpc';
import type { ChainDeployment } from '../../shared/domain/chains';
import type { Logger } from '../../shared/ports';
import { type EndpointSource, registerChainAdapter } from './chain-adapters';

/** The JSON-RPC client of a chain's endpoints (the reader's, and the network-fees schedule's). */
export function evmRpcClient(deployment: ChainDeployment, endpoints: EndpointSource, { timeoutMs, log }: { timeoutMs: number; log: Logger }): JsonRpcClient {
  const urlsOf = (e: { urls: readonly string[]; apiKeys: readonly string[] }) => {
    if (e.apiKeys.length > 0) throw new Error(`the RPC URL secret gives apiKeys for ${deployment.chain}; an EVM provider takes its key in the URL`);
    return e.urls;
  };
  const urls = typeof endpoints === 'function' ? async () => urlsOf(await endpoints()) : urlsOf(endpoints);
  return new JsonRpcClient(urls, { ...RPC_DEFAULTS, timeoutMs, onRetry: (info) => log.warn('rpc.retry', { chain: deployment.chain, ...info }) });
}

registerChainAdapter('evm', (deployment, endpoints, settings) => new EvmChainReader(deployment.chain, deployment.evmChainId, evmRpcClient(deployment, endpoints, settings)));
