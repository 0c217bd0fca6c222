/**
 * Withdrawals end to end on the real devnet, table and workflow definitions: money credited by
 * the real watcher and crediting, then paid out by the withdrawal workflow (run by the local host
 * with the real worker), from the hot wallet. The attacker's cases first: many withdrawals racing
 * one balance, and a worker that crashes around its broadcast.
 */
import { Contract, JsonRpcProvider, Wallet } from 'ethers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import '../../functions/kit/chain-senders-evm';
import { handler as realWorker } from '../../functions/tasks/withdrawal';
import { requestWithdrawal } from '../../shared/app/withdrawals';
import type { Withdrawal } from '../../shared/domain/withdrawal';
import { type Harness, usePaymentsHarness } from '../support/payments-harness';
import { skipFundedDevnetAccounts } from '../support/static-wallets';
import { newProject, TEST_MNEMONIC } from '../support/gateway';
import { useWorkflows } from '../support/workflows';

const USDT = (n: number) => BigInt(Math.round(n * 1e6));
const ERC20 = ['function balanceOf(address) view returns (uint256)'];

/** Faults the worker plays for a recipient address: a crash right after the real broadcast (once), or a broadcast that always fails. */
const faults = new Map<string, 'crash_after_broadcast' | 'broadcast_fails'>();
const crashed = new Set<string>();

async function worker(event: Record<string, unknown>): Promise<Record<string, unknown>> {
  const { deps } = await import('../../functions/kit/deps').then((m) => m.runtime());
  const w = event.withdrawalId ? await deps.withdrawals.get(String(event.withdrawalId)) : null;
  const fault = w ? faults.get(w.toAddress) : undefined;
  if (event.step === 'broadcast' && fault === 'broadcast_fails') throw new Error('injected: the broadcast task dies before sending');
  const out = await realWorker(event);
  if (event.step === 'broadcast' && fault === 'crash_after_broadcast' && w && !crashed.has(w.id)) {
    crashed.add(w.id);
    throw new Error('injected: the task dies after broadcasting, before answering');
  }
  return out;
}

let h: Harness;
let stopMining: (() => void) | null = null;
const flow = useWorkflows({ waitSeconds: 0, workers: { withdrawal: worker } });

beforeAll(async () => {
  h = await usePaymentsHarness({ env: { MNEMONIC: TEST_MNEMONIC, WITHDRAWAL_COOLING_OFF_HOURS: '0' } });
  await skipFundedDevnetAccounts(h.deps);
  await h.settle();
  // The hot wallet: gas from the devnet payer, and the tokens sweeps would have brought it.
  await h.fundHotWallet({ eth: 10n ** 18n * 5n, usdt: USDT(100_000) });
  // Confirmations need blocks: the devnet mines only when told to.
  stopMining = h.keepMining();
}, 90_000);

afterAll(async () => {
  stopMining?.();
  await h?.stop();
});

/** A project with `usd` of USDT_ERC20 credited by a real payment. */
async function fundedShop(usd: number) {
  const shop = await newProject({ testMode: false, partialTolerance: 'none' });
  const invoice = await h.invoiceFor(shop.project, 'USDT_ERC20', usd);
  await h.pay(invoice.selection?.address as string, invoice.selection?.amountToPay as bigint);
  // Until the credit is in (the watcher may need a few passes on a busy machine).
  for (let i = 0; i < 20 && (await h.deps.ledger.balance(shop.shopId, 'USDT_ERC20')).available === 0n; i++) await h.settle();
  return shop;
}

/** The token balance on chain; a read that anvil answers empty while it mines (seen under load) is read again. */
async function tokenBalance(address: string): Promise<bigint> {
  const token = new Contract(h.devnet.tokens.USDT_ERC20, ERC20, new JsonRpcProvider(h.devnet.rpcUrl, undefined, { staticNetwork: true }));
  for (let attempt = 1; ; attempt++) {
    try {
      return (await token.balanceOf(address, { blockTag: 'latest' })) as bigint;
    } catch (e) {
      if (attempt >= 5) throw e;
      await new Promise((r) => setTimeout(r, 200));
    }
  }
}

async function withdraw(shopId: string, to: string, amount: string): Promise<Withdrawal> {
  const project = await h.deps.projects.get(shopId);
  const made = await requestWithdrawal(h.deps, project as NonNullable<typeof project>, { code: 'USDT_ERC20', toAddress: to, walletId: null, amount, source: 'native_api', idempotency: null }, h.deps.clock.now());
  if (!made.ok) throw new Error(JSON.stringify(made.error));
  return made.value;
}

describe('50 concurrent withdrawals against one balance', () => {
  it('never overdraws: the holds that fit are paid, the rest fail, the sum sent is exact and no nonce is used twice', async () => {
    const shop = await fundedShop(300);
    const start = await h.deps.ledger.balance(shop.shopId, 'USDT_ERC20');
    const recipient = Wallet.createRandom().address;
    // Each asks 10 USDT plus the network fee: about a third fit.
    const made = await Promise.all(Array.from({ length: 50 }, () => withdraw(shop.shopId, recipient, '10')));
    const done = await Promise.all(made.map((w) => flow.waitFor(w.id, 'withdrawal', 120_000)));
    expect(done.every((e) => e.status === 'succeeded')).toBe(true);
    const final = await Promise.all(made.map(async (w) => (await h.deps.withdrawals.get(w.id)) as Withdrawal));
    const paid = final.filter((w) => w.status === 'confirmed');
    const refused = final.filter((w) => w.status === 'failed');
    expect(paid.length + refused.length).toBe(50);
    expect(paid.length).toBe(Number(start.available / made[0].holdAmount));
    expect(refused.every((w) => w.reason?.includes('insufficient balance'))).toBe(true);
    // Exact on chain: the recipient holds exactly what the paid ones sent.
    expect(await tokenBalance(recipient)).toBe(paid.reduce((sum, w) => sum + w.sendAmount, 0n));
    // One nonce each, never shared.
    const nonces = paid.map((w) => w.tx?.nonce);
    expect(new Set(nonces).size).toBe(paid.length);
    // The books: nothing held, available is what is left, never below zero.
    const end = await h.deps.ledger.balance(shop.shopId, 'USDT_ERC20');
    expect(end.held).toBe(0n);
    expect(end.available).toBe(start.available - paid.reduce((sum, w) => sum + w.holdAmount, 0n));
    expect(end.available >= 0n).toBe(true);
  }, 180_000);
});

describe('a worker that crashes around the broadcast', () => {
  it('crash after broadcasting: the retried execution sends nothing twice', async () => {
    const shop = await fundedShop(50);
    const recipient = Wallet.createRandom().address;
    faults.set(recipient, 'crash_after_broadcast');
    const w = await withdraw(shop.shopId, recipient, '20');
    const run = await flow.waitFor(w.id, 'withdrawal', 60_000);
    expect(run.status).toBe('succeeded');
    expect(crashed.has(w.id)).toBe(true);
    const final = (await h.deps.withdrawals.get(w.id)) as Withdrawal;
    expect(final.status).toBe('confirmed');
    expect(await tokenBalance(recipient)).toBe(final.sendAmount);
    expect((await h.deps.ledger.balance(shop.shopId, 'USDT_ERC20')).held).toBe(0n);
  }, 90_000);

  it('crash before broadcasting: the hold is released, the signed nonce is used up by a cancel, and the next withdrawal is paid', async () => {
    const shop = await fundedShop(50);
    const before = await h.deps.ledger.balance(shop.shopId, 'USDT_ERC20');
    const recipient = Wallet.createRandom().address;
    faults.set(recipient, 'broadcast_fails');
    const w = await withdraw(shop.shopId, recipient, '20');
    const run = await flow.waitFor(w.id, 'withdrawal', 60_000);
    expect(run.status, JSON.stringify(run)).toBe('succeeded');
    const final = (await h.deps.withdrawals.get(w.id)) as Withdrawal;
    expect(final.status).toBe('failed');
    expect(await tokenBalance(recipient)).toBe(0n);
    const after = await h.deps.ledger.balance(shop.shopId, 'USDT_ERC20');
    expect(after.available).toBe(before.available);
    expect(after.held).toBe(0n);
    // No nonce gap: a withdrawal after it lands.
    const next = await withdraw(shop.shopId, Wallet.createRandom().address, '5');
    expect((await flow.waitFor(next.id, 'withdrawal', 60_000)).status).toBe('succeeded');
    expect(((await h.deps.withdrawals.get(next.id)) as Withdrawal).status).toBe('confirmed');
  }, 120_000);
});
