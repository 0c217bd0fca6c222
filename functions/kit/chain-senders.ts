/**
 * What money going out needs, for the sweep and withdrawal workers only: a ChainSender per chain
 * (keys from the mnemonic) and the hot wallets' nonce store. Kept apart from Deps, so the API
 * functions never hold the mnemonic or a signer. Each family's sender is registered by a module
 * the worker's entry imports (chain-senders-evm.ts, chain-senders-tron.ts), so an EVM-only bundle
 * does not carry tronweb. Built once per cold start, from the same endpoints as the readers.
 */
import { type SigningKeys, signingKeys } from '../../shared/adapters/chains/signing-keys';
import { makeDocumentClient } from '../../shared/adapters/dynamo/client';
import { DynamoNonceStore } from '../../shared/adapters/dynamo/nonce-store';
import { readMnemonic } from '../../shared/adapters/secrets/mnemonic';
import type { ChainDeployment } from '../../shared/domain/chains';
import type { ChainFamily, ChainId } from '../../shared/domain/currencies';
import type { Logger } from '../../shared/ports';
import type { ChainSender, FundsOutDeps } from '../../shared/ports/funds-out';
import type { EndpointSource } from './chain-adapters';
import { endpointSource, type Runtime, runtime } from './deps';

export type ChainSenderFactory = (deployment: ChainDeployment, endpoints: EndpointSource, keys: SigningKeys, settings: { timeoutMs: number; log: Logger }) => ChainSender;


const factories = new Map<ChainFamily, ChainSenderFactory>();

export function registerChainSender(family: ChainFamily, factory: ChainSenderFactory): void {
  factories.set(family, factory);
}

/** Per runtime (a rebuilt runtime, as tests do, rebuilds these too). */
let built: { runtime: Runtime; deps: Promise<FundsOutDeps> } | null = null;

async function buildFundsOutDeps(rt: Runtime): Promise<FundsOutDeps> {
  const { config, secrets, deps } = rt;
  const mnemonic = await readMnemonic(secrets, config);
  const keysByFamily = new Map<ChainFamily, SigningKeys>();
  const senders = new Map<ChainId, ChainSender>();
  const senderOf = (chain: ChainId): ChainSender => {
    const cached = senders.get(chain);
    if (cached) return cached;
    const deployment = deps.chains.find((d) => d.chain === chain);
    if (!deployment) throw new Error(`chain ${chain} is not configured in ${config.chainsVariable}`);
    const factory = factories.get(deployment.family);
    if (!factory) throw new Error(`this function does not send on ${deployment.family} chains (${chain}): its entry must import functions/kit/chain-senders-${deployment.family}`);
    let keys = keysByFamily.get(deployment.family);
    if (!keys) {
      keys = signingKeys(mnemonic, deployment.family);
      keysByFamily.set(deployment.family, keys);
    }
    const sender = factory(deployment, endpointSource(config, secrets, deployment), keys, { timeoutMs: config.RPC_TIMEOUT_MS, log: deps.log });
    senders.set(chain, sender);
    return sender;
  };
  const db = makeDocumentClient({ region: config.AWS_REGION, endpoint: config.DYNAMODB_ENDPOINT });
  return { senders: senderOf, nonces: new DynamoNonceStore(db, config.TABLE_NAME) };
}

/** The senders and nonce store of this cold start; the mnemonic is read (and validated) on the first call. */
export function fundsOutDeps(): Promise<FundsOutDeps> {
  const rt = runtime();
  if (built?.runtime !== rt) {
    const deps = buildFundsOutDeps(rt);
    built = { runtime: rt, deps };
    // A failed read (secret unreachable) is tried again on the next call, not remembered.
    deps.catch(() => {
      if (built?.deps === deps) built = null;
    });
  }
  return built.deps;
}

/** The chain's sender, built on first use. */
export async function senderFor(chain: ChainId): Promise<ChainSender> {
  return (await fundsOutDeps()).senders(chain);
}
