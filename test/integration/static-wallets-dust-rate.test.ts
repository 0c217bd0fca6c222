/**
 * DESIGN §10 "order and count do not matter" for a static wallet's dust: whether a transfer is
 * dust is decided at each delivery at the market rate of that moment (a volatile coin's network
 * fee is a USD figure turned into units), so a transfer kept as dust must not become a credited
 * receipt when the same transfer is delivered again after the rate moved (a duplicate SQS
 * delivery, a rescan, a reorg that re-mines it).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Devnet, startDevnet } from '../../lib/local/engines/devnet';
import { FixedRateSource } from '../../shared/adapters/rates/rate-service';
import { handleObservation } from '../../shared/app/crediting';
import type { Observation } from '../../shared/domain/transfers';
import type { newProject } from '../support/gateway';
import type { Harness } from '../support/payments-harness';
import { createWallet, receiptsOf, useStaticWalletShop } from '../support/static-wallets';

const ETH = (n: number) => BigInt(Math.round(n * 1e6)) * 10n ** 12n;
const USDT = (n: number) => BigInt(Math.round(n * 1e6));

let devnet: Devnet;
let h: Harness;
let shop: Awaited<ReturnType<typeof newProject>>;

beforeAll(async () => {
  devnet = await startDevnet({ blockTimeSeconds: null });
  ({ h, shop } = await useStaticWalletShop({ devnet }));
}, 60_000);

afterAll(async () => {
  await h?.stop();
  await devnet?.stop();
});

describe('dust and a moving rate', () => {
  it('a transfer kept as dust stays dust when it is delivered again after the rate rose: no receipt, no credit', async () => {
    const wallet = await createWallet(shop.apiKey, shop.shopId, 'dust-then-rate', 'ETH');
    const before = (await h.balance(shop.shopId, 'ETH')).available;
    // ETH's network fee is 0.5 USD: 1/6000 ETH at the harness's 3000 USD, so 0.0001 ETH is dust.
    await h.pay(wallet.address, ETH(0.0001), null);
    await h.mine(3);
    const seen: Observation[] = [];
    await h.settle({
      handle: async (o) => {
        if (o.kind === 'transfer.seen' && o.transfer.to.toLowerCase() === wallet.address.toLowerCase()) seen.push(o);
        await handleObservation(h.deps, o);
      },
    });
    expect(seen).toHaveLength(1);
    expect(await h.deps.payments.strays({ kind: 'static_wallet', walletId: wallet.uuid })).toMatchObject({ count: 1, kept: [{ reason: 'dust' }] });
    expect(await receiptsOf(h.deps, wallet.uuid)).toEqual([]);

    // ETH doubles; the queue delivers the same message again. At 6000 USD the fee is 1/12000 ETH.
    const risen = { ...h.deps, rates: new FixedRateSource({ ETH: '6000' }) };
    await handleObservation(risen, seen[0]);
    await h.settle();

    expect(await receiptsOf(h.deps, wallet.uuid)).toEqual([]);
    expect((await h.balance(shop.shopId, 'ETH')).available).toBe(before);
    expect(await h.deps.staticWallets.totals(wallet.uuid)).toMatchObject({ receipts: 0 });
  });
});

describe('a stablecoin receipt', () => {
  it('is valued at par without asking the rate feed, as a quote is: a feed that fails does not hold it up', async () => {
    const wallet = await createWallet(shop.apiKey, shop.shopId, 'par', 'USDT_ERC20');
    await h.pay(wallet.address, USDT(25));
    await h.mine(3);
    const asked: string[][] = [];
    const feedDown = {
      ...h.deps,
      rates: {
        usdRates: async (symbols: readonly string[]) => {
          asked.push([...symbols]);
          throw new Error('rate feed unreachable');
        },
      },
    };
    await h.settle({ handle: (o) => handleObservation(feedDown, o) });
    const [receipt] = await receiptsOf(h.deps, wallet.uuid);
    expect(receipt).toMatchObject({ status: 'paid', amountPaid: USDT(25) });
    expect(asked).toEqual([]);
  });
});
