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
import type { StaticWalletId } from '../../shared/domain/ids';
import type { Invoice } from '../../shared/domain/invoice/invoice';
import type { StaticWalletTotals } from '../../shared/domain/static-wallet';
import type { Deps } from '../../shared/ports';
import { aroundToday } from './dates';
import { call } from './gateway';
import type { Received, Receiver } from './postback-receiver';

export type CreatedWallet = { uuid: StaticWalletId; address: string; currency: { code: string } };

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
