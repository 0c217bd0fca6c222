/**
 * Real parts for payment tests: a chain (anvil with the test token, or the TronGrid simulator), a
 * fresh table on DynamoDB Local, the local SQS engine, and the real watcher and crediting code.
 * `settle()` runs watcher passes and drains the observations queue through the crediting consumer
 * until nothing moves, so tests step through the chain deterministically (the devnet and the
 * simulator mine only when told to). `usePaymentsHarness` is the EVM one (ethereum on anvil),
 * `useTronHarness` the Tron one; both share the same core, so the same crediting code is tested.
 */
import { DeleteMessageBatchCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import '../../functions/kit/chains-tron';
import { fundsOutDeps } from '../../functions/kit/chain-senders';
import '../../functions/kit/chain-senders-evm';
import { runtime, watcherDeps } from '../../functions/kit/deps';
import { devnetChainSettings } from '../../lib/local/dev-defaults';
import { type Devnet, devnetPay, mine, startDevnet } from '../../lib/local/engines/devnet';
import { type LocalQueues, startQueues } from '../../lib/local/engines/queues';
import { type ForcedFailure, SIMULATED_TOKENS, startTronGridSimulator, type TronGridSimulator } from '../../lib/local/simulators/trongrid-simulator';
import { parseObservation } from '../../shared/api/messages/observation';
import { type PassResult, watchPass, WatchSet } from '../../shared/app/chain-watcher';
import { handleObservation } from '../../shared/app/crediting';
import type { ChainDeployment, ChainSettings } from '../../shared/domain/chains';
import type { ChainId, Confirmations } from '../../shared/domain/currencies';
import type { Invoice } from '../../shared/domain/invoice/invoice';
import type { Project } from '../../shared/domain/project';
import type { Observation } from '../../shared/domain/transfers';
import { type QueueId, queueEnvironment } from '../../lib/manifest';
import { createTestInvoice } from './builders';
import { useTestGateway } from './gateway';

type Message = { body: string; receipt: string };

export type Harness = Awaited<ReturnType<typeof usePaymentsHarness>>;
export type TronHarness = Awaited<ReturnType<typeof useTronHarness>>;

export async function usePaymentsHarness(
  options: { rpcUrl?: (devnet: Devnet) => Promise<string> | string; devnet?: Devnet; env?: Record<string, string>; confirmations?: Confirmations } = {},
) {
  const devnet = options.devnet ?? (await startDevnet({ blockTimeSeconds: null }));
  const queues: LocalQueues = await startQueues();
  const rpcUrl = options.rpcUrl ? await options.rpcUrl(devnet) : devnet.rpcUrl;
  const chainsEnv = {
    EVM_CHAINS_JSON: JSON.stringify(
      Object.fromEntries(Object.entries(devnetChainSettings({ rpcUrl, tokens: devnet.tokens, disperseContract: devnet.disperseContract })).map(([id, s]) => [id, options.confirmations ? { ...s, confirmations: options.confirmations } : s])),
    ),
  };
  const core = await harnessCore('ethereum', queues, chainsEnv, options.env);
  const pay = (to: string, amount: bigint, token: string | null = devnet.tokens.USDT_ERC20) => devnetPay(devnet.rpcUrl, devnet.payerPrivateKey, { token, to, amount });

  return {
    ...core,
    devnet,
    mine: (blocks = 1) => mine(devnet.rpcUrl, blocks),
    pay,
    /** Funds the deployment's Ethereum hot wallet from the devnet payer: ETH for gas, and the test USDT sweeps would have brought it. */
    fundHotWallet: async (amounts: { eth: bigint; usdt: bigint }): Promise<string> => {
      const hot = (await fundsOutDeps()).senders('ethereum').hotAddress();
      await pay(hot, amounts.eth, null);
      await pay(hot, amounts.usdt);
      return hot;
    },
    /** Mines a block every `ms` (the devnet mines only when told to; confirmations need blocks); returns the stop. */
    keepMining: (ms = 100): (() => void) => {
      const timer = setInterval(() => void mine(devnet.rpcUrl, 1).catch(() => {}), ms);
      return () => clearInterval(timer);
    },
    stop: async () => {
      await queues.stop();
      if (!options.devnet) await devnet.stop();
    },
  };
}

/** The simulator's solidification depth in tests: small, so a payment solidifies in a few mined blocks. */
export const TEST_SOLIDIFY_DEPTH = 4;

/** What a Tron payment carries: the simulator's test tokens, or TRX. */
export type TronToken = 'USDT' | 'USDD' | 'TRX';

/**
 * The same harness on Tron: the TronGrid simulator (manual mining) stands in for TronGrid, its
 * test USDT and USDD serve USDT_TRC20 and USDD_TRC20, and finality is the solidified block unless
 * `confirmations` says otherwise. `pay` puts the transfer in the simulator's pool and, unless
 * `mine: false`, mines it into a block (as anvil does with every transaction).
 */
export async function useTronHarness(
  options: { simulator?: TronGridSimulator; solidifyDepth?: number; confirmations?: Confirmations; env?: Record<string, string>; settings?: Partial<ChainSettings> } = {},
) {
  const solidifyDepth = options.simulator?.info().solidifyDepth ?? options.solidifyDepth ?? TEST_SOLIDIFY_DEPTH;
  const sim = options.simulator ?? (await startTronGridSimulator({ blockIntervalMs: null, solidifyDepth, log: () => {} }));
  const queues: LocalQueues = await startQueues();
  const tokens = { USDT_TRC20: SIMULATED_TOKENS.USDT.address, USDD_TRC20: SIMULATED_TOKENS.USDD.address };
  const settings: ChainSettings = { rpcUrls: [sim.url], devnet: true, tokens, confirmations: options.confirmations ?? { normal: { tag: 'solidified' } }, ...options.settings };
  const core = await harnessCore('tron', queues, { CHAINS_JSON: JSON.stringify({ tron: settings }) }, options.env);

  const pay = (to: string, amount: bigint, token: TronToken = 'USDT', opts: { mine?: boolean; fail?: ForcedFailure; from?: string } = {}): { txHash: string } => {
    const { txid } = sim.transfer({ to, amount, token: token === 'TRX' ? undefined : token, fail: opts.fail, from: opts.from, mine: opts.mine ?? true });
    return { txHash: txid };
  };

  return {
    ...core,
    sim,
    solidifyDepth,
    tokens,
    mine: (blocks = 1) => sim.mine(blocks),
    /** Mines until the head's block is solidified. */
    solidify: () => sim.mine(solidifyDepth),
    pay,
    stop: async () => {
      await queues.stop();
      if (!options.simulator) await sim.close();
    },
  };
}

/** The chain-neutral part: the gateway environment, the watcher of `chain`, the queues and the crediting consumer. */
async function harnessCore(chain: ChainId, queues: LocalQueues, chainsEnv: Record<string, string>, env: Record<string, string> = {}) {
  const { deps } = await useTestGateway({
    ...chainsEnv,
    SQS_ENDPOINT: queues.endpoint,
    ...queueEnvironment(queues.urls),
    RPC_TIMEOUT_MS: '1500',
    ...env,
  });
  const { chainState } = runtime();
  const deployment = deps.chains.find((d) => d.chain === chain) as ChainDeployment;
  const watcher = watcherDeps(chain);
  const reader = watcher.reader;
  const watchSet = new WatchSet(chain, chainState);
  const sqs = new SQSClient({ endpoint: queues.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });

  async function receiveAll(queue: QueueId): Promise<Message[]> {
    const out: Message[] = [];
    for (;;) {
      const got = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queues.urls[queue].url, MaxNumberOfMessages: 10, WaitTimeSeconds: 0, VisibilityTimeout: 30 }));
      const batch = (got.Messages ?? []).map((m) => ({ body: m.Body ?? '', receipt: m.ReceiptHandle ?? '' }));
      if (batch.length === 0) return out;
      out.push(...batch);
    }
  }

  async function remove(queue: QueueId, messages: Message[]) {
    for (let i = 0; i < messages.length; i += 10) {
      const part = messages.slice(i, i + 10);
      await sqs.send(new DeleteMessageBatchCommand({ QueueUrl: queues.urls[queue].url, Entries: part.map((m, j) => ({ Id: String(j), ReceiptHandle: m.receipt })) }));
    }
  }

  /**
   * Hands every queued observation to the crediting consumer; `deliver` may repeat or reorder them.
   * `concurrency` > 1 hands them to that many consumers at once, as SQS does with several batches.
   */
  async function drain(deliver: (observations: Observation[]) => Observation[] = (o) => o, handle = (o: Observation) => handleObservation(deps, o), concurrency = 1): Promise<number> {
    const messages = await receiveAll('observations');
    const observations = messages.map((m) => parseObservation(JSON.parse(m.body)));
    const delivered = deliver(observations);
    if (concurrency <= 1) {
      for (const o of delivered) await handle(o);
    } else {
      let next = 0;
      const consumer = async () => {
        while (next < delivered.length) await handle(delivered[next++]);
      };
      await Promise.all(Array.from({ length: concurrency }, consumer));
    }
    await remove('observations', messages);
    return observations.length;
  }

  /** Watcher passes and crediting until a pass reports nothing new and the queue is empty. */
  async function settle(
    opts: { deliver?: (o: Observation[]) => Observation[]; handle?: (o: Observation) => Promise<void>; tolerateFaults?: boolean; maxRounds?: number; concurrency?: number } = {},
  ): Promise<PassResult[]> {
    const passes: PassResult[] = [];
    for (let round = 0; round < (opts.maxRounds ?? 50); round += 1) {
      let pass: PassResult | null = null;
      try {
        pass = await watchPass(watcher, deployment, watchSet);
        passes.push(pass);
      } catch (e) {
        if (!opts.tolerateFaults) throw e;
      }
      const handled = await drain(opts.deliver, opts.handle, opts.concurrency);
      if (pass?.caughtUp && !pass.reorg && handled === 0 && pass.observations === 0 && pass.confirmed === 0) return passes;
    }
    if (opts.tolerateFaults) return passes;
    throw new Error('settle: the chain did not settle');
  }

  /** An invoice for `usd` US dollars with `code` chosen, so it has a deposit address. */
  const invoiceFor = (project: Project, code: string, usd: number, overrides: Partial<Parameters<typeof createTestInvoice>[2]> = {}): Promise<Invoice> =>
    createTestInvoice(deps, project, { amount: { units: BigInt(Math.round(usd * 100)), scale: 2 }, cryptocurrency: code, ...overrides });

  return {
    deps,
    queues,
    deployment,
    reader,
    watcher,
    watchSet,
    chainState,
    settle,
    drain,
    pass: () => watchPass(watcher, deployment, watchSet),
    invoiceFor,
    invoice: async (id: Invoice['id']) => (await deps.invoices.get(id)) as Invoice,
    balance: async (shopId: string, code: string) => (await deps.balances.balances(shopId)).find((b) => b.code === code) ?? { code, total: 0n, available: 0n, debt: 0n },
    /** Postback jobs queued so far (removed from the queue). */
    postbackJobs: async () => {
      const messages = await receiveAll('postbacks');
      await remove('postbacks', messages);
      return messages.map((m) => JSON.parse(m.body) as { id: string; kind: string; invoiceId: string; eventId: string });
    },
  };
}
