/**
 * Registers the Tron reader (TronGrid's HTTP API) for the functions whose entries import this:
 * the Tron watcher, crediting and the routes that read a chain (attach-tx, rescan). The EVM
 * watcher, pages, public, wallet and health functions do not carry it.
 */
import { TronChainReader } from '../../shared/adapters/chains/tron/tron-reader';
import { registerChainAdapter } from './chain-adapters';
import { tronGridClient } from './rpc-client-tron';

registerChainAdapter('tron', (deployment, endpoints, settings) => {
  // The endpoint's genesis block names its network (mainnet, or Nile when configured): a testnet URL
  // in a mainnet deployment would credit worthless coins. The local simulator has its own genesis.
  return new TronChainReader(deployment.chain, tronGridClient(deployment, endpoints, settings), deployment.devnet ? undefined : deployment.evmChainId);
});
