/**
 * Registers the EVM reader (JSON-RPC over fetch) for the functions whose entries import this:
 * the EVM watcher, crediting and the routes that read a chain (attach-tx, rescan).
 * The pages, public, wallet and health functions read no chain and do not carry it.
 */
import { EvmChainReader } from '../../shared/adapters/chains/evm/evm-reader';
import { JsonRpcClient, RPC_DEFAULTS } from '../../shared/adapters/chains/evm/json-rpc';
import { registerChainAdapter } from './chain-adapters';

registerChainAdapter('evm', (deployment, endpoints, { timeoutMs, log }) => {
  const urls = typeof endpoints === 'function' ? async () => (await endpoints()).urls : endpoints.urls;
  const rpc = new JsonRpcClient(urls, { ...RPC_DEFAULTS, timeoutMs, onRetry: (info) => log.warn('rpc.retry', { chain: deployment.chain, ...info }) });
  return new EvmChainReader(deployment.chain, deployment.evmChainId, rpc);
});
