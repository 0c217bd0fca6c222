/**
 * Attacks on the money path that break it today, on real parts (anvil, DynamoDB Local, the SQS
 * engine, the real watcher and crediting): a quote replaced under a payment in flight, dust of
 * the served token that fills the invoice item, and a price feed outage during the retries.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FixedRateSource } from '../../shared/adapters/rates/rate-service';
import { handleObservation } from '../../shared/app/crediting';
import { selectCurrency } from '../../shared/app/invoice-payments';
import { expireDueInvoices } from '../../shared/app/invoices';
import type { Project } from '../../shared/domain/project';
import type { Observation } from '../../shared/domain/transfers';
import { rpc } from '../../lib/local/engines/devnet';
import { DEVNET_RATES } from '../../lib/local/dev-defaults';
import { newProject } from '../support/gateway';
import { type Harness, usePaymentsHarness } from '../support/payments-harness';

const USDT = (n: number) => BigInt(Math.round(n * 1e6));
/** The observations queue's deliveries before its DLQ (lib/manifest.ts). */
const DELIVERIES_BEFORE_DLQ = 10;

let h: Harness;
let project: Project;

beforeAll(async () => {
  h = await usePaymentsHarness();
  ({ project } = await newProject({ partialTolerance: 'none' }));
  await h.settle();
}, 60_000);

afterAll(async () => {
  await h?.stop();
});

describe('a quote replaced under a payment in flight', () => {
  it('ETH paid inside its lock, then the page switches away and back (a new ETH quote at half the price) before the watcher sees it: still paid', async () => {
    const invoice = await h.invoiceFor(project, 'ETH', 30);
    const shown = invoice.selection!;
    // The payer pays exactly what was shown, well inside the lock.
    await h.pay(shown.address, shown.amountToPay, null);
    // Before the watcher records it, the keyless select route is called twice (USDT, then ETH again) while ETH has halved.
    const halfPrice = { ...h.deps, rates: new FixedRateSource({ ...DEVNET_RATES, ETH: String(Number(DEVNET_RATES.ETH) / 2) }) };
    expect((await selectCurrency(h.deps, invoice.id, 'USDT_ERC20', h.deps.clock.now())).ok).toBe(true);
    expect((await selectCurrency(halfPrice, invoice.id, 'ETH', h.deps.clock.now())).ok).toBe(true);
    await h.mine(3);
    await h.settle();
    const now = await h.invoice(invoice.id);
    expect(now.payments).toMatchObject([{ state: 'credited', code: 'ETH', classification: 'payment' }]);
    // The payment was made against the first ETH offer, inside its lock: it pays the invoice.
    expect(now.status).toBe('paid');
  }, 60_000);
});

describe('dust of the served token', () => {
  it('100 transfers of one base unit of USDT to the address before the real payment: the real payment is still credited', async () => {
    const invoice = await h.invoiceFor(project, 'USDT_ERC20', 10);
    const address = invoice.selection!.address;
    // A contract doing 100 token.transfer calls would do this in one transaction; 100 transactions are the same to crediting.
    for (let i = 0; i < 100; i += 1) await h.pay(address, 1n);
    await h.pay(address, USDT(10));
    await h.mine(3);
    await h.settle();
    const now = await h.invoice(invoice.id);
    expect((await h.deps.payments.strays(invoice.id)).kept.filter((s) => s.transfer.amount === USDT(10))).toEqual([]);
    expect(now.payments.some((p) => p.transfer.amount === USDT(10) && p.state === 'credited')).toBe(true);
    expect(['paid', 'overpaid']).toContain(now.status);
  }, 180_000);
});

describe('the expirer and a payment still in the queue', () => {
  it('an on-time payment the watcher has reported but crediting has not yet recorded keeps the expirer from canceling', async () => {
    const invoice = await h.invoiceFor(project, 'USDT_ERC20', 10, { lifetimeMs: 120_000 });
    await h.pay(invoice.selection!.address, USDT(10));
    // The chain moves past the expiry; the watcher reports the payment and its cursor passes the expiry.
    await rpc(h.devnet.rpcUrl, 'evm_increaseTime', [300]);
    await h.mine(3);
    await h.pass();
    // The expirer runs before the crediting consumer has taken the message (a lagging queue, a failed delivery).
    await expireDueInvoices(h.deps, invoice.expiresAt + 60_000);
    // The merchant must not be told "canceled" for an invoice paid on time.
    expect((await h.invoice(invoice.id)).status).toBe('created');
    await h.settle();
    expect((await h.invoice(invoice.id)).status).toBe('paid');
  }, 60_000);
});

describe('the price feed is down while a payment after the rate lock is retried', () => {
  it('ten failed deliveries (the message goes to the DLQ), then the feed comes back: the payment is still credited', async () => {
    const invoice = await h.invoiceFor(project, 'ETH', 30);
    const lockMs = invoice.selection!.lockedUntil - invoice.selection!.lockedAt;
    await rpc(h.devnet.rpcUrl, 'evm_increaseTime', [Math.ceil(lockMs / 1000) + 60]);
    await h.pay(invoice.selection!.address, invoice.selection!.amountToPay, null);
    await h.mine(3);
    const noFeed = { ...h.deps, rates: new FixedRateSource({}) };
    // Every delivery of this round finds no rate; none may fail the message into the DLQ or lose the payment.
    const noRate = async (o: Observation) => {
      for (let i = 0; i < DELIVERIES_BEFORE_DLQ; i += 1) await handleObservation(noFeed, o);
    };
    await h.pass();
    await h.drain((o) => o, noRate);
    expect((await h.invoice(invoice.id)).payments).toMatchObject([{ state: 'pending', code: 'ETH' }]);
    // The feed is back; the watcher and crediting keep running.
    await h.mine(3);
    await h.settle();
    const now = await h.invoice(invoice.id);
    expect(now.payments).toMatchObject([{ state: 'credited', code: 'ETH' }]);
  }, 60_000);
});
