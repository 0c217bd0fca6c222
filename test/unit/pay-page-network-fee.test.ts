/** The payment page says what network fee a client-side amount includes, in every language; merchant-side it says nothing. */
import { describe, expect, it } from 'vitest';
import { type ChainDeployment, resolveChainDeployments } from '../../shared/domain/chains';
import type { Selection } from '../../shared/domain/invoice/invoice';
import { payerView } from '../../shared/domain/invoice/payer-view';
import { ratio } from '../../shared/domain/money';
import { defaultSettings, type Project } from '../../shared/domain/project';
import { LOCALES } from '../../shared/pages/i18n';
import { renderPaymentPage } from '../../shared/pages/pay-page';
import { buildInvoice } from '../support/builders';

const NOW = Date.UTC(2026, 0, 1, 0, 0, 10);
const project: Project = { shopId: 'shop', number: 1, createdAt: 0, settings: defaultSettings('Shop'), apiKeyHash: 'h', secretKeyCipher: 'c', secretKeyRotatedAt: 0, previousSecretKeyCipher: null, withdrawalKeyHash: null, version: 1 };
const resolved = resolveChainDeployments({ base: { rpcUrls: ['https://base.example'] } });
if (!resolved.ok) throw new Error(JSON.stringify(resolved.error));
const chains: ChainDeployment[] = resolved.value;

// 10 USDC on Base with the estimated sweep cost (0.00258 USDC at 0.01 gwei) added client-side.
const offer: Selection = {
  code: 'USDC_BASE',
  address: '0x2546BcD3c84621e976D8185a91A922aE77ECEc30',
  derivationIndex: 0,
  baseAmount: 10_000_000n,
  transferFee: 2_580n,
  serviceFee: 0n,
  amountToPay: 10_002_580n,
  usdPerUnit: ratio(1n, 1n),
  lockedAt: NOW,
  lockedUntil: NOW + 1_800_000,
};

const render = (side: 'client' | 'merchant', locale: (typeof LOCALES)[number] = 'en') => {
  const invoice = buildInvoice({ selection: side === 'client' ? offer : { ...offer, amountToPay: offer.baseAmount }, sideCommission: side, createdAt: NOW - 10_000, expiresAt: NOW + 3_600_000 });
  const view = payerView(invoice, { now: NOW, heads: new Map(), chains });
  return renderPaymentPage({ invoice, view, project, locale, chains, now: NOW, testWallet: false });
};

describe('the network fee on the payment page', () => {
  it('is shown client-side, in the coin and rounded up to a cent, with the network', () => {
    // Amounts are joined to their code with a no-break space.
    const line = render('client').match(/<p class="hint network-fee">([^<]*)<\/p>/)?.[1]?.replace(/\u00a0/g, ' ');
    expect(line).toBe('Includes the network fee of 0.00258 USDC (about $0.01): what moving this payment on the Base (BASE) network costs now.');
  });

  it('is not mentioned merchant-side (the customer pays the price, the merchant the fee)', () => {
    expect(render('merchant')).not.toContain('network-fee');
  });

  it('is said in every language the pages speak', () => {
    for (const locale of LOCALES) {
      const line = render('client', locale).match(/<p class="hint network-fee">([^<]*)<\/p>/)?.[1] ?? '';
      expect(line, locale).toMatch(/0[.,]00258/);
      expect(line, locale).toContain('Base');
      expect(line, locale).not.toMatch(/\{\w+\}/);
    }
  });
});
