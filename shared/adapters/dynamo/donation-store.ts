/**
 * Donation pages and the donation invoices recorded under them (keys.donationPage and
 * keys.donationInvoice; the records are written by the invoice store in the invoice's own
 * transaction). Totals are computed from those invoices on read (shared/app/donations.ts), so
 * crediting never writes here.
 */
import { type DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { DonationPage } from '../../domain/donation';
import { FIAT_MINOR_UNITS, type FiatCode } from '../../domain/currencies';
import type { InvoiceId } from '../../domain/ids';
import { formatDecimal, parseDecimal, type Decimal } from '../../domain/money';
import { isoTime } from '../../domain/time';
import type { DonationStore } from '../../ports';
import { int, type Item } from './codec';
import { keys } from './keys';
import { isConditionFailure } from './query';

/** One Query page of invoice ids: records are ~100 bytes, so 1,000 stay far below the 1 MB page limit. */
const INVOICE_IDS_PAGE_MAX = 1000;

const decimal = (text: unknown, item: Item): Decimal => {
  const d = parseDecimal(String(text));
  if (!d.ok) throw new Error(`corrupt item ${String(item.pk)}: ${String(text)} is not a decimal`);
  return d.value;
};
/** A list token: the last page's index sort key (`<createdIso>#<slug>`). */
const LIST_TOKEN = /^\d{4}-\d{2}-\d{2}T[\d:.]+Z#([a-z0-9-]{3,40})$/;

function encodePage(p: DonationPage): Item {
  return {
    ...keys.donationPage(p.slug),
    ...keys.donationByProject(p.shopId, isoTime(p.createdAt), p.slug),
    type: 'donationPage',
    schemaVersion: 1,
    slug: p.slug,
    shopId: p.shopId,
    title: p.title,
    description: p.description,
    logoUrl: p.logoUrl ?? undefined,
    presets: p.presets.map(formatDecimal),
    fiat: p.fiat,
    min: formatDecimal(p.min),
    max: formatDecimal(p.max),
    currencies: p.currencies,
    collectName: p.collectName,
    collectMessage: p.collectMessage,
    enabled: p.enabled,
    createdAt: p.createdAt,
    version: p.version,
  };
}

function decodePage(item: Item): DonationPage {
  const fiat = String(item.fiat);
  if (!Object.hasOwn(FIAT_MINOR_UNITS, fiat)) throw new Error(`corrupt item ${String(item.pk)}: unknown fiat ${fiat}`);
  const list = (field: string) => (Array.isArray(item[field]) ? (item[field] as unknown[]).map(String) : []);
  return {
    slug: String(item.slug),
    shopId: String(item.shopId),
    title: String(item.title),
    description: typeof item.description === 'string' ? item.description : '',
    logoUrl: typeof item.logoUrl === 'string' ? item.logoUrl : null,
    presets: list('presets').map((p) => decimal(p, item)),
    fiat: fiat as FiatCode,
    min: decimal(item.min, item),
    max: decimal(item.max, item),
    currencies: list('currencies'),
    collectName: item.collectName === true,
    collectMessage: item.collectMessage === true,
    enabled: item.enabled === true,
    createdAt: int(item, 'createdAt'),
    version: int(item, 'version'),
  };
}

export class DynamoDonationStore implements DonationStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async create(page: DonationPage): Promise<boolean> {
    try {
      await this.db.send(new PutCommand({ TableName: this.tableName, Item: encodePage(page), ConditionExpression: 'attribute_not_exists(pk)' }));
      return true;
    } catch (e) {
      if (isConditionFailure(e)) return false;
      throw e;
    }
  }

  async get(slug: string): Promise<DonationPage | null> {
    const out = await this.db.send(new GetCommand({ TableName: this.tableName, Key: keys.donationPage(slug), ConsistentRead: true }));
    return out.Item ? decodePage(out.Item) : null;
  }

  async save(page: DonationPage, expectedVersion: number): Promise<boolean> {
    try {
      // The donation counter (`issued`) lives on the same item: an update keeps it, a put would reset it.
      const { pk, sk, ...fields } = encodePage(page);
      const names = Object.keys(fields).filter((k) => fields[k] !== undefined);
      const removed = Object.keys(fields).filter((k) => fields[k] === undefined);
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { pk, sk },
          UpdateExpression: `SET ${names.map((_k, i) => `#f${i} = :v${i}`).join(', ')}${removed.length > 0 ? ` REMOVE ${removed.map((_, i) => `#r${i}`).join(', ')}` : ''}`,
          ConditionExpression: '#version = :expected',
          ExpressionAttributeNames: { ...Object.fromEntries(names.map((k, i) => [`#f${i}`, k])), ...Object.fromEntries(removed.map((k, i) => [`#r${i}`, k])), '#version': 'version' },
          ExpressionAttributeValues: { ...Object.fromEntries(names.map((k, i) => [`:v${i}`, fields[k]])), ':expected': expectedVersion },
        }),
      );
      return true;
    } catch (e) {
      if (isConditionFailure(e)) return false;
      throw e;
    }
  }

  async listByProject(shopId: string, limit: number, after: string | null): Promise<{ pages: DonationPage[]; next: string | null }> {
    const gsi1pk = keys.donationsOfProject(shopId);
    // A malformed token starts over; a token of another project's page reads this project's partition only.
    const slug = after ? LIST_TOKEN.exec(after)?.[1] : undefined;
    const startKey = after && slug ? { gsi1pk, gsi1sk: after, ...keys.donationPage(slug) } : undefined;
    const out = await this.db.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: 'byOwnerTime',
        KeyConditionExpression: 'gsi1pk = :pk',
        ExpressionAttributeValues: { ':pk': gsi1pk },
        Limit: limit,
        ExclusiveStartKey: startKey,
      }),
    );
    const pages = (out.Items ?? []).map(decodePage);
    return { pages, next: out.LastEvaluatedKey ? String(out.LastEvaluatedKey.gsi1sk) : null };
  }

  async nextDonationNumber(slug: string): Promise<number | null> {
    try {
      const out = await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.donationPage(slug),
          UpdateExpression: 'ADD issued :one',
          ConditionExpression: 'attribute_exists(pk) AND enabled = :on',
          ExpressionAttributeValues: { ':one': 1, ':on': true },
          ReturnValues: 'UPDATED_NEW',
        }),
      );
      return out.Attributes ? int(out.Attributes, 'issued') : null;
    } catch (e) {
      if (isConditionFailure(e)) return null;
      throw e;
    }
  }

  async invoiceIds(slug: string, limit: number): Promise<{ ids: InvoiceId[]; more: boolean }> {
    const ids: InvoiceId[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const out = await this.db.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
          ExpressionAttributeValues: { ':pk': keys.donationPage(slug).pk, ':prefix': keys.donationInvoicePrefix },
          ProjectionExpression: 'invoiceId',
          ScanIndexForward: false,
          // One more than wanted tells whether some were left out.
          Limit: Math.min(INVOICE_IDS_PAGE_MAX, limit + 1 - ids.length),
          ExclusiveStartKey: startKey,
        }),
      );
      ids.push(...(out.Items ?? []).map((i) => String(i.invoiceId) as InvoiceId));
      startKey = out.LastEvaluatedKey;
    } while (startKey && ids.length <= limit);
    return { ids: ids.slice(0, limit), more: ids.length > limit };
  }
}
