/**
 * Registers the Tron reader (TronGrid's HTTP API) for the functions whose entries import this:
 * the Tron watcher, crediting and the routes that read a chain (attach-tx, rescan). The EVM
 * watcher, pages, public, wallet and health functions do not carry it.
 */
import { TronChainReader } from '../../shared/adapters/chains/tron/tron-reader';
import { TronGridClient } from '../../shared/adapters/chains/tron/trongrid-client';
import type { ChainDeployment } from '../../shared/domain/chains';
import type { Logger } from '../../shared/ports';
import { type EndpointSource, registerChainAdapter } from './chain-adapters';

/** The TronGrid client of a chain's endpoints (the reader's, and the network-fees schedule's). */
export function tronGridClient(deployment: ChainDeployment, endpoints: EndpointSource, { timeoutMs, log }: { timeoutMs: number; log: Logger }): TronGridClient {
  return new TronGridClient({
    chain: deployment.chain,
    ...(typeof endpoints === 'function' ? { urls: endpoints } : { urls: endpoints.urls, apiKeys: endpoints.apiKeys }),
    timeoutMs,
    onRetry: (info) => log.warn('trongrid.retry', { chain: deployment.chain, ...info }),
  });
}

registerChainAdapter('tron', (deployment, endpoints, settings) => {
  // The endpoint's genesis block names its network (mainnet, or Nile when configured): a testnet URL
  // in a mainnet deployment would credit worthless coins. The local simulator has its own genesis.
  return new TronChainReader(deployment.chain, tronGridClient(deployment, endpoints, settings), deployment.devnet ? undefined : deployment.evmChainId);
});
