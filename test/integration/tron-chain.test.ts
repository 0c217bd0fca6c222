/**
 * What the Tron chain does to payments, on real parts through the TronGrid simulator: failed
 * transactions (OUT_OF_ENERGY, REVERT) are never credited; a fork before solidification that
 * drops a transaction withdraws its payment, one that re-includes it elsewhere credits it once;
 * and a deployment that credits at a depth instead of solidification does so, and reverses a
 * credit a deeper fork takes away.
 */
import { computeAddress, keccak256, toUtf8Bytes } from 'ethers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evmToTronHex, tronHexToBase58 } from '../../lib/local/simulators/trongrid/encoding';
import type { Invoice } from '../../shared/domain/invoice/invoice';
import type { Project } from '../../shared/domain/project';
import { newProject } from '../support/gateway';
import { type TronHarness, useTronHarness } from '../support/payments-harness';

const USDT = (n: number) => BigInt(Math.round(n * 1e6));
const TRX = (n: number) => BigInt(Math.round(n * 1e6));
const addressOf = (i: Invoice) => i.selection?.address ?? '';

/** A sender with TRX for fees and no tokens: its TRC-20 transfers revert on the balance check. */
const BROKE_KEY = keccak256(toUtf8Bytes('tollgate-test:tron-sender-without-tokens'));
const BROKE_ADDRESS = tronHexToBase58(evmToTronHex(computeAddress(BROKE_KEY)));

describe('Tron, finality by solidification', () => {
  let h: TronHarness;
  let project: Project;
  beforeAll(async () => {
    h = await useTronHarness();
    ({ project } = await newProject({ partialTolerance: 'none' }));
    await h.settle();
  }, 60_000);
  afterAll(async () => h?.stop());

  it('a transfer that ran out of energy is never credited; nothing is recorded for it', async () => {
    const invoice = await h.invoiceFor(project, 'USDT_TRC20', 10);
    const before = await h.balance(project.shopId, 'USDT_TRC20');
    const { txHash } = h.pay(addressOf(invoice), USDT(10), 'USDT', { fail: 'OUT_OF_ENERGY' });
    h.solidify();
    await h.settle();
    // The chain holds it, failed: the reader says so, and the watcher reports nothing.
    expect(await h.reader.transaction(txHash)).toMatchObject({ txHash, succeeded: false, tokenTransfers: [] });
    expect(await h.invoice(invoice.id)).toMatchObject({ status: 'created', amountPaid: 0n, payments: [], facts: {} });
    expect(await h.deps.payments.strays(invoice.id)).toMatchObject({ count: 0 });
    expect(await h.balance(project.shopId, 'USDT_TRC20')).toEqual(before);
    expect(h.sim.balanceOf(addressOf(invoice), 'USDT')).toBe(0n);
  });

  it('a transfer that reverts (the sender lacks the tokens) is never credited; a good one in the same block is', async () => {
    h.sim.fund(BROKE_ADDRESS, TRX(200));
    const invoice = await h.invoiceFor(project, 'USDT_TRC20', 10);
    const before = await h.balance(project.shopId, 'USDT_TRC20');
    const reverted = h.pay(addressOf(invoice), USDT(10), 'USDT', { from: BROKE_KEY, mine: false });
    const good = h.pay(addressOf(invoice), USDT(3), 'USDT', { mine: false });
    h.mine(1);
    h.solidify();
    await h.settle();
    expect(await h.reader.transaction(reverted.txHash)).toMatchObject({ succeeded: false, tokenTransfers: [] });
    const now = await h.invoice(invoice.id);
    expect(now).toMatchObject({ status: 'partial', amountPaid: USDT(3) });
    expect(now.payments).toMatchObject([{ key: `tron#${good.txHash}#0`, state: 'credited' }]);
    expect((await h.balance(project.shopId, 'USDT_TRC20')).available - before.available).toBe(now.received);
  });

  it('a fork before solidification that drops the transaction: seen, then withdrawn, never credited', async () => {
    const invoice = await h.invoiceFor(project, 'USDT_TRC20', 10);
    const before = await h.balance(project.shopId, 'USDT_TRC20');
    const { txHash } = h.pay(addressOf(invoice), USDT(10));
    h.mine(1);
    await h.settle();
    expect((await h.invoice(invoice.id)).payments).toMatchObject([{ key: `tron#${txHash}#0`, state: 'pending' }]);

    const fork = h.sim.fork({ depth: 3, reinclude: false });
    expect(fork.dropped).toContain(txHash);
    await h.settle();
    h.solidify();
    await h.settle();
    const now = await h.invoice(invoice.id);
    expect(now).toMatchObject({ status: 'created', amountPaid: 0n });
    expect(now.payments).toMatchObject([{ state: 'orphaned' }]);
    expect(await h.balance(project.shopId, 'USDT_TRC20')).toEqual(before);
    expect(await h.reader.transaction(txHash)).toBeNull();
  });

  it('a fork that re-includes the same transaction in another block: credited exactly once, in the new block', async () => {
    const invoice = await h.invoiceFor(project, 'TRX', 10);
    const before = await h.balance(project.shopId, 'TRX');
    const { txHash } = h.pay(addressOf(invoice), TRX(40), 'TRX');
    h.mine(1);
    await h.settle();
    const seen = (await h.invoice(invoice.id)).payments[0];
    expect(seen).toMatchObject({ key: `tron#${txHash}#native`, state: 'pending' });

    const fork = h.sim.fork({ depth: 3, reinclude: true });
    expect(fork.reincluded).toEqual([txHash]);
    await h.settle();
    h.solidify();
    await h.settle();
    const now = await h.invoice(invoice.id);
    expect(now).toMatchObject({ status: 'paid', amountPaid: TRX(40) });
    expect(now.payments).toHaveLength(1);
    expect(now.payments[0]).toMatchObject({ state: 'credited', credits: 1, transfer: { txHash } });
    expect(now.payments[0].transfer.blockHash).not.toBe(seen.transfer.blockHash);
    expect(fork.orphaned).toContain(seen.transfer.blockHash);
    expect((await h.balance(project.shopId, 'TRX')).available - before.available).toBe(now.received);
  });
});

describe('Tron, finality by depth ({ normal: { blocks: 3 } })', () => {
  let h: TronHarness;
  let project: Project;
  beforeAll(async () => {
    // Solidification 6 behind: a credit at depth 3 happens well before it, and a fork can still undo it.
    h = await useTronHarness({ confirmations: { normal: { blocks: 3 } }, solidifyDepth: 6 });
    ({ project } = await newProject({ partialTolerance: 'none' }));
    await h.settle();
  }, 60_000);
  afterAll(async () => h?.stop());

  it('credits at the third block, before solidification', async () => {
    const invoice = await h.invoiceFor(project, 'USDT_TRC20', 10);
    const { txHash } = h.pay(addressOf(invoice), USDT(10));
    await h.settle();
    h.mine(1);
    await h.settle();
    expect((await h.invoice(invoice.id)).status).toBe('created');
    h.mine(1);
    await h.settle();
    const now = await h.invoice(invoice.id);
    expect(now).toMatchObject({ status: 'paid', amountPaid: USDT(10) });
    expect(now.payments[0]).toMatchObject({ state: 'credited', confirmations: 3, finality: { blocks: 3 } });
    // Not yet solidified: depth alone decided.
    expect(h.sim.info().solidified.number).toBeLessThan(now.payments[0].transfer.blockNumber);
    expect(txHash).toBe(now.payments[0].transfer.txHash);
  });

  it('a fork deeper than the depth that drops a credited transfer reverses the credit and tells the merchant', async () => {
    const invoice = await h.invoiceFor(project, 'USDT_TRC20', 10);
    const before = await h.balance(project.shopId, 'USDT_TRC20');
    h.pay(addressOf(invoice), USDT(10));
    h.mine(2);
    await h.settle();
    expect((await h.invoice(invoice.id)).status).toBe('paid');
    await h.postbackJobs();
    h.sim.fork({ depth: 4, reinclude: false });
    await h.settle();
    h.mine(3);
    await h.settle();
    const now = await h.invoice(invoice.id);
    expect(now).toMatchObject({ status: 'paid', amountPaid: 0n, received: 0n, facts: { reversed: true } });
    expect(now.payments).toMatchObject([{ state: 'reversed' }]);
    expect(await h.balance(project.shopId, 'USDT_TRC20')).toEqual(before);
    expect((await h.postbackJobs()).map((j) => j.kind)).toContain('payment.reversed');
  });
});
