/**
 * Attacks on the withdrawal path, on the real devnet, table and workflow definitions (run by the
 * local host with the real worker wrapped by a fault injector). Each case is a way money could be
 * sent twice, released while it can still land, or a hot wallet stalled.
 */
import { Contract, JsonRpcProvider, Wallet } from 'ethers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fundsOutDeps } from '../../functions/kit/chain-senders';
import '../../functions/kit/chain-senders-evm';
import { handler as realWorker } from '../../functions/tasks/withdrawal';
import { cancelWithdrawal, requestWithdrawal } from '../../shared/app/withdrawals';
import type { Withdrawal } from '../../shared/domain/withdrawal';
import { type Harness, usePaymentsHarness } from '../support/payments-harness';
import { skipFundedDevnetAccounts } from '../support/static-wallets';
import { newProject, TEST_MNEMONIC } from '../support/gateway';
import { useWorkflows } from '../support/workflows';

const USDT = (n: number) => BigInt(Math.round(n * 1e6));
const ERC20 = ['function balanceOf(address) view returns (uint256)'];

type Fault = 'cancel_during_sign' | 'sign_dies_after_nonce';
const faults = new Map<string, Fault>();

async function worker(event: Record<string, unknown>): Promise<Record<string, unknown>> {
  const { deps } = await import('../../functions/kit/deps').then((m) => m.runtime());
  const w = event.withdrawalId ? await deps.withdrawals.get(String(event.withdrawalId)) : null;
  const fault = w ? faults.get(w.toAddress) : undefined;
  if (w && event.step === 'sign' && fault === 'cancel_during_sign' && w.status === 'held') {
    // The sign step has claimed its nonce when the merchant's cancel wins the race to the item.
    const out = await fundsOutDeps();
    const sender = out.senders(w.chain);
    const hot = sender.hotAddress();
    await out.nonces.take(w.chain, hot, (await sender.minedNonce(hot)) ?? 0, w.id);
    const project = await deps.projects.get(w.shopId);
    const canceled = await cancelWithdrawal(deps, project as NonNullable<typeof project>, w.id, deps.clock.now());
    if (!canceled.ok) throw new Error(`test setup: cancel refused ${JSON.stringify(canceled.error)}`);
  }
  if (w && event.step === 'sign' && fault === 'sign_dies_after_nonce') {
    // Every attempt claims its nonce and dies before storing what it signed (as when the hot wallet lacks the token and the gas estimate reverts).
    const out = await fundsOutDeps();
    const sender = out.senders(w.chain);
    const hot = sender.hotAddress();
    await out.nonces.take(w.chain, hot, (await sender.minedNonce(hot)) ?? 0, w.id);
    throw new Error('injected: the sign task dies after claiming its nonce');
  }
  return realWorker(event);
}

let h: Harness;
let stopMining: (() => void) | null = null;
const flow = useWorkflows({ waitSeconds: 0, workers: { withdrawal: worker } });

beforeAll(async () => {
  h = await usePaymentsHarness({ env: { MNEMONIC: TEST_MNEMONIC, WITHDRAWAL_COOLING_OFF_HOURS: '0' } });
  await skipFundedDevnetAccounts(h.deps);
  await h.settle();
  // The hot wallet: gas, and the tokens sweeps would have brought it.
  await h.fundHotWallet({ eth: 10n ** 18n * 5n, usdt: USDT(100_000) });
  // Confirmations need blocks: the devnet mines only when told to.
  stopMining = h.keepMining();
}, 90_000);

afterAll(async () => {
  stopMining?.();
  await h?.stop();
});

async function fundedShop(usd: number) {
  const shop = await newProject({ testMode: false, partialTolerance: 'none' });
  const invoice = await h.invoiceFor(shop.project, 'USDT_ERC20', usd);
  await h.pay(invoice.selection?.address as string, invoice.selection?.amountToPay as bigint);
  // Settle until the credit is in (the background miner and the watcher interleave).
  for (let i = 0; i < 30 && (await h.deps.ledger.balance(shop.shopId, 'USDT_ERC20')).available === 0n; i++) await h.settle();
  return shop;
}

const tokenBalance = (address: string) => new Contract(h.devnet.tokens.USDT_ERC20, ERC20, new JsonRpcProvider(h.devnet.rpcUrl)).balanceOf(address) as Promise<bigint>;

async function withdraw(shopId: string, to: string, amount: string): Promise<Withdrawal> {
  const project = await h.deps.projects.get(shopId);
  const made = await requestWithdrawal(h.deps, project as NonNullable<typeof project>, { code: 'USDT_ERC20', toAddress: to, walletId: null, amount, source: 'native_api', idempotency: null }, h.deps.clock.now());
  if (!made.ok) throw new Error(JSON.stringify(made.error));
  return made.value;
}

describe('a cancel that wins the race with the sign step', () => {
  it('releases the hold and uses up the nonce the sign step claimed, so the next withdrawal is paid', async () => {
    const shop = await fundedShop(50);
    const before = await h.deps.ledger.balance(shop.shopId, 'USDT_ERC20');
    const recipient = Wallet.createRandom().address;
    faults.set(recipient, 'cancel_during_sign');
    const w = await withdraw(shop.shopId, recipient, '20');
    expect((await flow.waitFor(w.id, 'withdrawal', 60_000)).status).toBe('succeeded');
    expect(((await h.deps.withdrawals.get(w.id)) as Withdrawal).status).toBe('canceled');
    expect(await tokenBalance(recipient)).toBe(0n);
    const after = await h.deps.ledger.balance(shop.shopId, 'USDT_ERC20');
    expect(after).toMatchObject({ available: before.available, held: 0n });
    // The claimed nonce must not be left as a gap that stalls every later withdrawal.
    const next = await withdraw(shop.shopId, Wallet.createRandom().address, '5');
    const run = await flow.waitFor(next.id, 'withdrawal', 30_000).catch((e: Error) => ({ status: `not done: ${e.message.slice(0, 200)}` }));
    expect(run.status).toBe('succeeded');
    expect(((await h.deps.withdrawals.get(next.id)) as Withdrawal).status).toBe('confirmed');
  }, 120_000);
});

describe('a sign step that keeps dying after claiming its nonce', () => {
  it('releases the hold once the retries are spent and leaves no nonce gap', async () => {
    const shop = await fundedShop(50);
    const before = await h.deps.ledger.balance(shop.shopId, 'USDT_ERC20');
    const recipient = Wallet.createRandom().address;
    faults.set(recipient, 'sign_dies_after_nonce');
    const w = await withdraw(shop.shopId, recipient, '20');
    expect((await flow.waitFor(w.id, 'withdrawal', 60_000)).status).toBe('succeeded');
    expect(((await h.deps.withdrawals.get(w.id)) as Withdrawal).status).toBe('failed');
    expect(await h.deps.ledger.balance(shop.shopId, 'USDT_ERC20')).toMatchObject({ available: before.available, held: 0n });
    const next = await withdraw(shop.shopId, Wallet.createRandom().address, '5');
    const run = await flow.waitFor(next.id, 'withdrawal', 30_000).catch((e: Error) => ({ status: `not done: ${e.message.slice(0, 200)}` }));
    expect(run.status).toBe('succeeded');
  }, 120_000);
});
