/**
 * Registers the EVM sender (ethers signing over the reader's JSON-RPC client) for the workers
 * whose entries import this: sweeping and withdrawals.
 */
import { EvmChainSender } from '../../shared/adapters/chains/evm/evm-sender';
import { JsonRpcClient, RPC_DEFAULTS } from '../../shared/adapters/chains/evm/json-rpc';
import { registerChainSender } from './chain-senders';

registerChainSender('evm', (deployment, endpoints, keys, { timeoutMs, log }) => {
  const urlsOf = (e: { urls: readonly string[]; apiKeys: readonly string[] }) => {
    if (e.apiKeys.length > 0) throw new Error(`the RPC URL secret gives apiKeys for ${deployment.chain}; an EVM provider takes its key in the URL`);
    return e.urls;
  };
  const urls = typeof endpoints === 'function' ? async () => urlsOf(await endpoints()) : urlsOf(endpoints);
  const rpc = new JsonRpcClient(urls, { ...RPC_DEFAULTS, timeoutMs, onRetry: (info) => log.warn('rpc.retry', { chain: deployment.chain, ...info }) });
  return new EvmChainSender(deployment, rpc, keys);
});
