/**
 * EVM payments end to end on real parts: anvil, DynamoDB Local, the local SQS engine, the real
 * watcher and crediting consumer, and the real HTTP handlers for the API.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { revert, rpc, snapshot } from '../../lib/local/engines/devnet';
import { presentInvoice } from '../../shared/api/cryptocloud/presenters';
import { chainHeadsFor } from '../../shared/app/invoices';
import { invoiceUuid } from '../../shared/domain/ids';
import type { Invoice } from '../../shared/domain/invoice/invoice';
import type { Project } from '../../shared/domain/project';
import { call, newProject } from '../support/gateway';
import { type Harness, usePaymentsHarness } from '../support/payments-harness';

let h: Harness;
let project: Project;
let apiKey: string;
const USDT = (n: number) => BigInt(Math.round(n * 1e6));

beforeAll(async () => {
  h = await usePaymentsHarness();
  ({ project, apiKey } = await newProject({ partialTolerance: 'none' }));
  await h.settle();
}, 60_000);

afterAll(async () => {
  await h?.stop();
});

const due = (i: Invoice) => i.selection?.amountToPay ?? 0n;

describe('a USDT_ERC20 payment on the devnet', () => {
  it('becomes paid after 3 confirmations, with the journal, the balance and tx_list right', async () => {
    const invoice = await h.invoiceFor(project, 'USDT_ERC20', 25);
    expect(due(invoice)).toBe(USDT(25));
    const before = await h.balance(project.shopId, 'USDT_ERC20');
    const { txHash } = await h.pay(invoice.selection?.address ?? '', due(invoice));
    await h.settle();
    let now = await h.invoice(invoice.id);
    expect(now.status).toBe('created');
    expect(now.payments).toMatchObject([{ state: 'pending', transfer: { txHash, amount: USDT(25) } }]);
    let shown = presentInvoice({ publicBaseUrl: 'x', heads: await chainHeadsFor(h.deps, [now]) }, now, project);
    expect(shown.tx_list[0]).toMatchObject({ tx_hash: txHash, confirmations: 1, required_confirmations: 3, final: false, status: 'pending' });

    await h.mine(1);
    await h.settle();
    expect((await h.invoice(invoice.id)).status).toBe('created');
    await h.mine(1);
    await h.settle();
    now = await h.invoice(invoice.id);
    expect(now).toMatchObject({ status: 'paid', amountPaid: USDT(25) });
    // Merchant-side sweep fee (1.5 USD of USDT) is withheld once.
    expect(now.received).toBe(USDT(25) - invoice.selection!.transferFee);
    shown = presentInvoice({ publicBaseUrl: 'x', heads: await chainHeadsFor(h.deps, [now]) }, now, project);
    expect(shown).toMatchObject({ status: 'paid', invoice_status: 'success', amount_paid: 25, to_surcharge: 0, received: 23.5 });
    expect(shown.tx_list[0]).toMatchObject({ confirmations: 3, required_confirmations: 3, final: true, status: 'credited', type: 'payment' });
    const after = await h.balance(project.shopId, 'USDT_ERC20');
    expect(after.available - before.available).toBe(now.received);
    const jobs = await h.postbackJobs();
    expect(jobs).toContainEqual(expect.objectContaining({ kind: 'invoice.paid', invoiceId: invoice.id, eventId: `INV-${invoice.id}:success` }));

    // The CryptoCloud info endpoint shows the same.
    const info = await call('invoice.info', { apiKey, body: { uuids: [invoiceUuid(invoice.id)] } });
    expect((info.body.result as { status: string; received: number }[])[0]).toMatchObject({ status: 'paid', received: 23.5 });
    const balance = await call('wallet.balance', { apiKey, body: {} });
    expect(balance.body.result).toContainEqual(expect.objectContaining({ available_balance: Number(after.available) / 1e6 }));
  });

  it('partial, then a top-up before expiry makes it paid; a larger top-up makes it overpaid', async () => {
    const a = await h.invoiceFor(project, 'USDT_ERC20', 10);
    await h.pay(a.selection!.address, USDT(4));
    await h.mine(2);
    await h.settle();
    expect((await h.invoice(a.id)).status).toBe('partial');
    await h.pay(a.selection!.address, USDT(6));
    await h.mine(2);
    await h.settle();
    expect(await h.invoice(a.id)).toMatchObject({ status: 'paid', amountPaid: USDT(10) });

    const b = await h.invoiceFor(project, 'USDT_ERC20', 10);
    await h.pay(b.selection!.address, USDT(4));
    await h.pay(b.selection!.address, USDT(7));
    await h.mine(2);
    await h.settle();
    expect(await h.invoice(b.id)).toMatchObject({ status: 'overpaid', amountPaid: USDT(11) });
  });

  it('an overpayment is credited in full', async () => {
    const invoice = await h.invoiceFor(project, 'USDT_ERC20', 10);
    const before = await h.balance(project.shopId, 'USDT_ERC20');
    await h.pay(invoice.selection!.address, USDT(15));
    await h.mine(2);
    await h.settle();
    const now = await h.invoice(invoice.id);
    expect(now).toMatchObject({ status: 'overpaid', amountPaid: USDT(15) });
    expect((await h.balance(project.shopId, 'USDT_ERC20')).available - before.available).toBe(USDT(15) - invoice.selection!.transferFee);
  });

  it('a second payment to a paid invoice is credited as a duplicate, never lost', async () => {
    const invoice = await h.invoiceFor(project, 'USDT_ERC20', 10);
    await h.pay(invoice.selection!.address, USDT(10));
    await h.mine(2);
    await h.settle();
    await h.postbackJobs();
    const before = await h.balance(project.shopId, 'USDT_ERC20');
    await h.pay(invoice.selection!.address, USDT(10));
    await h.mine(2);
    await h.settle();
    const now = await h.invoice(invoice.id);
    expect(now).toMatchObject({ status: 'paid', amountPaid: USDT(20), facts: { duplicate: true } });
    expect(now.payments.map((p) => p.classification)).toEqual(['payment', 'duplicate']);
    expect((await h.balance(project.shopId, 'USDT_ERC20')).available - before.available).toBe(USDT(10));
    expect((await h.postbackJobs()).map((j) => j.kind)).toContain('payment.duplicate');
  });

  it('a payment after expiry is credited and flagged late; the status does not move', async () => {
    const invoice = await h.invoiceFor(project, 'USDT_ERC20', 10, { now: Date.now() - 10 * 60_000, lifetimeMs: 5 * 60_000 });
    const before = await h.balance(project.shopId, 'USDT_ERC20');
    await h.pay(invoice.selection!.address, USDT(10));
    await h.mine(2);
    await h.settle();
    const now = await h.invoice(invoice.id);
    expect(now).toMatchObject({ status: 'created', amountPaid: USDT(10), facts: { late: true } });
    expect(now.payments[0].classification).toBe('late');
    expect((await h.balance(project.shopId, 'USDT_ERC20')).available - before.available).toBe(now.received);
    expect((await h.postbackJobs()).map((j) => j.kind)).toContain('payment.late');
  });

  it('a native ETH payment is found in the block and credited', async () => {
    const invoice = await h.invoiceFor(project, 'ETH', 30);
    expect(due(invoice)).toBe(10n ** 16n); // 30 USD at 3000 USD/ETH
    await h.pay(invoice.selection!.address, due(invoice), null);
    await h.mine(2);
    await h.settle();
    expect(await h.invoice(invoice.id)).toMatchObject({ status: 'paid', amountPaid: 10n ** 16n });
  });

  it('a fake token with the same symbol is recorded for review and never credited', async () => {
    const fake = await h.devnet.deployFakeToken('USDT');
    const invoice = await h.invoiceFor(project, 'USDT_ERC20', 10);
    const before = await h.balance(project.shopId, 'USDT_ERC20');
    await h.pay(invoice.selection!.address, USDT(10), fake);
    await h.mine(5);
    await h.settle();
    const now = await h.invoice(invoice.id);
    expect(now).toMatchObject({ status: 'created', amountPaid: 0n, facts: { underReview: true }, payments: [] });
    // Kept apart from the invoice item, and shown on the invoice.
    const strays = await h.deps.payments.strays(invoice.id);
    expect(strays).toMatchObject({ count: 1, kept: [{ reason: 'unrecognized_token', code: null, transfer: { contract: fake.toLowerCase() } }] });
    const info = await call('invoice.info', { apiKey, body: { uuids: [invoiceUuid(invoice.id)] } });
    expect((info.body.result as { stray_transfers: unknown }[])[0].stray_transfers).toMatchObject({ count: 1, items: [{ reason: 'unrecognized_token', token_contract: fake.toLowerCase() }] });
    expect(await h.balance(project.shopId, 'USDT_ERC20')).toEqual(before);

    // attach-tx refuses it with the reason.
    const attached = await call('api.invoice.attach_tx', { apiKey, pathParameters: { invoiceId: invoiceUuid(invoice.id) }, body: { tx_hash: strays.kept[0].transfer.txHash } });
    expect(attached.status).toBe(400);
    expect(JSON.stringify(attached.body.result)).toMatch(/is not USDT_ERC20/);
  });
});

describe('attach-tx', () => {
  it('credits a transaction the watcher missed, once, and refuses one that pays another address', async () => {
    const invoice = await h.invoiceFor(project, 'USDT_ERC20', 10);
    const other = await h.invoiceFor(project, 'USDT_ERC20', 10);
    const { txHash } = await h.pay(invoice.selection!.address, USDT(10));
    // The watcher misses the block: its checkpoint is moved past it (an outage, a bad RPC answer).
    await h.mine(1);
    const head = await h.reader.head();
    const cp = await h.chainState.get('ethereum');
    await h.chainState.save({ ...cp!, cursor: head.number, recent: [head], head, version: cp!.version + 1 }, cp!.version);
    await h.settle();
    expect((await h.invoice(invoice.id)).payments).toEqual([]);

    const path = { invoiceId: invoiceUuid(invoice.id) };
    const first = await call('api.invoice.attach_tx', { apiKey, pathParameters: path, body: { tx_hash: txHash } });
    expect(first.status).toBe(202);
    expect(first.body.result).toMatchObject({ accepted: [{ amount_units: String(USDT(10)), required_confirmations: 3, final: false }] });
    const again = await call('api.invoice.attach_tx', { apiKey, pathParameters: path, body: { tx_hash: txHash.toUpperCase().replace('0X', '0x') } });
    expect(again.status).toBe(202);
    await h.mine(2);
    await h.settle();
    const now = await h.invoice(invoice.id);
    expect(now).toMatchObject({ status: 'paid', amountPaid: USDT(10) });
    expect(now.payments).toMatchObject([{ source: 'attach_tx', state: 'credited' }]);

    const wrong = await call('api.invoice.attach_tx', { apiKey, pathParameters: { invoiceId: invoiceUuid(other.id) }, body: { tx_hash: txHash } });
    expect(wrong.status).toBe(400);
    expect(JSON.stringify(wrong.body.result)).toMatch(/does not pay the invoice's deposit address/);
    const missing = await call('api.invoice.attach_tx', { apiKey, pathParameters: path, body: { tx_hash: `0x${'1'.repeat(64)}` } });
    expect(JSON.stringify(missing.body.result)).toMatch(/was not found on Local devnet/);
    const malformed = await call('api.invoice.attach_tx', { apiKey, pathParameters: path, body: { tx_hash: 'abc' } });
    expect(malformed).toMatchObject({ status: 400, body: { status: 'error', result: { tx_hash: expect.stringMatching(/32-byte hex/) } } });
  });
});

describe('select and confirm', () => {
  it('the payer chooses a currency and gets a fresh address; the merchant confirms a partial invoice', async () => {
    const created = await call('invoice.create', { apiKey, body: { shop_id: project.shopId, amount: 10, currency: 'USD' } });
    const uuid = (created.body.result as { uuid: string }).uuid;
    const selected = await call('api.invoice.select', { pathParameters: { invoiceId: uuid }, body: { currency: 'USDT_ERC20' } });
    expect(selected.status).toBe(200);
    const address = (selected.body.result as { address: string }).address;
    expect(address).toMatch(/^0x[0-9a-fA-F]{40}$/);
    const unknown = await call('api.invoice.select', { pathParameters: { invoiceId: uuid }, body: { currency: 'USDC_BASE' } });
    expect(unknown.status).toBe(400);

    await h.pay(address, USDT(8));
    await h.settle();
    const switched = await call('api.invoice.select', { pathParameters: { invoiceId: uuid }, body: { currency: 'ETH' } });
    expect(JSON.stringify(switched.body.result)).toMatch(/already been seen/);
    await h.mine(2);
    await h.settle();
    const confirmed = await call('api.invoice.confirm', { apiKey, pathParameters: { invoiceId: uuid } });
    expect(confirmed.body.result).toMatchObject({ status: 'paid' });
    const twice = await call('api.invoice.confirm', { apiKey, pathParameters: { invoiceId: uuid } });
    expect(twice.status).toBe(400);
  });
});

describe('reorgs', () => {
  it('a transfer in an orphaned block is withdrawn and never credited', async () => {
    const invoice = await h.invoiceFor(project, 'USDT_ERC20', 10);
    const before = await h.balance(project.shopId, 'USDT_ERC20');
    const snap = await snapshot(h.devnet.rpcUrl);
    await h.pay(invoice.selection!.address, USDT(10));
    await h.settle();
    expect((await h.invoice(invoice.id)).payments).toMatchObject([{ state: 'pending' }]);
    await revert(h.devnet.rpcUrl, snap);
    await h.mine(4);
    await h.settle();
    await h.mine(4);
    await h.settle();
    const now = await h.invoice(invoice.id);
    expect(now).toMatchObject({ status: 'created', amountPaid: 0n });
    expect(now.payments).toMatchObject([{ state: 'orphaned' }]);
    expect(await h.balance(project.shopId, 'USDT_ERC20')).toEqual(before);
  });

  it('the same transaction re-included in another block is credited once', async () => {
    const invoice = await h.invoiceFor(project, 'USDT_ERC20', 10);
    const before = await h.balance(project.shopId, 'USDT_ERC20');
    const snap = await snapshot(h.devnet.rpcUrl);
    const { txHash } = await h.pay(invoice.selection!.address, USDT(10));
    const raw = await rpc<string>(h.devnet.rpcUrl, 'eth_getRawTransactionByHash', [txHash]);
    await h.settle();
    await revert(h.devnet.rpcUrl, snap);
    await h.mine(1);
    await rpc(h.devnet.rpcUrl, 'eth_sendRawTransaction', [raw]);
    await h.mine(3);
    await h.settle();
    const now = await h.invoice(invoice.id);
    expect(now).toMatchObject({ status: 'paid', amountPaid: USDT(10) });
    expect(now.payments).toHaveLength(1);
    expect(now.payments[0]).toMatchObject({ state: 'credited', transfer: { txHash } });
    expect((await h.balance(project.shopId, 'USDT_ERC20')).available - before.available).toBe(now.received);
  });

  it('a reorg deeper than the confirmation depth reverses the credit and tells the merchant', async () => {
    const invoice = await h.invoiceFor(project, 'USDT_ERC20', 10);
    const before = await h.balance(project.shopId, 'USDT_ERC20');
    const snap = await snapshot(h.devnet.rpcUrl);
    await h.pay(invoice.selection!.address, USDT(10));
    await h.mine(3);
    await h.settle();
    expect((await h.invoice(invoice.id)).status).toBe('paid');
    await h.postbackJobs();
    await revert(h.devnet.rpcUrl, snap);
    await h.mine(6);
    await h.settle();
    const now = await h.invoice(invoice.id);
    expect(now).toMatchObject({ status: 'paid', amountPaid: 0n, received: 0n, facts: { reversed: true } });
    expect(now.payments).toMatchObject([{ state: 'reversed' }]);
    expect(await h.balance(project.shopId, 'USDT_ERC20')).toEqual(before);
    expect((await h.postbackJobs()).map((j) => j.kind)).toContain('payment.reversed');
  });
});
