/** CryptoCloud's public invoice statuses (reference §3); the only status the API shows. */
export const INVOICE_STATUSES = [
  /** Issued and still valid. Exits: paid, overpaid, partial (payments), canceled (API or expiry). */
  'created',
  /** Underpaid. Exits: paid/overpaid (top-up, tolerance, manual confirm). Stays partial at expiry. */
  'partial',
  /** Paid in full. Final; later receipts are credited as duplicates, not status changes. */
  'paid',
  /** More than due was received, all of it credited. Final. */
  'overpaid',
  /** Canceled through the API or expired with nothing received. Final; late funds are flagged. */
  'canceled',
] as const;
export type InvoiceStatus = (typeof INVOICE_STATUSES)[number];

/** Allowed moves, asserted by every transition (STYLE §5). */
export const TRANSITIONS: Record<InvoiceStatus, readonly InvoiceStatus[]> = {
  created: ['partial', 'paid', 'overpaid', 'canceled'],
  partial: ['paid', 'overpaid'],
  paid: [],
  overpaid: [],
  canceled: [],
};

export const canTransition = (from: InvoiceStatus, to: InvoiceStatus): boolean => TRANSITIONS[from].includes(to);
export const isFinal = (status: InvoiceStatus): boolean => TRANSITIONS[status].length === 0;

/**
 * CryptoCloud's secondary fields. Only `start`/1 and `success`/3 are documented; the rest are ours
 * and listed in the README.
 */
export const WIRE_PROGRESS: Record<InvoiceStatus, { invoiceStatus: string; step: number }> = {
  created: { invoiceStatus: 'start', step: 1 },
  partial: { invoiceStatus: 'partial', step: 2 },
  paid: { invoiceStatus: 'success', step: 3 },
  overpaid: { invoiceStatus: 'success', step: 3 },
  canceled: { invoiceStatus: 'canceled', step: 1 },
};
