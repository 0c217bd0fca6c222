/**
 * Registers the EVM reader (JSON-RPC over fetch) for the functions whose entries import this:
 * the EVM watcher, crediting and the routes that read a chain (attach-tx, rescan).
 * The pages, public, wallet and health functions read no chain and do not carry it.
 */
import { EvmChainReader } from '../../shared/adapters/chains/evm/evm-reader';
import { registerChainAdapter } from './chain-adapters';
import { evmRpcClient } from './rpc-client-evm';

registerChainAdapter('evm', (deployment, endpoints, settings) => new EvmChainReader(deployment.chain, deployment.evmChainId, evmRpcClient(deployment, endpoints, settings)));
