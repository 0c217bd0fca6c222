/**
 * Static wallets under duplicate delivery and reorgs, on real parts (anvil, DynamoDB Local, the
 * SQS engine, the real watcher and crediting consumer). A receipt is made the first time its
 * transfer is seen; every later message about that transfer, in any order, any number of times,
 * from several consumers at once, finds the same receipt. A reorg moves the receipt as it moves an
 * invoice's payment (pending: withdrawn; credited: reversed, the wallet's totals too), and the
 * transaction re-mined in another block comes back to the same receipt, never a second one.
 */
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { DEVNET_RATES } from '../../lib/local/dev-defaults';
import { revert, rpc, snapshot } from '../../lib/local/engines/devnet';
import { FixedRateSource } from '../../shared/adapters/rates/rate-service';
import { handleObservation } from '../../shared/app/crediting';
import { expireDueInvoices } from '../../shared/app/invoices';
import type { Invoice } from '../../shared/domain/invoice/invoice';
import type { Observation } from '../../shared/domain/transfers';
import { newProject } from '../support/gateway';
import type { Harness } from '../support/payments-harness';
import { prng, repeatAndShuffle } from '../support/random';
import { type CreatedWallet, createWallet, journalOf, receiptsOf, totalsOf, useStaticWalletShop } from '../support/static-wallets';

const USDT = (n: number) => BigInt(Math.round(n * 1e6));
const ETH = (n: number) => BigInt(Math.round(n * 1e6)) * 10n ** 12n;
const HOUR_MS = 3_600_000;

let h: Harness;
let shop: Awaited<ReturnType<typeof newProject>>;

beforeAll(async () => {
  ({ h, shop } = await useStaticWalletShop());
}, 60_000);

afterAll(async () => {
  await h?.stop();
});

/** Hands observations to `consumers` crediting consumers at once; failures are returned (SQS would redeliver them). */
async function deliverConcurrently(observations: Observation[], consumers = 4): Promise<Observation[]> {
  const failed: Observation[] = [];
  let next = 0;
  const consumer = async () => {
    while (next < observations.length) {
      const o = observations[next++];
      try {
        await handleObservation(h.deps, o);
      } catch {
        failed.push(o);
      }
    }
  };
  await Promise.all(Array.from({ length: consumers }, consumer));
  return failed;
}

/** Watcher passes only: the observations they send are collected, not delivered. */
async function collectPasses(): Promise<Observation[]> {
  const pool: Observation[] = [];
  for (let round = 0; round < 10; round += 1) {
    const pass = await h.pass();
    await h.drain((fresh) => {
      pool.push(...fresh);
      return [];
    });
    if (pass.caughtUp && pass.observations === 0 && pass.confirmed === 0) break;
  }
  return pool;
}

/** What must not move when messages are delivered again: every receipt's version, the totals, the balance, the journal. */
async function snapshotOf(wallet: CreatedWallet) {
  const receipts = await receiptsOf(h.deps, wallet.uuid);
  return {
    receipts: receipts.map((r) => [r.id, r.version, r.status, r.payments.map((p) => [p.key, p.state, p.credits])]),
    totals: await h.deps.staticWallets.totals(wallet.uuid),
    balance: await h.balance(shop.shopId, wallet.currency.code),
    journal: (await journalOf(shop.shopId, wallet.currency.code)).map((e) => e.id).sort(),
  };
}

/** Each transaction paid exactly one receipt of the wallet, credited once; totals, journal and balance agree. */
async function expectOneReceiptPerTransfer(wallet: CreatedWallet, paid: { txHash: string; amount: bigint }[], context = '') {
  const receipts = await receiptsOf(h.deps, wallet.uuid);
  expect(receipts, context).toHaveLength(paid.length);
  for (const { txHash, amount } of paid) {
    const mine = receipts.filter((r) => r.payments.some((p) => p.transfer.txHash === txHash));
    expect(mine, `${context} tx ${txHash}`).toHaveLength(1);
    expect(mine[0], `${context} tx ${txHash}`).toMatchObject({ status: 'paid', amountPaid: amount, orderId: mine[0].staticWallet?.identify });
    expect(mine[0].payments.map((p) => [p.state, p.credits]), `${context} tx ${txHash}`).toEqual([['credited', 1]]);
  }
  const totals = await h.deps.staticWallets.totals(wallet.uuid);
  expect(totals, context).toMatchObject(totalsOf(receipts));
  const journal = (await journalOf(shop.shopId, wallet.currency.code)).filter((e) => receipts.some((r) => r.payments[0].key === e.ref));
  expect(journal.map((e) => e.id).sort(), context).toEqual(receipts.map((r) => `credit:${r.payments[0].key}:1`).sort());
  return receipts;
}

describe('duplicate observation delivery', () => {
  it('the same transfer.seen and transfer.confirmed messages, 1-5 times each, shuffled, six consumers at once: one receipt and one credit per transfer', async () => {
    const wallet = await createWallet(shop.apiKey, shop.shopId, 'dup-customer', 'USDT_ERC20');
    const balanceBefore = (await h.balance(shop.shopId, 'USDT_ERC20')).available;
    const paid = [];
    for (const amount of [USDT(3), USDT(4.25), USDT(11)]) paid.push({ ...(await h.pay(wallet.address, amount)), amount });
    const seen = await collectPasses();
    expect(seen.filter((o) => o.kind === 'transfer.seen')).toHaveLength(3);
    const deliver = repeatAndShuffle<Observation>(prng(7));
    // First sight, many times at once: every copy races to make the receipt; one wins, the rest find it.
    expect(await deliverConcurrently(deliver(seen), 6)).toEqual([]);
    const pending = await receiptsOf(h.deps, wallet.uuid);
    // One payment each; the first transfer is already three blocks deep (each payment mined a block).
    expect(pending.map((r) => r.payments.map((p) => p.state)).sort()).toEqual([['credited'], ['pending'], ['pending']]);

    await h.mine(3);
    const confirmed = await collectPasses();
    expect(confirmed.filter((o) => o.kind === 'transfer.confirmed').length).toBeGreaterThanOrEqual(3);
    expect(await deliverConcurrently(deliver([...seen, ...confirmed]), 6)).toEqual([]);
    const receipts = await expectOneReceiptPerTransfer(wallet, paid);
    expect(receipts.map((r) => r.id)).toEqual(pending.map((r) => r.id));
    expect((await h.balance(shop.shopId, 'USDT_ERC20')).available - balanceBefore).toBe(receipts.reduce((a, r) => a + r.received, 0n));

    // Long after: every message again, plus rechecks, six times over: nothing moves.
    const before = await snapshotOf(wallet);
    const rechecks: Observation[] = receipts.map((r) => ({ kind: 'transfer.recheck', chain: 'ethereum', key: r.payments[0].key }));
    const again = Array.from({ length: 6 }, () => [...seen, ...confirmed, ...rechecks]).flat();
    expect(await deliverConcurrently(repeatAndShuffle<Observation>(prng(8), 1)(again), 6)).toEqual([]);
    expect(await snapshotOf(wallet)).toEqual(before);
  });

  it('a seeded random order and count of deliveries, interleaved with payments, mining and watcher passes, over two wallets of one customer: one receipt per transfer, credited once', async () => {
    const seed = Number(process.env.TEST_SEED ?? Date.now() % 1_000_000);
    const random = prng(seed);
    const context = `seed ${seed} (replay with TEST_SEED=${seed})`;
    onTestFailed(() => console.error(`static wallet delivery property failed: ${context}`));

    const usdt = await createWallet(shop.apiKey, shop.shopId, 'property-customer', 'USDT_ERC20');
    const eth = await createWallet(shop.apiKey, shop.shopId, 'property-customer', 'ETH');
    expect(eth.address).not.toBe(usdt.address);
    const paid = new Map<CreatedWallet, { txHash: string; amount: bigint }[]>([
      [usdt, []],
      [eth, []],
    ]);
    const pool: Observation[] = [];
    const history: Observation[] = [];
    const stats = { deliveries: 0, failures: 0 };
    const collect = () =>
      h.drain((fresh) => {
        pool.push(...fresh);
        history.push(...fresh);
        return [];
      });
    async function deliverSome(share: number) {
      const chosen = pool.filter(() => random() < share);
      const copies = repeatAndShuffle<Observation>(random)(chosen);
      const failed = new Set(await deliverConcurrently(copies, 1 + Math.floor(random() * 4)));
      stats.deliveries += copies.length;
      stats.failures += failed.size;
      // Delivered ones leave the queue, except failures and a few the queue redelivers anyway.
      for (const o of chosen) if (!failed.has(o) && random() < 0.85) pool.splice(pool.indexOf(o), 1);
    }

    const TRANSFERS = 12;
    for (let sent = 0, round = 0; sent < TRANSFERS || round < 20; round += 1) {
      if (sent < TRANSFERS && random() < 0.6) {
        const wallet = random() < 0.5 ? usdt : eth;
        // 2 to 50 USD: above the network fee, so never dust.
        const usd = 2 + Math.floor(random() * 4800) / 100;
        const amount = wallet === usdt ? USDT(usd) : (BigInt(Math.round(usd * 100)) * 10n ** 18n) / 300_000n;
        const { txHash } = await h.pay(wallet.address, amount, wallet === usdt ? undefined : null);
        paid.get(wallet)?.push({ txHash, amount });
        sent += 1;
      }
      if (random() < 0.4) await h.mine(1 + Math.floor(random() * 2));
      if (random() < 0.6) {
        await h.pass();
        await collect();
      }
      if (random() < 0.5) await deliverSome(random());
    }
    // The chain settles deep; the watcher and the queue drain.
    await h.mine(3);
    for (let round = 0; round < 30; round += 1) {
      const pass = await h.pass();
      await collect();
      const waiting = pool.length;
      await deliverSome(1);
      if (pass.caughtUp && pass.observations === 0 && pass.confirmed === 0 && waiting === 0 && pool.length === 0) break;
    }
    if (process.env.TEST_VERBOSE) console.log(JSON.stringify({ seed, ...stats, usdt: paid.get(usdt)?.length, eth: paid.get(eth)?.length }));
    for (const [wallet, transfers] of paid) await expectOneReceiptPerTransfer(wallet, transfers, `${context}, ${wallet.currency.code}`);

    // Every message ever sent, again, shuffled: nothing moves.
    const before = [await snapshotOf(usdt), await snapshotOf(eth)];
    expect(await deliverConcurrently(repeatAndShuffle<Observation>(random)(history), 4), context).toEqual([]);
    expect([await snapshotOf(usdt), await snapshotOf(eth)], context).toEqual(before);
  }, 120_000);
});

describe('a reorg', () => {
  it('withdraws a pending receipt (no credit, totals untouched); the transaction re-mined in another block comes back to the same receipt', async () => {
    const wallet = await createWallet(shop.apiKey, shop.shopId, 'reorg-pending', 'USDT_ERC20');
    const balanceBefore = await h.balance(shop.shopId, 'USDT_ERC20');
    const snap = await snapshot(h.devnet.rpcUrl);
    const { txHash } = await h.pay(wallet.address, USDT(9));
    const raw = await rpc<string>(h.devnet.rpcUrl, 'eth_getRawTransactionByHash', [txHash]);
    await h.settle();
    const [receipt] = await receiptsOf(h.deps, wallet.uuid);
    expect(receipt.payments).toMatchObject([{ state: 'pending', transfer: { txHash } }]);
    const firstBlock = receipt.payments[0].transfer.blockHash;

    await revert(h.devnet.rpcUrl, snap);
    await h.mine(2);
    await h.settle();
    const withdrawn = await h.invoice(receipt.id);
    expect(withdrawn).toMatchObject({ status: 'created', amountPaid: 0n, payments: [{ state: 'orphaned' }] });
    expect(await h.deps.staticWallets.totals(wallet.uuid)).toMatchObject({ receipts: 0, received: 0n, net: 0n });
    expect(await h.balance(shop.shopId, 'USDT_ERC20')).toEqual(balanceBefore);

    await rpc(h.devnet.rpcUrl, 'eth_sendRawTransaction', [raw]);
    await h.mine(3);
    await h.settle();
    const receipts = await receiptsOf(h.deps, wallet.uuid);
    expect(receipts.map((r) => r.id)).toEqual([receipt.id]);
    const back = receipts[0];
    expect(back).toMatchObject({ status: 'paid', amountPaid: USDT(9) });
    expect(back.payments).toHaveLength(1);
    expect(back.payments[0]).toMatchObject({ state: 'credited', credits: 1, transfer: { txHash } });
    expect(back.payments[0].transfer.blockHash).not.toBe(firstBlock);
    expect(await h.deps.staticWallets.totals(wallet.uuid)).toMatchObject({ receipts: 1, received: USDT(9), net: back.received });
    expect((await h.balance(shop.shopId, 'USDT_ERC20')).available - balanceBefore.available).toBe(back.received);
  });

  it('deeper than the confirmation depth reverses a credited receipt with a compensating entry and lowers the totals; re-mined, the same receipt is credited again', async () => {
    const wallet = await createWallet(shop.apiKey, shop.shopId, 'reorg-deep', 'USDT_ERC20');
    await h.pay(wallet.address, USDT(20));
    await h.mine(3);
    await h.settle();
    const [kept] = await receiptsOf(h.deps, wallet.uuid);
    expect(kept.status).toBe('paid');
    const balanceBefore = await h.balance(shop.shopId, 'USDT_ERC20');
    const totalsBefore = await h.deps.staticWallets.totals(wallet.uuid);

    const snap = await snapshot(h.devnet.rpcUrl);
    const { txHash } = await h.pay(wallet.address, USDT(12));
    const raw = await rpc<string>(h.devnet.rpcUrl, 'eth_getRawTransactionByHash', [txHash]);
    await h.mine(3);
    await h.settle();
    const receipt = (await receiptsOf(h.deps, wallet.uuid)).find((r) => r.id !== kept.id) as Invoice;
    expect(receipt).toMatchObject({ status: 'paid', amountPaid: USDT(12) });
    const { lastCreditedAt: creditedAt, ...credited } = await h.deps.staticWallets.totals(wallet.uuid);
    expect(credited).toMatchObject({ receipts: 2, received: USDT(32) });
    expect(creditedAt).toBeGreaterThanOrEqual(totalsBefore.lastCreditedAt ?? 0);
    await h.postbackJobs();

    await revert(h.devnet.rpcUrl, snap);
    await h.mine(6);
    await h.settle();
    const reversed = await h.invoice(receipt.id);
    expect(reversed).toMatchObject({ status: 'paid', amountPaid: 0n, received: 0n, facts: { reversed: true }, payments: [{ state: 'reversed' }] });
    const key = reversed.payments[0].key;
    const journal = (await journalOf(shop.shopId, 'USDT_ERC20')).filter((e) => e.ref === key);
    expect(journal.map((e) => [e.id, e.kind]).sort()).toEqual([
      [`credit:${key}:1`, 'payment.credit'],
      [`credit:${key}:1:reversal`, 'payment.reversal'],
    ]);
    const [credit, reversal] = [journal.find((e) => e.kind === 'payment.credit'), journal.find((e) => e.kind === 'payment.reversal')];
    expect(reversal?.postings).toEqual(credit?.postings.map((p) => ({ ...p, amount: -p.amount })));
    // Back to what the wallet had before, the time of its last credit included.
    expect(await h.deps.staticWallets.totals(wallet.uuid)).toEqual({ ...totalsBefore, lastCreditedAt: creditedAt });
    expect(await h.balance(shop.shopId, 'USDT_ERC20')).toEqual(balanceBefore);
    expect((await h.postbackJobs()).filter((j) => j.invoiceId === receipt.id).map((j) => j.kind)).toEqual(['payment.reversed']);

    // The transaction comes back in another block: the same receipt, credited a second time under a new entry.
    await rpc(h.devnet.rpcUrl, 'eth_sendRawTransaction', [raw]);
    await h.mine(3);
    await h.settle();
    const receipts = await receiptsOf(h.deps, wallet.uuid);
    expect(receipts.map((r) => r.id).sort()).toEqual([kept.id, receipt.id].sort());
    const again = await h.invoice(receipt.id);
    expect(again).toMatchObject({ status: 'paid', amountPaid: USDT(12), payments: [{ state: 'credited', credits: 2, transfer: { txHash } }] });
    expect((await journalOf(shop.shopId, 'USDT_ERC20')).filter((e) => e.ref === key).map((e) => e.id)).toContain(`credit:${key}:2`);
    expect(await h.deps.staticWallets.totals(wallet.uuid)).toMatchObject({ receipts: 2, received: USDT(32), net: kept.received + again.received });
    expect((await h.balance(shop.shopId, 'USDT_ERC20')).available - balanceBefore.available).toBe(again.received);
  });
});

describe('a receipt waits for its transfer for good', () => {
  it('re-mined long after first sight (past a 5-minute invoice lifetime and the rate lock), at another market rate: the same receipt is paid at its first-sight value, never late, never re-valued, never expired', async () => {
    const brief = await newProject({ partialTolerance: 'none', testMode: false, invoiceLifetimeMinutes: 5 });
    const wallet = await createWallet(brief.apiKey, brief.shopId, 'patient', 'ETH');
    const snap = await snapshot(h.devnet.rpcUrl);
    const { txHash } = await h.pay(wallet.address, ETH(0.03), null);
    const raw = await rpc<string>(h.devnet.rpcUrl, 'eth_getRawTransactionByHash', [txHash]);
    await h.settle();
    const [receipt] = await receiptsOf(h.deps, wallet.uuid);
    expect(receipt.payments).toMatchObject([{ state: 'pending' }]);
    await revert(h.devnet.rpcUrl, snap);
    await h.mine(2);
    await h.settle();
    expect((await h.invoice(receipt.id)).payments).toMatchObject([{ state: 'orphaned' }]);

    // An hour passes on the chain; the expirer runs: a receipt is not an offer that lapses.
    await rpc(h.devnet.rpcUrl, 'evm_increaseTime', [3600]);
    await h.mine(1);
    await h.settle();
    await expireDueInvoices(h.deps, Date.now() + HOUR_MS);
    expect((await h.invoice(receipt.id)).status).toBe('created');

    // The transaction is mined again, and ETH is now at half the price.
    await h.postbackJobs();
    await rpc(h.devnet.rpcUrl, 'eth_sendRawTransaction', [raw]);
    await h.mine(3);
    const halfPrice = { ...h.deps, rates: new FixedRateSource({ ...DEVNET_RATES, ETH: String(Number(DEVNET_RATES.ETH) / 2) }) };
    await h.settle({ handle: (o) => handleObservation(halfPrice, o) });
    const paid = await h.invoice(receipt.id);
    expect(paid).toMatchObject({ status: 'paid', amountPaid: ETH(0.03), facts: {} });
    expect(paid.payments).toMatchObject([{ state: 'credited', credits: 1, classification: 'payment', valuedUsdPerUnit: null, transfer: { txHash } }]);
    expect(await receiptsOf(h.deps, wallet.uuid)).toHaveLength(1);
    expect((await h.postbackJobs()).filter((j) => j.invoiceId === receipt.id).map((j) => j.kind)).toEqual(['invoice.paid']);
    expect(await h.deps.staticWallets.totals(wallet.uuid)).toMatchObject({ receipts: 1, received: ETH(0.03), net: paid.received });
  });
});
