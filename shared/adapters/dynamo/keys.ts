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
 * | invoices expiring before T (sparse)     | byDueTime   | EXPIRY / <dueIso>#<shortId>  (only while `created`; due =  |
 * |                                         |             | expiresAt, or a later recheck while the expirer holds it)  |
 * | owner of a deposit address              | table       | ADDR#<chain>#<address> / ADDR                              |
 * | address index counter                   | table       | COUNTER#ADDRESS#<family> / COUNTER                         |
 * | project number counter                  | table       | COUNTER#PROJECT / COUNTER                                  |
 * | Idempotency-Key of a project            | table       | IDEMP#<shopId>#<sha256(key)> / IDEMP   (ttl)               |
 * | balances of a project                   | table       | PROJECT#<shopId> / BALANCE#<code>                          |
 * | addresses claimed on a chain since T    | byOwnerTime | WATCH#<chain> / <claimedIso>#<address>  (on the ADDR item) |
 * | addresses still watched on a chain at T | byDueTime   | WATCH#<chain> / <watchUntilIso>#<address>  (on the ADDR item) |
 * | a transfer (idempotency: chain#tx#log)  | table       | XFER#<chain>#<txHash>#<logIndex|native> / XFER             |
 * | transfers of a chain by block           | byOwnerTime | XFERS#<chain> / <block, 12 digits>#<transfer key>          |
 * | pending transfers due for confirmation  | byDueTime   | CONFIRM#<chain>#<blocks|safe|finalized> / <height, 12 digits> |
 * | a chain's scan checkpoint               | table       | CHAIN#<chain> / CHECKPOINT                                 |
 * | until when native coin may arrive        | table       | ADDR#<chain>#NATIVE-COIN / NATIVE  (max of the native quotes' watch ends) |
 * | a chain's latest fee prices             | table       | CHAIN#<chain> / FEES                                       |
 * | ledger of a project and currency        | table       | LEDGER#<shopId>#<code> / ENTRY#<entry id>   (byOwnerTime: time order) |
 * | payments of an invoice                  | table       | on the invoice item (bounded list, PAYMENTS_PER_INVOICE_MAX) |
 * | postback attempts of an invoice         | table       | INVOICE#<shortId> / POSTBACK#<atIso>#<eventId>#<attempt>  (ttl) |
 * | whether a postback event was delivered  | table       | INVOICE#<shortId> / DELIVERED#<eventId>                    |
 * | transfers kept apart for review (bounded) | table     | INVOICE#<shortId> / STRAY#<transfer key>                   |
 * | their summary: count, kept, last seen   | table       | INVOICE#<shortId> / STRAYS                                 |
 * | a client's requests to a public route class in a window | table | RATE#<limit>#<client hash> / W#<window>  (ttl)     |
 * | a POS link by its token's hash          | table       | POS#<sha256(token)> / POS                                  |
 * | POS links of a project by creation time | byOwnerTime | POSLINKS#<shopId> / <createdIso>#<posId>  (on the POS item) |
 * | sale number of a POS link               | table       | COUNTER#POS#<posId> / COUNTER                              |
 * | a donation page by slug                | table       | DONATION#<slug> / PAGE                                     |
 * | donation pages of a project by creation | byOwnerTime | PROJECT#<shopId>#DONATION / <createdIso>#<slug>            |
 * | donation invoices of a page (for totals) | table      | DONATION#<slug> / INVOICE#<createdIso>#<shortId>           |
 * | static wallet by uuid                   | table       | STATIC#<uuid> / WALLET                                     |
 * | static wallets of a project by creation | byOwnerTime | PROJECT#<shopId>#STATIC / <createdIso>#<uuid>  (on WALLET) |
 * | a project's wallets of one `identify`   | table       | IDENTIFY#<shopId>#<sha256(identify)> / CODE#<code>  (one per currency: create is idempotent) |
 * | the receipt invoice of a transfer       | table       | RECEIPTS#<uuid> / LINK#<transfer key>                      |
 * | receipts of a wallet by creation        | table       | RECEIPTS#<uuid> / AT#<createdIso>#<shortId>  (with the link) |
 * | a wallet's running totals               | table       | RECEIPTS#<uuid> / TOTALS  (ADD in the crediting transaction) |
 * | a wallet's transfers kept for review    | table       | RECEIPTS#<uuid> / STRAY#<transfer key>, STRAYS (as invoices') |
 * | a customer's receipts' worth in an hour | table       | RECEIPTS#CUSTOMER#<shopId>#<sha256(identify)> / H#<hour>  (ttl; depth tier) |
 *   (RECEIPTS# is written by crediting alone; the API functions that make and block wallets only read it)
 * | a withdrawal by id                      | table       | WITHDRAWAL#<id> / WITHDRAWAL                               |
 * | withdrawals of a project by creation    | byOwnerTime | PROJECT#<shopId>#WITHDRAWAL / <createdIso>#<id>  (on the item) |
 * | a withdrawal's Idempotency-Key          | table       | IDEMP#<shopId>#<sha256(key)> / WITHDRAWAL  (ttl)           |
 * | a project's API payouts in USD of a day | table       | PAYOUTDAY#<shopId> / D#<yyyy-mm-dd>  (ttl)                 |
 * | the next nonce of a hot wallet          | table       | NONCE#<chain>#<address> / NONCE                            |
 * | what a deposit address received, swept  | table       | DEPOSIT#<chain>#<address> / CODE#<code>                    |
 * | deposits with something left to sweep   | byDueTime   | SWEEP#<chain> / <address>#<code>  (sparse: while unswept)  |
 * | a sweep by id                           | table       | SWEEPRUN#<sweepId> / SWEEP                                 |
 * | deposits of a chain (admin view)        | byOwnerTime | DEPOSITS#<chain> / <address>#<code>  (on the DEPOSIT item) |
 * | a project's second factor (TOTP)        | table       | TOTP#<shopId> / FACTOR                                     |
 * | a project's withdrawal wallets          | table       | WWALLET#<shopId> / W#<walletId>                            |
 * | a project's audit trail by time         | table       | AUDIT#<shopId> / <atIso>#<eventId>                         |
 * | webhook attempts of a withdrawal        | table       | WITHDRAWAL#<id> / POSTBACK#<atIso>#<eventId>#<attempt>  (ttl) |
 * | whether a withdrawal webhook was delivered | table    | WITHDRAWAL#<id> / DELIVERED#<eventId>                      |
 * | a mass payout (batch)                   | table       | PAYOUTBATCH#<id> / BATCH                                   |
 * | a mass payout's legs                    | table       | PAYOUTBATCH#<id> / LEG#<legId>                             |
 * | mass payouts of a project by creation   | byOwnerTime | PROJECT#<shopId>#PAYOUTBATCH / <createdIso>#<id>  (on the batch) |
 * | a mass payout's Idempotency-Key         | table       | IDEMP#<shopId>#<sha256(key)> / PAYOUTBATCH  (ttl)          |
 * | a payout item's reference               | table       | PAYOUTREF#<shopId>#<sha256(reference)> / REF               |
 * | a project's withdrawal rule of a currency | table     | WRULE#<shopId> / CODE#<code>  (one per currency: the key is the uniqueness) |
 * | every enabled withdrawal rule (evaluator) | byOwnerTime | WRULES / <shopId>#<code>  (sparse: only while enabled)    |
 */
import { addressKey } from '../../domain/chain-families';
import { isTransferKey } from '../../domain/transfers';
import type { ChainFamily, ChainId, FinalityTag } from '../../domain/currencies';
import type { InvoiceId, StaticWalletId } from '../../domain/ids';
import type { AddressOwner } from '../../domain/static-wallet';

const segment = (value: string): string => {
  if (value.includes('#') || value.length === 0) throw new Error(`invalid key segment ${JSON.stringify(value)}`);
  return value;
};

export type Key = { pk: string; sk: string };

/** Block heights sort as text: zero-padded to 12 digits. */
const height = (n: number): string => {
  if (!Number.isSafeInteger(n) || n < 0) throw new Error(`invalid block height ${n}`);
  return String(n).padStart(12, '0');
};

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
  address: (chain: ChainId, address: string): Key => ({ pk: `ADDR#${chain}#${segment(addressKey(chain, address))}`, sk: 'ADDR' }),
  /** Until when a native-coin payment may arrive on a chain (NativeWatch); in the address partition: written where addresses are claimed. No address spells NATIVE-COIN (hex, base58). */
  nativeWatch: (chain: ChainId): Key => ({ pk: `ADDR#${segment(chain)}#NATIVE-COIN`, sk: 'NATIVE' }),
  addressCounter: (family: ChainFamily): Key => ({ pk: `COUNTER#ADDRESS#${family}`, sk: 'COUNTER' }),
  projectCounter: (): Key => ({ pk: 'COUNTER#PROJECT', sk: 'COUNTER' }),
  idempotency: (shopId: string, keyHash: string): Key => ({ pk: `IDEMP#${segment(shopId)}#${segment(keyHash)}`, sk: 'IDEMP' }),
  balance: (shopId: string, code: string): Key => ({ pk: `PROJECT#${segment(shopId)}`, sk: `BALANCE#${segment(code)}` }),
  balancePrefix: 'BALANCE#',
  watched: (chain: ChainId) => `WATCH#${segment(chain)}`,
  watchIndex: (chain: ChainId, claimedIso: string, address: string) => ({ gsi1pk: keys.watched(chain), gsi1sk: `${claimedIso}#${segment(addressKey(chain, address))}` }),
  /** The live watch set: sorted by the end of the watch, so a reload reads only what is still watched. */
  watchUntilIndex: (chain: ChainId, untilIso: string, address: string) => ({ gsi2pk: keys.watched(chain), gsi2sk: `${untilIso}#${segment(addressKey(chain, address))}` }),
  transfer: (transferKey: string): Key => {
    if (!isTransferKey(transferKey)) throw new Error(`invalid transfer key ${JSON.stringify(transferKey)}`);
    return { pk: `XFER#${transferKey}`, sk: 'XFER' };
  },
  transfersOfChain: (chain: ChainId) => `XFERS#${segment(chain)}`,
  transferByBlock: (chain: ChainId, blockNumber: number, transferKey: string) => ({ gsi1pk: keys.transfersOfChain(chain), gsi1sk: `${height(blockNumber)}#${transferKey}` }),
  confirmQueue: (chain: ChainId, rule: 'blocks' | FinalityTag) => `CONFIRM#${segment(chain)}#${rule}`,
  confirmDue: (chain: ChainId, rule: 'blocks' | FinalityTag, dueHeight: number) => ({ gsi2pk: keys.confirmQueue(chain, rule), gsi2sk: height(dueHeight) }),
  height: (n: number) => height(n),
  checkpoint: (chain: ChainId): Key => ({ pk: `CHAIN#${segment(chain)}`, sk: 'CHECKPOINT' }),
  /** The network-fees schedule's latest prices of a chain (shared/adapters/dynamo/network-fee-store.ts). */
  networkFees: (chain: ChainId): Key => ({ pk: `CHAIN#${segment(chain)}`, sk: 'FEES' }),
  postbackAttempt: (id: InvoiceId, atIso: string, eventId: string, attempt: number): Key => ({
    pk: keys.invoice(id).pk,
    sk: `${keys.postbackAttemptPrefix}${atIso}#${segment(eventId)}#${String(attempt).padStart(3, '0')}`,
  }),
  postbackAttemptPrefix: 'POSTBACK#',
  postbackDelivered: (id: InvoiceId, eventId: string): Key => ({ pk: keys.invoice(id).pk, sk: `DELIVERED#${segment(eventId)}` }),
  /** The partition of an address owner: its strays are kept there. */
  ownerPk: (owner: AddressOwner): string => (owner.kind === 'invoice' ? keys.invoice(owner.invoiceId).pk : keys.walletReceipts(owner.walletId)),
  stray: (owner: AddressOwner, transferKey: string): Key => ({ pk: keys.ownerPk(owner), sk: `${keys.strayPrefix}${keys.transfer(transferKey).pk.slice('XFER#'.length)}` }),
  strayPrefix: 'STRAY#',
  straySummary: (owner: AddressOwner): Key => ({ pk: keys.ownerPk(owner), sk: 'STRAYS' }),
  staticWallet: (id: StaticWalletId): Key => ({ pk: `STATIC#${segment(id)}`, sk: 'WALLET' }),
  staticWalletsOfProject: (shopId: string) => `PROJECT#${segment(shopId)}#STATIC`,
  staticWalletByProject: (shopId: string, createdIso: string, id: StaticWalletId) => ({ gsi1pk: keys.staticWalletsOfProject(shopId), gsi1sk: `${createdIso}#${segment(id)}` }),
  /** `identifyHash`: sha256 of the customer id, so any text the merchant chose fits a key. */
  identifyPartition: (shopId: string, identifyHash: string) => `IDENTIFY#${segment(shopId)}#${segment(identifyHash)}`,
  staticIdentify: (shopId: string, identifyHash: string, code: string): Key => ({ pk: keys.identifyPartition(shopId, identifyHash), sk: `CODE#${segment(code)}` }),
  /** What crediting writes about a wallet's transfers: their receipts, the totals and the strays. */
  walletReceipts: (id: StaticWalletId) => `RECEIPTS#${segment(id)}`,
  staticReceipt: (id: StaticWalletId, transferKey: string): Key => ({ pk: keys.walletReceipts(id), sk: `LINK#${keys.transfer(transferKey).pk.slice('XFER#'.length)}` }),
  /** A receipt by creation time: listed with a Query of the partition, no index needed (the public page reads it). */
  staticReceiptAt: (id: StaticWalletId, createdIso: string, invoiceId: InvoiceId): Key => ({ pk: keys.walletReceipts(id), sk: `${keys.staticReceiptAtPrefix}${createdIso}#${segment(invoiceId)}` }),
  staticReceiptAtPrefix: 'AT#',
  staticTotals: (id: StaticWalletId): Key => ({ pk: keys.walletReceipts(id), sk: 'TOTALS' }),
  /** What one customer's receipts were worth in one hour (depth tier; ttl). */
  customerWorth: (shopId: string, identifyHash: string, bucket: number): Key => ({ pk: `RECEIPTS#CUSTOMER#${segment(shopId)}#${segment(identifyHash)}`, sk: `H#${bucket}` }),
  ledger: (shopId: string, code: string, entryId: string): Key => ({ pk: `LEDGER#${segment(shopId)}#${segment(code)}`, sk: `ENTRY#${entryId}` }),
  /** A client's requests to a rate-limited route class in one window (ttl: the window's end). */
  rate: (limit: string, client: string, window: number): Key => ({ pk: `RATE#${segment(limit)}#${segment(client)}`, sk: `W#${window}` }),
  posLink: (tokenHash: string): Key => ({ pk: `POS#${segment(tokenHash)}`, sk: 'POS' }),
  posLinksOfProject: (shopId: string) => `POSLINKS#${segment(shopId)}`,
  posLinkByProject: (shopId: string, createdIso: string, posId: string) => ({ gsi1pk: keys.posLinksOfProject(shopId), gsi1sk: `${createdIso}#${segment(posId)}` }),
  posSaleCounter: (posId: string): Key => ({ pk: `COUNTER#POS#${segment(posId)}`, sk: 'COUNTER' }),
  donationPage: (slug: string): Key => ({ pk: `DONATION#${segment(slug)}`, sk: 'PAGE' }),
  donationsOfProject: (shopId: string) => `PROJECT#${segment(shopId)}#DONATION`,
  donationByProject: (shopId: string, createdIso: string, slug: string) => ({ gsi1pk: keys.donationsOfProject(shopId), gsi1sk: `${createdIso}#${segment(slug)}` }),
  /** A donation invoice recorded under its page (written with the invoice, in one transaction). */
  donationInvoice: (slug: string, createdIso: string, id: InvoiceId): Key => ({ pk: keys.donationPage(slug).pk, sk: `${keys.donationInvoicePrefix}${createdIso}#${segment(id)}` }),
  donationInvoicePrefix: 'INVOICE#',
  withdrawal: (id: string): Key => ({ pk: `WITHDRAWAL#${segment(id)}`, sk: 'WITHDRAWAL' }),
  withdrawalsOfProject: (shopId: string) => `PROJECT#${segment(shopId)}#WITHDRAWAL`,
  withdrawalByProject: (shopId: string, createdIso: string, id: string) => ({ gsi1pk: keys.withdrawalsOfProject(shopId), gsi1sk: `${createdIso}#${segment(id)}` }),
  withdrawalIdempotency: (shopId: string, keyHash: string): Key => ({ pk: keys.idempotency(shopId, keyHash).pk, sk: 'WITHDRAWAL' }),
  payoutDay: (shopId: string, day: string): Key => ({ pk: `PAYOUTDAY#${segment(shopId)}`, sk: `D#${segment(day)}` }),
  nonce: (chain: ChainId, address: string): Key => ({ pk: `NONCE#${segment(chain)}#${segment(addressKey(chain, address))}`, sk: 'NONCE' }),
  deposit: (chain: ChainId, address: string, code: string): Key => ({ pk: `DEPOSIT#${segment(chain)}#${segment(addressKey(chain, address))}`, sk: `CODE#${segment(code)}` }),
  sweepQueue: (chain: ChainId) => `SWEEP#${segment(chain)}`,
  sweepDue: (chain: ChainId, address: string, code: string) => ({ gsi2pk: keys.sweepQueue(chain), gsi2sk: `${segment(addressKey(chain, address))}#${segment(code)}` }),
  sweep: (sweepId: string): Key => ({ pk: `SWEEPRUN#${segment(sweepId)}`, sk: 'SWEEP' }),
  /** Every deposit of a chain (the admin view): byOwnerTime, sorted by address and code. */
  depositsOfChain: (chain: ChainId) => `DEPOSITS#${segment(chain)}`,
  depositByChain: (chain: ChainId, address: string, code: string) => ({ gsi1pk: keys.depositsOfChain(chain), gsi1sk: `${segment(addressKey(chain, address))}#${segment(code)}` }),
  secondFactor: (shopId: string): Key => ({ pk: `TOTP#${segment(shopId)}`, sk: 'FACTOR' }),
  withdrawalWallet: (shopId: string, walletId: string): Key => ({ pk: `WWALLET#${segment(shopId)}`, sk: `W#${segment(walletId)}` }),
  withdrawalWalletPrefix: 'W#',
  auditEvent: (shopId: string, atIso: string, eventId: string): Key => ({ pk: `AUDIT#${segment(shopId)}`, sk: `${atIso}#${segment(eventId)}` }),
  ledgerByTime: (shopId: string, code: string, atIso: string, entryId: string) => ({ gsi1pk: `LEDGER#${segment(shopId)}#${segment(code)}`, gsi1sk: `${atIso}#${entryId}` }),
  /** A withdrawal's webhook log, as an invoice's postback log but in the withdrawal's partition (same sort keys, same ttl). */
  withdrawalPostbackAttempt: (id: string, atIso: string, eventId: string, attempt: number): Key => ({
    pk: keys.withdrawal(id).pk,
    sk: `${keys.postbackAttemptPrefix}${atIso}#${segment(eventId)}#${String(attempt).padStart(3, '0')}`,
  }),
  withdrawalPostbackDelivered: (id: string, eventId: string): Key => ({ pk: keys.withdrawal(id).pk, sk: `DELIVERED#${segment(eventId)}` }),
  payoutBatch: (id: string): Key => ({ pk: `PAYOUTBATCH#${segment(id)}`, sk: 'BATCH' }),
  payoutLeg: (batchId: string, legId: string): Key => ({ pk: keys.payoutBatch(batchId).pk, sk: `${keys.payoutLegPrefix}${segment(legId)}` }),
  payoutLegPrefix: 'LEG#',
  payoutBatchesOfProject: (shopId: string) => `PROJECT#${segment(shopId)}#PAYOUTBATCH`,
  payoutBatchByProject: (shopId: string, createdIso: string, id: string) => ({ gsi1pk: keys.payoutBatchesOfProject(shopId), gsi1sk: `${createdIso}#${segment(id)}` }),
  payoutBatchIdempotency: (shopId: string, keyHash: string): Key => ({ pk: keys.idempotency(shopId, keyHash).pk, sk: 'PAYOUTBATCH' }),
  /** A mass payout item's reference, unique in its project (sha256 of the merchant's text). */
  payoutReference: (shopId: string, referenceHash: string): Key => ({ pk: `PAYOUTREF#${segment(shopId)}#${segment(referenceHash)}`, sk: 'REF' }),
  /** A project's automatic withdrawal rule of one currency (at most one: the code is the sort key). */
  withdrawalRule: (shopId: string, code: string): Key => ({ pk: `WRULE#${segment(shopId)}`, sk: `${keys.withdrawalRulePrefix}${segment(code)}` }),
  withdrawalRulePrefix: 'CODE#',
  /** The evaluator's list: every enabled rule of the deployment, on the rule item while it is enabled. */
  enabledRules: 'WRULES',
  enabledRuleIndex: (shopId: string, code: string) => ({ gsi1pk: keys.enabledRules, gsi1sk: `${segment(shopId)}#${segment(code)}` }),
} as const;

/**
 * The partition families: every table `pk` starts with one of these. Each function's IAM grant
 * names the families it may touch (`dynamodb:LeadingKeys`, lib/manifest.ts `access.items`), so a
 * key with a new family must be declared here, or no deployed function can read or write it.
 * Balances share the project's partition (`PROJECT#<shopId>` / `BALANCE#<code>`).
 */
export const PARTITIONS = {
  project: 'PROJECT#',
  apiKey: 'APIKEY#',
  invoice: 'INVOICE#',
  address: 'ADDR#',
  counter: 'COUNTER#',
  idempotency: 'IDEMP#',
  transfer: 'XFER#',
  chain: 'CHAIN#',
  ledger: 'LEDGER#',
  /** Per-client counters of the public routes (ttl). */
  rate: 'RATE#',
  /** Donation pages and their donations. */
  donation: 'DONATION#',
  /** POS terminal links (by token hash). */
  pos: 'POS#',
  /** Static wallets (the wallet item). */
  staticWallet: 'STATIC#',
  /** A static wallet's receipts (links, time order), running totals and strays: written by crediting only. */
  walletReceipts: 'RECEIPTS#',
  /** A project's static wallets by customer id. */
  identify: 'IDENTIFY#',
  /** Withdrawals (funds out). */
  withdrawal: 'WITHDRAWAL#',
  /** API payouts' USD per project and day (the daily limit). */
  payoutDay: 'PAYOUTDAY#',
  /** Hot wallet nonces. */
  nonce: 'NONCE#',
  /** What each deposit address received and what was swept from it: written by crediting (received) and the sweep workflow (swept). */
  deposit: 'DEPOSIT#',
  /** Sweep runs. */
  sweep: 'SWEEPRUN#',
  /** A project's TOTP second factor. */
  secondFactor: 'TOTP#',
  /** A project's saved withdrawal wallets. */
  withdrawalWallet: 'WWALLET#',
  /** Every change to money-moving settings and every money-moving action (append-only). */
  audit: 'AUDIT#',
  /** Mass payouts: the batch and its legs (its items are withdrawals). */
  payoutBatch: 'PAYOUTBATCH#',
  /** Mass payout item references, one per project and reference. */
  payoutReference: 'PAYOUTREF#',
  /** Automatic withdrawal rules, one per project and currency. */
  withdrawalRule: 'WRULE#',
} as const;
export type Partition = keyof typeof PARTITIONS;
