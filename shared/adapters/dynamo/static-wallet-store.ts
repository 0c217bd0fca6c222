/**
 * Static wallets (keys.staticWallet), their `identify` lookups, the links from a transfer to its
 * receipt invoice, and the running totals (written by the crediting transaction,
 * payment-store.ts). A wallet's receipts are items of their own, never a list on the wallet, so a
 * wallet with thousands of receipts reads and writes as fast as a new one.
 */
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { ChainId } from '../../domain/currencies';
import type { InvoiceId, StaticWalletId } from '../../domain/ids';
import type { Invoice } from '../../domain/invoice/invoice';
import { DEPTH_TIER_BUCKET_MS, depthTierBucket, NO_TOTALS, type StaticWallet, type StaticWalletTotals, WATCHED_FOR_GOOD } from '../../domain/static-wallet';
import { isoTime } from '../../domain/time';
import type { CreateReceiptOutcome, CreateStaticWalletOutcome, StaticWalletStore, TransferFate } from '../../ports';
import { sha256Hex } from '../ids';
import { addressClaimPut } from './address-claims';
import { big, encodeInvoice, int, type Item } from './codec';
import { keys } from './keys';
import { isConditionFailure, pageToken } from './query';

/** How long a create waits for a concurrent twin (same customer and currency) to commit. */
const TWIN_WAIT_ATTEMPTS = 10;
const TWIN_WAIT_MS = 25;
/** A list token: the last item's index sort key (`<createdIso>#<id>`). */
const WALLET_TOKEN = /^\d{4}-\d{2}-\d{2}T[\d:.]+Z#([A-Z0-9]{32})$/;
const RECEIPT_TOKEN = /^AT#\d{4}-\d{2}-\d{2}T[\d:.]+Z#[A-Z0-9]{8}$/;


function encodeWallet(w: StaticWallet): Item {
  return {
    ...keys.staticWallet(w.id),
    ...keys.staticWalletByProject(w.shopId, isoTime(w.createdAt), w.id),
    type: 'staticWallet',
    schemaVersion: 1,
    id: w.id,
    shopId: w.shopId,
    code: w.code,
    chain: w.chain,
    address: w.address,
    derivationIndex: w.derivationIndex,
    identify: w.identify,
    createdAt: w.createdAt,
    blocked: w.blocked,
    blockedAt: w.blockedAt ?? undefined,
    version: w.version,
  };
}

/** A link item: a transfer's receipt, or its dust decision. */
const fateOf = (item: Item): TransferFate => (item.dust === true ? { kind: 'dust' } : { kind: 'receipt', invoiceId: String(item.invoiceId) as InvoiceId });

function decodeWallet(item: Item): StaticWallet {
  return {
    id: String(item.id) as StaticWalletId,
    shopId: String(item.shopId),
    code: String(item.code),
    chain: String(item.chain) as ChainId,
    address: String(item.address),
    derivationIndex: int(item, 'derivationIndex'),
    identify: String(item.identify),
    createdAt: int(item, 'createdAt'),
    blocked: item.blocked === true,
    blockedAt: item.blockedAt === undefined ? null : int(item, 'blockedAt'),
    version: int(item, 'version'),
  };
}

export class DynamoStaticWalletStore implements StaticWalletStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  private identifyKey(shopId: string, identify: string, code: string) {
    return keys.staticIdentify(shopId, sha256Hex(identify), code);
  }

  async create(wallet: StaticWallet, claimedAt: number): Promise<CreateStaticWalletOutcome> {
    const lookup = this.identifyKey(wallet.shopId, wallet.identify, wallet.code);
    const items = [
      { Put: { TableName: this.tableName, Item: { ...lookup, type: 'staticIdentify', schemaVersion: 1, walletId: wallet.id, identify: wallet.identify, code: wallet.code }, ConditionExpression: 'attribute_not_exists(pk)' } },
      { Put: { TableName: this.tableName, Item: encodeWallet(wallet), ConditionExpression: 'attribute_not_exists(pk)' } },
      addressClaimPut(this.tableName, { chain: wallet.chain, address: wallet.address, owner: { kind: 'static_wallet', walletId: wallet.id }, claimedAt, watchUntil: WATCHED_FOR_GOOD }),
    ];
    try {
      await this.db.send(new TransactWriteCommand({ TransactItems: items as never }));
      return { kind: 'created' };
    } catch (e) {
      if (!(e instanceof TransactionCanceledException)) throw e;
      const [identify, walletItem, claim] = (e.CancellationReasons ?? []).map((r) => r.Code);
      if (walletItem === 'ConditionalCheckFailed') return { kind: 'id_taken' };
      if (claim === 'ConditionalCheckFailed') throw new Error(`invariant: deposit address ${wallet.address} is already claimed; refusing to reuse it`);
      if (identify !== 'ConditionalCheckFailed' && identify !== 'TransactionConflict') throw e;
      // A twin is committing the same customer and currency right now: its wallet is the answer.
      for (let attempt = 0; attempt < TWIN_WAIT_ATTEMPTS; attempt += 1) {
        const existing = await this.findOne(wallet.shopId, wallet.identify, wallet.code);
        if (existing) return { kind: 'exists', id: existing };
        await new Promise((r) => setTimeout(r, TWIN_WAIT_MS));
      }
      throw e;
    }
  }

  async get(id: StaticWalletId): Promise<StaticWallet | null> {
    const out = await this.db.send(new GetCommand({ TableName: this.tableName, Key: keys.staticWallet(id), ConsistentRead: true }));
    return out.Item ? decodeWallet(out.Item) : null;
  }

  async findOne(shopId: string, identify: string, code: string): Promise<StaticWalletId | null> {
    const out = await this.db.send(new GetCommand({ TableName: this.tableName, Key: this.identifyKey(shopId, identify, code), ConsistentRead: true }));
    return out.Item ? (String(out.Item.walletId) as StaticWalletId) : null;
  }

  async findByIdentify(shopId: string, identify: string): Promise<StaticWallet[]> {
    const out = await this.db.send(
      new QueryCommand({ TableName: this.tableName, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': keys.identifyPartition(shopId, sha256Hex(identify)) } }),
    );
    const ids = (out.Items ?? []).map((i) => String(i.walletId) as StaticWalletId);
    // At most one wallet per currency: single reads, none of a batch's unprocessed keys to chase.
    const wallets = await Promise.all(ids.map((id) => this.get(id)));
    return wallets.filter((w): w is StaticWallet => w !== null).sort((a, b) => a.createdAt - b.createdAt);
  }

  async listByProject(shopId: string, limit: number, after: string | null): Promise<{ wallets: StaticWallet[]; next: string | null }> {
    const gsi1pk = keys.staticWalletsOfProject(shopId);
    // A malformed token starts over; a token of another project's wallet reads this project's partition only.
    const at = after ? pageToken.decode(after, WALLET_TOKEN) : null;
    const id = at ? WALLET_TOKEN.exec(at)?.[1] : undefined;
    const startKey = at && id ? { gsi1pk, gsi1sk: at, ...keys.staticWallet(id as StaticWalletId) } : undefined;
    const out = await this.db.send(
      new QueryCommand({ TableName: this.tableName, IndexName: 'byOwnerTime', KeyConditionExpression: 'gsi1pk = :pk', ExpressionAttributeValues: { ':pk': gsi1pk }, Limit: limit, ExclusiveStartKey: startKey }),
    );
    return { wallets: (out.Items ?? []).map(decodeWallet), next: out.LastEvaluatedKey ? pageToken.encode(String(out.LastEvaluatedKey.gsi1sk)) : null };
  }

  async save(wallet: StaticWallet, expectedVersion: number): Promise<boolean> {
    try {
      await this.db.send(new PutCommand({ TableName: this.tableName, Item: encodeWallet(wallet), ConditionExpression: 'version = :expected', ExpressionAttributeValues: { ':expected': expectedVersion } }));
      return true;
    } catch (e) {
      if (isConditionFailure(e)) return false;
      throw e;
    }
  }

  async totals(id: StaticWalletId): Promise<StaticWalletTotals> {
    const out = await this.db.send(new GetCommand({ TableName: this.tableName, Key: keys.staticTotals(id), ConsistentRead: true }));
    const item = out.Item;
    if (!item) return NO_TOTALS;
    return {
      receipts: item.receipts === undefined ? 0 : int(item, 'receipts'),
      received: item.received === undefined ? 0n : big(item, 'received'),
      net: item.net === undefined ? 0n : big(item, 'net'),
      lastCreditedAt: item.lastCreditedAt === undefined ? null : int(item, 'lastCreditedAt'),
    };
  }

  async transferFate(id: StaticWalletId, transferKey: string): Promise<TransferFate | null> {
    const out = await this.db.send(new GetCommand({ TableName: this.tableName, Key: keys.staticReceipt(id, transferKey), ConsistentRead: true }));
    return out.Item ? fateOf(out.Item) : null;
  }

  async markDust(id: StaticWalletId, transferKey: string, until: number): Promise<TransferFate> {
    const Item = { ...keys.staticReceipt(id, transferKey), type: 'staticReceipt', schemaVersion: 1, dust: true, transfer: transferKey, ttl: Math.ceil(until / 1000) };
    try {
      await this.db.send(new PutCommand({ TableName: this.tableName, Item, ConditionExpression: 'attribute_not_exists(pk)' }));
      return { kind: 'dust' };
    } catch (e) {
      if (!isConditionFailure(e)) throw e;
      const fate = await this.transferFate(id, transferKey);
      if (!fate) throw new Error(`invariant: the link of ${transferKey} vanished while being written`);
      return fate;
    }
  }

  async createReceipt(invoice: Invoice, transferKey: string): Promise<CreateReceiptOutcome> {
    const wallet = invoice.staticWallet;
    if (!wallet) throw new Error(`invariant: invoice ${invoice.id} is not a static wallet's receipt`);
    const link = { ...keys.staticReceipt(wallet.id, transferKey), type: 'staticReceipt', schemaVersion: 1, invoiceId: invoice.id, transfer: transferKey };
    const listed = { ...keys.staticReceiptAt(wallet.id, isoTime(invoice.createdAt), invoice.id), type: 'staticReceiptAt', schemaVersion: 1, invoiceId: invoice.id };
    const put = (Item: Item) => ({ Put: { TableName: this.tableName, Item, ConditionExpression: 'attribute_not_exists(pk)' } });
    const bucket = depthTierBucket(invoice.createdAt);
    const worth = {
      Update: {
        TableName: this.tableName,
        Key: keys.customerWorth(invoice.shopId, sha256Hex(wallet.identify), bucket),
        UpdateExpression: 'ADD worthCents :cents SET #type = :type, #ttl = :ttl',
        ExpressionAttributeNames: { '#type': 'type', '#ttl': 'ttl' },
        ExpressionAttributeValues: { ':cents': invoice.price.minor, ':type': 'customerWorth', ':ttl': Math.ceil(((bucket + 3) * DEPTH_TIER_BUCKET_MS) / 1000) },
      },
    };
    try {
      // The worth is added with the receipt, in one transaction: a twin that loses adds nothing.
      await this.db.send(new TransactWriteCommand({ TransactItems: [put(link), put(listed), put(encodeInvoice(invoice)), worth] }));
      return { kind: 'created' };
    } catch (e) {
      if (!(e instanceof TransactionCanceledException)) throw e;
      const [linkReason, listedReason, invoiceReason] = (e.CancellationReasons ?? []).map((r) => r.Code);
      if (linkReason === 'ConditionalCheckFailed' || linkReason === 'TransactionConflict') {
        for (let attempt = 0; attempt < TWIN_WAIT_ATTEMPTS; attempt += 1) {
          const fate = await this.transferFate(wallet.id, transferKey);
          if (fate) return fate.kind === 'dust' ? fate : { kind: 'exists', invoiceId: fate.invoiceId };
          await new Promise((r) => setTimeout(r, TWIN_WAIT_MS));
        }
      }
      if (invoiceReason === 'ConditionalCheckFailed' || listedReason === 'ConditionalCheckFailed') return { kind: 'id_taken' };
      throw e;
    }
  }

  async customerWorthCents(shopId: string, identify: string, at: number): Promise<bigint> {
    const hash = sha256Hex(identify);
    const bucket = depthTierBucket(at);
    const read = async (b: number) => {
      const out = await this.db.send(new GetCommand({ TableName: this.tableName, Key: keys.customerWorth(shopId, hash, b), ConsistentRead: true }));
      return out.Item?.worthCents === undefined ? 0n : big(out.Item, 'worthCents');
    };
    const [now, before] = await Promise.all([read(bucket), read(bucket - 1)]);
    return now + before;
  }

  async receipts(id: StaticWalletId, limit: number, after: string | null): Promise<{ ids: InvoiceId[]; next: string | null }> {
    const pk = keys.walletReceipts(id);
    // The token is the last listed item's sort key; anything else starts over.
    const sk = after ? pageToken.decode(after, RECEIPT_TOKEN) : null;
    const start = sk ? { pk, sk } : undefined;
    const out = await this.db.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :at)',
        ExpressionAttributeValues: { ':pk': pk, ':at': keys.staticReceiptAtPrefix },
        ScanIndexForward: false,
        Limit: limit,
        ExclusiveStartKey: start,
      }),
    );
    const items = out.Items ?? [];
    const last = items.at(-1);
    return { ids: items.map((i) => String(i.invoiceId) as InvoiceId), next: out.LastEvaluatedKey && last ? pageToken.encode(String(last.sk)) : null };
  }
}
