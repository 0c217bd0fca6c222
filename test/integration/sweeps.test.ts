/**
 * Sweeps on real parts: anvil, DynamoDB Local, the real watcher and crediting (the payments
 * harness), and the real EVM sender signing with the test mnemonic. The sweep steps are called
 * in the order the workflow runs them (lib/workflows/sweep.ts); the workflow starter is an
 * in-memory one that, like Step Functions, starts a name once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import '../../functions/kit/chain-senders-evm';
import { fundsOutDeps } from '../../functions/kit/chain-senders';
import { devnetPay } from '../../lib/local/engines/devnet';
import { confirmStep, listDeposits, planSweeps, settleStep, startStep, topUpStep, transferStep } from '../../shared/app/sweeps';
import { accountTotals, accounts, DEPLOYMENT_OWNER, type JournalEntry } from '../../shared/domain/ledger';
import type { Project } from '../../shared/domain/project';
import type { Deps } from '../../shared/ports';
import type { ChainSender, FundsOutDeps, WorkflowStarter } from '../../shared/ports/funds-out';
import type { AddressInfo } from 'node:net';
import { run } from '../../lib/cli/main';
import { createHttpHost } from '../../lib/local/http-host';
import { ADMIN_TOKEN, call, TEST_MNEMONIC } from '../support/gateway';
import type { Harness } from '../support/payments-harness';
import { createWallet, useStaticWalletShop } from '../support/static-wallets';

const USDT = (n: number) => BigInt(Math.round(n * 1e6));
const ETH = 10n ** 18n;
const CHAIN = 'ethereum';

let h: Harness;
let shop: Awaited<ReturnType<typeof useStaticWalletShop>>['shop'];
let project: Project;
let out: FundsOutDeps;
let sender: ChainSender;
const started: string[] = [];

/** Step Functions' rule that matters here: a name starts one execution. */
const recordingStarter: WorkflowStarter = {
  start: async (_workflow, name) => {
    if (started.includes(name)) return 'already_started';
    started.push(name);
    return 'started';
  },
};

beforeAll(async () => {
  ({ h, shop } = await useStaticWalletShop({ env: { MNEMONIC: TEST_MNEMONIC } }));
  project = shop.project;
  (h.deps as { workflows: WorkflowStarter }).workflows = recordingStarter;
  out = await fundsOutDeps();
  sender = out.senders(CHAIN);
  // The hot wallet's fee reserve, from the devnet payer (as lib/local/gateway.ts fundHotWallets does).
  await devnetPay(h.devnet.rpcUrl, h.devnet.payerPrivateKey, { token: null, to: sender.hotAddress(), amount: 5n * ETH });
  await h.settle();
}, 60_000);

afterAll(async () => {
  await h?.stop();
});

const stepDeps = (override: Partial<FundsOutDeps> = {}): Deps & FundsOutDeps => ({ ...h.deps, ...out, ...override });
const txCount = (address: string) => sender.minedNonce(address);

/** Pays `amount` to the address and mines until crediting has credited it. */
async function payAndCredit(address: string, amount: bigint, token: string | null) {
  await h.pay(address, amount, token);
  await h.settle();
  await h.mine(3);
  await h.settle();
}

/** The steps in the workflow's order; the waits are mined blocks. */
async function runSweep(id: string, deps = stepDeps()): Promise<'swept' | 'skip'> {
  if ((await startStep(deps, id)).outcome === 'skip') return 'skip';
  for (let i = 0; (await topUpStep(deps, id)).state === 'pending'; i += 1) {
    if (i > 5) throw new Error('top-up never landed');
    await h.mine(1);
  }
  await transferStep(deps, id);
  for (let i = 0; (await confirmStep(deps, id)).state === 'pending'; i += 1) {
    if (i > 10) throw new Error('transfer never confirmed');
    await h.mine(1);
  }
  await settleStep(deps, id);
  return 'swept';
}

async function plan(): Promise<string[]> {
  const before = started.length;
  await planSweeps(h.deps, CHAIN, h.deps.clock.now());
  return started.slice(before);
}

async function ledgerTotals(code: string): Promise<Map<string, bigint>> {
  const entries: JournalEntry[] = [];
  for (const owner of [DEPLOYMENT_OWNER, project.shopId]) for await (const e of h.deps.ledger.entries(owner, code)) entries.push(e);
  return accountTotals(entries);
}

const depositOf = (address: string, code: string) => h.deps.sweeps.deposit(CHAIN, address, code);

describe('sweeping EVM deposits into the hot wallet', () => {
  it('credits a USDT deposit to its address, then sweeps it with a gas top-up: chain and ledger agree', async () => {
    const invoice = await h.invoiceFor(project, 'USDT_ERC20', 100);
    const address = invoice.selection?.address ?? '';
    const amount = invoice.selection?.amountToPay ?? 0n;
    await payAndCredit(address, amount, h.devnet.tokens.USDT_ERC20);
    expect(await depositOf(address, 'USDT_ERC20')).toMatchObject({ received: amount, swept: 0n, sweeping: null, derivationIndex: invoice.selection?.derivationIndex });

    const hot = sender.hotAddress();
    const hotTokensBefore = await sender.balanceOf(hot, 'USDT_ERC20');
    const [id] = await plan();
    expect(id).toMatch(/^SW-ethereum-0x[0-9a-f]{40}-USDT_ERC20-1$/);
    expect(await runSweep(id)).toBe('swept');

    expect(await sender.balanceOf(hot, 'USDT_ERC20')).toBe(hotTokensBefore + amount);
    expect(await sender.balanceOf(address, 'USDT_ERC20')).toBe(0n);
    const sweep = await h.deps.sweeps.get(id);
    expect(sweep).toMatchObject({ status: 'confirmed', amount });
    expect(sweep?.topUp).not.toBeNull();
    expect(sweep?.gasBurned.topUp).toBeGreaterThan(0n);
    expect(await depositOf(address, 'USDT_ERC20')).toMatchObject({ received: amount, swept: amount, sweeping: null, rounds: 1 });

    // The ledger's asset accounts match what the chain holds: nothing at the deposits, the amount in the hot wallet.
    const totals = await ledgerTotals('USDT_ERC20');
    expect(totals.get(accounts.deposits(CHAIN, 'USDT_ERC20')) ?? 0n).toBe(await sender.balanceOf(address, 'USDT_ERC20'));
    expect(totals.get(accounts.hot(CHAIN, 'USDT_ERC20'))).toBe((await sender.balanceOf(hot, 'USDT_ERC20')) - hotTokensBefore);
    // The top-up's and the transfer's gas are the deployment's expense.
    const gas = await ledgerTotals('ETH');
    expect(gas.get(accounts.gas(CHAIN, 'ETH'))).toBe((sweep?.gasBurned.topUp ?? 0n) + (sweep?.gasBurned.transfer ?? 0n));
    // Nothing left to sweep: out of the queue, so the planner starts nothing more.
    expect(await plan()).toEqual([]);
  });

  it('sweeps an ETH deposit less its own fee, and books the fee from the deposits', async () => {
    const invoice = await h.invoiceFor(project, 'ETH', 300);
    const address = invoice.selection?.address ?? '';
    const amount = invoice.selection?.amountToPay ?? 0n;
    await payAndCredit(address, amount, null);
    const hot = sender.hotAddress();
    const hotBefore = await sender.balanceOf(hot, 'ETH');
    const [id] = await plan();
    expect(await runSweep(id)).toBe('swept');
    const sweep = await h.deps.sweeps.get(id);
    expect(sweep?.topUp).toBeNull();
    const moved = sweep?.amount ?? 0n;
    expect(moved).toBeGreaterThan(amount - ETH / 100n);
    expect(await sender.balanceOf(hot, 'ETH')).toBe(hotBefore + moved);
    const left = await sender.balanceOf(address, 'ETH');
    expect(left).toBe(amount - moved - (sweep?.gasBurned.transfer ?? 0n));
    const deposit = await depositOf(address, 'ETH');
    expect(deposit).toMatchObject({ swept: moved + (sweep?.gasBurned.transfer ?? 0n), sweeping: null });
    // What the ledger says the address still holds is what it holds (the fee's unused headroom).
    expect((deposit?.received ?? 0n) - (deposit?.swept ?? 0n)).toBe(left);
  });

  it('waits below the threshold; a second payment to the same static wallet address makes it worth one sweep', async () => {
    const wallet = await createWallet(shop.apiKey, project.shopId, 'customer-threshold', 'USDT_ERC20');
    // 2 USD of fees (1.5 transfer + 0.5 ETH top-up) at 5%: worth it from 40 USDT.
    await payAndCredit(wallet.address, USDT(25), h.devnet.tokens.USDT_ERC20);
    expect(await depositOf(wallet.address, 'USDT_ERC20')).toMatchObject({ received: USDT(25) });
    expect(await plan()).toEqual([]);
    await payAndCredit(wallet.address, USDT(25), h.devnet.tokens.USDT_ERC20);
    const [id] = await plan();
    expect(id).toContain('-USDT_ERC20-1');
    expect(await runSweep(id)).toBe('swept');
    expect(await h.deps.sweeps.get(id)).toMatchObject({ amount: USDT(50) });
    expect(await sender.balanceOf(wallet.address, 'USDT_ERC20')).toBe(0n);
    const listed = await listDeposits(h.deps, CHAIN, { limit: 100, after: null });
    expect(listed.items).toContainEqual(expect.objectContaining({ code: 'USDT_ERC20', received: USDT(50), swept: USDT(50), unswept: 0n }));

    // The admin surface shows the same, in whole units.
    const res = await call('admin.chain.deposits', { contentType: null, headers: { authorization: `Bearer ${ADMIN_TOKEN}` }, pathParameters: { chain: CHAIN } });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const shown = JSON.stringify(res.body);
    expect(shown).toContain(wallet.address);
    expect((res.body.result as { items: unknown[] }).items).toContainEqual(expect.objectContaining({ address: wallet.address, currency: 'USDT_ERC20', received: '50', unswept: '0', swept: '50', sweeping: null }));
    const host = createHttpHost();
    await new Promise<void>((ready) => host.listen(0, '127.0.0.1', ready));
    try {
      let printed = '';
      const url = `http://127.0.0.1:${(host.address() as AddressInfo).port}`;
      expect(await run(['chain', 'deposits', CHAIN, '--endpoint', url, '--admin-token', ADMIN_TOKEN], {}, (t) => (printed += t))).toBe(0);
      expect(printed).toMatch(/ADDRESS\s+CURRENCY\s+RECEIVED\s+UNSWEPT\s+SWEPT/);
      expect(printed).toMatch(new RegExp(`${wallet.address}\\s+USDT_ERC20\\s+50\\s+0\\s+50`));
      const bad = await call('admin.chain.deposits', { contentType: null, headers: { authorization: `Bearer ${ADMIN_TOKEN}` }, pathParameters: { chain: 'nochain' } });
      expect(bad.status).toBe(400);
    } finally {
      await new Promise((done) => host.close(done));
    }
  });

  it('a planner run twice starts one sweep per deposit', async () => {
    const a = await h.invoiceFor(project, 'USDT_ERC20', 60);
    const b = await h.invoiceFor(project, 'USDT_ERC20', 70);
    await payAndCredit(a.selection?.address ?? '', a.selection?.amountToPay ?? 0n, h.devnet.tokens.USDT_ERC20);
    await payAndCredit(b.selection?.address ?? '', b.selection?.amountToPay ?? 0n, h.devnet.tokens.USDT_ERC20);
    const [first, second] = await Promise.all([planSweeps(h.deps, CHAIN, h.deps.clock.now()), planSweeps(h.deps, CHAIN, h.deps.clock.now())]);
    expect(first.started + second.started).toBe(2);
    expect(await plan()).toEqual([]);
    for (const id of started.slice(-2)) expect(await runSweep(id)).toBe('swept');
  });

  it('a crash after each broadcast, then every step again: nothing is sent twice', async () => {
    const invoice = await h.invoiceFor(project, 'USDT_ERC20', 80);
    const address = invoice.selection?.address ?? '';
    const amount = invoice.selection?.amountToPay ?? 0n;
    await payAndCredit(address, amount, h.devnet.tokens.USDT_ERC20);
    const hot = sender.hotAddress();
    const [hotNonce, depositNonce, hotTokens] = [await txCount(hot), await txCount(address), await sender.balanceOf(hot, 'USDT_ERC20')];

    // A sender that broadcasts for real and then throws, as a Lambda dying right after the call.
    const crashing: ChainSender = Object.assign(Object.create(sender) as ChainSender, {
      broadcast: async (tx: Parameters<ChainSender['broadcast']>[0]) => {
        await sender.broadcast(tx);
        throw new Error('crash after broadcast');
      },
    });
    const crashy = stepDeps({ senders: () => crashing });
    const [id] = await plan();
    expect((await startStep(crashy, id)).outcome).toBe('go');
    await expect(topUpStep(crashy, id)).rejects.toThrow(/crash after broadcast/);
    await h.mine(1);
    // Every step again, each twice (the workflow's retries), now without crashing.
    const deps = stepDeps();
    expect((await startStep(deps, id)).outcome).toBe('go');
    expect((await topUpStep(deps, id)).state).toBe('ready');
    expect((await topUpStep(deps, id)).state).toBe('ready');
    await expect(transferStep(crashy, id)).rejects.toThrow(/crash after broadcast/);
    await transferStep(deps, id);
    await transferStep(deps, id);
    await h.mine(3);
    expect((await confirmStep(deps, id)).state).toBe('landed');
    await settleStep(deps, id);
    await settleStep(deps, id);

    expect(await txCount(hot)).toBe((hotNonce ?? 0) + 1);
    expect(await txCount(address)).toBe((depositNonce ?? 0) + 1);
    expect(await sender.balanceOf(hot, 'USDT_ERC20')).toBe(hotTokens + amount);
    expect(await depositOf(address, 'USDT_ERC20')).toMatchObject({ received: amount, swept: amount, sweeping: null });
    const totals = await ledgerTotals('USDT_ERC20');
    expect(totals.get(accounts.hot(CHAIN, 'USDT_ERC20'))).toBe(await sender.balanceOf(hot, 'USDT_ERC20'));
  });
});

