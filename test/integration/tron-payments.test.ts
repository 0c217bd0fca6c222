/**
 * Tron payments end to end on real parts: the TronGrid simulator (the one allowed double), DynamoDB
 * Local, the local SQS engine, the real Tron reader, watcher and crediting consumer, and the real
 * HTTP handlers. Finality is the solidified block (the simulator solidifies TEST_SOLIDIFY_DEPTH
 * blocks behind its head).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { presentInvoice } from '../../shared/api/cryptocloud/presenters';
import { chainHeadsFor } from '../../shared/app/invoices';
import { invoiceUuid } from '../../shared/domain/ids';
import type { Invoice } from '../../shared/domain/invoice/invoice';
import type { Project } from '../../shared/domain/project';
import { call, newProject } from '../support/gateway';
import { type TronHarness, useTronHarness } from '../support/payments-harness';

let h: TronHarness;
let project: Project;
let apiKey: string;
const USDT = (n: number) => BigInt(Math.round(n * 1e6));
const TRX = (n: number) => BigInt(Math.round(n * 1e6));

beforeAll(async () => {
  h = await useTronHarness();
  ({ project, apiKey } = await newProject({ partialTolerance: 'none' }));
  await h.settle();
}, 60_000);

afterAll(async () => {
  await h?.stop();
});

const due = (i: Invoice) => i.selection?.amountToPay ?? 0n;
const addressOf = (i: Invoice) => i.selection?.address ?? '';

describe('a USDT_TRC20 payment through the TronGrid simulator', () => {
  it('is seen at once, credited when its block is solidified: journal, balance, postback, tx_list', async () => {
    const invoice = await h.invoiceFor(project, 'USDT_TRC20', 25);
    expect(addressOf(invoice)).toMatch(/^T[1-9A-HJ-NP-Za-km-z]{33}$/);
    expect(due(invoice)).toBe(USDT(25));
    expect(invoice.selection?.sweepEstimate).toEqual({ energy: 65_000, bandwidth: 345 });
    const before = await h.balance(project.shopId, 'USDT_TRC20');

    const { txHash } = h.pay(addressOf(invoice), due(invoice));
    expect(txHash).toMatch(/^[0-9a-f]{64}$/);
    await h.settle();
    let now = await h.invoice(invoice.id);
    expect(now.status).toBe('created');
    expect(now.payments).toMatchObject([{ state: 'pending', key: `tron#${txHash}#0`, transfer: { txHash, amount: USDT(25), to: addressOf(invoice) } }]);
    let shown = presentInvoice({ publicBaseUrl: 'x', heads: await chainHeadsFor(h.deps, [now]) }, now, project);
    expect(shown.tx_list[0]).toMatchObject({ tx_hash: txHash, required_confirmations: 'solidified', final: false, status: 'pending' });

    // One block short of solidified: still pending.
    h.mine(h.solidifyDepth - 1);
    await h.settle();
    expect((await h.invoice(invoice.id)).status).toBe('created');
    h.mine(1);
    await h.settle();
    now = await h.invoice(invoice.id);
    expect(now).toMatchObject({ status: 'paid', amountPaid: USDT(25) });
    // The merchant bears the 1.4 USD Tron transfer fee, withheld once.
    expect(now.selection?.transferFee).toBe(USDT(1.4));
    expect(now.received).toBe(USDT(25) - USDT(1.4));
    shown = presentInvoice({ publicBaseUrl: 'x', heads: await chainHeadsFor(h.deps, [now]) }, now, project);
    expect(shown).toMatchObject({ status: 'paid', invoice_status: 'success', amount_paid: 25, received: 23.6 });
    expect(shown.tx_list[0]).toMatchObject({ tx_hash: txHash, final: true, status: 'credited', type: 'payment' });
    const after = await h.balance(project.shopId, 'USDT_TRC20');
    expect(after.available - before.available).toBe(now.received);
    const jobs = await h.postbackJobs();
    expect(jobs).toContainEqual(expect.objectContaining({ kind: 'invoice.paid', invoiceId: invoice.id, eventId: `INV-${invoice.id}:success` }));

    const info = await call('invoice.info', { apiKey, body: { uuids: [invoiceUuid(invoice.id)] } });
    expect((info.body.result as { status: string; received: number }[])[0]).toMatchObject({ status: 'paid', received: 23.6 });
    const balance = await call('wallet.balance', { apiKey, body: {} });
    expect(balance.body.result).toContainEqual(expect.objectContaining({ available_balance: Number(after.available) / 1e6 }));
  });

  it('a TRX payment (TransferContract) is credited the same way', async () => {
    const invoice = await h.invoiceFor(project, 'TRX', 30);
    expect(due(invoice)).toBe(TRX(120)); // 30 USD at 0.25 USD/TRX
    expect(invoice.selection?.sweepEstimate).toEqual({ energy: 0, bandwidth: 268 });
    const before = await h.balance(project.shopId, 'TRX');
    const { txHash } = h.pay(addressOf(invoice), due(invoice), 'TRX');
    await h.settle();
    expect((await h.invoice(invoice.id)).payments).toMatchObject([{ state: 'pending', key: `tron#${txHash}#native` }]);
    h.solidify();
    await h.settle();
    const now = await h.invoice(invoice.id);
    expect(now).toMatchObject({ status: 'paid', amountPaid: TRX(120) });
    expect(now.received).toBe(TRX(120) - (now.selection?.transferFee ?? 0n));
    expect((await h.balance(project.shopId, 'TRX')).available - before.available).toBe(now.received);
    expect((await h.postbackJobs()).map((j) => j.kind)).toContain('invoice.paid');
  });
});
