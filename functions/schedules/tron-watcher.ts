/** Tron's watcher: one schedule per Tron network, reading TronGrid; the only watcher bundle with the Tron adapter. */
import '../kit/chains-tron';
import { chainWatcherHandler } from '../kit/chain-watcher';

export const handler = chainWatcherHandler('tron-watcher', 'tron');
