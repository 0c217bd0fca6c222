/** The TronGrid client of a Tron chain's endpoints: the reader's (chains-tron.ts) and the network-fees schedule's, which carries no reader. */
import { TronGridClient } from '../../shared/adapters/chains/tron/trongrid-client';
import type { ChainDeployment } from '../../shared/domain/chains';
import type { Logger } from '../../shared/ports';
import type { EndpointSource } from './chain-adapters';

export function tronGridClient(deployment: ChainDeployment, endpoints: EndpointSource, { timeoutMs, log }: { timeoutMs: number; log: Logger }): TronGridClient {
  return new TronGridClient({
    chain: deployment.chain,
    ...(typeof endpoints === 'function' ? { urls: endpoints } : { urls: endpoints.urls, apiKeys: endpoints.apiKeys }),
    timeoutMs,
    onRetry: (info) => log.warn('trongrid.retry', { chain: deployment.chain, ...info }),
  });
}
