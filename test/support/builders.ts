/** Builders for domain values and stored invoices, shared by tests and the bench. */
import { type CreateInvoiceCommand, createInvoice, ownInvoiceCommand } from '../../shared/app/create-invoice';
import type { InvoiceId } from '../../shared/domain/ids';
import type { Invoice } from '../../shared/domain/invoice/invoice';
import { ratio } from '../../shared/domain/money';
import { defaultSettings, type Project } from '../../shared/domain/project';
import type { Deps } from '../../shared/ports';

/** A plain 10 USD invoice in `created`, nothing chosen yet; override what the case is about. */
export function buildInvoice(overrides: Partial<Invoice> = {}): Invoice {
  const now = overrides.createdAt ?? Date.UTC(2026, 0, 1);
  return {
    id: 'ABCDEFGH' as InvoiceId,
    shopId: 'shop',
    status: 'created',
    createdAt: now,
    expiresAt: now + 60_000,
    finishedAt: null,
    orderId: null,
    email: null,
    description: null,
    notificationUrl: null,
    donation: null,
    locale: 'en',
    price: { currency: 'USD', minor: 1000n },
    usdPerFiat: ratio(1n, 1n),
    rubPerUsd: null,
    availableCurrencies: defaultSettings('shop').enabledCurrencies,
    sideCommission: 'merchant',
    sideCommissionCc: 'merchant',
    serviceFeePercent: '0',
    testMode: true,
    selection: null,
    previousOffers: [],
    amountPaid: 0n,
    received: 0n,
    payments: [],
    facts: {},
    version: 1,
    ...overrides,
  };
}

/** Creates an invoice through the real use case (10 USD, now, project defaults) and returns it. */
export async function createTestInvoice(deps: Deps, project: Project, overrides: Partial<CreateInvoiceCommand> = {}): Promise<Invoice> {
  const out = await createInvoice(deps, ownInvoiceCommand({ project, amount: { units: 10n, scale: 0 }, fiat: 'USD', orderId: null, locale: 'en', now: Date.now(), ...overrides }));
  if (!out.ok) throw new Error(`create failed: ${JSON.stringify(out.error)}`);
  return out.value;
}
