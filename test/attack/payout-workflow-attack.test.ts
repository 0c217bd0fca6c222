/**
 * Attacks on the mass payout workflow's legs (issue 14), on the real devnet, table, workflow host
 * and worker: a lost approval broadcast beside another leg's approval, a crash between the nonce
 * claim and the leg's save, the allowance revoked between the check and the disperse, a hot
 * wallet without gas, a fee bump whose REPLACED transaction (or approval) lands, steps run out
 * of order. After
 * each: nothing paid twice, nothing paid and released, no nonce gap (a later transaction of the
 * hot wallet lands), and the reconciliation finds no drift.
 */
import { Contract, JsonRpcProvider, Wallet } from 'ethers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fundsOutDeps } from '../../functions/kit/chain-senders';
import '../../functions/kit/chain-senders-evm';
import { reconciliationReaders } from '../../functions/kit/reconciliation';
import { hotWalletAddresses } from '../../lib/local/dev-defaults';
import { devnetPay } from '../../lib/local/engines/devnet';
import { signingKeys } from '../../shared/adapters/chains/signing-keys';
import { FEE_BUMP_AFTER_MS } from '../../shared/app/outgoing-tx';
import { confirmDisperseLeg, type LegRef, PayoutLegStopped, REFUSED_REASON, releaseDisperseLeg, sendDisperseLeg, settleDisperseLeg } from '../../shared/app/payout-disperse-leg';
import { holdBatch } from '../../shared/app/payout-steps';
import { reconcile } from '../../shared/app/reconciliation';
import { DEPLOYMENT_OWNER } from '../../shared/domain/ledger';
import type { Withdrawal } from '../../shared/domain/withdrawal';
import type { Deps } from '../../shared/ports';
import type { ChainSender, FundsOutDeps } from '../../shared/ports/funds-out';
import { newProject, TEST_MNEMONIC } from '../support/gateway';
import { type Harness, usePaymentsHarness } from '../support/payments-harness';
import { queueTestBatch, testFee } from '../support/payout-batch-builder';
import { skipFundedDevnetAccounts } from '../support/static-wallets';
import { useWorkflows } from '../support/workflows';

const USDT = (n: number) => BigInt(Math.round(n * 1e6));
const USDT_FEE = testFee('ethereum', 'USDT_ERC20');
const ETH = 10n ** 18n;

let h: Harness;
let deps: Deps & FundsOutDeps;
let provider: JsonRpcProvider;
let hot: string;
const shops: string[] = [];
const flow = useWorkflows({ waitSeconds: 0 });

beforeAll(async () => {
  h = await usePaymentsHarness({ env: { MNEMONIC: TEST_MNEMONIC, WITHDRAWAL_COOLING_OFF_HOURS: '0', HOT_WALLETS_JSON: JSON.stringify({ ethereum: hotWalletAddresses(TEST_MNEMONIC).evm }) } });
  await skipFundedDevnetAccounts(h.deps);
  await h.settle();
  deps = { ...h.deps, ...(await fundsOutDeps()) };
  provider = new JsonRpcProvider(h.devnet.rpcUrl, undefined, { staticNetwork: true });
  hot = deps.senders('ethereum').hotAddress();
  await devnetPay(h.devnet.rpcUrl, h.devnet.payerPrivateKey, { token: null, to: hot, amount: ETH * 5n });
  await devnetPay(h.devnet.rpcUrl, h.devnet.payerPrivateKey, { token: h.devnet.tokens.USDT_ERC20, to: hot, amount: USDT(10_000) });
}, 90_000);

afterAll(async () => {
  provider?.destroy();
  await h?.stop();
});

const token = () => new Contract(h.devnet.tokens.USDT_ERC20, ['function balanceOf(address) view returns (uint256)', 'function allowance(address,address) view returns (uint256)', 'function approve(address,uint256) returns (bool)'], provider);
const usdtOf = async (address: string) => (await token().balanceOf(address, { blockTag: 'latest' })) as bigint;

async function fundedShop(usd: number) {
  const shop = await newProject({ testMode: false, partialTolerance: 'none' });
  const invoice = await h.invoiceFor(shop.project, 'USDT_ERC20', usd);
  await h.pay(invoice.selection?.address as string, invoice.selection?.amountToPay as bigint);
  for (let i = 0; i < 20 && (await h.deps.ledger.balance(shop.shopId, 'USDT_ERC20')).available === 0n; i++) {
    await h.mine(1);
    await h.settle();
  }
  shops.push(shop.shopId);
  return { ...shop, start: await h.deps.ledger.balance(shop.shopId, 'USDT_ERC20') };
}

/** A USDT batch held by the real Hold step: its one disperse leg. */
async function heldLeg(shopId: string, count: number, amount = USDT(1)): Promise<{ ref: LegRef; items: Withdrawal[] }> {
  const to = Array.from({ length: count }, () => Wallet.createRandom().address);
  const { batch } = await queueTestBatch(h.deps, shopId, to.map((address) => ({ code: 'USDT_ERC20', chain: 'ethereum', to: address, amount, fee: USDT_FEE })), { start: false });
  const answer = await holdBatch(deps, batch.id);
  if (answer.state !== 'held') throw new Error('not held');
  expect(answer.legs).toHaveLength(1);
  return { ref: answer.legs[0], items: await h.deps.payoutBatches.items(batch.itemIds) };
}

/** anvil mines each transaction as it comes (automine); off, transactions wait in its mempool until h.mine. */
const automine = (on: boolean) => provider.send('evm_setAutomine', [on]);

/** The legs' Send ⟲ then Confirm ⟲ side by side (as the Map runs them), then Settle, mining one block a round. */
async function runLegs(refs: readonly LegRef[]): Promise<void> {
  const open = new Set(refs);
  for (let i = 0; open.size > 0; i++) {
    if (i > 20) throw new Error(`${[...open].map((r) => r.legId).join(', ')}: the approval never let the leg go on`);
    for (const ref of [...open]) if ((await sendDisperseLeg(deps, ref)).state === 'sent') open.delete(ref);
    await h.mine(1);
  }
  for (const ref of refs) open.add(ref);
  for (let i = 0; open.size > 0; i++) {
    if (i > 20) throw new Error(`${[...open].map((r) => r.legId).join(', ')}: never landed`);
    for (const ref of [...open]) if ((await confirmDisperseLeg(deps, ref)).state === 'landed') open.delete(ref);
    await h.mine(1);
  }
  for (const ref of refs) await settleDisperseLeg(deps, ref);
}

/** Send ⟲ and Confirm ⟲, then Settle, mining one block a round. */
async function runLeg(ref: LegRef, d: Deps & FundsOutDeps = deps): Promise<void> {
  for (let i = 0; (await sendDisperseLeg(d, ref)).state === 'waiting'; i++) {
    if (i > 10) throw new Error(`${ref.legId}: the approval never let the leg go on`);
    await h.mine(1);
  }
  for (let i = 0; (await confirmDisperseLeg(d, ref)).state === 'pending'; i++) {
    if (i > 10) throw new Error(`${ref.legId}: the leg never landed`);
    await h.mine(1);
  }
  await settleDisperseLeg(d, ref);
}

const itemsNow = (items: readonly Withdrawal[]) => h.deps.payoutBatches.items(items.map((w) => w.id));
const legNow = (ref: LegRef) => h.deps.payoutBatches.getLeg(ref.batchId, ref.legId);

/** A later payout of the hot wallet still lands (no nonce gap left behind). */
async function nextLegLands(shopId: string): Promise<void> {
  const next = await heldLeg(shopId, 1, USDT(0.5));
  await runLeg(next.ref);
  const [w] = await itemsNow(next.items);
  expect(w.status).toBe('confirmed');
  expect(await usdtOf(w.toAddress)).toBe(USDT(0.5));
}

/** The reconciliation's ETH line: what the chain holds beyond the books (every gas burned and booked leaves it unchanged). */
async function ethGap(): Promise<bigint> {
  const report = await reconcile(h.deps, reconciliationReaders());
  expect(report.balanceDrifts).toEqual([]);
  const line = report.assets.find((a) => a.chain === 'ethereum' && a.code === 'ETH');
  if (!line) throw new Error('no ETH line in the reconciliation');
  return line.difference;
}

/** Swaps the sender's broadcast for the duration of `work`. */
async function withBroadcast<T>(replace: (real: ChainSender['broadcast']) => ChainSender['broadcast'], work: () => Promise<T>): Promise<T> {
  const sender = deps.senders('ethereum');
  const real = sender.broadcast.bind(sender);
  sender.broadcast = replace(real);
  try {
    return await work();
  } finally {
    sender.broadcast = real;
  }
}

describe('an approval lost on its way while another leg\'s approval lands', () => {
  it('is sent again before the leg signs at a later nonce: no gap, both legs paid', async () => {
    const shop = await fundedShop(100);
    expect(await token().allowance(hot, h.devnet.disperseContract)).toBe(0n);
    const x = await heldLeg(shop.shopId, 2);
    const y = await heldLeg(shop.shopId, 2);
    await automine(false);
    expect(await sendDisperseLeg(deps, x.ref)).toEqual({ state: 'waiting' });
    // Y's approval is stored, but the node refuses it for now (a pool full, a blip): it is in no mempool.
    await withBroadcast(
      () => async () => ({ kind: 'rejected', reason: 'txpool is full', permanent: false }),
      async () => expect(await sendDisperseLeg(deps, y.ref)).toEqual({ state: 'waiting' }),
    );
    expect((await legNow(y.ref))?.approval).not.toBeNull();
    await h.mine(1); // X's approval lands: the allowance is the maximum
    await automine(true);
    await runLegs([x.ref, y.ref]);
    for (const w of await itemsNow([...x.items, ...y.items])) {
      expect(w.status, w.id).toBe('confirmed');
      expect(await usdtOf(w.toAddress)).toBe(w.sendAmount);
    }
    expect((await h.deps.ledger.balance(shop.shopId, 'USDT_ERC20')).held).toBe(0n);
    await nextLegLands(shop.shopId);
  }, 120_000);
});

/** A Send whose Lambda dies after claiming the leg's nonce, before anything is signed or stored. */
async function sendDyingAfterNonceClaim(ref: LegRef): Promise<void> {
  const disperse = deps.senders('ethereum').disperse;
  if (!disperse) throw new Error('no disperse');
  const real = disperse.signDisperse.bind(disperse);
  disperse.signDisperse = async () => {
    throw new Error('injected: the Lambda died');
  };
  try {
    await expect(sendDisperseLeg(deps, ref)).rejects.toThrow(/Lambda died/);
  } finally {
    disperse.signDisperse = real;
  }
}

describe('a crash after the disperse nonce is claimed, before the leg stores its transaction', () => {
  it('sent again: the same nonce, paid once', async () => {
    const shop = await fundedShop(50);
    const { ref, items } = await heldLeg(shop.shopId, 3);
    await sendDyingAfterNonceClaim(ref);
    const claimed = await deps.nonces.claimed('ethereum', hot, ref.legId);
    expect(claimed).not.toBeNull();
    expect((await legNow(ref))?.tx).toBeNull();
    await runLeg(ref);
    expect((await legNow(ref))?.tx?.nonce).toBe(claimed);
    for (const w of await itemsNow(items)) expect(await usdtOf(w.toAddress)).toBe(w.sendAmount);
    await nextLegLands(shop.shopId);
  }, 120_000);

  it('released instead: the claimed nonce is used up, every hold goes back, the next leg lands', async () => {
    const shop = await fundedShop(50);
    const { ref, items } = await heldLeg(shop.shopId, 3);
    await sendDyingAfterNonceClaim(ref);
    for (let i = 0; !(await releaseDisperseLeg(deps, ref, 'the send kept failing').catch(() => ({ released: false }))).released; i++) {
      if (i > 5) throw new Error('never released');
      await h.mine(1);
    }
    const final = await itemsNow(items);
    expect(final.map((w) => w.status)).toEqual(['failed', 'failed', 'failed']);
    for (const w of final) expect(await usdtOf(w.toAddress)).toBe(0n);
    expect(await h.deps.ledger.balance(shop.shopId, 'USDT_ERC20')).toEqual(shop.start);
    // Out of order after the release: nothing moves.
    await expect(sendDisperseLeg(deps, ref)).rejects.toThrow(PayoutLegStopped);
    await expect(confirmDisperseLeg(deps, ref)).rejects.toThrow(PayoutLegStopped);
    await expect(settleDisperseLeg(deps, ref)).rejects.toThrow();
    await nextLegLands(shop.shopId);
  }, 120_000);
});

describe('the allowance revoked between the check and the disperse', () => {
  it('pays nobody: every item refused and released, the gas booked, and a new approval pays the next leg', async () => {
    const shop = await fundedShop(50);
    const { ref, items } = await heldLeg(shop.shopId, 3);
    const disperse = deps.senders('ethereum').disperse;
    if (!disperse) throw new Error('no disperse');
    const real = disperse.signDisperse.bind(disperse);
    const hotKey = signingKeys(TEST_MNEMONIC, 'evm').hot().privateKey;
    disperse.signDisperse = async (req) => {
      // Someone with the hot key revokes, at the nonce just before the leg's.
      const wallet = new Wallet(hotKey, provider);
      const revoke = await (token().connect(wallet) as Contract).approve(h.devnet.disperseContract, 0n, { nonce: req.nonce - 1 });
      void revoke;
      return real(req);
    };
    try {
      // The revoke must take the nonce before the leg's: claim the leg's after a spare one.
      const mined = (await deps.senders('ethereum').minedNonce(hot)) as number;
      await deps.nonces.take('ethereum', hot, mined, 'attack:revoke');
      expect((await sendDisperseLeg(deps, ref)).state).toBe('sent');
    } finally {
      disperse.signDisperse = real;
    }
    await h.mine(1);
    expect(await token().allowance(hot, h.devnet.disperseContract)).toBe(0n);
    for (let i = 0; (await confirmDisperseLeg(deps, ref)).state === 'pending'; i++) {
      if (i > 5) throw new Error('never landed');
      await h.mine(1);
    }
    await settleDisperseLeg(deps, ref);
    const final = await itemsNow(items);
    expect(final.map((w) => [w.status, w.reason])).toEqual(final.map(() => ['failed', REFUSED_REASON]));
    for (const w of final) expect(await usdtOf(w.toAddress)).toBe(0n);
    expect(await h.deps.ledger.balance(shop.shopId, 'USDT_ERC20')).toEqual(shop.start);
    expect(await h.deps.ledger.posted(DEPLOYMENT_OWNER, 'ETH', `${ref.legId}:gas`)).toBe(true);
    await nextLegLands(shop.shopId);
  }, 120_000);
});

describe('a fee bump whose REPLACED transaction lands', () => {
  it('reads the results from the hash that landed and books its gas', async () => {
    const shop = await fundedShop(50);
    const { ref, items } = await heldLeg(shop.shopId, 3);
    await automine(false);
    expect((await sendDisperseLeg(deps, ref)).state).toBe('sent');
    const first = (await legNow(ref))?.tx;
    // Minutes later, still in no block: the replacement is signed, but never reaches a node.
    const later = { ...deps, clock: { now: () => Date.now() + FEE_BUMP_AFTER_MS + 60_000 } };
    await withBroadcast(
      () => async () => ({ kind: 'accepted' }),
      async () => expect((await confirmDisperseLeg(later, ref)).state).toBe('pending'),
    );
    const bumped = await legNow(ref);
    expect(bumped?.tx?.hash).not.toBe(first?.hash);
    expect(bumped?.replaced.map((t) => t.hash)).toEqual([first?.hash]);
    await h.mine(1);
    await automine(true);
    for (let i = 0; (await confirmDisperseLeg(deps, ref)).state === 'pending'; i++) {
      if (i > 5) throw new Error('never landed');
      await h.mine(1);
    }
    expect((await legNow(ref))?.landed?.hash).toBe(first?.hash);
    await settleDisperseLeg(deps, ref);
    const final = await itemsNow(items);
    for (const w of final) {
      expect(w.status).toBe('confirmed');
      expect(w.landed?.hash).toBe(first?.hash);
      expect(await usdtOf(w.toAddress)).toBe(w.sendAmount);
    }
    expect((await h.deps.ledger.balance(shop.shopId, 'USDT_ERC20')).held).toBe(0n);
    await nextLegLands(shop.shopId);
  }, 120_000);
});

describe('a fee bump of the approval whose REPLACED approve() lands', () => {
  it('books the gas of the approval that landed: the hot wallet\'s native coin has no drift', async () => {
    const shop = await fundedShop(50);
    const { ref, items } = await heldLeg(shop.shopId, 2);
    // The allowance gone (revoked with the hot key at a nonce the store hands out), the leg must approve.
    const hotKey = signingKeys(TEST_MNEMONIC, 'evm').hot().privateKey;
    const mined = (await deps.senders('ethereum').minedNonce(hot)) as number;
    const nonce = await deps.nonces.take('ethereum', hot, mined, `attack:revoke:${ref.legId}`);
    await (await (token().connect(new Wallet(hotKey, provider)) as Contract).approve(h.devnet.disperseContract, 0n, { nonce })).wait();
    expect(await token().allowance(hot, h.devnet.disperseContract)).toBe(0n);
    // The hot wallet's ETH is funded outside the books: what must not move is the gap between chain and books.
    const gapBefore = await ethGap();
    await automine(false);
    expect(await sendDisperseLeg(deps, ref)).toEqual({ state: 'waiting' });
    const first = (await legNow(ref))?.approval;
    // Minutes later, still in no block: the replacement approve() is signed, but never reaches a node.
    const later = { ...deps, clock: { now: () => Date.now() + FEE_BUMP_AFTER_MS + 60_000 } };
    await withBroadcast(
      () => async () => ({ kind: 'accepted' }),
      async () => expect(await sendDisperseLeg(later, ref)).toEqual({ state: 'waiting' }),
    );
    const bumped = await legNow(ref);
    expect(bumped?.approval?.hash).not.toBe(first?.hash);
    expect(bumped?.approval?.nonce).toBe(first?.nonce);
    await h.mine(1); // the OLD approve() lands
    expect(await provider.getTransactionReceipt(first?.hash as string)).not.toBeNull();
    await automine(true);
    await runLeg(ref);
    for (const w of await itemsNow(items)) {
      expect(w.status).toBe('confirmed');
      expect(await usdtOf(w.toAddress)).toBe(w.sendAmount);
    }
    expect(await h.deps.ledger.posted(DEPLOYMENT_OWNER, 'ETH', `${ref.legId}:approve:gas`)).toBe(true);
    expect(await ethGap()).toBe(gapBefore);
    await nextLegLands(shop.shopId);
  }, 120_000);
});

describe('a release while the disperse is in the mempool', () => {
  it('cancels it (or settles it if it landed): never a paid item released', async () => {
    const shop = await fundedShop(50);
    const { ref, items } = await heldLeg(shop.shopId, 2);
    await automine(false);
    expect((await sendDisperseLeg(deps, ref)).state).toBe('sent');
    await expect(releaseDisperseLeg(deps, ref, 'a confirm blip')).rejects.toThrow(/may still land/);
    await h.mine(1);
    await automine(true);
    const { released } = await releaseDisperseLeg(deps, ref, 'a confirm blip');
    expect(released).toBe(true);
    const final = await itemsNow(items);
    for (const w of final) {
      const onChain = await usdtOf(w.toAddress);
      // Either paid and confirmed, or unpaid and failed: never both or neither.
      expect([w.status, onChain]).toEqual(onChain === 0n ? ['failed', 0n] : ['confirmed', w.sendAmount]);
    }
    expect((await h.deps.ledger.balance(shop.shopId, 'USDT_ERC20')).held).toBe(0n);
    await nextLegLands(shop.shopId);
  }, 120_000);
});

describe('a hot wallet without gas for the disperse', () => {
  it('fails the leg cleanly through the workflow: every item released, the batch completed, no nonce left open', async () => {
    const shop = await fundedShop(50);
    const to = Array.from({ length: 3 }, () => Wallet.createRandom().address);
    const before = await provider.getBalance(hot, 'latest');
    await provider.send('anvil_setBalance', [hot, '0x0']);
    const miner = setInterval(() => void h.mine(1).catch(() => {}), 100);
    try {
      const { batch } = await queueTestBatch(h.deps, shop.shopId, to.map((address) => ({ code: 'USDT_ERC20', chain: 'ethereum', to: address, amount: USDT(1), fee: USDT_FEE })));
      const run = await flow.waitFor(batch.id, 'payout_batch', 120_000);
      expect(run.status, JSON.stringify(run.error)).toBe('succeeded');
      const items = await h.deps.payoutBatches.items(batch.itemIds);
      expect(items.map((w) => w.status)).toEqual(['failed', 'failed', 'failed']);
      expect(items[0].reason).toMatch(/gas|native|ETH/i);
      expect((await h.deps.payoutBatches.get(batch.id))?.status).toBe('completed');
      expect(await h.deps.ledger.balance(shop.shopId, 'USDT_ERC20')).toEqual(shop.start);
    } finally {
      clearInterval(miner);
      await provider.send('anvil_setBalance', [hot, `0x${before.toString(16)}`]);
    }
    await nextLegLands(shop.shopId);
  }, 180_000);
});

describe('after all of it', () => {
  it('reconciliation finds no drift, and nothing is held', async () => {
    for (const shopId of shops) expect((await h.deps.ledger.balance(shopId, 'USDT_ERC20')).held, shopId).toBe(0n);
    const report = await reconcile(h.deps, reconciliationReaders());
    expect(report.balanceDrifts).toEqual([]);
    expect(report.assets.filter((a) => a.verdict === 'shortfall')).toEqual([]);
  }, 60_000);
});
