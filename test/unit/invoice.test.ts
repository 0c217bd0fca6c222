import { describe, expect, it } from 'vitest';
import { cancelInvoice, confirmTestInvoice, expireInvoice, type Invoice } from '../../shared/domain/invoice/invoice';
import { canTransition, INVOICE_STATUSES, isFinal, TRANSITIONS, type InvoiceStatus } from '../../shared/domain/invoice/status';
import { buildInvoice } from '../support/builders';

const NOW = Date.UTC(2026, 0, 1);
const invoice = (status: InvoiceStatus, overrides: Partial<Invoice> = {}): Invoice => buildInvoice({ status, createdAt: NOW, version: 3, ...overrides });

describe('status transitions', () => {
  it('final statuses have no exits; the rest lead somewhere', () => {
    expect(INVOICE_STATUSES.filter(isFinal)).toEqual(['paid', 'overpaid', 'canceled']);
    expect(TRANSITIONS.created).toContain('canceled');
    expect(canTransition('partial', 'canceled')).toBe(false);
  });
});

describe('cancel', () => {
  it.each(INVOICE_STATUSES)('from %s', (status) => {
    const out = cancelInvoice(invoice(status), NOW);
    if (status === 'created') {
      expect(out.ok && out.value.invoice).toMatchObject({ status: 'canceled', finishedAt: NOW, version: 4 });
    } else {
      expect(out).toEqual({ ok: false, error: { kind: 'invoice.not_cancelable', invoiceId: 'ABCDEFGH', status } });
    }
  });
});

describe('expiry', () => {
  it('cancels a created invoice at its expiry, not before', () => {
    expect(expireInvoice(invoice('created'), NOW + 59_999)).toBeNull();
    expect(expireInvoice(invoice('created'), NOW + 60_000)?.invoice).toMatchObject({ status: 'canceled', facts: { expired: true } });
  });
  it.each(['partial', 'paid', 'overpaid', 'canceled'] as const)('leaves a %s invoice alone', (status) => {
    expect(expireInvoice(invoice(status), NOW + 10 * 60_000)).toBeNull();
  });
});

describe('confirm without payment', () => {
  it('pays a test invoice and records the fact', () => {
    const out = confirmTestInvoice(invoice('created'), NOW);
    expect(out.ok && out.value.invoice).toMatchObject({ status: 'paid', facts: { confirmedWithoutPayment: true }, amountPaid: 0n });
    expect(out.ok && out.value.event).toEqual({ kind: 'invoice.test_confirmed', invoiceId: 'ABCDEFGH', at: NOW });
  });
  it('refuses live invoices and final ones', () => {
    expect(confirmTestInvoice(invoice('created', { testMode: false }), NOW)).toMatchObject({ ok: false, error: { kind: 'invoice.not_test_mode' } });
    expect(confirmTestInvoice(invoice('canceled'), NOW)).toMatchObject({ ok: false, error: { kind: 'invoice.not_confirmable' } });
  });
});
