/** What the network-fees schedule needs: each served chain's price reader and the store, from the runtime. */
import { EvmFeePriceReader, TronFeePriceReader } from '../../shared/adapters/chains/fee-price-readers';
import type { NetworkFeeRefreshDeps } from '../../shared/app/network-fees';
import type { ChainId } from '../../shared/domain/currencies';
import type { FeePriceReader } from '../../shared/ports';
import { endpointSource, runtime } from './deps';
import { evmRpcClient } from './rpc-client-evm';
import { tronGridClient } from './rpc-client-tron';

/** Per runtime: a rebuilt runtime (tests, the local runtime's restarts) may serve other endpoints. */
const readersOf = new WeakMap<object, Map<ChainId, FeePriceReader>>();

export function networkFeeRefreshDeps(): NetworkFeeRefreshDeps {
  const rt = runtime();
  const { deps, config, secrets, networkFeeStore } = rt;
  const readers = readersOf.get(rt) ?? new Map<ChainId, FeePriceReader>();
  readersOf.set(rt, readers);
  const priceReader = (chain: ChainId): FeePriceReader => {
    const deployment = deps.chains.find((d) => d.chain === chain);
    if (!deployment) throw new Error(`chain ${chain} is not configured in ${config.chainsVariable}`);
    let reader = readers.get(chain);
    if (!reader) {
      const endpoints = endpointSource(config, secrets, deployment);
      const settings = { timeoutMs: config.RPC_TIMEOUT_MS, log: deps.log };
      reader = deployment.family === 'evm' ? new EvmFeePriceReader(evmRpcClient(deployment, endpoints, settings)) : new TronFeePriceReader(tronGridClient(deployment, endpoints, settings));
      readers.set(chain, reader);
    }
    return reader;
  };
  return { chains: deps.chains, store: networkFeeStore, priceReader, log: deps.log, clock: deps.clock };
}

