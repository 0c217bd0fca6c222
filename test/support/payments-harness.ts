/**
 * Real parts for payment tests: anvil with the test token, a fresh table on DynamoDB Local, the
 * local SQS engine, and the real watcher and crediting code. `settle()` runs watcher passes and
 * drains the observations queue through the crediting consumer until nothing moves, so tests
 * step through the chain deterministically (the devnet mines only when told to).
 */
import { DeleteMessageBatchCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { runtime, watcherDeps } from '../../functions/kit/deps';
import { devnetChainSettings } from '../../lib/local/dev-defaults';
import { type Devnet, devnetPay, mine, startDevnet } from '../../lib/local/engines/devnet';
import { type LocalQueues, startQueues } from '../../lib/local/engines/queues';
import { parseObservation } from '../../shared/api/messages/observation';
import { type PassResult, watchPass, WatchSet } from '../../shared/app/chain-watcher';
import { handleObservation } from '../../shared/app/crediting';
import type { ChainDeployment } from '../../shared/domain/chains';
import type { Confirmations } from '../../shared/domain/currencies';
import type { Invoice } from '../../shared/domain/invoice/invoice';
import type { Project } from '../../shared/domain/project';
import type { Observation } from '../../shared/domain/transfers';
import { type QueueId, queueEnvironment } from '../../lib/manifest';
import { createTestInvoice } from './builders';
import { useTestGateway } from './gateway';

type Message = { body: string; receipt: string };

export type Harness = Awaited<ReturnType<typeof usePaymentsHarness>>;

export async function usePaymentsHarness(
  options: { rpcUrl?: (devnet: Devnet) => Promise<string> | string; devnet?: Devnet; env?: Record<string, string>; confirmations?: Confirmations } = {},
) {
  const devnet = options.devnet ?? (await startDevnet({ blockTimeSeconds: null }));
  const queues: LocalQueues = await startQueues();
  const rpcUrl = options.rpcUrl ? await options.rpcUrl(devnet) : devnet.rpcUrl;
  const { deps } = await useTestGateway({
    EVM_CHAINS_JSON: JSON.stringify(
      Object.fromEntries(Object.entries(devnetChainSettings({ rpcUrl, tokens: devnet.tokens })).map(([id, s]) => [id, options.confirmations ? { ...s, confirmations: options.confirmations } : s])),
    ),
    SQS_ENDPOINT: queues.endpoint,
    ...queueEnvironment(queues.urls),
    RPC_TIMEOUT_MS: '1500',
    ...options.env,
  });
  const { chainState } = runtime();
  const deployment = deps.chains.find((d) => d.chain === 'ethereum') as ChainDeployment;
  const watcher = watcherDeps('ethereum');
  const reader = watcher.reader;
  const watchSet = new WatchSet('ethereum', chainState);
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

  /** Hands every queued observation to the crediting consumer; `deliver` may repeat or reorder them. */
  async function drain(deliver: (observations: Observation[]) => Observation[] = (o) => o, handle = (o: Observation) => handleObservation(deps, o)): Promise<number> {
    const messages = await receiveAll('observations');
    const observations = messages.map((m) => parseObservation(JSON.parse(m.body)));
    for (const o of deliver(observations)) await handle(o);
    await remove('observations', messages);
    return observations.length;
  }

  /** Watcher passes and crediting until a pass reports nothing new and the queue is empty. */
  async function settle(
    opts: { deliver?: (o: Observation[]) => Observation[]; handle?: (o: Observation) => Promise<void>; tolerateFaults?: boolean; maxRounds?: number } = {},
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
      const handled = await drain(opts.deliver, opts.handle);
      if (pass && pass.caughtUp && !pass.reorg && handled === 0 && pass.observations === 0 && pass.confirmed === 0) return passes;
    }
    if (opts.tolerateFaults) return passes;
    throw new Error('settle: the chain did not settle');
  }

  /** An invoice for `usd` US dollars with `code` chosen, so it has a deposit address. */
  const invoiceFor = (project: Project, code: string, usd: number, overrides: Partial<Parameters<typeof createTestInvoice>[2]> = {}): Promise<Invoice> =>
    createTestInvoice(deps, project, { amount: { units: BigInt(Math.round(usd * 100)), scale: 2 }, cryptocurrency: code, ...overrides });

  const pay = (to: string, amount: bigint, token: string | null = devnet.tokens.USDT_ERC20) => devnetPay(devnet.rpcUrl, devnet.payerPrivateKey, { token, to, amount });

  return {
    deps,
    devnet,
    queues,
    deployment,
    reader,
    watcher,
    watchSet,
    chainState,
    settle,
    drain,
    pass: () => watchPass(watcher, deployment, watchSet),
    mine: (blocks = 1) => mine(devnet.rpcUrl, blocks),
    invoiceFor,
    pay,
    invoice: async (id: Invoice['id']) => (await deps.invoices.get(id)) as Invoice,
    balance: async (shopId: string, code: string) => (await deps.balances.balances(shopId)).find((b) => b.code === code) ?? { code, total: 0n, available: 0n, debt: 0n },
    /** Postback jobs queued so far (removed from the queue). */
    postbackJobs: async () => {
      const messages = await receiveAll('postbacks');
      await remove('postbacks', messages);
      return messages.map((m) => JSON.parse(m.body) as { id: string; kind: string; invoiceId: string; eventId: string });
    },
    stop: async () => {
      await queues.stop();
      if (!options.devnet) await devnet.stop();
    },
  };
}
