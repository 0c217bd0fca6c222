/**
 * A static wallet's customer page and its status JSON, rendered without a browser: the address,
 * QR, network warning and minimum; the transfers' states (confirming with k of n, a finality tag,
 * credited, not credited, arrived while blocked); a blocked wallet's notice; merchant-controlled
 * text escaped; and nothing private (the customer id, receipt invoice ids) in the HTML or the JSON.
 */
import { describe, expect, it } from 'vitest';
import { type ChainDeployment, resolveChainDeployments } from '../../shared/domain/chains';
import { findCrypto } from '../../shared/domain/currencies';
import type { InvoiceId, StaticWalletId } from '../../shared/domain/ids';
import type { Invoice } from '../../shared/domain/invoice/invoice';
import type { Payment } from '../../shared/domain/invoice/payments';
import { ratio } from '../../shared/domain/money';
import { defaultSettings, type Project } from '../../shared/domain/project';
import type { StaticWallet } from '../../shared/domain/static-wallet';
import { type CustomerWallet, customerReceipt } from '../../shared/domain/wallet-view';
import { presentWalletStatus, renderWalletPage, type WalletPageModel } from '../../shared/pages/wallet-page';
import { buildInvoice } from '../support/builders';

const NOW = Date.UTC(2026, 2, 1, 12, 0, 0);
const ADDRESS = '0x1111111111111111111111111111111111111111';
const MAINNET_USDT = '0xdAC17F958D2ee523a2206206994597C13D831ec7';
const IDENTIFY = 'customer-<b>jane@example.com</b>';
const WALLET_ID = 'K0NFXT9E1X3VOY07VY1LRV8XGMLQNQX1' as StaticWalletId;

const usdt = findCrypto('USDT_ERC20')!;
const wallet: StaticWallet = {
  id: WALLET_ID,
  shopId: 'shop',
  code: 'USDT_ERC20',
  chain: 'ethereum',
  address: ADDRESS,
  derivationIndex: 7,
  identify: IDENTIFY,
  createdAt: NOW - 86_400_000,
  blocked: false,
  blockedAt: null,
  version: 1,
};

function deployments(settings: Parameters<typeof resolveChainDeployments>[0]): ChainDeployment[] {
  const resolved = resolveChainDeployments(settings);
  if (!resolved.ok) throw new Error(JSON.stringify(resolved.error));
  return resolved.value;
}
const chains = deployments({ ethereum: { rpcUrls: ['https://rpc.example'] }, tron: { rpcUrls: ['https://api.trongrid.io'] } });
const ethereum = chains.find((c) => c.chain === 'ethereum')!;

function project(settings: Partial<Project['settings']> = {}): Project {
  return { shopId: 'shop', number: 1, createdAt: 0, settings: { ...defaultSettings('Shop'), ...settings }, apiKeyHash: 'h', secretKeyCipher: 'c', secretKeyRotatedAt: 0, previousSecretKeyCipher: null, withdrawalKeyHash: null, version: 1 };
}

/** A receipt invoice of `units` USDT sent in `block`, its one payment in `state`. */
function receipt(id: string, units: bigint, block: number, state: Payment['state'], extra: Partial<Invoice> = {}): Invoice {
  const at = NOW - (1000 - block) * 12_000;
  const payment: Payment = {
    key: `ethereum#0x${id.toLowerCase().padEnd(64, '0')}#0`,
    code: 'USDT_ERC20',
    transfer: { chain: 'ethereum', txHash: `0x${'ab'.repeat(32)}`, logIndex: 0, blockNumber: block, blockHash: `0x${'cd'.repeat(32)}`, blockTime: at, from: `0x${'2'.repeat(40)}`, to: ADDRESS, contract: MAINNET_USDT, amount: units },
    state,
    finality: { blocks: 3 },
    source: 'watcher',
    seenAt: at,
    creditedAt: state === 'credited' ? at + 36_000 : null,
    classification: state === 'credited' ? 'payment' : null,
    rejection: null,
    fee: 0n,
    net: units,
    confirmations: state === 'credited' ? 3 : 0,
    credits: state === 'credited' ? 1 : 0,
    valuedUsdPerUnit: null,
  };
  return buildInvoice({
    id: id as InvoiceId,
    createdAt: at,
    expiresAt: at + 86_400_000,
    status: state === 'credited' ? 'paid' : 'created',
    orderId: IDENTIFY,
    staticWallet: { id: WALLET_ID, identify: IDENTIFY },
    availableCurrencies: ['USDT_ERC20'],
    selection: { code: 'USDT_ERC20', address: ADDRESS, derivationIndex: 7, baseAmount: units, transferFee: 0n, serviceFee: 0n, amountToPay: units, usdPerUnit: ratio(1n, 1n), lockedAt: at, lockedUntil: at + 1_800_000 },
    amountPaid: state === 'credited' ? units : 0n,
    payments: [payment],
    ...extra,
  });
}

const HEADS = new Map([['ethereum', 1000]]);
const receipts = [
  receipt('RCPT0003', 2_500_000n, 999, 'pending'),
  receipt('RCPT0002', 12_345_678_900n, 990, 'credited', { facts: { walletBlocked: true } }),
  receipt('RCPT0001', 5_000_000n, 900, 'orphaned'),
];

function model(overrides: Partial<WalletPageModel> = {}): WalletPageModel {
  // The whole stored wallet goes in, customer id included: the view must leave it out by itself.
  const shown: CustomerWallet = {
    wallet,
    currency: usdt,
    deployment: ethereum,
    receipts: receipts.map((r) => customerReceipt(r, { now: NOW, heads: HEADS, chains })),
    more: true,
  };
  return { ...shown, project: project(), locale: 'en', ...overrides };
}

const text = (page: string) =>
  page
    .replace(/<script[\s\S]*?<\/script>/g, '')
    .replace(/<\/?(span|strong|code)\b[^>]*>/g, '')
    .replace(/<[^>]+>/g, ' ')
    .replace(/[ \t\r\n]+/g, ' ');

describe('a receipt as the customer sees it', () => {
  it('is confirming with its confirmations, credited, or not credited; and flags one that arrived while blocked', () => {
    const [pending, credited, orphaned] = receipts.map((r) => customerReceipt(r, { now: NOW, heads: HEADS, chains }));
    expect(pending).toMatchObject({ state: 'confirming', amount: 2_500_000n, progress: { confirmations: 2, required: 3 }, afterBlock: false });
    expect(credited).toMatchObject({ state: 'credited', amount: 12_345_678_900n, progress: null, afterBlock: true });
    expect(orphaned).toMatchObject({ state: 'not_credited', progress: null });
    expect(pending.at).toBe(receipts[0].payments[0].transfer.blockTime);
  });

  it('stays not credited when a credited transfer was reversed by a reorg', () => {
    const reversed = receipt('RCPT0004', 1_000_000n, 950, 'reversed', { status: 'paid', facts: { reversed: true } });
    expect(customerReceipt(reversed, { now: NOW, heads: HEADS, chains }).state).toBe('not_credited');
  });
});

describe('the wallet page', () => {
  it('shows the address with its QR and Copy button, the network and contract, the minimum and the steps', () => {
    const page = renderWalletPage(model());
    expect(page).toContain('<h1 id="page-title">Your USDT deposit address</h1>');
    expect(page).toContain(`<code class="address" aria-labelledby="address-label">${ADDRESS}</code>`);
    expect(page).toContain(`data-copy="${ADDRESS}"`);
    expect(page).toContain(`<img id="qr" src="/wallet/${WALLET_ID}/qr.svg" alt="QR code with the deposit address"`);
    expect(text(page)).toContain('The QR code holds the address only. Enter the amount in your wallet.');
    expect(text(page)).toContain(`Send only USDT on the Ethereum (ERC-20) network. Token contract: ${MAINNET_USDT}.`);
    // USDT_ERC20's network fee is 1.5 USD in the registry: below it a transfer is dust, not a receipt.
    expect(text(page)).toContain('Transfers worth less than about $1.50 are not credited');
    expect(text(page)).toContain('Choose USDT and the Ethereum (ERC-20) network.');
    // A customer who has never held crypto is pointed at the help topic on buying some.
    expect(page).toContain('<a href="/help/buy-crypto?locale=en">I don&#39;t have any crypto. How do I buy some?</a>');
    expect(page).toContain('<script src="/assets/wallet.js" defer></script>');
    expect(page).toContain('<link rel="stylesheet" href="/assets/wallet.css">');
  });

  it('lists the latest transfers newest first with amount, time and state', () => {
    const page = text(renderWalletPage(model()));
    const list = page.slice(page.indexOf('Your recent transfers'));
    const amounts = [...list.matchAll(/ ([\d.,]+)\u00a0USDT /g)].map((m) => m[1]);
    expect(amounts).toEqual(['2.5', '12,345.6789', '5']);
    expect(list).toContain('Waiting for confirmations: 2 of 3');
    expect(list).toContain('Credited Arrived after this address was retired. Contact the shop.');
    expect(list).toContain('Not credited. Contact the shop');
    expect(list).toContain('Mar 1, 2026, 11:59 AM UTC');
    expect(list).toContain('Only the 10 most recent transfers are shown.');
    expect(renderWalletPage(model())).toContain(`datetime="${new Date(receipts[0].payments[0].transfer.blockTime).toISOString()}"`);
  });

  it('puts the latest transfer and its state at the top, linking to the list', () => {
    const page = renderWalletPage(model());
    expect(page).toContain('<a class="latest status status-info" id="latest" href="#receipts-heading">');
    expect(text(page)).toContain('Latest transfer: 2.5\u00a0USDT Waiting for confirmations: 2 of 3');
    expect(page.indexOf('id="latest"')).toBeLessThan(page.indexOf('id="qr"'));
  });

  it('says so when nothing arrived yet, and prepares the list for the script', () => {
    const page = renderWalletPage(model({ receipts: [], more: false }));
    expect(page).toContain('<a class="latest status status-info" id="latest" href="#receipts-heading" hidden>');
    expect(page).toContain('<ul class="receipt-list" id="receipts" hidden></ul>');
    expect(page).toContain('<p class="receipts-empty" id="receipts-empty">No transfers yet.');
    expect(page).toContain('<p class="hint" id="receipts-more" hidden>');
  });

  it('waits for Tron’s solidified block in words, not as a count', () => {
    const tron = chains.find((c) => c.chain === 'tron')!;
    const trc = findCrypto('USDT_TRC20')!;
    const pending = customerReceipt(receipt('RCPT0005', 1_000_000n, 999, 'pending'), { now: NOW, heads: HEADS, chains });
    const page = text(renderWalletPage(model({ currency: trc, deployment: tron, receipts: [{ ...pending, progress: { confirmations: 2, required: 'solidified', expectedMs: 60_000 } }] })));
    expect(page).toContain('Waiting for the network to confirm it');
    expect(page).toContain('Send only USDT on the Tron (TRC-20) network.');
  });

  it('blocked: a notice, the address as plain text to compare, no QR and no Copy button, the transfers still listed', () => {
    const page = renderWalletPage(model({ wallet: { ...wallet, blocked: true }, project: project({ name: 'Game Shop', supportContact: 'help@game.shop' }) }));
    const words = text(page);
    expect(page).toContain('<h1 id="page-title">Address no longer in use</h1>');
    expect(words).toContain('Game Shop has asked that this address no longer be used.');
    expect(words).toContain('Do not send anything to it. To get a new address, contact Game Shop: help@game.shop');
    expect(text(renderWalletPage(model({ wallet: { ...wallet, blocked: true } })))).toContain('Do not send anything to it. Contact Shop to get a new address.');
    expect(text(renderWalletPage(model({ wallet: { ...wallet, blocked: true }, receipts: [] })))).toContain('No transfers to this address.');
    expect(page).toContain(`<code class="address address-retired" aria-labelledby="address-label">${ADDRESS}</code>`);
    expect(page).not.toContain('qr.svg');
    expect(page).not.toContain('data-copy');
    expect(page).not.toContain('class="warning"');
    expect(page).not.toContain('id="latest"');
    expect(words).toContain('Waiting for confirmations: 2 of 3');
  });

  it('escapes everything the merchant controls, and never shows the customer id or a receipt invoice id', () => {
    const hostile = '<script>alert(1)</script>"\'&';
    const page = renderWalletPage(model({ project: project({ name: hostile, supportContact: `"><img src=x onerror=alert(2)>` }), wallet: { ...wallet, blocked: true } }));
    expect(page).not.toContain('<script>alert(1)');
    expect(page).not.toContain('<img src=x');
    expect(page).toContain('&lt;script&gt;alert(1)&lt;/script&gt;&quot;&#39;&amp;');
    expect(page).toContain('&quot;&gt;&lt;img src=x onerror=alert(2)&gt;');
    for (const shown of [page, renderWalletPage(model())]) {
      expect(shown).not.toContain('jane@example.com');
      expect(shown).not.toContain('customer-');
      expect(shown).not.toMatch(/RCPT000\d|INV-/);
    }
  });

  it('keeps the script’s data inert: no "<" inside the JSON block', () => {
    const page = renderWalletPage(model({ project: project({ name: '</script><script>alert(1)</script>' }) }));
    const data = /<script type="application\/json" id="wallet-data">([\s\S]*?)<\/script>/.exec(page)?.[1] ?? '';
    expect(data).not.toContain('<');
    expect(JSON.parse(data)).toMatchObject({ id: WALLET_ID, locale: 'en', blocked: false, ticker: 'USDT' });
  });

  it('speaks the chosen language, digits included', () => {
    const page = text(renderWalletPage(model({ locale: 'ru' })));
    expect(page).toContain('Ваш адрес для пополнения в USDT');
    expect(page).toContain('12\u00a0345,6789\u00a0USDT');
    expect(page).toContain('Ждём подтверждений: 2 из 3');
  });
});

describe('the wallet status JSON', () => {
  it('carries only the wallet’s state and its transfers: exact amounts, no customer id, no invoice ids, no fees', () => {
    const json = presentWalletStatus(model());
    expect(json).toEqual({
      id: WALLET_ID,
      blocked: false,
      receipts: [
        { at: receipts[0].payments[0].transfer.blockTime, amount: '2.5', state: 'confirming', confirmations: 2, required: 3, after_block: false },
        { at: receipts[1].payments[0].transfer.blockTime, amount: '12345.6789', state: 'credited', confirmations: null, required: null, after_block: true },
        { at: receipts[2].payments[0].transfer.blockTime, amount: '5', state: 'not_credited', confirmations: null, required: null, after_block: false },
      ],
      more: true,
    });
    expect(JSON.stringify(json)).not.toMatch(/jane|customer-|RCPT|INV-|fee|net/);
  });
});
