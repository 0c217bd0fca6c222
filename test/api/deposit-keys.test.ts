/**
 * A served chain whose family has no deposit key (Tron in CHAINS_JSON, TRON_XPUB not set): the
 * payer choosing one of its codes, and an H2H invoice naming one, get a clear answer in the
 * envelope instead of a 500; the other codes still work and no address is handed out.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { resetRuntime } from '../../functions/kit/deps';
import { CHAINS } from '../../shared/domain/currencies';
import { call, newProject, useTestGateway } from '../support/gateway';

let apiKey: string;
let shopId: string;

beforeAll(async () => {
  // Every chain served (nothing listens: no node is reached), Tron included, but no Tron xpub.
  await useTestGateway({ CHAINS_JSON: JSON.stringify(Object.fromEntries(Object.keys(CHAINS).map((c) => [c, { rpcUrls: ['http://127.0.0.1:9'] }]))) });
  delete process.env.TRON_XPUB;
  resetRuntime();
  ({ apiKey, shopId } = await newProject());
});

const createInvoice = (fields: Record<string, unknown> = {}) => call('invoice.create', { apiKey, body: { shop_id: shopId, amount: 10, currency: 'USD', ...fields } });
const select = (uuid: string, currency: string) => call('api.invoice.select', { apiKey: null, pathParameters: { invoiceId: uuid }, body: { currency } });

describe('a served Tron chain without TRON_XPUB', () => {
  it('refuses USDT_TRC20 at the choice with a 400 naming the missing key; an EVM code still gets its address', async () => {
    const created = await createInvoice();
    expect(created.status).toBe(200);
    const uuid = (created.body.result as { uuid: string }).uuid;

    const refused = await select(uuid, 'USDT_TRC20');
    expect(refused.status).toBe(400);
    expect(refused.body).toEqual({ status: 'error', result: { currency: expect.stringMatching(/^USDT_TRC20 cannot be paid on this gateway right now: .*Tron.*TRON_XPUB/) } });

    const chosen = await select(uuid, 'USDT_ERC20');
    expect(chosen.status).toBe(200);
    expect(chosen.body.result).toMatchObject({ address: expect.stringMatching(/^0x[0-9a-fA-F]{40}$/) });
  });

  it('refuses an H2H invoice in TRX the same way', async () => {
    const refused = await createInvoice({ add_fields: { cryptocurrency: 'TRX' } });
    expect(refused.status).toBe(400);
    expect(refused.body).toEqual({ status: 'error', result: { currency: expect.stringContaining('TRON_XPUB') } });
  });
});
