import { describe, expect, it } from 'vitest';
import { presentCreatedInvoice, presentInvoice, presentStatistics } from '../../shared/api/cryptocloud/presenters';
import type { Invoice } from '../../shared/domain/invoice/invoice';
import { formatCryptoCloudTime } from '../../shared/domain/time';
import { createdInvoice, presenterAt, presenterCtx, presenterProject, usdtSelection } from '../support/presenter-fixtures';

const ctx = presenterCtx;
const project = presenterProject;
const at = presenterAt;
const invoice: Invoice = { ...createdInvoice, selection: usdtSelection };

/** Every field of the reference's InvoiceFull table (§1.11) plus create's (§1.2). */
const INVOICE_FULL_FIELDS =
  'uuid created date_finished expiry_date invoice_id order_id amount amount_in_crypto amount_in_fiat amount_usd amount_to_pay amount_to_pay_usd amount_paid amount_paid_usd received received_usd to_surcharge to_surcharge_usd fee fee_usd service_fee service_fee_usd total_rub status invoice_status step type_payments fiat_currency type user_email phone pay_url link is_email_required side_commission side_commission_cc aml_enabled aml_side aml_cost aml_cost_usd aml_checks currency currency_list project tx_list links links_invoice test_mode address'.split(' ');
const NULLABLE = new Set(['date_finished', 'invoice_id', 'amount_in_crypto', 'side_commission', 'side_commission_cc']);

describe('invoice presenter', () => {
  it('formats timestamps as YYYY-MM-DD HH:MM:SS.ffffff in UTC', () => {
    expect(formatCryptoCloudTime(at)).toBe('2026-01-02 03:04:05.678000');
  });

  it('has every InvoiceFull field, null only where the reference allows', () => {
    const full = presentInvoice(ctx, invoice, project) as Record<string, unknown>;
    for (const field of INVOICE_FULL_FIELDS) expect(full, field).toHaveProperty(field);
    for (const [field, value] of Object.entries(full)) if (value === null) expect(NULLABLE.has(field), `${field} is null`).toBe(true);
    expect(full.project).toEqual({ id: 7, name: 'Shop', fail: '', success: 'https://s.test/ok?x=1&invoice_uuid=INV-ABCD1234', logo: null });
  });

  it('answers "" for a redirect URL it cannot parse, never a fault', () => {
    const odd = { ...project, settings: { ...project.settings, failUrl: 'http://shop:99999/x' } };
    expect(presentInvoice(ctx, invoice, odd).project.fail).toBe('');
  });

  it('turns exact amounts into floats only here; amount is what the payer sends, client fees included', () => {
    const full = presentInvoice(ctx, invoice, project);
    expect(full).toMatchObject({ amount: 12.84, amount_in_crypto: 11.34, amount_usd: 11.34, amount_in_fiat: 10.5, fee: 1.5, amount_to_pay: 12.84, to_surcharge: 12.84, total_rub: 1134, invoice_status: 'start', step: 1 });
    const created = presentCreatedInvoice(ctx, { ...invoice, selection: null }, project);
    expect(created).toMatchObject({ address: '', amount: 11.34, fee: 0 });
    expect(created.currency?.fullcode).toBe('USDT_ERC20');
  });

  it('statistics are integers for counts and USD floats for amounts', () => {
    const zero = { all: 0, created: 0, partial: 0, paid: 0, overpaid: 0, canceled: 0 };
    const stats = presentStatistics({ count: { ...zero, all: 2, paid: 2 }, amountUsdCents: { all: 1050n, created: 0n, partial: 0n, paid: 1050n, overpaid: 0n, canceled: 0n } });
    expect(stats).toEqual({ count: { ...zero, all: 2, paid: 2 }, amount: { ...zero, all: 10.5, paid: 10.5 } });
  });
});
