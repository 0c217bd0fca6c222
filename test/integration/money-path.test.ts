/**
 * The money path under attack, on real parts (anvil, DynamoDB Local, the SQS engine, the real
 * watcher, crediting and HTTP handlers): spam that tries to crowd out a payment, messages nobody
 * should have sent, a payment after its quote expired, a large payment split to lower its depth,
 * a zero-amount attach-tx, offers switched under a payment, and a reversal beyond the balance.
 */
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeDocumentClient } from '../../shared/adapters/dynamo/client';
import { keys } from '../../shared/adapters/dynamo/keys';
import { FixedRateSource } from '../../shared/adapters/rates/rate-service';
import { handleObservation, ORPHANED_INLINE_MAX } from '../../shared/app/crediting';
import { invoiceUuid } from '../../shared/domain/ids';
import { STRAYS_KEPT_MAX } from '../../shared/domain/invoice/payments';
import type { Project } from '../../shared/domain/project';
import { revert, rpc, snapshot } from '../../lib/local/engines/devnet';
import { DEVNET_RATES } from '../../lib/local/dev-defaults';
import { call, newProject } from '../support/gateway';
import { type Harness, usePaymentsHarness } from '../support/payments-harness';
import { deploySpammer } from '../support/spam-contract';

/** anvil's third funded account: the spammer, apart from the payer's nonces. */
const SPAMMER_KEY = '0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a';
const USDT = (n: number) => BigInt(Math.round(n * 1e6));
const txHash = (n: number) => `0x${n.toString(16).padStart(64, 'f')}`;

let h: Harness;
let project: Project;
let apiKey: string;

beforeAll(async () => {
  // Three blocks, six above 1,000 USD: the tier a split payment must not dodge.
  h = await usePaymentsHarness({ confirmations: { normal: { blocks: 3 }, large: { aboveUsd: '1000', rule: { blocks: 6 } } } });
  ({ project, apiKey } = await newProject({ partialTolerance: 'none' }));
  await h.settle();
}, 60_000);

afterAll(async () => {
  await h?.stop();
});

describe('spam cannot crowd out a payment', () => {
  it('one transaction with 100 fake-token logs to the address: recorded apart (bounded), and the real payment is credited', async () => {
    const spammer = await deploySpammer(h.devnet.rpcUrl, SPAMMER_KEY);
    try {
      const invoice = await h.invoiceFor(project, 'USDT_ERC20', 10);
      const address = invoice.selection!.address;
      await spammer.spam(address, 100);
      await h.pay(address, USDT(10));
      await h.mine(3);
      await h.settle();
      const now = await h.invoice(invoice.id);
      expect(now).toMatchObject({ status: 'paid', facts: { underReview: true } });
      expect(now.payments).toHaveLength(1);
      const strays = await h.deps.payments.strays(invoice.id);
      expect(strays.count).toBe(100);
      expect(strays.kept).toHaveLength(STRAYS_KEPT_MAX);
      expect(strays.kept.every((s) => s.reason === 'unrecognized_token' && s.transfer.contract === spammer.address)).toBe(true);
      // Redelivered spam counts nothing twice while it is kept.
      await handleObservation(h.deps, { kind: 'transfer.seen', source: 'watcher', transfer: strays.kept[0].transfer });
      expect((await h.deps.payments.strays(invoice.id)).count).toBe(100);
    } finally {
      spammer.stop();
    }
  }, 60_000);
});

describe('a message is a hint, the chain is the truth', () => {
  it('a forged transfer.seen for a transaction that does not exist records and credits nothing', async () => {
    const invoice = await h.invoiceFor(project, 'USDT_ERC20', 10);
    const before = await h.balance(project.shopId, 'USDT_ERC20');
    const head = await h.reader.head();
    const forged = {
      chain: 'ethereum' as const,
      txHash: txHash(1),
      logIndex: 0,
      blockNumber: head.number - 5,
      blockHash: head.hash,
      blockTime: Date.now(),
      contract: h.devnet.tokens.USDT_ERC20.toLowerCase(),
      from: `0x${'1'.repeat(40)}`,
      to: invoice.selection!.address.toLowerCase(),
      amount: USDT(10),
    };
    await handleObservation(h.deps, { kind: 'transfer.seen', source: 'attach_tx', transfer: forged });
    await handleObservation(h.deps, { kind: 'transfer.confirmed', chain: 'ethereum', key: `ethereum#${forged.txHash}#0`, blockNumber: forged.blockNumber, blockHash: forged.blockHash, confirmations: 99 });
    expect(await h.invoice(invoice.id)).toMatchObject({ status: 'created', payments: [] });
    expect(await h.balance(project.shopId, 'USDT_ERC20')).toEqual(before);
  });

  it('a forged message that inflates a real transfer, or confirms it early, credits only what the chain holds, when it is deep enough', async () => {
    const invoice = await h.invoiceFor(project, 'USDT_ERC20', 10);
    const { txHash: real } = await h.pay(invoice.selection!.address, USDT(4));
    await h.settle();
    const pending = (await h.invoice(invoice.id)).payments[0];
    expect(pending.state).toBe('pending');
    // Early: the watcher would not say this yet; crediting asks the chain and waits.
    await handleObservation(h.deps, { kind: 'transfer.confirmed', chain: 'ethereum', key: pending.key, blockNumber: pending.transfer.blockNumber, blockHash: pending.transfer.blockHash, confirmations: 50 });
    expect((await h.invoice(invoice.id)).payments[0].state).toBe('pending');
    // Inflated: the same transaction claiming 10 USDT instead of 4 is not what the chain holds.
    await handleObservation(h.deps, { kind: 'transfer.seen', source: 'watcher', transfer: { ...pending.transfer, logIndex: pending.transfer.logIndex, amount: USDT(10), txHash: real } });
    await h.mine(3);
    await h.settle();
    const now = await h.invoice(invoice.id);
    expect(now).toMatchObject({ status: 'partial', amountPaid: USDT(4) });
    expect(now.payments).toHaveLength(1);
  });
});

describe('attach-tx', () => {
  it('refuses a zero-amount transfer at the door', async () => {
    const invoice = await h.invoiceFor(project, 'USDT_ERC20', 10);
    const { txHash: zero } = await h.pay(invoice.selection!.address, 0n);
    const attached = await call('api.invoice.attach_tx', { apiKey, pathParameters: { invoiceId: invoiceUuid(invoice.id) }, body: { tx_hash: zero } });
    expect(attached.status).toBe(400);
    expect(attached.body).toMatchObject({ status: 'error', result: { tx_hash: expect.stringContaining('transfers zero') } });
  });
});

describe('the depth tier follows the invoice, not the transfer', () => {
  it('a 1,500 USD invoice paid in two 750 USD transfers waits for the large tier (6 blocks), not 3', async () => {
    const invoice = await h.invoiceFor(project, 'USDT_ERC20', 1500);
    await h.pay(invoice.selection!.address, USDT(750));
    await h.pay(invoice.selection!.address, USDT(750));
    await h.mine(3);
    await h.settle();
    const early = await h.invoice(invoice.id);
    expect(early.payments.map((p) => p.state)).toEqual(['pending', 'pending']);
    expect(early.payments.every((p) => 'blocks' in p.finality && p.finality.blocks === 6)).toBe(true);
    await h.mine(3);
    await h.settle();
    expect((await h.invoice(invoice.id)).status).toBe('paid');
  });
});

describe('offers stand', () => {
  it('a USDT payment sent after the payer switched to ETH is credited at the USDT offer', async () => {
    const invoice = await h.invoiceFor(project, 'USDT_ERC20', 10);
    const id = invoiceUuid(invoice.id);
    const switched = await call('api.invoice.select', { apiKey: null, pathParameters: { invoiceId: id }, body: { currency: 'ETH' } });
    expect(switched.status).toBe(200);
    const shown = switched.body.result as Record<string, unknown>;
    // The payer's view: no merchant data.
    expect(shown).not.toHaveProperty('user_email');
    expect(shown).not.toHaveProperty('tx_list');
    expect(shown).toMatchObject({ currency: { code: 'ETH' }, locked_until: expect.any(String) });
    await h.pay(invoice.selection!.address, invoice.selection!.amountToPay);
    await h.mine(3);
    await h.settle();
    const now = await h.invoice(invoice.id);
    expect(now.selection?.code).toBe('ETH');
    expect(now.status).toBe('paid');
    expect(now.payments).toMatchObject([{ state: 'credited', code: 'USDT_ERC20', classification: 'payment' }]);
    // attach-tx accepts it too (a payment to an offer the payer was shown).
    const attached = await call('api.invoice.attach_tx', { apiKey, pathParameters: { invoiceId: id }, body: { tx_hash: now.payments[0].transfer.txHash } });
    expect(attached.status).toBe(202);
  });
});

describe('a reversal beyond the available balance', () => {
  it('leaves a debt, never a negative balance, and the next credit repays it first', async () => {
    const { project: shop } = await newProject({ partialTolerance: 'none' });
    const invoice = await h.invoiceFor(shop, 'USDT_ERC20', 10);
    const beforePayment = await snapshot(h.devnet.rpcUrl);
    await h.pay(invoice.selection!.address, USDT(10));
    await h.mine(3);
    await h.settle();
    const credited = await h.invoice(invoice.id);
    expect(credited.status).toBe('paid');
    // The money went out (a withdrawal of part 2 would do this through the ledger): 2 USDT are left available.
    const db = makeDocumentClient({ region: 'us-east-1', endpoint: process.env.DYNAMODB_ENDPOINT });
    await db.send(new UpdateCommand({ TableName: process.env.TABLE_NAME, Key: keys.balance(shop.shopId, 'USDT_ERC20'), UpdateExpression: 'SET available = :a', ExpressionAttributeValues: { ':a': USDT(2) } }));
    await revert(h.devnet.rpcUrl, beforePayment);
    await h.mine(10);
    await h.settle();
    expect((await h.invoice(invoice.id)).payments[0].state).toBe('reversed');
    expect(await h.balance(shop.shopId, 'USDT_ERC20')).toMatchObject({ available: 0n, debt: credited.received - USDT(2) });

    const next = await h.invoiceFor(shop, 'USDT_ERC20', 20);
    await h.pay(next.selection!.address, USDT(20));
    await h.mine(3);
    await h.settle();
    const paid = await h.invoice(next.id);
    expect(await h.balance(shop.shopId, 'USDT_ERC20')).toMatchObject({ available: paid.received - (credited.received - USDT(2)), debt: 0n });
  });
});

describe('a large reorg', () => {
  it(`with more than ${ORPHANED_INLINE_MAX} recorded transfers in the orphaned blocks is fanned out one recheck each, and every one is withdrawn or reversed`, async () => {
    const invoices = [];
    for (let i = 0; i < ORPHANED_INLINE_MAX + 2; i += 1) invoices.push(await h.invoiceFor(project, 'USDT_ERC20', 10));
    const beforePayments = await snapshot(h.devnet.rpcUrl);
    for (const invoice of invoices) await h.pay(invoice.selection!.address, USDT(10));
    await h.settle();
    expect((await h.deps.invoices.getMany(invoices.map((i) => i.id))).every((i) => ['pending', 'credited'].includes(i.payments[0]?.state))).toBe(true);
    await revert(h.devnet.rpcUrl, beforePayments);
    await h.mine(ORPHANED_INLINE_MAX + 4);
    const kinds: string[] = [];
    await h.settle({
      deliver: (o) => {
        kinds.push(...o.map((x) => x.kind));
        return o;
      },
    });
    expect(kinds.filter((k) => k === 'transfer.recheck').length).toBeGreaterThanOrEqual(ORPHANED_INLINE_MAX + 2);
    const now = await h.deps.invoices.getMany(invoices.map((i) => i.id));
    expect(now.map((i) => i.payments[0]?.state).every((state) => state === 'orphaned' || state === 'reversed')).toBe(true);
    expect(now.every((i) => i.amountPaid === 0n)).toBe(true);
  }, 60_000);
});

describe('a quote expires', () => {
  it('ETH paid after the rate lock is valued at the market: at half the price, the quoted amount pays half', async () => {
    const invoice = await h.invoiceFor(project, 'ETH', 30);
    const lockMs = invoice.selection!.lockedUntil - invoice.selection!.lockedAt;
    // The payer waits past the lock (the chain's clock moves on), then sends the quoted amount.
    await rpc(h.devnet.rpcUrl, 'evm_increaseTime', [Math.ceil(lockMs / 1000) + 60]);
    await h.pay(invoice.selection!.address, invoice.selection!.amountToPay, null);
    await h.mine(3);
    const halfPrice = { ...h.deps, rates: new FixedRateSource({ ...DEVNET_RATES, ETH: String(Number(DEVNET_RATES.ETH) / 2) }) };
    await h.settle({ deliver: (o) => o, handle: (o) => handleObservation(halfPrice, o) });
    const now = await h.invoice(invoice.id);
    expect(now.status).toBe('partial');
    expect(now.payments[0]).toMatchObject({ state: 'credited', classification: 'payment' });
    expect(now.payments[0].valuedUsdPerUnit).not.toBeNull();
    const info = await call('invoice.info', { apiKey, body: { uuids: [invoiceUuid(invoice.id)] } });
    expect((info.body.result as { locked_until: string }[])[0].locked_until).toMatch(/^\d{4}-\d{2}-\d{2} /);
  });
});
