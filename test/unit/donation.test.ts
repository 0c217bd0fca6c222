/** Donation pages, pure: validation that reports every field, a donor's request against the page, and the totals. */
import { describe, expect, it } from 'vitest';
import { applyDonationPatch, checkDonation, type DonationPage, donationTotals, newDonationPage } from '../../shared/domain/donation';
import type { Invoice, Selection } from '../../shared/domain/invoice/invoice';
import { creditPayment, recordTransfer } from '../../shared/domain/invoice/payments';
import { ratio } from '../../shared/domain/money';
import { type Transfer, transferKey } from '../../shared/domain/transfers';
import { buildInvoice } from '../support/builders';

const now = Date.UTC(2026, 0, 1);
const make = (patch: Parameters<typeof newDonationPage>[0]['patch'], slug = 'save-the-owls') => newDonationPage({ slug, shopId: 'SHOP', now, patch });
const page = (patch: Parameters<typeof newDonationPage>[0]['patch'] = {}): DonationPage => {
  const made = make({ title: 'Owls', ...patch });
  if (!made.ok) throw new Error(JSON.stringify(made.error));
  return made.value;
};
const fieldsOf = (r: { ok: boolean; error?: unknown }) => (r.ok ? [] : (r.error as { field: string }[]).map((e) => e.field).sort());

describe('newDonationPage', () => {
  it('fills the defaults (USD, 1..10000, name and message asked, enabled) under the title', () => {
    const p = page({ presets: ['5', '10'] });
    expect(p).toMatchObject({ slug: 'save-the-owls', title: 'Owls', fiat: 'USD', enabled: true, collectName: true, collectMessage: true, currencies: [], version: 1 });
    expect(p.presets).toHaveLength(2);
  });

  it('reports every bad field at once', () => {
    const bad = make(
      {
        title: '',
        description: 'x'.repeat(1001),
        logoUrl: 'http://insecure.example/logo.png',
        presets: ['1', '2', '3', '4', '5', '6', '7'],
        fiat: 'XXX',
        min: '-1',
        max: 'lots',
        currencies: ['DOGE'],
      },
      'Bad Slug!',
    );
    expect(fieldsOf(bad)).toEqual(['currencies', 'description', 'fiat', 'logoUrl', 'max', 'min', 'presets', 'slug', 'title']);
  });

  it.each([
    ['ab', false],
    ['abc', true],
    ['a'.repeat(40), true],
    ['a'.repeat(41), false],
    ['Owls', false],
    ['owls_2', false],
    ['owls-2026', true],
  ])('slug %s valid: %s', (slug, valid) => {
    expect(make({ title: 'T' }, slug).ok).toBe(valid);
  });

  it('needs a title, and refuses presets outside min..max, max below min, more decimals than the fiat has, and amounts above the cap', () => {
    expect(fieldsOf(make({}))).toEqual(['title']);
    expect(fieldsOf(make({ title: 'T', min: '5', max: '50', presets: ['1', '10'] }))).toEqual(['presets']);
    expect(fieldsOf(make({ title: 'T', min: '50', max: '5' }))).toEqual(['max']);
    expect(fieldsOf(make({ title: 'T', min: '1.005' }))).toEqual(['min']);
    expect(fieldsOf(make({ title: 'T', fiat: 'JPY', min: '100.5', max: '1000' }))).toEqual(['min']);
    expect(fieldsOf(make({ title: 'T', max: '1000001' }))).toEqual(['max']);
    expect(fieldsOf(make({ title: 'line\nbreak' }))).toEqual(['title']);
  });

  it('keeps currencies the build accepts (upper-cased, unique), empty meaning all', () => {
    expect(page({ currencies: ['usdt_erc20', 'USDT_ERC20', 'eth'] }).currencies).toEqual(['USDT_ERC20', 'ETH']);
  });
});

describe('applyDonationPatch', () => {
  it('switches a page off and bumps its version; the rest stays', () => {
    const p = page({ presets: ['5'] });
    const off = applyDonationPatch(p, { enabled: false });
    expect(off.ok && off.value).toMatchObject({ enabled: false, title: 'Owls', version: 2 });
  });

  it('checks the page as a whole after the patch: lowering max below a preset is refused', () => {
    const p = page({ presets: ['50'] });
    expect(fieldsOf(applyDonationPatch(p, { max: '20' }))).toEqual(['presets']);
  });

  it('refuses a currency whose decimals the kept amounts do not fit: a 2.50 preset on a JPY page could never be donated', () => {
    const p = page({ presets: ['2.50', '10'], min: '1.5', max: '100' });
    expect(checkDonation({ ...p, fiat: 'JPY' }, { amount: '2.50', name: null, message: null }).ok).toBe(false);
    expect(fieldsOf(applyDonationPatch(p, { fiat: 'JPY' }))).toEqual(['min', 'presets']);
    const fixed = applyDonationPatch(p, { fiat: 'JPY', presets: ['10'], min: '2' });
    expect(fixed.ok).toBe(true);
  });
});

describe('checkDonation', () => {
  const p = page({ min: '2', max: '100' });
  it('accepts an amount within min..max, with the donor text trimmed', () => {
    const r = checkDonation(p, { amount: '2', name: '  Ann ', message: 'Hi\nthere' });
    expect(r.ok && r.value.mark).toEqual({ slug: 'save-the-owls', name: 'Ann', message: 'Hi\nthere' });
    expect(checkDonation(p, { amount: '100.00', name: null, message: null }).ok).toBe(true);
  });

  it.each(['1.99', '100.01', '0', '-5', 'ten', '5.001', ''])('refuses amount %s', (amount) => {
    expect(fieldsOf(checkDonation(p, { amount, name: null, message: null }))).toEqual(['amount']);
  });

  it('refuses over-long donor text, and drops text the page does not ask for', () => {
    expect(fieldsOf(checkDonation(p, { amount: '5', name: 'n'.repeat(81), message: 'm'.repeat(501) }))).toEqual(['message', 'name']);
    const quiet = page({ collectName: false, collectMessage: false });
    const r = checkDonation(quiet, { amount: '5', name: 'Ann', message: 'hello' });
    expect(r.ok && r.value.mark).toEqual({ slug: 'save-the-owls', name: null, message: null });
  });
});

describe('donationTotals', () => {
  const ADDRESS = `0x${'a'.repeat(40)}`;
  const offer = (code: string, amountToPay: bigint, usdPerUnit = ratio(1n, 1n)): Selection => ({
    code,
    address: ADDRESS,
    derivationIndex: 0,
    baseAmount: amountToPay,
    transferFee: 0n,
    serviceFee: 0n,
    amountToPay,
    usdPerUnit,
    lockedAt: now,
    lockedUntil: now + 30 * 60_000,
  });
  let txs = 0;
  /** The invoice after a real transfer of `amount` `code` is seen and credited. */
  const pay = (invoice: Invoice, code: string, amount: bigint): Invoice => {
    txs += 1;
    const transfer: Transfer = { chain: 'ethereum', txHash: `0x${txs.toString(16).padStart(64, '0')}`, logIndex: 0, blockNumber: 100 + txs, blockHash: `0x${'b'.repeat(64)}`, blockTime: now + 1_000, contract: null, from: `0x${'1'.repeat(40)}`, to: ADDRESS, amount };
    const seen = recordTransfer(invoice, { transfer, code, finality: { blocks: 12 }, source: 'watcher', now: now + 2_000 }).invoice;
    const credited = creditPayment(seen, { key: transferKey(transfer), blockHash: transfer.blockHash, confirmations: 12, toleranceUnits: 0n, now: now + 60_000 });
    if (!credited.ok) throw new Error(JSON.stringify(credited.error));
    return credited.value.invoice;
  };
  const usdt = offer('USDT_ERC20', 10_000_000n);
  const eth = offer('ETH', 10n ** 16n / 3n, ratio(3000n, 1n));
  const waiting = (selection: Selection, previousOffers: Selection[] = []) => buildInvoice({ createdAt: now, expiresAt: now + 3_600_000, selection, previousOffers });

  it('counts each donation that received money once (a partial gift too), sums what arrived per currency, and values it at the locked rate', () => {
    const invoices = [pay(waiting(usdt), 'USDT_ERC20', 10_000_000n), pay(waiting(usdt), 'USDT_ERC20', 12_500_000n), pay(waiting(eth), 'ETH', 10n ** 16n), pay(waiting(usdt), 'USDT_ERC20', 1_000_000n), waiting(usdt), buildInvoice({ status: 'canceled' })];
    expect(invoices.map((i) => i.status)).toEqual(['paid', 'overpaid', 'overpaid', 'partial', 'created', 'canceled']);
    const totals = donationTotals(invoices);
    expect(totals.count).toBe(4);
    expect(totals.byCurrency).toEqual(new Map([['USDT_ERC20', 23_500_000n], ['ETH', 10n ** 16n]]));
    // 23.5 USDT at 1 + 0.01 ETH at 3000 = 53.5 USD
    expect(totals.usd.num * 2n).toBe(107n * totals.usd.den);
  });

  it('counts a gift paid to an offer shown before the donor switched currency (amount_paid holds only the current coin)', () => {
    // Chose USDT, switched to ETH (same chain, same address), then sent the USDT the first screen asked for.
    const invoice = pay(waiting(eth, [usdt]), 'USDT_ERC20', 10_000_000n);
    expect(invoice.status).toBe('paid');
    expect(invoice.amountPaid).toBe(0n);
    const totals = donationTotals([invoice]);
    expect(totals.count).toBe(1);
    expect(totals.byCurrency).toEqual(new Map([['USDT_ERC20', 10_000_000n]]));
    expect(totals.usd.num).toBe(10n * totals.usd.den);
  });
});
