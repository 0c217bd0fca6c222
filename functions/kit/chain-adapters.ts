/**
 * Which chain families a function can read. Each family's reader is registered by a module the
 * function's entry imports (functions/kit/chains-<family>.ts), so a bundle carries only the
 * readers its handlers use: the pages, public, wallet and health functions none, the EVM watcher
 * only EVM's (test/infra/bundles.test.ts checks it on the built bundles). This module is the
 * registry only: every function's composition root imports it.
 */
import type { ChainDeployment } from '../../shared/domain/chains';
import type { ChainFamily } from '../../shared/domain/currencies';
import type { ChainAdapter, Logger } from '../../shared/ports';

/** A chain's endpoints and provider keys (TronGrid's header), or where to read them on first use. */
export type ChainEndpoints = { urls: readonly string[]; apiKeys: readonly string[] };
export type EndpointSource = ChainEndpoints | (() => Promise<ChainEndpoints>);

export type ChainAdapterFactory = (deployment: ChainDeployment, endpoints: EndpointSource, settings: { timeoutMs: number; log: Logger }) => ChainAdapter;

const factories = new Map<ChainFamily, ChainAdapterFactory>();

export function registerChainAdapter(family: ChainFamily, factory: ChainAdapterFactory): void {
  factories.set(family, factory);
}

export function chainAdapterFor(deployment: ChainDeployment, endpoints: EndpointSource, settings: { timeoutMs: number; log: Logger }): ChainAdapter {
  const factory = factories.get(deployment.family);
  if (!factory) throw new Error(`this function does not read ${deployment.family} chains (${deployment.chain}): its entry must import functions/kit/chains-${deployment.family}`);
  return factory(deployment, endpoints, settings);
}
