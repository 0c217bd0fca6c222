import { describe, expect, it } from 'vitest';
import { decodeInvoice, encodeInvoice } from '../../shared/adapters/dynamo/codec';
import { buildInvoice } from '../support/builders';

describe('invoice codec', () => {
  it('keeps a description, and reads an invoice stored before descriptions existed as having none', () => {
    const invoice = buildInvoice({ description: 'Consulting, 1 hour' });
    expect(decodeInvoice(encodeInvoice(invoice))).toEqual(invoice);
    const { description: _, ...older } = encodeInvoice(invoice);
    expect(decodeInvoice(older).description).toBeNull();
  });
});
