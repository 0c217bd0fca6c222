/**
 * A TRC-20 sweep on the TronGrid simulator in burn mode (mainnet's resource model): the USDT
 * deposit is credited by the real watcher and crediting, then the sweep steps, in the workflow's
 * order, top the address up with TRX from the hot wallet and move the tokens into it.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import '../../functions/kit/chain-senders-tron';
import { fundsOutDeps } from '../../functions/kit/chain-senders';
import { MAINNET_RESOURCES, startTronGridSimulator } from '../../lib/local/simulators/trongrid-simulator';
import { confirmStep, planSweeps, settleStep, startStep, topUpStep, transferStep } from '../../shared/app/sweeps';
import { accountTotals, accounts, DEPLOYMENT_OWNER, type JournalEntry } from '../../shared/domain/ledger';
import type { Deps } from '../../shared/ports';
import type { ChainSender, FundsOutDeps, WorkflowStarter } from '../../shared/ports/funds-out';
import { newProject, TEST_MNEMONIC } from '../support/gateway';
import { TEST_SOLIDIFY_DEPTH, type TronHarness, useTronHarness } from '../support/payments-harness';

const TRX = 1_000_000n;
let h: TronHarness;
let out: FundsOutDeps;
let sender: ChainSender;
const started: string[] = [];

beforeAll(async () => {
  const simulator = await startTronGridSimulator({ blockIntervalMs: null, solidifyDepth: TEST_SOLIDIFY_DEPTH, resources: MAINNET_RESOURCES, log: () => {} });
  h = await useTronHarness({ simulator, env: { MNEMONIC: TEST_MNEMONIC } });
  // Step Functions' rule that matters here: a name starts one execution.
  const starter: WorkflowStarter = {
    start: async (_workflow, name) => {
      if (started.includes(name)) return 'already_started';
      started.push(name);
      return 'started';
    },
  };
  (h.deps as { workflows: WorkflowStarter }).workflows = starter;
  out = await fundsOutDeps();
  sender = out.senders('tron');
  h.sim.fund(sender.hotAddress(), 500n * TRX);
  h.sim.mine(1);
  await h.settle();
}, 60_000);

afterAll(async () => {
  await h?.stop();
  await h?.sim.close();
});

it('sweeps a TRC-20 USDT deposit with a TRX top-up from the hot wallet: chain and ledger agree', async () => {
  const { project } = await newProject({ partialTolerance: 'none' });
  const invoice = await h.invoiceFor(project, 'USDT_TRC20', 100);
  const address = invoice.selection?.address ?? '';
  const amount = invoice.selection?.amountToPay ?? 0n;
  h.pay(address, amount, 'USDT');
  await h.settle();
  h.solidify();
  await h.settle();
  expect((await h.invoice(invoice.id)).status).toBe('paid');
  expect(await h.deps.sweeps.deposit('tron', address, 'USDT_TRC20')).toMatchObject({ received: amount, swept: 0n });

  const hot = sender.hotAddress();
  const hotTrxBefore = await sender.balanceOf(hot, 'TRX');
  await planSweeps(h.deps, 'tron', h.deps.clock.now());
  const [id] = started;
  expect(id).toBe(`SW-tron-${address}-USDT_TRC20-1`);
  const deps: Deps & FundsOutDeps = { ...h.deps, ...out };
  expect((await startStep(deps, id)).outcome).toBe('go');
  for (let i = 0; (await topUpStep(deps, id)).state === 'pending'; i += 1) {
    expect(i).toBeLessThan(5);
    h.mine(1);
  }
  await transferStep(deps, id);
  for (let i = 0; (await confirmStep(deps, id)).state === 'pending'; i += 1) {
    expect(i).toBeLessThan(20);
    h.mine(1);
  }
  await settleStep(deps, id);

  const sweep = await h.deps.sweeps.get(id);
  expect(sweep).toMatchObject({ status: 'confirmed', amount });
  expect(sweep?.topUp).not.toBeNull();
  expect(await sender.balanceOf(hot, 'USDT_TRC20')).toBe(amount);
  expect(await sender.balanceOf(address, 'USDT_TRC20')).toBe(0n);
  // The hot wallet paid the top-up (its value and its fee): the TRX it lost.
  expect(await sender.balanceOf(hot, 'TRX')).toBeLessThan(hotTrxBefore);
  expect(await h.deps.sweeps.deposit('tron', address, 'USDT_TRC20')).toMatchObject({ swept: amount, sweeping: null });
  const entries: JournalEntry[] = [];
  for (const owner of [DEPLOYMENT_OWNER, project.shopId]) for await (const e of h.deps.ledger.entries(owner, 'USDT_TRC20')) entries.push(e);
  const totals = accountTotals(entries);
  expect(totals.get(accounts.deposits('tron', 'USDT_TRC20'))).toBe(0n);
  expect(totals.get(accounts.hot('tron', 'USDT_TRC20'))).toBe(amount);
});
