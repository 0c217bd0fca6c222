/**
 * Exactly-once crediting of Tron payments under hostile delivery (the EVM version is
 * payments-delivery.test.ts): every observation delivered 1 to 5 times in a shuffled order, and a
 * TronGrid that answers 429 and 503 to 30 % of requests.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handleObservation } from '../../shared/app/crediting';
import type { Invoice } from '../../shared/domain/invoice/invoice';
import type { Observation } from '../../shared/domain/transfers';
import { newProject } from '../support/gateway';
import { type TronHarness, type TronToken, useTronHarness } from '../support/payments-harness';
import { prng, repeatAndShuffle } from '../support/random';

const INVOICES = 100;
/** Two payments per invoice (half, then the rest): 200 transfers. */
const PAYMENTS_PER_INVOICE = 2;
const TRANSFERS_PER_BLOCK = 25;
/** Crediting consumers at work at once. */
const CONSUMERS = 8;

const tokenOf = (invoice: Invoice): TronToken => (invoice.selection?.code === 'TRX' ? 'TRX' : 'USDT');

/** Pays each invoice in two halves, TRANSFERS_PER_BLOCK transfers to a block; returns the txids and the blocks mined. */
function payInHalves(h: TronHarness, invoices: Invoice[]): { txids: string[]; blocks: number } {
  const txids: string[] = [];
  const transfers = invoices.flatMap((invoice) => {
    const due = invoice.selection?.amountToPay ?? 0n;
    return [due / 2n, due - due / 2n].map((amount) => ({ to: invoice.selection?.address ?? '', amount, token: tokenOf(invoice) }));
  });
  let blocks = 0;
  for (const [i, t] of transfers.entries()) {
    txids.push(h.pay(t.to, t.amount, t.token, { mine: false }).txHash);
    if ((i + 1) % TRANSFERS_PER_BLOCK === 0 || i === transfers.length - 1) {
      h.mine(1);
      blocks += 1;
    }
  }
  return { txids, blocks };
}

function sumReceived(invoices: Invoice[], code: string): bigint {
  return invoices.filter((i) => i.selection?.code === code).reduce((acc, i) => acc + i.received, 0n);
}

describe('duplicate and out-of-order delivery on Tron', () => {
  let h: TronHarness;
  beforeAll(async () => {
    // As deep as the blocks the payments fill, so half of them can be solidified and half not.
    h = await useTronHarness({ solidifyDepth: (INVOICES * PAYMENTS_PER_INVOICE) / TRANSFERS_PER_BLOCK });
  }, 60_000);
  afterAll(async () => h?.stop());

  it(`${INVOICES * PAYMENTS_PER_INVOICE} payments (USDT_TRC20 and TRX), each observation delivered 1-5 times shuffled, give exactly one credit each`, async () => {
    const { project } = await newProject();
    await h.settle();
    const invoices: Invoice[] = [];
    for (let i = 0; i < INVOICES; i += 1) invoices.push(await h.invoiceFor(project, i % 2 === 0 ? 'USDT_TRC20' : 'TRX', 1 + (i % 7)));
    const { txids, blocks } = payInHalves(h, invoices);
    const deliver = repeatAndShuffle<Observation>(prng(42));
    // Half the blocks solidified when the watcher first sees them: their payments are credited on
    // the seen message, the others on the confirmed message after solidification; both kinds are
    // repeated and reordered, and handed to several consumers at once (conditional writes decide).
    h.mine(Math.max(1, h.solidifyDepth - Math.floor(blocks / 2)));
    await h.settle({ deliver, maxRounds: 200, concurrency: CONSUMERS });
    h.solidify();
    await h.settle({ deliver, maxRounds: 200, concurrency: CONSUMERS });

    const stored = await h.deps.invoices.getMany(invoices.map((i) => i.id));
    const payments = stored.flatMap((i) => i.payments);
    expect(payments).toHaveLength(txids.length);
    expect(new Set(payments.map((p) => p.transfer.txHash))).toEqual(new Set(txids));
    expect(payments.every((p) => p.state === 'credited' && p.credits === 1)).toBe(true);
    expect(stored.every((i) => i.status === 'paid' && i.payments.length === PAYMENTS_PER_INVOICE && i.amountPaid === i.selection?.amountToPay)).toBe(true);
    for (const code of ['USDT_TRC20', 'TRX']) expect((await h.balance(project.shopId, code)).available).toBe(sumReceived(stored, code));
  }, 180_000);
});

describe('a TronGrid answering 429 and 503 to 30 % of requests', () => {
  let h: TronHarness;
  beforeAll(async () => {
    h = await useTronHarness();
  }, 60_000);
  afterAll(async () => h?.stop());

  it('every payment is still credited exactly once (the client retries, messages are redelivered)', async () => {
    const { project } = await newProject();
    await h.settle();
    const invoices: Invoice[] = [];
    for (let i = 0; i < 20; i += 1) invoices.push(await h.invoiceFor(project, i % 2 === 0 ? 'USDT_TRC20' : 'TRX', 5));
    h.sim.setFaults({ rate: 0.3, statuses: [429, 503], seed: 7 });
    // The faults are real: about 30 % of plain requests fail.
    const statuses = await Promise.all(Array.from({ length: 100 }, () => fetch(`${h.sim.url}/wallet/getnowblock`, { method: 'POST', body: '{}' }).then((r) => r.status)));
    expect(statuses.filter((s) => s !== 200).length).toBeGreaterThan(15);
    expect(new Set(statuses)).toEqual(new Set([200, 429, 503]));

    for (const invoice of invoices) h.pay(invoice.selection?.address ?? '', invoice.selection?.amountToPay ?? 0n, tokenOf(invoice), { mine: false });
    h.mine(1);
    h.solidify();
    // A message whose handling fails stays on the queue and comes back (SQS redelivery): here at once, a few times.
    const handle = async (o: Observation) => {
      for (let attempt = 1; ; attempt += 1) {
        try {
          return await handleObservation(h.deps, o);
        } catch (e) {
          if (attempt >= 5) throw e;
        }
      }
    };
    let stored: Invoice[] = [];
    for (let round = 0; round < 40; round += 1) {
      await h.settle({ tolerateFaults: true, maxRounds: 5, handle });
      stored = await h.deps.invoices.getMany(invoices.map((i) => i.id));
      if (stored.every((i) => i.status === 'paid')) break;
    }
    h.sim.setFaults({ rate: 0 });
    await h.settle();
    stored = await h.deps.invoices.getMany(invoices.map((i) => i.id));
    expect(stored.map((i) => i.status)).toEqual(invoices.map(() => 'paid'));
    expect(stored.every((i) => i.payments.length === 1 && i.payments[0].state === 'credited' && i.payments[0].credits === 1)).toBe(true);
    for (const code of ['USDT_TRC20', 'TRX']) expect((await h.balance(project.shopId, code)).available).toBe(sumReceived(stored, code));
  }, 180_000);
});
