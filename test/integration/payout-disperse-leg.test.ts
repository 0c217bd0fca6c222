/**
 * A mass payout's disperse leg on the real devnet and table: items (withdrawals with `batch` set)
 * written through the batch store, held with the withdrawal hold step from a balance the real
 * watcher credited, then the leg steps: the approval, one disperse transaction for 200 items (one
 * to the zero address, which the token refuses), depth, settlement per item from the contract's
 * events. And a leg released before its transaction was sent: the nonce is cancelled, every hold
 * goes back.
 */
import { Contract, JsonRpcProvider, Wallet } from 'ethers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fundsOutDeps } from '../../functions/kit/chain-senders';
import '../../functions/kit/chain-senders-evm';
import { devnetPay } from '../../lib/local/engines/devnet';
import { confirmDisperseLeg, type LegRef, REFUSED_REASON, releaseDisperseLeg, sendDisperseLeg, settleDisperseLeg } from '../../shared/app/payout-disperse-leg';
import { holdStep } from '../../shared/app/withdrawal-steps';
import { DEPLOYMENT_OWNER } from '../../shared/domain/ledger';
import { batchItemId, type PayoutBatch, planLegs } from '../../shared/domain/payout-batch';
import type { Withdrawal } from '../../shared/domain/withdrawal';
import type { Deps } from '../../shared/ports';
import type { FundsOutDeps } from '../../shared/ports/funds-out';
import { type Harness, usePaymentsHarness } from '../support/payments-harness';
import { skipFundedDevnetAccounts } from '../support/static-wallets';
import { newProject, TEST_MNEMONIC } from '../support/gateway';

const USDT = (n: number) => BigInt(Math.round(n * 1e6));
const ZERO = '0x0000000000000000000000000000000000000000';
/** What each item is charged as its network fee (merchant side): held with it, kept as fee income when paid. */
const ITEM_FEE = USDT(0.05);

let h: Harness;
let deps: Deps & FundsOutDeps;

beforeAll(async () => {
  h = await usePaymentsHarness({ env: { MNEMONIC: TEST_MNEMONIC, WITHDRAWAL_COOLING_OFF_HOURS: '0' } });
  await skipFundedDevnetAccounts(h.deps);
  await h.settle();
  deps = { ...h.deps, ...(await fundsOutDeps()) };
  // The hot wallet: gas from the devnet payer, and the tokens sweeps would have brought it.
  const hot = deps.senders('ethereum').hotAddress();
  await devnetPay(h.devnet.rpcUrl, h.devnet.payerPrivateKey, { token: null, to: hot, amount: 10n ** 18n * 5n });
  await devnetPay(h.devnet.rpcUrl, h.devnet.payerPrivateKey, { token: h.devnet.tokens.USDT_ERC20, to: hot, amount: USDT(100_000) });
}, 90_000);

afterAll(async () => {
  await h?.stop();
});

async function tokenBalance(address: string): Promise<bigint> {
  const token = new Contract(h.devnet.tokens.USDT_ERC20, ['function balanceOf(address) view returns (uint256)'], new JsonRpcProvider(h.devnet.rpcUrl, undefined, { staticNetwork: true }));
  return (await token.balanceOf(address, { blockTag: 'latest' })) as bigint;
}

/** A project with `usd` of USDT_ERC20 credited by a real payment. */
async function fundedShop(usd: number) {
  const shop = await newProject({ testMode: false, partialTolerance: 'none' });
  const invoice = await h.invoiceFor(shop.project, 'USDT_ERC20', usd);
  await h.pay(invoice.selection?.address as string, invoice.selection?.amountToPay as bigint);
  // Confirmations need blocks: the devnet mines only when told to.
  for (let i = 0; i < 20 && (await h.deps.ledger.balance(shop.shopId, 'USDT_ERC20')).available === 0n; i++) {
    await h.mine(1);
    await h.settle();
  }
  return shop;
}

/** A batch written through the store, its items held by the withdrawal hold step, planned into legs (every one a disperse leg). */
async function heldBatch(shopId: string, batchId: string, recipients: { to: string; amount: bigint }[]): Promise<{ legs: LegRef[]; items: Withdrawal[] }> {
  const now = deps.clock.now();
  const items: Withdrawal[] = recipients.map((r, i) => ({
    id: batchItemId(batchId, i + 1),
    shopId,
    code: 'USDT_ERC20',
    chain: 'ethereum',
    toAddress: r.to,
    walletId: null,
    amount: r.amount,
    fee: ITEM_FEE,
    feeSide: 'merchant',
    sendAmount: r.amount,
    holdAmount: r.amount + ITEM_FEE,
    source: 'batch',
    batch: { id: batchId, index: i + 1, reference: `ref-${batchId}-${i + 1}` },
    status: 'requested',
    reason: null,
    tx: null,
    replaced: [],
    landed: null,
    createdAt: now,
    updatedAt: now,
    version: 1,
  }));
  const batch: PayoutBatch = {
    id: batchId,
    shopId,
    status: 'creating',
    itemIds: items.map((w) => w.id),
    totals: [{ code: 'USDT_ERC20', amount: items.reduce((s, w) => s + w.amount, 0n), fee: ITEM_FEE * BigInt(items.length) }],
    usdCents: 0n,
    approval: { required: false, approvedAt: null },
    source: 'cli',
    createdAt: now,
    updatedAt: now,
    version: 1,
  };
  expect((await deps.payoutBatches.create(batch, null)).kind).toBe('created');
  expect((await deps.payoutBatches.addItems(items)).taken).toEqual([]);
  for (const w of items) expect((await holdStep(deps, w.id)).outcome).toBe('held');
  const held = await deps.payoutBatches.items(batch.itemIds);
  const legs = planLegs(batchId, held, () => true, now);
  await deps.payoutBatches.putLegs(legs);
  return { legs: legs.map((l) => ({ batchId, legId: l.id })), items: held };
}

/** The Map iteration's Send ⟲ and Confirm ⟲, with the devnet mining only when told to. */
async function runLeg(ref: LegRef): Promise<void> {
  for (let i = 0; (await sendDisperseLeg(deps, ref)).state === 'waiting'; i++) {
    if (i > 20) throw new Error('the approval never let the leg go on');
    await h.mine(1);
  }
  for (let i = 0; (await confirmDisperseLeg(deps, ref)).state === 'pending'; i++) {
    if (i > 20) throw new Error('the leg never landed deep enough');
    await h.mine(1);
  }
  await settleDisperseLeg(deps, ref);
}

describe('a disperse leg of 200 items', () => {
  it('pays 199 in one transaction, fails the refused one with its hold released, settles each item once and holds nothing after', async () => {
    const shop = await fundedShop(500);
    const start = await h.deps.ledger.balance(shop.shopId, 'USDT_ERC20');
    const recipients = Array.from({ length: 200 }, (_, i) => ({ to: i === 42 ? ZERO : Wallet.createRandom().address, amount: USDT(1) + BigInt(i) }));
    const { legs, items } = await heldBatch(shop.shopId, 'PB-DISP0001', recipients);
    expect(legs).toHaveLength(1);
    const [ref] = legs;
    expect((await h.deps.ledger.balance(shop.shopId, 'USDT_ERC20')).held).toBe(items.reduce((s, w) => s + w.holdAmount, 0n));

    await runLeg(ref);

    const leg = await deps.payoutBatches.getLeg(ref.batchId, ref.legId);
    expect(leg?.status).toBe('settled');
    expect(leg?.approval).not.toBeNull(); // a fresh hot wallet had approved nothing
    const final = await deps.payoutBatches.items(items.map((w) => w.id));
    // One transaction: every item carries the leg's landed hash.
    expect(new Set(final.map((w) => w.tx?.hash))).toEqual(new Set([leg?.landed?.hash]));
    const paid = final.filter((w) => w.status === 'confirmed');
    const refused = final.filter((w) => w.status === 'failed');
    expect(paid).toHaveLength(199);
    expect(refused.map((w) => w.id)).toEqual([items[42].id]);
    expect(refused[0].reason).toBe(REFUSED_REASON);
    // On chain: 199 balances, each exactly its amount.
    const balances = await Promise.all(paid.map((w) => tokenBalance(w.toAddress)));
    expect(balances).toEqual(paid.map((w) => w.sendAmount));
    // The books: a settle entry per paid item, a release for the refused one, nothing held, one gas entry for the leg and one for its approval.
    for (const w of paid) expect(await h.deps.ledger.posted(shop.shopId, 'USDT_ERC20', `${w.id}:settle`)).toBe(true);
    expect(await h.deps.ledger.posted(shop.shopId, 'USDT_ERC20', `${refused[0].id}:release`)).toBe(true);
    expect(await h.deps.ledger.posted(shop.shopId, 'USDT_ERC20', `${refused[0].id}:settle`)).toBe(false);
    expect(await h.deps.ledger.posted(DEPLOYMENT_OWNER, 'ETH', `${ref.legId}:gas`)).toBe(true);
    expect(await h.deps.ledger.posted(DEPLOYMENT_OWNER, 'ETH', `${ref.legId}:approve:gas`)).toBe(true);
    const end = await h.deps.ledger.balance(shop.shopId, 'USDT_ERC20');
    expect(end.held).toBe(0n);
    expect(end.available).toBe(start.available - paid.reduce((s, w) => s + w.holdAmount, 0n));

    // Every step again (a retried task): nothing moves twice.
    const hotBefore = await tokenBalance(deps.senders('ethereum').hotAddress());
    expect((await sendDisperseLeg(deps, ref)).state).toBe('sent');
    expect((await confirmDisperseLeg(deps, ref)).state).toBe('landed');
    await settleDisperseLeg(deps, ref);
    expect((await releaseDisperseLeg(deps, ref, 'a late retry')).released).toBe(true);
    expect(await h.deps.ledger.balance(shop.shopId, 'USDT_ERC20')).toEqual(end);
    expect(await tokenBalance(deps.senders('ethereum').hotAddress())).toBe(hotBefore);
    expect((await deps.payoutBatches.items(items.map((w) => w.id))).map((w) => w.version)).toEqual(final.map((w) => w.version));
  }, 180_000);
});

describe('a disperse leg released before its transaction was sent', () => {
  it('cancels the nonce it signed at, then fails every item with its hold released; the next leg is paid', async () => {
    const shop = await fundedShop(50);
    const start = await h.deps.ledger.balance(shop.shopId, 'USDT_ERC20');
    const { legs, items } = await heldBatch(shop.shopId, 'PB-DISP0002', Array.from({ length: 5 }, () => ({ to: Wallet.createRandom().address, amount: USDT(2) })));
    const [ref] = legs;
    // Sign (the allowance is there from the first test), but the broadcast never happens: the leg is stored `signed`.
    const sender = deps.senders('ethereum');
    const broadcast = sender.broadcast.bind(sender);
    sender.broadcast = async () => {
      throw new Error('injected: the node is unreachable');
    };
    try {
      await expect(sendDisperseLeg(deps, ref)).rejects.toThrow(/unreachable/);
    } finally {
      sender.broadcast = broadcast;
    }
    const signed = await deps.payoutBatches.getLeg(ref.batchId, ref.legId);
    expect(signed?.status).toBe('signed');
    expect((await deps.payoutBatches.items(items.map((w) => w.id))).every((w) => w.status === 'signed')).toBe(true);

    // The first release sends the cancel at the leg's open nonce and waits for it to land.
    await expect(releaseDisperseLeg(deps, ref, 'the broadcast failed')).rejects.toThrow(/may still land/);
    await h.mine(1);
    expect((await releaseDisperseLeg(deps, ref, 'the broadcast failed')).released).toBe(true);
    const final = await deps.payoutBatches.items(items.map((w) => w.id));
    expect(final.every((w) => w.status === 'failed' && w.reason === 'the broadcast failed')).toBe(true);
    expect(await Promise.all(final.map((w) => tokenBalance(w.toAddress)))).toEqual(final.map(() => 0n));
    expect(await h.deps.ledger.balance(shop.shopId, 'USDT_ERC20')).toEqual(start);
    expect((await deps.payoutBatches.getLeg(ref.batchId, ref.legId))?.status).toBe('failed');
    expect(await sender.receipt(signed?.tx?.hash as string)).toBeNull();

    // No gap left behind: the next leg's transaction lands.
    const next = await heldBatch(shop.shopId, 'PB-DISP0003', [{ to: Wallet.createRandom().address, amount: USDT(3) }]);
    await runLeg(next.legs[0]);
    const [paid] = await deps.payoutBatches.items([next.items[0].id]);
    expect(paid.status).toBe('confirmed');
    expect(await tokenBalance(paid.toAddress)).toBe(USDT(3));
    expect((await h.deps.ledger.balance(shop.shopId, 'USDT_ERC20')).held).toBe(0n);
  }, 120_000);
});
