/**
 * Money out on the local runtime (funds-out issue, "Benchmark"), on anvil and DynamoDB Local, run
 * by the same workflow definitions and workers as `npm start`:
 * - a withdrawal from the request (requestWithdrawal, as the API calls it) to its broadcast, p50
 *   and p99; WITHDRAWALS of them, CONCURRENCY at a time;
 * - the gas of sweeping one deposit (a token deposit with its top-up, an ETH deposit).
 */
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { formatEther, JsonRpcProvider, Wallet } from 'ethers';
import { fundsOutDeps } from '../functions/kit/chain-senders';
import '../functions/kit/chain-senders-evm';
import { runtime } from '../functions/kit/deps';
import { ANVIL_MNEMONIC, devnetPay, mine } from '../lib/local/engines/devnet';
import { startWorkflowHost, type WorkflowHost } from '../lib/local/workflow-host';
import { makeDocumentClient } from '../shared/adapters/dynamo/client';
import { keys } from '../shared/adapters/dynamo/keys';
import { sha256Hex } from '../shared/adapters/ids';
import { createProject } from '../shared/app/projects';
import { planSweeps } from '../shared/app/sweeps';
import { requestWithdrawal } from '../shared/app/withdrawals';
import { round } from './sampling';
import { startEvmBenchEngines } from './watcher';

const WITHDRAWALS = 60;
const CONCURRENCY = 4;
const USDT = (n: number) => BigInt(n) * 1_000_000n;

const percentile = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)];
};

/**
 * What sweeping one deposit costs, in gas units and in ETH at the devnet's fee: a USDT deposit
 * (the hot wallet's top-up plus the token transfer) and an ETH deposit (one transfer), each as
 * the real sweep workflow does it. The deposit items are written as crediting writes them.
 */
async function sweepGas(engines: Awaited<ReturnType<typeof startEvmBenchEngines>>, host: WorkflowHost) {
  const { deps } = runtime();
  const db = makeDocumentClient({ region: 'us-east-1', endpoint: engines.dynamo.endpoint });
  const sender = (await fundsOutDeps()).senders('ethereum');
  const provider = new JsonRpcProvider(engines.devnet.rpcUrl);
  const deposit = async (index: number, code: 'USDT_ERC20' | 'ETH', amount: bigint) => {
    const address = sender.depositAddress(index);
    await devnetPay(engines.devnet.rpcUrl, engines.devnet.payerPrivateKey, { token: code === 'ETH' ? null : engines.devnet.tokens.USDT_ERC20, to: address, amount });
    const index_ = { ...keys.sweepDue('ethereum', address, code), ...keys.depositByChain('ethereum', address, code) };
    await db.send(new PutCommand({ TableName: engines.table, Item: { ...keys.deposit('ethereum', address, code), ...index_, type: 'deposit', chain: 'ethereum', address, code, received: amount, derivationIndex: index, updatedAt: deps.clock.now() } }));
  };
  // Past anvil's funded accounts (indexes 0-9), so the deposits hold only what is sent here.
  await deposit(1_000, 'USDT_ERC20', USDT(500));
  await deposit(1_001, 'ETH', 10n ** 18n);
  const planned = await planSweeps(deps, 'ethereum', deps.clock.now());
  const figures: Record<string, unknown> = { planned: planned.started };
  for (const code of ['USDT_ERC20', 'ETH'] as const) {
    const execution = host.executions().find((e) => e.workflow === 'sweep' && e.name.includes(code));
    if (!execution) throw new Error(`bench: no sweep of ${code} started`);
    const done = await host.waitFor('sweep', execution.name, 60_000);
    if (done.status !== 'succeeded') throw new Error(`bench: sweep ${execution.name} ${done.status}: ${JSON.stringify(done.error)}`);
    const sweep = await deps.sweeps.get(execution.name);
    const gasOf = async (hash: string | undefined) => (hash ? ((await provider.getTransactionReceipt(hash))?.gasUsed ?? 0n) : 0n);
    const topUp = await gasOf(sweep?.topUp?.hash);
    const transfer = await gasOf(sweep?.tx?.hash);
    const burned = (sweep?.gasBurned.topUp ?? 0n) + (sweep?.gasBurned.transfer ?? 0n);
    figures[code] = { top_up_gas: Number(topUp), transfer_gas: Number(transfer), total_gas: Number(topUp + transfer), eth_burned: formatEther(burned) };
  }
  return figures;
}

export async function withdrawalFigures(): Promise<Record<string, unknown>> {
  const engines = await startEvmBenchEngines({ MNEMONIC: ANVIL_MNEMONIC });
  const workflows = startWorkflowHost({ waitMs: 200, retryDelayMs: 200 });
  const miner = setInterval(() => void mine(engines.devnet.rpcUrl, 1).catch(() => {}), 250);
  try {
    const { deps } = runtime();
    const made = await createProject(deps, sha256Hex, { name: 'Bench', patch: { testMode: false }, now: deps.clock.now() });
    if (!made.ok) throw new Error('bench: project');
    const project = made.value.project;
    const db = makeDocumentClient({ region: 'us-east-1', endpoint: engines.dynamo.endpoint });
    const available = USDT(1_000_000);
    await db.send(new PutCommand({ TableName: engines.table, Item: { ...keys.balance(project.shopId, 'USDT_ERC20'), type: 'balance', code: 'USDT_ERC20', total: available, available } }));
    const hot = (await fundsOutDeps()).senders('ethereum').hotAddress();
    await devnetPay(engines.devnet.rpcUrl, engines.devnet.payerPrivateKey, { token: null, to: hot, amount: 10n ** 19n });
    await devnetPay(engines.devnet.rpcUrl, engines.devnet.payerPrivateKey, { token: engines.devnet.tokens.USDT_ERC20, to: hot, amount: USDT(1_000_000) });
    const recipient = Wallet.createRandom().address;
    const samples: number[] = [];
    const one = async () => {
      const started = performance.now();
      const w = await requestWithdrawal(deps, project, { code: 'USDT_ERC20', toAddress: recipient, walletId: null, amount: '1', source: 'native_api', idempotency: null }, deps.clock.now());
      if (!w.ok) throw new Error(`bench: ${JSON.stringify(w.error)}`);
      for (;;) {
        const now = await deps.withdrawals.get(w.value.id);
        if (now && (now.status === 'broadcast' || now.status === 'confirmed')) break;
        if (now && (now.status === 'failed' || now.status === 'canceled')) throw new Error(`bench: withdrawal ${now.id} ${now.status}: ${now.reason}`);
        await new Promise((r) => setTimeout(r, 5));
      }
      samples.push(performance.now() - started);
    };
    // Warm: compiled code, connections, the sender's chain check.
    await one();
    samples.length = 0;
    for (let i = 0; i < WITHDRAWALS; i += CONCURRENCY) await Promise.all(Array.from({ length: Math.min(CONCURRENCY, WITHDRAWALS - i) }, one));
    return {
      withdrawal_request_to_broadcast: { count: samples.length, concurrency: CONCURRENCY, p50_ms: round(percentile(samples, 50)), p99_ms: round(percentile(samples, 99)) },
      sweep_gas_per_deposit: await sweepGas(engines, workflows.host),
    };
  } finally {
    clearInterval(miner);
    await workflows.stop();
    await engines.stop();
  }
}
