/**
 * The payer's currency choice through the real handler (no key: the invoice id is the capability):
 * every quote shown stays an offer, so the number of quotes is bounded, and the answer is the
 * payer's view of the invoice, not the merchant's.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { runtime } from '../../functions/kit/deps';
import { updateProject } from '../../shared/app/projects';
import type { InvoiceId } from '../../shared/domain/ids';
import { SELECTIONS_PER_INVOICE_MAX } from '../../shared/domain/invoice/invoice';
import { call, newProject, useTestGateway } from '../support/gateway';

let apiKey: string;
let shopId: string;

beforeAll(async () => {
  await useTestGateway();
  ({ apiKey, shopId } = await newProject());
});

async function newInvoice() {
  const created = await call('invoice.create', { apiKey, body: { shop_id: shopId, amount: 10, currency: 'USD', email: 'payer@example.com' } });
  expect(created.status).toBe(200);
  return created.body.result as { uuid: string; currency_list?: unknown };
}

describe('POST /api/invoices/{id}/select', () => {
  it(`shows the payer at most ${SELECTIONS_PER_INVOICE_MAX} quotes; the next switch is refused in the envelope, and a quote already shown still answers`, async () => {
    const invoice = await newInvoice();
    const stored = await runtime().deps.invoices.get(invoice.uuid.replace('INV-', '') as InvoiceId);
    const codes = stored?.availableCurrencies ?? [];
    expect(codes.length).toBeGreaterThan(SELECTIONS_PER_INVOICE_MAX);
    for (const code of codes.slice(0, SELECTIONS_PER_INVOICE_MAX)) {
      const chosen = await call('api.invoice.select', { apiKey: null, pathParameters: { invoiceId: invoice.uuid }, body: { currency: code } });
      expect(chosen.status, code).toBe(200);
    }
    const refused = await call('api.invoice.select', { apiKey: null, pathParameters: { invoiceId: invoice.uuid }, body: { currency: codes[SELECTIONS_PER_INVOICE_MAX] } });
    expect(refused.status).toBe(400);
    expect(refused.body).toMatchObject({ status: 'error', result: { currency: expect.stringContaining(`already offered ${SELECTIONS_PER_INVOICE_MAX}`) } });
    // The current quote is still locked: choosing it again is the same offer, not a new one.
    const again = await call('api.invoice.select', { apiKey: null, pathParameters: { invoiceId: invoice.uuid }, body: { currency: codes[SELECTIONS_PER_INVOICE_MAX - 1] } });
    expect(again.status).toBe(200);
  });

  it("answers with the payer's view: the offer and its lock, no e-mail, no tx_list", async () => {
    const invoice = await newInvoice();
    const chosen = await call('api.invoice.select', { apiKey: null, pathParameters: { invoiceId: invoice.uuid }, body: { currency: 'USDT_ERC20' } });
    expect(chosen.status).toBe(200);
    const shown = chosen.body.result as Record<string, unknown>;
    expect(shown).toMatchObject({ uuid: invoice.uuid, currency: { code: 'USDT', network: { code: 'ERC20' } }, address: expect.stringMatching(/^0x/), locked_until: expect.any(String), payments: [] });
    expect(JSON.stringify(shown)).not.toContain('payer@example.com');
    expect(shown).not.toHaveProperty('user_email');
    expect(shown).not.toHaveProperty('tx_list');
  });

  it('asks for the e-mail at the first choice only: a re-quote or switch is not refused because the shop turned it on since', async () => {
    const { apiKey: key, shopId: shop } = await newProject();
    const created = await call('invoice.create', { apiKey: key, body: { shop_id: shop, amount: 10, currency: 'USD' } });
    const uuid = (created.body.result as { uuid: string }).uuid;
    const choose = (currency: string) => call('api.invoice.select', { apiKey: null, pathParameters: { invoiceId: uuid }, body: { currency } });
    expect((await choose('USDT_ERC20')).status).toBe(200);
    const deps = runtime().deps;
    expect((await updateProject(deps, shop, { emailRequired: true })).ok).toBe(true);
    expect((await choose('ETH')).status).toBe(200);
    // A new invoice of the same shop does need it.
    const next = await call('invoice.create', { apiKey: key, body: { shop_id: shop, amount: 10, currency: 'USD' } });
    const refused = await call('api.invoice.select', { apiKey: null, pathParameters: { invoiceId: (next.body.result as { uuid: string }).uuid }, body: { currency: 'USDT_ERC20' } });
    expect(refused.status).toBe(400);
  });
});
