/**
 * Every key of the single table is built here and nowhere else (STYLE §6.7).
 *
 * | access pattern                          | index       | key                                                        |
 * |-----------------------------------------|-------------|------------------------------------------------------------|
 * | project by shop id                      | table       | PROJECT#<shopId> / PROJECT                                 |
 * | projects by creation time               | byOwnerTime | PROJECTS / <createdIso>#<shopId>                           |
 * | API key by hash                         | table       | APIKEY#<sha256> / APIKEY                                   |
 * | invoice by id                           | table       | INVOICE#<shortId> / INVOICE                                |
 * | invoices of a project by creation time  | byOwnerTime | PROJECT#<shopId>#INVOICE / <createdIso>#<shortId>          |
 * | invoices expiring before T (sparse)     | byDueTime   | EXPIRY / <expiresIso>#<shortId>  (only while `created`)    |
 * | owner of a deposit address              | table       | ADDR#<chain>#<address> / ADDR                              |
 * | address index counter                   | table       | COUNTER#ADDRESS#<family> / COUNTER                         |
 * | project number counter                  | table       | COUNTER#PROJECT / COUNTER                                  |
 * | Idempotency-Key of a project            | table       | IDEMP#<shopId>#<sha256(key)> / IDEMP   (ttl)               |
 * | balances of a project                   | table       | PROJECT#<shopId> / BALANCE#<code>                          |
 */
import type { ChainFamily, ChainId } from '../../domain/currencies';
import type { InvoiceId } from '../../domain/ids';

const segment = (value: string): string => {
  if (value.includes('#') || value.length === 0) throw new Error(`invalid key segment ${JSON.stringify(value)}`);
  return value;
};

export type Key = { pk: string; sk: string };

export const keys = {
  project: (shopId: string): Key => ({ pk: `PROJECT#${segment(shopId)}`, sk: 'PROJECT' }),
  projectsPartition: 'PROJECTS',
  projectsIndex: (createdIso: string, shopId: string) => ({ gsi1pk: keys.projectsPartition, gsi1sk: `${createdIso}#${segment(shopId)}` }),
  apiKey: (hash: string): Key => ({ pk: `APIKEY#${segment(hash)}`, sk: 'APIKEY' }),
  invoice: (id: InvoiceId): Key => ({ pk: `INVOICE#${segment(id)}`, sk: 'INVOICE' }),
  invoicesOfProject: (shopId: string) => `PROJECT#${segment(shopId)}#INVOICE`,
  invoiceByProject: (shopId: string, createdIso: string, id: InvoiceId) => ({ gsi1pk: keys.invoicesOfProject(shopId), gsi1sk: `${createdIso}#${segment(id)}` }),
  expiryQueue: 'EXPIRY',
  invoiceExpiry: (expiresIso: string, id: InvoiceId) => ({ gsi2pk: keys.expiryQueue, gsi2sk: `${expiresIso}#${segment(id)}` }),
  invoiceIdFromPk: (pk: string): InvoiceId => pk.slice('INVOICE#'.length) as InvoiceId,
  address: (chain: ChainId, address: string): Key => ({ pk: `ADDR#${chain}#${segment(address.toLowerCase())}`, sk: 'ADDR' }),
  addressCounter: (family: ChainFamily): Key => ({ pk: `COUNTER#ADDRESS#${family}`, sk: 'COUNTER' }),
  projectCounter: (): Key => ({ pk: 'COUNTER#PROJECT', sk: 'COUNTER' }),
  idempotency: (shopId: string, keyHash: string): Key => ({ pk: `IDEMP#${segment(shopId)}#${segment(keyHash)}`, sk: 'IDEMP' }),
  balance: (shopId: string, code: string): Key => ({ pk: `PROJECT#${segment(shopId)}`, sk: `BALANCE#${segment(code)}` }),
  balancePrefix: 'BALANCE#',
} as const;
