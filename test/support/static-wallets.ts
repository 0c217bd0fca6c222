/**
 * Static wallet helpers for the integration tests on real parts: create a wallet through the real
 * handler, read its receipts and totals, read the journal entries of a project's asset, and run
 * the real postback sender on the postbacks queue against a local receiver.
 */
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { expect } from 'vitest';
import { type SqsHandler, startQueueConsumers } from '../../lib/local/queue-host';
import { makeDocumentClient } from '../../shared/adapters/dynamo/client';
import { big, type Item } from '../../shared/adapters/dynamo/codec';
import { keys } from '../../shared/adapters/dynamo/keys';
import { findCrypto } from '../../shared/domain/currencies';
import { invoiceUuid, type StaticWalletId } from '../../shared/domain/ids';
import type { Invoice } from '../../shared/domain/invoice/invoice';
import type { StaticWalletTotals } from '../../shared/domain/static-wallet';
import type { Deps } from '../../shared/ports';
import { aroundToday } from './dates';
import { call, newProject } from './gateway';
import { usePaymentsHarness } from './payments-harness';
import type { Received, Receiver } from './postback-receiver';

export type CreatedWallet = { uuid: StaticWalletId; address: string; currency: { code: string } };

/** anvil funds the first 10 accounts of its mnemonic, which is also the tests' deposit mnemonic. */
const ANVIL_FUNDED_ACCOUNTS = 10;

/**
 * Hands out the deposit indexes that are anvil's funded accounts (index 1 is the payer, 2 the
 * spammer), so no wallet of the test is an address that sends, mints or deploys on its own.
 */
export async function skipFundedDevnetAccounts(deps: Deps): Promise<void> {
  for (let i = 0; i < ANVIL_FUNDED_ACCOUNTS; i += 1) await deps.addresses.allocate('ethereum');
}

/** The static wallet tests' setting: a payments harness, a live project, and deposit indexes past anvil's funded accounts. */
export async function useStaticWalletShop(options: Parameters<typeof usePaymentsHarness>[0] = {}) {
  const h = await usePaymentsHarness(options);
  const shop = await newProject({ partialTolerance: 'none', testMode: false });
  await skipFundedDevnetAccounts(h.deps);
  await h.settle();
  return { h, shop };
}

/** `POST /v2/invoice/static/create` through the real handler; fails the test on anything but 200. */
export async function createWallet(apiKey: string, shopId: string, identify: string, currency: string): Promise<CreatedWallet> {
  const res = await call('invoice.static_create', { apiKey, body: { shop_id: shopId, currency, identify } });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body.result as CreatedWallet;
}

/** Every receipt invoice of a wallet, oldest first (all pages). */
export async function receiptsOf(deps: Deps, walletId: StaticWalletId): Promise<Invoice[]> {
  const ids = [];
  let after: string | null = null;
  do {
    const page: { ids: Invoice['id'][]; next: string | null } = await deps.staticWallets.receipts(walletId, 100, after);
    ids.push(...page.ids);
    after = page.next;
  } while (after);
  const got = await deps.invoices.getMany(ids);
  return got.sort((a, b) => a.createdAt - b.createdAt || a.id.localeCompare(b.id));
}

export type Entry = { id: string; kind: string; ref: string; postings: { account: string; amount: bigint }[] };

/** The journal of one asset of a project, as stored (append-only entries). */
export async function journalOf(shopId: string, code: string): Promise<Entry[]> {
  const db = makeDocumentClient({ region: 'us-east-1', endpoint: process.env.DYNAMODB_ENDPOINT });
  const out = await db.send(new QueryCommand({ TableName: process.env.TABLE_NAME, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': keys.ledger(shopId, code, 'x').pk } }));
  return (out.Items ?? []).map((i) => ({
    id: String(i.id),
    kind: String(i.kind),
    ref: String(i.ref),
    postings: (i.postings as Item[]).map((p) => ({ account: String(p.account), amount: big(p, 'amount') })),
  }));
}

/** What a wallet's receipts add up to: the totals item must say the same. */
export function totalsOf(receipts: Invoice[]): Pick<StaticWalletTotals, 'receipts' | 'received' | 'net'> {
  const credited = receipts.flatMap((r) => r.payments.filter((p) => p.state === 'credited'));
  return { receipts: credited.length, received: credited.reduce((a, p) => a + p.transfer.amount, 0n), net: credited.reduce((a, p) => a + p.net, 0n) };
}

/** The postback sender (functions/queues/postbacks.ts) polling the harness's postbacks queue, as Lambda's event source would. */
export function startPostbackSender(queues: { endpoint: string; urls: { postbacks: { url: string } } }) {
  return startQueueConsumers(queues.endpoint, [
    { queueUrl: queues.urls.postbacks.url, batchSize: 10, load: async () => ((await import('../../functions/queues/postbacks')) as { handler: SqsHandler }).handler },
  ]);
}

/** Harness env for a real sender that may post to 127.0.0.1 and retries at once. */
export const LOCAL_POSTBACKS_ENV = { POSTBACK_ALLOW_LOOPBACK: 'true', POSTBACK_RETRY_FIRST_SECONDS: '0', POSTBACK_RETRY_MAX_SECONDS: '0', POSTBACK_TIMEOUT_MS: '2000' };

/** Waits until the receiver holds `n` postbacks matching `match`; returns them. */
export async function postbacksFor(receiver: Receiver, match: (r: Received) => boolean, n: number, timeoutMs = 20_000): Promise<Received[]> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const got = receiver.received.filter(match);
    if (got.length >= n) return got;
    if (Date.now() > until) throw new Error(`receiver: ${got.length} of ${n} postbacks after ${timeoutMs} ms: ${JSON.stringify(receiver.received.map((r) => [r.fields.event, r.fields.invoice_id]))}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** The project's invoices through CryptoCloud's `list`, every page. */
export async function listedInvoices(apiKey: string): Promise<{ uuid: string; status: string; order_id: string; amount_paid: number }[]> {
  const res = await call('invoice.list', { apiKey, body: { ...aroundToday(), offset: 0, limit: 100 } });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body.result as { uuid: string; status: string; order_id: string; amount_paid: number }[];
}

/** Postbacks about these invoices. */
export const byInvoice = (ids: string[]) => (r: { fields: Record<string, unknown> }) => ids.includes(String(r.fields.invoice_id));

/**
 * The whole money path of a wallet's receipts: credited once each, the journal, the balance, the
 * totals item, the postbacks delivered, and the receipts in info, list and statistics.
 */
export async function expectReceipts(
  h: { deps: Deps; balance: (shopId: string, code: string) => Promise<{ available: bigint }> },
  receiver: Receiver,
  shop: { shopId: string; apiKey: string },
  wallet: CreatedWallet,
  identify: string,
  amounts: bigint[],
  before: bigint,
) {
  const { deps } = h;
  const code = wallet.currency.code;
  const receipts = await receiptsOf(deps, wallet.uuid);
  expect(receipts).toHaveLength(amounts.length);
  expect(receipts.map((r) => r.amountPaid).sort()).toEqual([...amounts].sort());
  for (const r of receipts) {
    expect(r).toMatchObject({ status: 'paid', orderId: identify, staticWallet: { id: wallet.uuid, identify }, shopId: shop.shopId, testMode: false, facts: {} });
    expect(r.selection).toMatchObject({ code, address: wallet.address, amountToPay: r.amountPaid });
    expect(r.payments).toHaveLength(1);
    expect(r.payments[0]).toMatchObject({ state: 'credited', credits: 1, classification: 'payment', code, transfer: { amount: r.amountPaid } });
    // Merchant-side fees (the project's default): the network fee is withheld from each receipt.
    expect(r.payments[0].fee).toBe(r.selection?.transferFee);
    expect(r.received).toBe(r.amountPaid - (r.selection?.transferFee ?? 0n));
  }

  // One journal entry per receipt, balanced, the merchant's share = the receipt's net.
  const entries = (await journalOf(shop.shopId, code)).filter((e) => receipts.some((r) => r.payments[0].key === e.ref));
  expect(entries).toHaveLength(amounts.length);
  for (const r of receipts) {
    const entry = entries.find((e) => e.ref === r.payments[0].key);
    expect(entry).toMatchObject({ id: `credit:${r.payments[0].key}:1`, kind: 'payment.credit' });
    expect(entry?.postings.reduce((a, p) => a + p.amount, 0n)).toBe(0n);
    expect(entry?.postings.find((p) => p.account.includes(shop.shopId) && p.amount < 0n && p.amount === -r.received)).toBeDefined();
  }
  const net = receipts.reduce((a, r) => a + r.received, 0n);
  expect((await h.balance(shop.shopId, code)).available - before).toBe(net);
  expect(await deps.staticWallets.totals(wallet.uuid)).toMatchObject({ ...totalsOf(receipts), receipts: amounts.length, received: amounts.reduce((a, b) => a + b, 0n), net });

  // One CryptoCloud postback per receipt, delivered through the real sender.
  const ids = receipts.map((r) => r.id);
  const posted = await postbacksFor(receiver, byInvoice(ids), amounts.length);
  expect(posted).toHaveLength(amounts.length);
  for (const r of receipts) {
    const got = posted.find((p) => p.fields.invoice_id === r.id);
    const decimals = findCrypto(code)?.decimals ?? 0;
    expect(got?.fields).toMatchObject({
      status: 'success',
      event: 'invoice.paid',
      invoice_id: r.id,
      uuid: invoiceUuid(r.id),
      order_id: identify,
      currency: code,
      amount_crypto: Number(r.amountPaid) / 10 ** decimals,
      static_wallet: { uuid: wallet.uuid, identify, blocked: false },
    });
    expect(got?.fields.invoice_info).toMatchObject({ order_id: identify, uuid: invoiceUuid(r.id), status: 'paid' });
  }

  // info, list and statistics see them as the paid invoices they are.
  const info = await call('invoice.info', { apiKey: shop.apiKey, body: { uuids: receipts.map((r) => invoiceUuid(r.id)) } });
  const rows = info.body.result as { uuid: string; status: string; order_id: string; amount_paid: number; address: string }[];
  expect(rows).toHaveLength(amounts.length);
  expect(rows.every((row) => row.status === 'paid' && row.order_id === identify && row.address === wallet.address)).toBe(true);
  const listed = (await listedInvoices(shop.apiKey)).filter((row) => receipts.some((r) => invoiceUuid(r.id) === row.uuid));
  expect(listed.map((row) => [row.status, row.order_id])).toEqual(receipts.map(() => ['paid', identify]));
  return receipts;
}
