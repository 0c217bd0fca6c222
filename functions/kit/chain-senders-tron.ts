/**
 * Registers the Tron sender (tronweb offline signing over the TronGrid client) for the workers
 * whose entries import this. tronweb is 1.2 MB: no API function imports this module.
 */
import { TronChainSender } from '../../shared/adapters/chains/tron/tron-sender';
import { TronGridClient } from '../../shared/adapters/chains/tron/trongrid-client';
import { registerChainSender } from './chain-senders';

registerChainSender('tron', (deployment, endpoints, keys, { timeoutMs, log }) => {
  const client = new TronGridClient({
    chain: deployment.chain,
    ...(typeof endpoints === 'function' ? { urls: endpoints } : { urls: endpoints.urls, apiKeys: endpoints.apiKeys }),
    timeoutMs,
    onRetry: (info) => log.warn('trongrid.retry', { chain: deployment.chain, ...info }),
  });
  return new TronChainSender(deployment, client, keys);
});
