/** One project and invoice for the CryptoCloud presenters' tests (field coverage and response schemas). */
import type { InvoiceId } from '../../shared/domain/ids';
import type { Invoice, Selection } from '../../shared/domain/invoice/invoice';
import { ratio } from '../../shared/domain/money';
import { defaultSettings, type Project } from '../../shared/domain/project';

export const presenterCtx = { publicBaseUrl: 'https://gw.test' };
export const presenterAt = Date.UTC(2026, 0, 2, 3, 4, 5, 678);

export const presenterProject: Project = {
  shopId: 'SHOP',
  number: 7,
  createdAt: 0,
  settings: { ...defaultSettings('Shop'), successUrl: 'https://s.test/ok?x=1' },
  apiKeyHash: 'h',
  secretKeyCipher: 'c',
  secretKeyRotatedAt: 0,
  previousSecretKeyCipher: null,
  withdrawalKeyHash: null,
  version: 1,
};

/** A USDT_ERC20 offer of 12.84 (11.34 + a 1.5 network fee paid by the client). */
export const usdtSelection: Selection = {
  code: 'USDT_ERC20',
  address: '0xabc',
  derivationIndex: 1,
  baseAmount: 11_340_000n,
  transferFee: 1_500_000n,
  serviceFee: 0n,
  amountToPay: 12_840_000n,
  usdPerUnit: ratio(1n, 1n),
  lockedAt: presenterAt,
  lockedUntil: presenterAt + 1,
};

/** A 10.50 EUR invoice, created, no currency chosen yet. */
export const createdInvoice: Invoice = {
  id: 'ABCD1234' as InvoiceId,
  shopId: 'SHOP',
  status: 'created',
  createdAt: presenterAt,
  expiresAt: presenterAt + 86_400_000,
  finishedAt: null,
  orderId: null,
  description: null,
  donation: null,
  email: null,
  notificationUrl: null,
  locale: 'en',
  price: { currency: 'EUR', minor: 1050n },
  usdPerFiat: ratio(108n, 100n),
  rubPerUsd: ratio(100n, 1n),
  availableCurrencies: ['USDT_ERC20', 'ETH'],
  sideCommission: 'client',
  sideCommissionCc: 'merchant',
  serviceFeePercent: '0',
  testMode: false,
  previousOffers: [],
  selection: null,
  amountPaid: 0n,
  received: 0n,
  payments: [],
  facts: {},
  version: 1,
};
