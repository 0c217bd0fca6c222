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

describe('the same lifecycle as on EVM, through the same crediting code', () => {
  it('partial, then a top-up before expiry makes it paid; a larger top-up makes it overpaid', async () => {
    const a = await h.invoiceFor(project, 'USDT_TRC20', 10);
    h.pay(addressOf(a), USDT(4));
    h.solidify();
    await h.settle();
    expect(await h.invoice(a.id)).toMatchObject({ status: 'partial', amountPaid: USDT(4) });
    h.pay(addressOf(a), USDT(6));
    h.solidify();
    await h.settle();
    expect(await h.invoice(a.id)).toMatchObject({ status: 'paid', amountPaid: USDT(10) });

    const b = await h.invoiceFor(project, 'TRX', 10);
    h.pay(addressOf(b), TRX(16), 'TRX', { mine: false });
    h.pay(addressOf(b), TRX(28), 'TRX', { mine: false });
    h.mine(1); // both in one block
    h.solidify();
    await h.settle();
    expect(await h.invoice(b.id)).toMatchObject({ status: 'overpaid', amountPaid: TRX(44) });
    expect((await h.invoice(b.id)).payments.map((p) => p.state)).toEqual(['credited', 'credited']);
  });

  it('an overpayment is credited in full', async () => {
    const invoice = await h.invoiceFor(project, 'USDT_TRC20', 10);
    const before = await h.balance(project.shopId, 'USDT_TRC20');
    h.pay(addressOf(invoice), USDT(15));
    h.solidify();
    await h.settle();
    expect(await h.invoice(invoice.id)).toMatchObject({ status: 'overpaid', amountPaid: USDT(15) });
    expect((await h.balance(project.shopId, 'USDT_TRC20')).available - before.available).toBe(USDT(15) - (invoice.selection?.transferFee ?? 0n));
  });

  it('a second payment to a paid invoice is credited as a duplicate', async () => {
    const invoice = await h.invoiceFor(project, 'USDT_TRC20', 10);
    h.pay(addressOf(invoice), USDT(10));
    h.solidify();
    await h.settle();
    await h.postbackJobs();
    const before = await h.balance(project.shopId, 'USDT_TRC20');
    h.pay(addressOf(invoice), USDT(10));
    h.solidify();
    await h.settle();
    const now = await h.invoice(invoice.id);
    expect(now).toMatchObject({ status: 'paid', amountPaid: USDT(20), facts: { duplicate: true } });
    expect(now.payments.map((p) => p.classification)).toEqual(['payment', 'duplicate']);
    expect((await h.balance(project.shopId, 'USDT_TRC20')).available - before.available).toBe(USDT(10));
    expect((await h.postbackJobs()).map((j) => j.kind)).toContain('payment.duplicate');
  });

  it('a payment after expiry is credited and flagged late; the status does not move', async () => {
    const invoice = await h.invoiceFor(project, 'USDT_TRC20', 10, { now: Date.now() - 10 * 60_000, lifetimeMs: 5 * 60_000 });
    const before = await h.balance(project.shopId, 'USDT_TRC20');
    h.pay(addressOf(invoice), USDT(10));
    h.solidify();
    await h.settle();
    const now = await h.invoice(invoice.id);
    expect(now).toMatchObject({ status: 'created', amountPaid: USDT(10), facts: { late: true } });
    expect(now.payments[0].classification).toBe('late');
    expect((await h.balance(project.shopId, 'USDT_TRC20')).available - before.available).toBe(now.received);
    expect((await h.postbackJobs()).map((j) => j.kind)).toContain('payment.late');
  });

  it('USDD sent to a USDT_TRC20 invoice is kept as a stray under review, never credited; attach-tx refuses it', async () => {
    const invoice = await h.invoiceFor(project, 'USDT_TRC20', 10);
    const before = await h.balance(project.shopId, 'USDT_TRC20');
    const usddBefore = await h.balance(project.shopId, 'USDD_TRC20');
    const { txHash } = h.pay(addressOf(invoice), 10n * 10n ** 18n, 'USDD');
    h.solidify();
    await h.settle();
    const now = await h.invoice(invoice.id);
    expect(now).toMatchObject({ status: 'created', amountPaid: 0n, facts: { underReview: true }, payments: [] });
    const strays = await h.deps.payments.strays(invoice.id);
    expect(strays).toMatchObject({ count: 1, kept: [{ reason: 'other_currency', code: 'USDD_TRC20', transfer: { txHash, contract: h.tokens.USDD_TRC20 } }] });
    expect(await h.balance(project.shopId, 'USDT_TRC20')).toEqual(before);
    expect(await h.balance(project.shopId, 'USDD_TRC20')).toEqual(usddBefore);

    const attached = await call('api.invoice.attach_tx', { apiKey, pathParameters: { invoiceId: invoiceUuid(invoice.id) }, body: { tx_hash: txHash } });
    expect(attached.status).toBe(400);
    expect(JSON.stringify(attached.body.result)).toMatch(/is not USDT_TRC20/);
  });
});

describe('attach-tx with a Tron txid', () => {
  it('credits a transaction the watcher missed, once; refuses another address, an unknown txid and a failed one', async () => {
    const invoice = await h.invoiceFor(project, 'USDT_TRC20', 10);
    const other = await h.invoiceFor(project, 'USDT_TRC20', 10);
    const { txHash } = h.pay(addressOf(invoice), USDT(10));
    // The watcher misses the block: its checkpoint is moved past it (an outage, a bad answer).
    const head = await h.reader.head();
    const cp = await h.chainState.get('tron');
    if (!cp) throw new Error('no checkpoint');
    await h.chainState.save({ ...cp, cursor: head.number, recent: [head], head, version: cp.version + 1 }, cp.version);
    await h.settle();
    expect((await h.invoice(invoice.id)).payments).toEqual([]);

    const path = { invoiceId: invoiceUuid(invoice.id) };
    const first = await call('api.invoice.attach_tx', { apiKey, pathParameters: path, body: { tx_hash: txHash } });
    expect(first.status).toBe(202);
    expect(first.body.result).toMatchObject({ accepted: [{ amount_units: String(USDT(10)), required_confirmations: 'solidified', final: false }] });
    // Explorers print Tron txids bare; a pasted 0x prefix or upper case is forgiven.
    const again = await call('api.invoice.attach_tx', { apiKey, pathParameters: path, body: { tx_hash: `0x${txHash.toUpperCase()}` } });
    expect(again.status).toBe(202);
    h.solidify();
    await h.settle();
    const now = await h.invoice(invoice.id);
    expect(now).toMatchObject({ status: 'paid', amountPaid: USDT(10) });
    expect(now.payments).toMatchObject([{ key: `tron#${txHash}#0`, source: 'attach_tx', state: 'credited' }]);

    const wrong = await call('api.invoice.attach_tx', { apiKey, pathParameters: { invoiceId: invoiceUuid(other.id) }, body: { tx_hash: txHash } });
    expect(wrong.status).toBe(400);
    expect(JSON.stringify(wrong.body.result)).toMatch(/does not pay the invoice's deposit address/);
    const missing = await call('api.invoice.attach_tx', { apiKey, pathParameters: path, body: { tx_hash: '1'.repeat(64) } });
    expect(JSON.stringify(missing.body.result)).toMatch(/was not found on TronGrid simulator/);

    const failed = h.pay(addressOf(other), USDT(10), 'USDT', { fail: 'REVERT' });
    const refused = await call('api.invoice.attach_tx', { apiKey, pathParameters: { invoiceId: invoiceUuid(other.id) }, body: { tx_hash: failed.txHash } });
    expect(refused.status).toBe(400);
    expect(JSON.stringify(refused.body.result)).toMatch(/reverted on chain/);
  });
});

describe('select and confirm on Tron', () => {
  it('the payer chooses USDT_TRC20 and gets a Tron address; the merchant confirms a partial invoice', async () => {
    const created = await call('invoice.create', { apiKey, body: { shop_id: project.shopId, amount: 10, currency: 'USD' } });
    const uuid = (created.body.result as { uuid: string }).uuid;
    const selected = await call('api.invoice.select', { pathParameters: { invoiceId: uuid }, body: { currency: 'USDT_TRC20' } });
    expect(selected.status).toBe(200);
    const address = (selected.body.result as { address: string }).address;
    expect(address).toMatch(/^T[1-9A-HJ-NP-Za-km-z]{33}$/);

    h.pay(address, USDT(8));
    await h.settle();
    const switched = await call('api.invoice.select', { pathParameters: { invoiceId: uuid }, body: { currency: 'TRX' } });
    expect(JSON.stringify(switched.body.result)).toMatch(/already been seen/);
    h.solidify();
    await h.settle();
    const confirmed = await call('api.invoice.confirm', { apiKey, pathParameters: { invoiceId: uuid } });
    expect(confirmed.body.result).toMatchObject({ status: 'paid' });
    const twice = await call('api.invoice.confirm', { apiKey, pathParameters: { invoiceId: uuid } });
    expect(twice.status).toBe(400);
  });
});
