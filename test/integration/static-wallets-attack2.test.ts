/**
 * Second round of attacks on static wallets, on real parts: anvil (with a disperse contract that
 * pays many addresses with the real test token in one transaction, as Disperse.app or an exchange's
 * batch withdrawal does), DynamoDB Local, the SQS engine, the real watcher, crediting consumer and
 * HTTP handlers. Concurrency is real (several consumers at once, as Lambda runs several batches);
 * where a test needs one particular interleaving, it holds one real step of the consumer until the
 * other party has acted, never replacing the code under test.
 *
 * Each test here fails on the code it was written against: it shows a way to get money credited
 * sooner than the project's rules allow, or credited without the flag the merchant relies on.
 */
import { createRequire } from 'node:module';
import { ContractFactory, Interface, JsonRpcProvider, Network, Wallet } from 'ethers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEVNET_CHAIN_ID } from '../../lib/local/engines/devnet';
import { handleObservation } from '../../shared/app/crediting';
import type { Invoice } from '../../shared/domain/invoice/invoice';
import type { Observation } from '../../shared/domain/transfers';
import type { Deps } from '../../shared/ports';
import { call, type newProject } from '../support/gateway';
import type { Harness } from '../support/payments-harness';
import { createWallet, receiptsOf, useStaticWalletShop } from '../support/static-wallets';

/** anvil's fourth funded account: deploys and calls the disperse contract, apart from the payer's nonces. */
const DISPERSER_KEY = '0x7c852118294e51e653712a81e05800f419141751be58f605c371e15141b007a6';
const USDT = (n: number) => BigInt(Math.round(n * 1e6));
/** Depth by worth: a normal transfer at 2 blocks, anything above 1,000 USD at 10 (the tier the attacks try to dodge). */
const SHALLOW = 2;
const DEEP = 10;
const CONFIRMATIONS = { normal: { blocks: SHALLOW }, large: { aboveUsd: '1000', rule: { blocks: DEEP } } };

const DISPERSE_SOURCE = `// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;
interface IToken { function transfer(address to, uint256 value) external; }
contract Disperse {
  function disperse(address token, address[] calldata to, uint256[] calldata amounts) external {
    for (uint256 i = 0; i < to.length; i++) IToken(token).transfer(to[i], amounts[i]);
  }
}`;
const DISPERSE_ABI = new Interface(['function disperse(address token, address[] to, uint256[] amounts)']);

/** A disperse contract funded with the test token: `send` pays every (to, amount) pair in one transaction, each its own Transfer log of the real token. */
async function deployDisperser(h: Harness) {
  const solc = createRequire(import.meta.url)('solc') as { compile(input: string): string };
  const input = { language: 'Solidity', sources: { 'Disperse.sol': { content: DISPERSE_SOURCE } }, settings: { evmVersion: 'cancun', outputSelection: { 'Disperse.sol': { Disperse: ['evm.bytecode.object'] } } } };
  const out = JSON.parse(solc.compile(JSON.stringify(input))) as { contracts?: { 'Disperse.sol'?: { Disperse?: { evm: { bytecode: { object: string } } } } } };
  const code = out.contracts?.['Disperse.sol']?.Disperse?.evm.bytecode.object;
  if (!code) throw new Error(`Disperse.sol did not compile: ${JSON.stringify(out).slice(0, 500)}`);
  const provider = new JsonRpcProvider(h.devnet.rpcUrl, Network.from(DEVNET_CHAIN_ID), { staticNetwork: true });
  const signer = new Wallet(DISPERSER_KEY, provider);
  const contract = await new ContractFactory(DISPERSE_ABI, `0x${code}`, signer).deploy();
  await contract.waitForDeployment();
  const address = await contract.getAddress();
  const token = h.devnet.tokens.USDT_ERC20;
  return {
    send: async (payments: { to: string; amount: bigint }[]) => {
      // The payer funds the contract (an unwatched address), which then pays everyone in one transaction.
      await h.pay(address, payments.reduce((a, p) => a + p.amount, 0n));
      const nonce = await provider.getTransactionCount(signer.address, 'latest');
      const tx = await signer.sendTransaction({ to: address, nonce, data: DISPERSE_ABI.encodeFunctionData('disperse', [token, payments.map((p) => p.to), payments.map((p) => p.amount)]) });
      await tx.wait();
      return tx.hash.toLowerCase();
    },
    stop: () => provider.destroy(),
  };
}

let h: Harness;
let shop: Awaited<ReturnType<typeof newProject>>;
let disperser: Awaited<ReturnType<typeof deployDisperser>>;

beforeAll(async () => {
  ({ h, shop } = await useStaticWalletShop({ confirmations: CONFIRMATIONS }));
  disperser = await deployDisperser(h);
  await h.settle();
}, 90_000);

afterAll(async () => {
  disperser?.stop();
  await h?.stop();
});

/** Mines `blocks` and lets the watcher and crediting settle. */
async function mineAndSettle(blocks: number) {
  await h.mine(blocks);
  await h.settle();
}

const credited = (receipts: Invoice[]) => receipts.filter((r) => r.payments.some((p) => p.state === 'credited'));
const usdOf = (receipts: Invoice[]) => receipts.reduce((a, r) => a + (r.payments[0]?.transfer.amount ?? 0n), 0n);

/**
 * Crediting whose receipt writes wait until `parties` first sights have all got that far (or 3 s
 * passed): the interleaving two Lambda batches of one transaction's logs
 * get when they run at the same moment. Every step is the real one.
 */
function firstSightsTogether(parties: number): Deps {
  let waiting = 0;
  let release: () => void = () => {};
  const allThere = new Promise<void>((resolve) => {
    release = resolve;
    setTimeout(resolve, 3_000);
  });
  const store = h.deps.staticWallets;
  const staticWallets: Deps['staticWallets'] = Object.assign(Object.create(Object.getPrototypeOf(store)), store, {
    createReceipt: async (...args: Parameters<Deps['staticWallets']['createReceipt']>) => {
      waiting += 1;
      if (waiting >= parties) release();
      await allThere;
      return store.createReceipt(...args);
    },
  });
  return { ...h.deps, staticWallets };
}

describe('the depth tier of a deposit split into several transfers', () => {
  // What an attacker gains: a deposit over the large-amount tier (here 3,000 USD, which must wait
  // 10 blocks) credited at the normal depth (2 blocks), so a reorg of a few blocks (or a
  // double-spend on a chain with shallow finality) takes back money the merchant already paid out.
  // Found when the tier counted the wallet's recent receipts as each receipt was made (f89710a):
  // the logs of one transaction handled by two consumers at once each saw none of the others. The
  // tier now counts the customer's hour, and is read again when each credit is due.
  it('five 600 USD transfers in one transaction, handled by concurrent consumers, are not credited at the normal depth', async () => {
    // The same split, handled one message after another, is caught: only the first 600 is shallow.
    const serial = await createWallet(shop.apiKey, shop.shopId, 'split-serial', 'USDT_ERC20');
    await disperser.send(Array.from({ length: 5 }, () => ({ to: serial.address, amount: USDT(600) })));
    await h.settle();
    await mineAndSettle(SHALLOW + 1);
    const serialReceipts = await receiptsOf(h.deps, serial.uuid);
    expect(serialReceipts).toHaveLength(5);
    // The tier is read again when each credit is due, by then with every part of the split counted: none is shallow.
    expect(credited(serialReceipts).length).toBeLessThanOrEqual(1);

    // The same split, its five logs handled by five consumers at once.
    const wallet = await createWallet(shop.apiKey, shop.shopId, 'split-concurrent', 'USDT_ERC20');
    await disperser.send(Array.from({ length: 5 }, () => ({ to: wallet.address, amount: USDT(600) })));
    const together = firstSightsTogether(5);
    await h.settle({ concurrency: 5, handle: (o: Observation) => handleObservation(together, o) });
    await mineAndSettle(SHALLOW + 1);
    const receipts = await receiptsOf(h.deps, wallet.uuid);
    expect(receipts).toHaveLength(5);
    const early = credited(receipts);
    // 3,000 USD arrived within the hour: at most the first 600 may be credited before 10 blocks.
    expect(usdOf(early), `credited at depth ${SHALLOW + 1} of ${DEEP}: ${early.length} receipts`).toBeLessThanOrEqual(USDT(1000));
  });

  // What an attacker gains: the same as above, with no concurrency at all. When the tier read only
  // the wallet's 25 newest receipts, 25 transfers of the minimum (the network fee, 1.5 USD each,
  // paid to the merchant) between two large ones hid the first large one.
  it('a 900 USD transfer after 25 minimum transfers that followed another 900 USD one is not credited at the normal depth', async () => {
    const wallet = await createWallet(shop.apiKey, shop.shopId, 'split-padded', 'USDT_ERC20');
    await h.pay(wallet.address, USDT(900));
    await h.settle();
    await disperser.send(Array.from({ length: 25 }, () => ({ to: wallet.address, amount: USDT(1.5) })));
    await h.settle();
    const { txHash } = await h.pay(wallet.address, USDT(900));
    await h.settle();
    await mineAndSettle(SHALLOW + 1);
    const receipts = await receiptsOf(h.deps, wallet.uuid);
    expect(receipts).toHaveLength(27);
    const second = receipts.find((r) => r.payments[0]?.transfer.txHash === txHash) as Invoice;
    // 1,837.50 USD arrived within the hour: the second 900 belongs to the large tier.
    expect(second.payments[0].finality).toEqual({ blocks: DEEP });
    expect(second.payments[0].state).toBe('pending');
  });

  // What an attacker gains: the same, one message at a time. The tier counts one wallet's
  // receipts, and a customer has a wallet per currency (create answers one per currency for the
  // same identify): 900 USD in USDT and 900 USD in ETH, sent by one customer in the same minute,
  // are both credited at the normal depth. Each currency the project enables adds another 1,000.
  it("one customer's 900 USD in USDT and 900 USD in ETH, sent to his two wallets, are not both credited at the normal depth", async () => {
    const usdt = await createWallet(shop.apiKey, shop.shopId, 'split-currencies', 'USDT_ERC20');
    const eth = await createWallet(shop.apiKey, shop.shopId, 'split-currencies', 'ETH');
    await h.pay(usdt.address, USDT(900));
    await h.pay(eth.address, 3n * 10n ** 17n, null); // 0.3 ETH at 3,000 USD
    await h.settle();
    await mineAndSettle(SHALLOW + 1);
    const receipts = [...(await receiptsOf(h.deps, usdt.uuid)), ...(await receiptsOf(h.deps, eth.uuid))];
    expect(receipts.map((r) => r.price.minor)).toEqual([90_000n, 90_000n]);
    // 1,800 USD from one customer within the hour: the second belongs to the large tier.
    expect(credited(receipts).length, 'both halves credited at the normal depth').toBeLessThanOrEqual(1);
  });
});

describe('blocking a wallet while a receipt is on its way', () => {
  // What an attacker gains: the merchant blocks a customer's wallet (fraud, sanctions, a chargeback
  // abuser) and relies on the flag and the static_wallet.blocked_receipt webhook to hold what
  // arrives after. A transfer first seen while the block is being written, or still confirming
  // when it lands, is credited as a plain receipt: the shop's automation tops the account up.
  it('a transfer first seen while the block commits is flagged walletBlocked and announced', async () => {
    const wallet = await createWallet(shop.apiKey, shop.shopId, 'block-race', 'USDT_ERC20');
    await h.pay(wallet.address, USDT(20));
    // Crediting has read the wallet (not blocked) and is writing the receipt when the merchant's block commits.
    const store = h.deps.staticWallets;
    let blockedAt: number | null = null;
    const staticWallets: Deps['staticWallets'] = Object.assign(Object.create(Object.getPrototypeOf(store)), store, {
      createReceipt: async (...args: Parameters<Deps['staticWallets']['createReceipt']>) => {
        if (blockedAt === null) {
          const res = await call('api.static_wallet.block', { apiKey: shop.apiKey, contentType: null, pathParameters: { walletId: wallet.uuid } });
          expect(res.status).toBe(200);
          blockedAt = Date.now();
        }
        return store.createReceipt(...args);
      },
    });
    await h.settle({ handle: (o: Observation) => handleObservation({ ...h.deps, staticWallets }, o) });
    expect(blockedAt).not.toBeNull();
    await h.postbackJobs();
    await mineAndSettle(SHALLOW + 1);
    const [receipt] = await receiptsOf(h.deps, wallet.uuid);
    // The receipt was made from the wallet as read before the block; the money reached the balance after it.
    expect(receipt).toMatchObject({ status: 'paid', facts: { walletBlocked: true } });
    expect((await h.postbackJobs()).filter((j) => j.invoiceId === receipt.id).map((j) => j.kind)).toContain('static_wallet.blocked_receipt');
  });

  it('a receipt still confirming when the wallet is blocked is flagged when it is credited', async () => {
    const wallet = await createWallet(shop.apiKey, shop.shopId, 'block-pending', 'USDT_ERC20');
    await h.pay(wallet.address, USDT(30));
    await h.settle();
    const [pending] = await receiptsOf(h.deps, wallet.uuid);
    expect(pending).toMatchObject({ status: 'created', payments: [{ state: 'pending' }] });
    const res = await call('api.static_wallet.block', { apiKey: shop.apiKey, contentType: null, pathParameters: { walletId: wallet.uuid } });
    expect(res.status).toBe(200);
    await h.postbackJobs();
    // The money reaches the merchant's balance only now, after the block.
    await mineAndSettle(SHALLOW + 1);
    const paid = await h.invoice(pending.id);
    expect(paid.payments[0].state).toBe('credited');
    expect(paid.payments[0].creditedAt).toBeGreaterThan((await h.deps.staticWallets.get(wallet.uuid))?.blockedAt ?? Number.POSITIVE_INFINITY);
    expect(paid.facts).toMatchObject({ walletBlocked: true });
    expect((await h.postbackJobs()).filter((j) => j.invoiceId === paid.id).map((j) => j.kind)).toContain('static_wallet.blocked_receipt');
  });
});
