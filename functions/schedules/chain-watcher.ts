/** The EVM chains' watcher: one schedule per watched EVM chain (JSON-RPC; no Tron code in this bundle). */
import '../kit/chains-evm';
import { chainWatcherHandler } from '../kit/chain-watcher';

export const handler = chainWatcherHandler('chain-watcher', 'evm');
