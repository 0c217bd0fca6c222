/**
 * Items <-> domain objects, both ways, with no casts of raw items (STYLE §6.9). Amounts are
 * bigint in the domain and DynamoDB numbers in the table; rates are stored as "num/den".
 */
import { NumberValue } from '@aws-sdk/lib-dynamodb';
import type { ChainId, FinalityRule } from '../../domain/currencies';
import { FIAT_MINOR_UNITS, type FiatCode } from '../../domain/currencies';
import type { DonationMark } from '../../domain/donation';
import type { StaticWalletMark } from '../../domain/static-wallet';
import type { InvoiceId, StaticWalletId } from '../../domain/ids';
import { INVOICE_FACTS, type Invoice, type InvoiceFacts, type Selection } from '../../domain/invoice/invoice';
import type { Payment, PaymentClass, PaymentState, Rejection } from '../../domain/invoice/payments';
import { INVOICE_STATUSES, type InvoiceStatus } from '../../domain/invoice/status';
import { formatDecimal, multiply, parseDecimal, type Ratio, ratio, ratioToScale } from '../../domain/money';
import { fiatRatio } from '../../domain/pricing';
import type { SignedTransfer } from '../../domain/withdrawal';
import { API_PAYOUT_DAILY_LIMIT_USD_DEFAULT, PAYOUT_APPROVAL_ABOVE_USD_DEFAULT, type PartialTolerance, type Project, type ProjectSettings } from '../../domain/project';
import { isoTime } from '../../domain/time';
import type { Transfer } from '../../domain/transfers';
import { keys } from './keys';

export type Item = Record<string, unknown>;

class CorruptItem extends Error {
  constructor(what: string, item: Item) {
    super(`corrupt item ${String(item.pk)}: ${what}`);
    this.name = 'CorruptItem';
  }
}

const numberText = (v: unknown, field: string, item: Item): string => {
  if (v instanceof NumberValue) return v.value;
  if (typeof v === 'number' || typeof v === 'bigint') return String(v);
  throw new CorruptItem(`${field} is not a number`, item);
};
export const big = (item: Item, field: string): bigint => BigInt(numberText(item[field], field, item));
export const int = (item: Item, field: string): number => Number(numberText(item[field], field, item));
const optInt = (item: Item, field: string): number | null => (item[field] === undefined || item[field] === null ? null : int(item, field));
const str = (item: Item, field: string): string => {
  const v = item[field];
  if (typeof v !== 'string') throw new CorruptItem(`${field} is not a string`, item);
  return v;
};
const optStr = (item: Item, field: string): string | null => (typeof item[field] === 'string' ? (item[field] as string) : null);
const bool = (item: Item, field: string): boolean => item[field] === true;
const strList = (item: Item, field: string): string[] => (Array.isArray(item[field]) ? (item[field] as unknown[]).map(String) : []);

export const encodeRatio = (r: Ratio): string => `${r.num}/${r.den}`;
export function decodeRatio(text: string): Ratio {
  const [num, den] = text.split('/');
  return ratio(BigInt(num), BigInt(den));
}

const status = (item: Item): InvoiceStatus => {
  const s = str(item, 'status');
  if (!(INVOICE_STATUSES as readonly string[]).includes(s)) throw new CorruptItem(`unknown status ${s}`, item);
  return s as InvoiceStatus;
};

/** The invoice's worth in USD cents, kept on the item so statistics read one attribute. */
export function usdCents(invoice: Pick<Invoice, 'price' | 'usdPerFiat'>): bigint {
  return ratioToScale(multiply(fiatRatio(invoice.price.minor, invoice.price.currency), invoice.usdPerFiat), 2, 'half_up');
}

function encodeSelection(s: Selection): Item {
  return { ...s, usdPerUnit: encodeRatio(s.usdPerUnit) };
}

function decodeSelection(m: unknown): Selection | null {
  if (!m || typeof m !== 'object') return null;
  const s = m as Item;
  return {
    code: str(s, 'code'),
    address: str(s, 'address'),
    derivationIndex: int(s, 'derivationIndex'),
    baseAmount: big(s, 'baseAmount'),
    transferFee: big(s, 'transferFee'),
    serviceFee: big(s, 'serviceFee'),
    amountToPay: big(s, 'amountToPay'),
    usdPerUnit: decodeRatio(str(s, 'usdPerUnit')),
    lockedAt: int(s, 'lockedAt'),
    lockedUntil: int(s, 'lockedUntil'),
    ...(s.sweepEstimate && typeof s.sweepEstimate === 'object' ? { sweepEstimate: Object.fromEntries(Object.entries(s.sweepEstimate as Item).map(([k, v]) => [k, Number(v)])) } : {}),
  };
}

export const encodeFinality = (rule: FinalityRule): string => ('blocks' in rule ? `blocks:${rule.blocks}` : rule.tag);
export function decodeFinality(text: string): FinalityRule {
  if (text === 'safe' || text === 'finalized' || text === 'solidified') return { tag: text };
  const blocks = Number(text.replace('blocks:', ''));
  if (!Number.isInteger(blocks) || blocks < 1) throw new Error(`corrupt finality rule ${text}`);
  return { blocks };
}

export function encodeTransfer(t: Transfer): Item {
  return { ...t, logIndex: t.logIndex ?? undefined, contract: t.contract ?? undefined };
}

export function decodeTransfer(t: Item): Transfer {
  return {
    chain: str(t, 'chain') as ChainId,
    txHash: str(t, 'txHash'),
    logIndex: optInt(t, 'logIndex'),
    blockNumber: int(t, 'blockNumber'),
    blockHash: str(t, 'blockHash'),
    blockTime: int(t, 'blockTime'),
    contract: optStr(t, 'contract'),
    from: str(t, 'from'),
    to: str(t, 'to'),
    amount: big(t, 'amount'),
  };
}

const encodePayment = (p: Payment): Item => ({
  ...p,
  transfer: encodeTransfer(p.transfer),
  code: p.code ?? undefined,
  finality: encodeFinality(p.finality),
  creditedAt: p.creditedAt ?? undefined,
  classification: p.classification ?? undefined,
  rejection: p.rejection ?? undefined,
  valuedUsdPerUnit: p.valuedUsdPerUnit ? encodeRatio(p.valuedUsdPerUnit) : undefined,
});

function decodePayment(p: Item): Payment {
  return {
    key: str(p, 'key'),
    transfer: decodeTransfer((p.transfer ?? {}) as Item),
    code: optStr(p, 'code'),
    state: str(p, 'state') as PaymentState,
    finality: decodeFinality(str(p, 'finality')),
    source: p.source === 'attach_tx' ? 'attach_tx' : 'watcher',
    seenAt: int(p, 'seenAt'),
    creditedAt: optInt(p, 'creditedAt'),
    classification: optStr(p, 'classification') as PaymentClass | null,
    rejection: optStr(p, 'rejection') as Rejection | null,
    fee: big(p, 'fee'),
    net: big(p, 'net'),
    confirmations: int(p, 'confirmations'),
    // Items written before the credits count existed were credited at most once.
    credits: p.credits === undefined ? (optInt(p, 'creditedAt') === null ? 0 : 1) : int(p, 'credits'),
    valuedUsdPerUnit: typeof p.valuedUsdPerUnit === 'string' ? decodeRatio(p.valuedUsdPerUnit) : null,
  };
}

export function encodeInvoice(invoice: Invoice): Item {
  return {
    ...keys.invoice(invoice.id),
    ...keys.invoiceByProject(invoice.shopId, isoTime(invoice.createdAt), invoice.id),
    // Sparse: only waiting invoices sit in the expiry queue.
    ...(invoice.status === 'created' ? keys.invoiceExpiry(isoTime(invoice.expiresAt), invoice.id) : {}),
    type: 'invoice',
    schemaVersion: 1,
    version: invoice.version,
    id: invoice.id,
    shopId: invoice.shopId,
    status: invoice.status,
    createdAt: invoice.createdAt,
    expiresAt: invoice.expiresAt,
    finishedAt: invoice.finishedAt ?? undefined,
    orderId: invoice.orderId ?? undefined,
    email: invoice.email ?? undefined,
    description: invoice.description ?? undefined,
    notificationUrl: invoice.notificationUrl ?? undefined,
    donation: invoice.donation ? { slug: invoice.donation.slug, name: invoice.donation.name ?? undefined, message: invoice.donation.message ?? undefined } : undefined,
    staticWallet: invoice.staticWallet ? { id: invoice.staticWallet.id, identify: invoice.staticWallet.identify } : undefined,
    locale: invoice.locale,
    fiat: invoice.price.currency,
    priceMinor: invoice.price.minor,
    usdPerFiat: encodeRatio(invoice.usdPerFiat),
    rubPerUsd: invoice.rubPerUsd ? encodeRatio(invoice.rubPerUsd) : undefined,
    usdCents: usdCents(invoice),
    availableCurrencies: invoice.availableCurrencies,
    sideCommission: invoice.sideCommission,
    sideCommissionCc: invoice.sideCommissionCc,
    serviceFeePercent: invoice.serviceFeePercent,
    testMode: invoice.testMode,
    selection: invoice.selection ? encodeSelection(invoice.selection) : undefined,
    previousOffers: invoice.previousOffers.map(encodeSelection),
    amountPaid: invoice.amountPaid,
    received: invoice.received,
    payments: invoice.payments.map(encodePayment),
    facts: invoice.facts,
  };
}

function decodeDonationMark(m: unknown): DonationMark | null {
  if (!m || typeof m !== 'object') return null;
  const d = m as Item;
  return { slug: str(d, 'slug'), name: optStr(d, 'name'), message: optStr(d, 'message') };
}

function decodeWalletMark(m: Item): StaticWalletMark {
  return { id: str(m, 'id') as StaticWalletId, identify: str(m, 'identify') };
}

export function decodeInvoice(item: Item): Invoice {
  const fiat = str(item, 'fiat');
  if (!Object.hasOwn(FIAT_MINOR_UNITS, fiat)) throw new CorruptItem(`unknown fiat ${fiat}`, item);
  const facts = (item.facts && typeof item.facts === 'object' ? item.facts : {}) as Item;
  const rub = optStr(item, 'rubPerUsd');
  return {
    id: str(item, 'id') as InvoiceId,
    shopId: str(item, 'shopId'),
    status: status(item),
    createdAt: int(item, 'createdAt'),
    expiresAt: int(item, 'expiresAt'),
    finishedAt: optInt(item, 'finishedAt'),
    orderId: optStr(item, 'orderId'),
    email: optStr(item, 'email'),
    description: optStr(item, 'description'),
    notificationUrl: optStr(item, 'notificationUrl'),
    donation: decodeDonationMark(item.donation),
    ...(item.staticWallet && typeof item.staticWallet === 'object'
      ? { staticWallet: decodeWalletMark(item.staticWallet as Item) }
      : {}),
    locale: optStr(item, 'locale') ?? 'en',
    price: { currency: fiat as FiatCode, minor: big(item, 'priceMinor') },
    usdPerFiat: decodeRatio(str(item, 'usdPerFiat')),
    rubPerUsd: rub ? decodeRatio(rub) : null,
    availableCurrencies: strList(item, 'availableCurrencies'),
    sideCommission: str(item, 'sideCommission') === 'client' ? 'client' : 'merchant',
    sideCommissionCc: str(item, 'sideCommissionCc') === 'client' ? 'client' : 'merchant',
    serviceFeePercent: optStr(item, 'serviceFeePercent') ?? '0',
    testMode: bool(item, 'testMode'),
    selection: decodeSelection(item.selection),
    previousOffers: Array.isArray(item.previousOffers) ? item.previousOffers.flatMap((o) => decodeSelection(o) ?? []) : [],
    amountPaid: big(item, 'amountPaid'),
    received: big(item, 'received'),
    payments: Array.isArray(item.payments) ? (item.payments as Item[]).map(decodePayment) : [],
    facts: Object.fromEntries(INVOICE_FACTS.filter((f) => facts[f] === true).map((f) => [f, true])) as InvoiceFacts,
    version: int(item, 'version'),
  };
}

const encodeTolerance = (t: PartialTolerance): string => (t.kind === 'none' ? 'none' : `${t.kind}:${formatDecimal(t.value)}`);
function decodeTolerance(text: string | null): PartialTolerance {
  const [kind, value] = (text ?? 'none').split(':');
  const parsed = value ? parseDecimal(value) : null;
  if ((kind === 'usd' || kind === 'percent') && parsed?.ok) return { kind, value: parsed.value };
  return { kind: 'none' };
}

export function encodeProject(project: Project): Item {
  const s = project.settings;
  return {
    ...keys.project(project.shopId),
    ...keys.projectsIndex(isoTime(project.createdAt), project.shopId),
    type: 'project',
    schemaVersion: 1,
    version: project.version,
    shopId: project.shopId,
    number: project.number,
    createdAt: project.createdAt,
    apiKeyHash: project.apiKeyHash,
    secretKeyCipher: project.secretKeyCipher,
    secretKeyRotatedAt: project.secretKeyRotatedAt,
    previousSecretKeyCipher: project.previousSecretKeyCipher ?? undefined,
    settings: {
      ...s,
      notificationUrl: s.notificationUrl ?? undefined,
      successUrl: s.successUrl ?? undefined,
      failUrl: s.failUrl ?? undefined,
      logoUrl: s.logoUrl ?? undefined,
      supportContact: s.supportContact ?? undefined,
      serviceFeePercent: formatDecimal(s.serviceFeePercent),
      partialTolerance: encodeTolerance(s.partialTolerance),
      apiPayoutDailyLimitUsd: formatDecimal(s.apiPayoutDailyLimitUsd),
      payoutApprovalAboveUsd: formatDecimal(s.payoutApprovalAboveUsd),
    },
    withdrawalKeyHash: project.withdrawalKeyHash ?? undefined,
  };
}

export function decodeProject(item: Item): Project {
  const s = (item.settings ?? {}) as Item;
  const fee = parseDecimal(optStr(s, 'serviceFeePercent') ?? '0');
  const payoutLimit = parseDecimal(optStr(s, 'apiPayoutDailyLimitUsd') ?? API_PAYOUT_DAILY_LIMIT_USD_DEFAULT);
  const approvalAbove = parseDecimal(optStr(s, 'payoutApprovalAboveUsd') ?? PAYOUT_APPROVAL_ABOVE_USD_DEFAULT);
  const settings: ProjectSettings = {
    name: str(s, 'name'),
    notificationUrl: optStr(s, 'notificationUrl'),
    postbackFormat: s.postbackFormat === 'json' ? 'json' : 'form',
    successUrl: optStr(s, 'successUrl'),
    failUrl: optStr(s, 'failUrl'),
    sideCommission: s.sideCommission === 'client' ? 'client' : 'merchant',
    sideCommissionCc: s.sideCommissionCc === 'client' ? 'client' : 'merchant',
    serviceFeePercent: fee.ok ? fee.value : { units: 0n, scale: 0 },
    invoiceLifetimeMinutes: int(s, 'invoiceLifetimeMinutes'),
    enabledCurrencies: strList(s, 'enabledCurrencies'),
    partialTolerance: decodeTolerance(optStr(s, 'partialTolerance')),
    testMode: bool(s, 'testMode'),
    locale: optStr(s, 'locale') ?? 'en',
    logoUrl: optStr(s, 'logoUrl'),
    supportContact: optStr(s, 'supportContact'),
    // Projects saved before the widget existed have none: the widget is off.
    widgetOrigins: strList(s, 'widgetOrigins'),
    // Projects saved before the setting existed ask for no e-mail.
    emailRequired: s.emailRequired === true,
    // Projects saved before funds out never turned API payouts on.
    apiPayoutsEnabled: s.apiPayoutsEnabled === true,
    apiPayoutDailyLimitUsd: payoutLimit.ok ? payoutLimit.value : { units: BigInt(API_PAYOUT_DAILY_LIMIT_USD_DEFAULT), scale: 0 },
    // Projects saved before mass payouts take the defaults.
    payoutApprovalAboveUsd: approvalAbove.ok ? approvalAbove.value : { units: BigInt(PAYOUT_APPROVAL_ABOVE_USD_DEFAULT), scale: 0 },
    timeZone: optStr(s, 'timeZone') ?? 'UTC',
  };
  return {
    shopId: str(item, 'shopId'),
    number: int(item, 'number'),
    createdAt: int(item, 'createdAt'),
    settings,
    apiKeyHash: str(item, 'apiKeyHash'),
    secretKeyCipher: str(item, 'secretKeyCipher'),
    secretKeyRotatedAt: int(item, 'secretKeyRotatedAt'),
    previousSecretKeyCipher: optStr(item, 'previousSecretKeyCipher'),
    withdrawalKeyHash: optStr(item, 'withdrawalKeyHash'),
    version: int(item, 'version'),
  };
}

/** A signed transaction as withdrawals and sweeps store it before sending it (absent fields: the family has none). */
export const encodeSignedTransfer = (t: SignedTransfer): Item => ({ ...t, maxFeePerGas: t.maxFeePerGas ?? undefined, maxPriorityFeePerGas: t.maxPriorityFeePerGas ?? undefined, expiresAt: t.expiresAt ?? undefined, nonce: t.nonce ?? undefined });
export const decodeSignedTransfer = (t: Item): SignedTransfer => ({
  hash: String(t.hash),
  raw: String(t.raw),
  nonce: t.nonce === undefined ? null : int(t, 'nonce'),
  maxFeePerGas: t.maxFeePerGas === undefined ? null : big(t, 'maxFeePerGas'),
  maxPriorityFeePerGas: t.maxPriorityFeePerGas === undefined ? null : big(t, 'maxPriorityFeePerGas'),
  expiresAt: t.expiresAt === undefined ? null : int(t, 'expiresAt'),
  signedAt: int(t, 'signedAt'),
});
