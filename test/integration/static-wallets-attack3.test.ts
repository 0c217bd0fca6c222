/**
 * Third round of attacks on static wallets, aimed at the fixes of the second (a receipt's depth
 * tier counts its customer's hour and may rise while the receipt confirms; a receipt credited
 * while its wallet is blocked is flagged). Real parts: anvil, DynamoDB Local, the SQS engine, the
 * real watcher, crediting consumer and HTTP handlers. The only thing a test chooses is the order
 * in which the watcher's observations reach crediting, which SQS never promises.
 *
 * Each test here failed on the code it was written against.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { revert, rpc, snapshot } from '../../lib/local/engines/devnet';
import { FixedRateSource } from '../../shared/adapters/rates/rate-service';
import { createStaticWallet } from '../../shared/app/static-wallets';
import type { Invoice } from '../../shared/domain/invoice/invoice';
import type { Observation } from '../../shared/domain/transfers';
import { call, type newProject } from '../support/gateway';
import type { Harness } from '../support/payments-harness';
import { createWallet, receiptsOf, useStaticWalletShop } from '../support/static-wallets';

const USDT = (n: number) => BigInt(Math.round(n * 1e6));
const ETH = (n: number) => BigInt(Math.round(n * 1e6)) * 10n ** 12n;
/** Depth by worth: a normal transfer at 2 blocks, a customer's hour above 1,000 USD at 10. */
const SHALLOW = 2;
const DEEP = 10;
const CONFIRMATIONS = { normal: { blocks: SHALLOW }, large: { aboveUsd: '1000', rule: { blocks: DEEP } } };

let h: Harness;
let shop: Awaited<ReturnType<typeof newProject>>;

beforeAll(async () => {
  ({ h, shop } = await useStaticWalletShop({ confirmations: CONFIRMATIONS }));
}, 90_000);

afterAll(async () => {
  await h?.stop();
});

/** Observations about `txHash` first: the order two concurrent consumers (or SQS itself) may give. */
const firstAbout = (txHash: string) => (observations: Observation[]) => [...observations].sort((a, b) => Number(about(b, txHash)) - Number(about(a, txHash)));
const about = (o: Observation, txHash: string) => o.kind === 'transfer.seen' && o.transfer.txHash === txHash;

/**
 * A 600 USD receipt seen pending, then taken away by a reorg (orphaned). The customer then sends
 * another 600 USD and the first transaction is mined again; both are seen together, the second
 * first, with the first's new block already SHALLOW deep. The customer's hour is now 1,200 USD,
 * above the large tier: the first receipt must wait DEEP blocks like the second.
 */
async function comeBackAfterTheHourGrew(identify: string, between: (walletId: string) => Promise<void> = async () => {}) {
  const wallet = await createWallet(shop.apiKey, shop.shopId, identify, 'USDT_ERC20');
  const snap = await snapshot(h.devnet.rpcUrl);
  const first = await h.pay(wallet.address, USDT(600));
  const raw = await rpc<string>(h.devnet.rpcUrl, 'eth_getRawTransactionByHash', [first.txHash]);
  await h.settle();
  const [receipt] = await receiptsOf(h.deps, wallet.uuid);
  expect(receipt.payments).toMatchObject([{ state: 'pending', finality: { blocks: SHALLOW } }]);

  await revert(h.devnet.rpcUrl, snap);
  await h.mine(2);
  await h.settle();
  expect((await h.invoice(receipt.id)).payments).toMatchObject([{ state: 'orphaned' }]);
  await between(wallet.uuid);

  await rpc(h.devnet.rpcUrl, 'eth_sendRawTransaction', [raw]);
  const second = await h.pay(wallet.address, USDT(600));
  await h.mine(SHALLOW - 1);
  await h.settle({ deliver: firstAbout(second.txHash) });
  const receipts = await receiptsOf(h.deps, wallet.uuid);
  const other = receipts.find((r) => r.id !== receipt.id) as Invoice;
  expect(await h.deps.staticWallets.customerWorthCents(shop.shopId, identify, Date.now())).toBe(120_000n);
  return { wallet, receipt, other };
}

describe('a receipt a reorg took away, mined again after its customer sent more', () => {
  // What an attacker gains: a deposit over the large-amount tier is split in two; the first part's
  // transaction is reorged out (or the attacker replaces it with a fee bump landing in another
  // block), and while it is away the second part lands. The first part comes back under the
  // normal depth it had before the customer's hour grew: the split dodges the tier again.
  it('is held to the depth its customer\'s hour now calls for, as the second part is', async () => {
    const { receipt, other } = await comeBackAfterTheHourGrew('comeback-depth');
    expect(other.payments, 'the second part').toMatchObject([{ state: 'pending', finality: { blocks: DEEP } }]);
    const back = await h.invoice(receipt.id);
    expect(back.payments[0].state, `credited at depth ${back.payments[0].confirmations} while the hour holds 1,200 USD`).toBe('pending');
    expect(back.payments[0].finality, 'the first part\'s rule').toEqual({ blocks: DEEP });
  });

  // What the merchant loses: the wallet is blocked while the first part is away; when it comes
  // back it is credited unflagged and no static_wallet.blocked_receipt webhook goes out (the flag
  // is read only when crediting thinks a credit is due, by a rule stricter than the one used).
  it('is flagged walletBlocked and announced when it is credited after the wallet was blocked', async () => {
    const block = async (walletId: string) => {
      const res = await call('api.static_wallet.block', { apiKey: shop.apiKey, contentType: null, pathParameters: { walletId } });
      expect(res.status).toBe(200);
    };
    const { receipt } = await comeBackAfterTheHourGrew('comeback-blocked', block);
    await h.postbackJobs();
    await h.mine(DEEP);
    await h.settle();
    const paid = await h.invoice(receipt.id);
    expect(paid.payments[0].state).toBe('credited');
    expect(paid.facts, 'credited after the block').toMatchObject({ walletBlocked: true });
    expect((await h.postbackJobs()).filter((j) => j.invoiceId === paid.id).map((j) => j.kind)).toContain('static_wallet.blocked_receipt');
  });
});

describe('a wallet made when its coin was cheap', () => {
  // What the customer lost when a wallet's minimum was fixed at its creation: the wallet is for
  // good, the coin's price is not. Made while ETH was at 100 USD, the minimum was the 0.5 USD
  // network fee at that price (0.005 ETH); at 3,000 USD that is 15 USD, and a 12 USD deposit (24
  // network fees) was kept as dust. Dust is now decided at first sight, at that day's price.
  it('does not keep a deposit worth many network fees at today\'s price as dust', async () => {
    const back = { ...h.deps, rates: new FixedRateSource({ ETH: '100' }) };
    const made = await createStaticWallet(back, shop.project, { code: 'ETH', identify: 'minimum-then-rally', now: Date.now() });
    if (!made.ok) throw new Error(JSON.stringify(made.error));
    const wallet = made.value;

    // Today: the harness's 3,000 USD per ETH, so the network fee is 1/6000 ETH.
    await h.pay(wallet.address, ETH(0.004), null);
    await h.mine(SHALLOW);
    await h.settle();
    const strays = await h.deps.payments.strays({ kind: 'static_wallet', walletId: wallet.id });
    expect(strays.kept.map((s) => s.reason), 'a 12 USD deposit kept as dust').toEqual([]);
    expect(await receiptsOf(h.deps, wallet.id)).toMatchObject([{ status: 'paid', amountPaid: ETH(0.004) }]);
  });
});
