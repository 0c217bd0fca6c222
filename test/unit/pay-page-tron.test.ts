/**
 * The payment page's words for a Tron offer, rendered without a browser: the network named as
 * wallets name it, the deployment's contract, and a payment waiting for Tron's solidified block
 * (a finality tag: no "k of n" to count to) or for a number of blocks (the local simulator).
 */
import { describe, expect, it } from 'vitest';
import { type ChainDeployment, resolveChainDeployments } from '../../shared/domain/chains';
import type { Invoice, Selection } from '../../shared/domain/invoice/invoice';
import { payerView } from '../../shared/domain/invoice/payer-view';
import type { Payment } from '../../shared/domain/invoice/payments';
import { ratio } from '../../shared/domain/money';
import { defaultSettings, type Project } from '../../shared/domain/project';
import { renderPaymentPage } from '../../shared/pages/pay-page';
import { buildInvoice } from '../support/builders';

const NOW = Date.UTC(2026, 0, 1, 0, 0, 10);
const ADDRESS = 'TMUX8JmvKNJ4ofbb2zQVLQx1nay17zMVnT';
const MAINNET_USDT = 'TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t';
const project: Project = { shopId: 'shop', number: 1, createdAt: 0, settings: defaultSettings('Shop'), apiKeyHash: 'h', secretKeyCipher: 'c', secretKeyRotatedAt: 0, previousSecretKeyCipher: null, withdrawalKeyHash: null, version: 1 };

function deployments(tron: Record<string, unknown>): ChainDeployment[] {
  const resolved = resolveChainDeployments({ tron });
  if (!resolved.ok) throw new Error(JSON.stringify(resolved.error));
  return resolved.value;
}

const offer: Selection = {
  code: 'USDT_TRC20',
  address: ADDRESS,
  derivationIndex: 0,
  baseAmount: 10_000_000n,
  transferFee: 0n,
  serviceFee: 0n,
  amountToPay: 10_000_000n,
  usdPerUnit: ratio(1n, 1n),
  lockedAt: NOW,
  lockedUntil: NOW + 1_800_000,
};

/** A 10 USDT payment in block 100, pending under `finality`. */
function pendingPayment(finality: Payment['finality']): Payment {
  return {
    key: `tron#${'ab'.repeat(32)}#0`,
    code: 'USDT_TRC20',
    transfer: { chain: 'tron', txHash: 'ab'.repeat(32), logIndex: 0, blockNumber: 100, blockHash: 'cd'.repeat(32), blockTime: NOW, from: 'TWer2Ygk5TEheHp3TPuYeqxmB6SsGZmaL6', to: ADDRESS, contract: MAINNET_USDT, amount: 10_000_000n },
    state: 'pending',
    finality,
    source: 'watcher',
    seenAt: NOW,
    creditedAt: null,
    classification: null,
    rejection: null,
    fee: 0n,
    net: 0n,
    confirmations: 0,
    credits: 0,
    valuedUsdPerUnit: null,
  };
}

function render(invoice: Invoice, chains: ChainDeployment[], head = 102) {
  const view = payerView(invoice, { now: NOW, heads: new Map([['tron', head]]), chains });
  return { view, page: renderPaymentPage({ invoice, view, project, locale: 'en', chains, now: NOW, testWallet: false }) };
}

const visibleSeenText = (page: string) => [...page.matchAll(/<p class="status-text" data-seen="(\w+)"( hidden)?>([^<]*(?:<span[^>]*>[^<]*<\/span>[^<]*)*)<\/p>/g)].filter((m) => !m[2]).map((m) => m[1]);

describe('the payment page of a Tron offer', () => {
  it('names the network as wallets do, with the token contract, and shows the bare address', () => {
    const { page } = render(buildInvoice({ selection: offer, createdAt: NOW - 10_000, expiresAt: NOW + 3_600_000 }), deployments({ rpcUrls: ['https://api.trongrid.io'] }));
    expect(page).toContain(`Send only <span data-v="token">USDT</span> on the <span data-v="network">Tron (TRC-20)</span> network. Token contract: <span data-v="contract">${MAINNET_USDT}</span>`);
    expect(page).toContain(`<code class="address" aria-labelledby="address-label">${ADDRESS}</code>`);
    // Tron's QR is the bare address (no payment URI carries the amount): the page says so.
    expect(page).toContain('alt="QR code with the deposit address" width="240" height="240"><figcaption class="hint">The QR code holds the address only. Type the exact amount in your wallet yourself.</figcaption>');
    // Before anything is seen, the seen sentence prepared is the one of the chain's rule: solidified.
    expect(visibleSeenText(page)).toEqual(['tag']);
  });

  it('waits for the solidified block in words, not as "k of solidified", about a minute', () => {
    const invoice = buildInvoice({ selection: offer, createdAt: NOW - 10_000, expiresAt: NOW + 3_600_000, payments: [pendingPayment({ tag: 'solidified' })] });
    const { view, page } = render(invoice, deployments({ rpcUrls: ['https://api.trongrid.io'] }));
    expect(view).toMatchObject({ state: 'seen', progress: { required: 'solidified', expectedMs: 60_000 } });
    expect(visibleSeenText(page)).toEqual(['tag']);
    expect(page).toContain('Payment seen, waiting for the network to confirm it');
    expect(page).toContain('Usually about <span data-v="minutes">1</span> min');
    expect(page).toContain('<p class="status-text" data-seen="blocks" hidden>');
  });

  it('counts blocks on the local simulator (3 blocks of 3 s)', () => {
    const invoice = buildInvoice({ selection: offer, createdAt: NOW - 10_000, expiresAt: NOW + 3_600_000, payments: [pendingPayment({ blocks: 3 })] });
    const { view, page } = render(invoice, deployments({ rpcUrls: ['http://127.0.0.1:1'], devnet: true, tokens: { USDT_TRC20: 'TWBMQA7uHeJvhr2Ansc9v1XeRLQ9NxswiP' } }), 101);
    expect(view.progress).toEqual({ confirmations: 2, required: 3, expectedMs: 3_000 });
    expect(visibleSeenText(page)).toEqual(['blocks']);
    expect(page).toContain('waiting for confirmations: <span data-v="k">2</span> of <span data-v="n">3</span>');
    // The local stand-in's contract, under the network's real name.
    expect(page).toContain('<span data-v="network">Tron (TRC-20)</span> network. Token contract: <span data-v="contract">TWBMQA7uHeJvhr2Ansc9v1XeRLQ9NxswiP</span>');
  });
});
