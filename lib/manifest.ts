/**
 * THE wiring manifest: every route, schedule and queue, declared once as data. lib/infra builds
 * the AWS resources from it and lib/local mounts the same handlers from it, so the two cannot
 * drift. No aws-cdk-lib import here.
 */
import type { Partition } from '../shared/adapters/dynamo/keys';
import type { IndexName } from '../shared/adapters/dynamo/table';
import type { ChainFamily } from '../shared/domain/currencies';
import { POSTBACK_RETRY } from '../shared/domain/postbacks';
import { BATCH_ITEMS_MAX, BATCH_LEG_CONCURRENCY, EACH_LEG_ITEMS_MAX } from '../shared/domain/payout-batch';
import type { WorkflowId } from '../shared/ports/funds-out';

/** Re-exported for lib/infra and lib/local, which read workflows from here rather than from the ports. */
export type { WorkflowId };
import type { Asl, DefinitionOptions } from './workflows/asl';
import { payoutBatchDefinition } from './workflows/payout-batch';
import { sweepDefinition } from './workflows/sweep';
import { withdrawalDefinition } from './workflows/withdrawal';

export type HttpMethod = 'GET' | 'POST' | 'PATCH' | 'DELETE';
/**
 * project: `Authorization: Token <API key>`; withdrawal: `Authorization: Token <withdrawal key>`
 * (CryptoCloud's separate key, for `out/create` only); admin: `Authorization: Bearer <admin token>`.
 */
export type AuthMode = 'project' | 'withdrawal' | 'admin' | 'none';

/**
 * What a function does to the table's items, per partition family: lib/infra turns each into
 * the IAM actions it needs, conditioned on `dynamodb:LeadingKeys` (the family's pk prefix).
 * `get` includes BatchGetItem; `query` is a Query on the table itself (indexes: `indexes`).
 */
export type TableAction = 'get' | 'query' | 'put' | 'update' | 'delete';

/** The queues (below, `queues`); named first because function access refers to them. */
export type QueueId = 'postbacks' | 'observations';

/** Secrets a function may read at run time (never through its plain environment on AWS). */
export type SecretId = 'projectKey' | 'adminToken' | 'rpcUrls' | 'mnemonic';

/**
 * Plain settings a function is given, by group; shared/config.ts names their variables. Queue
 * URLs and secret ARNs follow from `sendTo`, `redrive`, the consumed queue and `secrets`.
 * links: PUBLIC_BASE_URL (payment links); addresses: EVM_XPUB and TRON_XPUB (deposit derivation);
 * rates: the price feed; chains: CHAINS_JSON (served chains, tokens, depth; never the endpoints);
 * hotWallets: HOT_WALLETS_JSON (the hot wallets' public addresses per chain, for who checks
 * balances without the mnemonic: reconciliation).
 */
// alarms: ALARM_EMAIL_CONFIGURED, whether the stack's AlarmEmail parameter is set (the go-live check).
export type SettingGroup = 'links' | 'addresses' | 'rates' | 'chains' | 'hotWallets' | 'alarms';

/** The variables of each group and secret (shared/config.ts checks that it parses each of them). */
export const settingVariables = {
  links: ['PUBLIC_BASE_URL'],
  addresses: ['EVM_XPUB', 'TRON_XPUB'],
  rates: ['RATES_MODE'],
  chains: ['CHAINS_JSON'],
  hotWallets: ['HOT_WALLETS_JSON'],
  alarms: ['ALARM_EMAIL_CONFIGURED'],
} as const satisfies Record<SettingGroup, readonly string[]>;
/** On AWS a secret reaches a function as its ARN only; the value is read at run time. */
export const secretVariables = {
  projectKey: 'PROJECT_SECRETS_KEY_ARN',
  adminToken: 'ADMIN_TOKEN_SECRET_ARN',
  rpcUrls: 'RPC_URLS_SECRET_ARN',
  /** The deployment's BIP39 mnemonic: deposit and hot wallet keys. Only the sweep and withdrawal workers may read it. */
  mnemonic: 'MNEMONIC_SECRET_ARN',
} as const satisfies Record<SecretId, string>;
/** What every function that builds the runtime gets (all but a bare one like health). */
export const baseVariables = ['SERVICE_NAME', 'LOG_LEVEL', 'TABLE_NAME'] as const;

/**
 * Least privilege, as data: everything a function may touch. lib/infra grants exactly this and
 * gives exactly these settings; test/infra/stack.test.ts asserts it on the synthesized template.
 */
export type Access = {
  items: Partial<Record<Partition, readonly TableAction[]>>;
  /** Secondary indexes it queries (read-only; granted per index). */
  indexes: readonly IndexName[];
  sendTo: readonly QueueId[];
  /** Queues whose DLQ it lists and redrives (admin). */
  redrive: readonly QueueId[];
  secrets: readonly SecretId[];
  settings: readonly SettingGroup[];
  /** Workflows it starts (states:StartExecution on that state machine, and its ARN: stateMachineArnEnv). */
  startWorkflows: readonly WorkflowId[];
};

export type FunctionSpec = {
  entry: string;
  memoryMb: number;
  timeoutSeconds: number;
  description: string;
  access: Access;
  /** A folder of static files deployed beside the bundle as `assets/` (the pages' CSS and scripts). */
  assetDir?: string;
};

/** The customer pages' static files: served by the pages function locally and on AWS alike. */
export const PAGE_ASSET_DIR = 'shared/pages/assets';

const NO_ACCESS: Access = { items: {}, indexes: [], sendTo: [], redrive: [], secrets: [], settings: [], startWorkflows: [] };
/** Every API-key route: the key's hash names the project (APIKEY#), then the project is read. */
const AUTHENTICATES = { apiKey: ['get'], project: ['get'] } as const;

export const httpGroups = {
  invoices: {
    entry: 'functions/http/invoices.ts',
    memoryMb: 512,
    timeoutSeconds: 10,
    description: 'CryptoCloud v2 invoice endpoints',
    access: {
      items: {
        ...AUTHENTICATES,
        // Writes invoices (create, select, cancel, test confirm) and reads their postback log.
        invoice: ['get', 'query', 'put'],
        // Idempotency-Key records and the claim of each new deposit address.
        idempotency: ['get', 'put'],
        address: ['put'],
        // The next address index.
        counter: ['update'],
        // Chain heads, for `confirmations` in answers.
        chain: ['get'],
        // Donation pages (native /api/donations): the page, and its invoice records for totals.
        donation: ['get', 'put', 'update', 'query'],
        // Static wallets: created with their `identify` lookup (and an address claim, above) and
        // blocked (a conditional put); shown with the receipts, totals and strays crediting keeps.
        staticWallet: ['get', 'put'],
        identify: ['get', 'put', 'query'],
        walletReceipts: ['get', 'query'],
        // Withdrawals: requested (with their Idempotency-Key, above), listed (byOwnerTime), canceled
        // (the workflow returns the hold), and their webhook log (attempts in the withdrawal's partition);
        // the day's API payout total. The balance is read (PROJECT#), never written here.
        withdrawal: ['get', 'put', 'query'],
        payoutDay: ['get', 'update'],
        // out/create's requests per minute, counted per project.
        rate: ['update'],
        // Withdrawal wallets (/api/withdrawal-wallets): each change is one transaction of the wallet
        // (put, conditional), the second factor whose fresh code it spends (put, conditional on its
        // version; a wrong code is counted the same way) and the audit event (put, never overwriting).
        // The list and the trail are Queries of the project's own partitions.
        secondFactor: ['get', 'put'],
        withdrawalWallet: ['get', 'put', 'query'],
        audit: ['put', 'query'],
        // Mass payouts (/api/payouts/batches): the batch (put conditional on its version), listed
        // (byOwnerTime); its items are withdrawals (above), each with its reference claim (put, never overwriting).
        payoutBatch: ['get', 'put'],
        payoutReference: ['get', 'put'],
        // Withdrawal rules (/api/withdrawal-rules): as wallets, each change is one transaction of the
        // rule (put or delete, conditional on its version), the factor and the audit event.
        withdrawalRule: ['get', 'put', 'query', 'delete'],
      },
      indexes: ['byOwnerTime'],
      // Postbacks of merchant actions; attach-tx hands the transfer to crediting (which verifies it on chain).
      sendTo: ['postbacks', 'observations'],
      redrive: [],
      // attach-tx reads the transaction; checking a TOTP code decrypts the factor's secret (projectKey).
      secrets: ['rpcUrls', 'projectKey'],
      settings: ['links', 'addresses', 'rates', 'chains'],
      // CryptoCloud's out/create and the native withdrawal routes start one execution per withdrawal;
      // a mass payout (queued, or approved) starts one per batch.
      startWorkflows: ['withdrawal', 'payout_batch'],
    },
  },
  wallet: {
    entry: 'functions/http/wallet.ts',
    memoryMb: 256,
    timeoutSeconds: 10,
    description: 'CryptoCloud v2 balance endpoint',
    // Reads balances (a Query on the project's partition) and values them in USD; writes nothing.
    // Each currency's `enable` says whether this deployment serves it (chains: its chain and token are configured).
    access: { ...NO_ACCESS, items: { apiKey: ['get'], project: ['get', 'query'] }, settings: ['rates', 'chains'] },
  },
  admin: {
    entry: 'functions/http/admin.ts',
    memoryMb: 256,
    timeoutSeconds: 10,
    description: 'Project and key management for the tollgate CLI',
    access: {
      items: {
        // Projects and their API-key lookup (a rotation deletes the old one), numbered by a counter.
        project: ['get', 'put'],
        apiKey: ['get', 'put', 'delete'],
        counter: ['update'],
        invoice: ['get', 'query', 'put'],
        // A rescan moves the chain's checkpoint; the status reads it.
        chain: ['get', 'put'],
        // POS links: created, listed (byOwnerTime) and revoked by `tollgate pos`.
        pos: ['get', 'put', 'update'],
        // `tollgate donation ...`: the same use cases as /api/donations.
        donation: ['get', 'put', 'update', 'query'],
        // `tollgate wallet static ...`: the same use cases as /api/static-wallets, create included,
        // which claims a deposit address from the address counter.
        staticWallet: ['get', 'put'],
        identify: ['get', 'put', 'query'],
        walletReceipts: ['get', 'query'],
        address: ['put'],
        // `tollgate withdraw ...` (webhooks and resend too): the same use cases as /api/withdrawals.
        withdrawal: ['get', 'put', 'query'],
        idempotency: ['get', 'put'],
        // `tollgate reconcile`: every project's journal, read only.
        ledger: ['query'],
        // `tollgate project totp` and `tollgate withdrawal-wallet`: the same use cases as the native
        // routes (enrolment writes the factor with its audit event; changes as in the invoices group).
        secondFactor: ['get', 'put'],
        withdrawalWallet: ['get', 'put', 'query'],
        audit: ['put', 'query'],
        // `tollgate payout batch ...`: the same use cases as /api/payouts/batches.
        payoutBatch: ['get', 'put'],
        payoutReference: ['get', 'put'],
        // `tollgate rule create|list|update|delete`: the same use cases as /api/withdrawal-rules.
        withdrawalRule: ['get', 'put', 'query', 'delete'],
        // `tollgate reconcile` (GET /admin/reconcile) reads every project's journal (ledger: query, above)
        // and balance items (project: get), and the deposit items of the unswept queue (byDueTime,
        // KEYS_ONLY: each item is then read by key). It writes nothing.
        deposit: ['get'],
      },
      // Project list; a rescan reads watched addresses, transfers by block and the confirmation queue;
      // reconciliation reads the unswept deposits' sweep queue (byDueTime).
      indexes: ['byOwnerTime', 'byDueTime'],
      sendTo: ['postbacks', 'observations'],
      redrive: ['postbacks', 'observations'],
      // Encrypts new project secrets; checks the admin token; rescan and attach-tx read the chains (EVM RPC, TronGrid),
      // and so do `tollgate reconcile` and `tollgate wallet hot` (balances only; never the mnemonic).
      secrets: ['projectKey', 'adminToken', 'rpcUrls'],
      // Payment links price the invoice (rates); a static wallet made by the CLI derives its address (addresses);
      // `tollgate reconcile` and `tollgate wallet hot` read the hot wallets' public addresses (hotWallets), never the mnemonic.
      // `tollgate project go-live` says whether alarms reach anyone (alarms: the AlarmEmail parameter is set).
      settings: ['links', 'addresses', 'chains', 'rates', 'hotWallets', 'alarms'],
      // `tollgate withdraw create` starts the withdrawal's execution; `tollgate payout batch create|approve` the batch's.
      startWorkflows: ['withdrawal', 'payout_batch'],
    },
  },
  /**
   * Everything a customer's browser reads: the pages, their assets and the payment status poll.
   * Read-only, and never the merchant's keys, balances or postbacks.
   */
  pages: {
    entry: 'functions/http/pages.ts',
    memoryMb: 256,
    timeoutSeconds: 10,
    description: 'Customer pages: payment, help, donation, POS, static wallet, widget script, assets and the status polls',
    assetDir: PAGE_ASSET_DIR,
    access: {
      ...NO_ACCESS,
      // The invoice (status poll: one BatchGetItem with the chain checkpoints, for confirmations),
      // its project's public settings, a donation page or a POS link (by token hash), a static
      // wallet and its latest receipts (a Query of its own partition; the receipts are invoices, read by id).
      items: { invoice: ['get'], project: ['get'], chain: ['get'], donation: ['get'], pos: ['get'], staticWallet: ['get'], walletReceipts: ['query'] },
      settings: ['links', 'chains'],
    },
  },
  /**
   * Invoices a stranger may start without a key: a donation, a POS sale, a widget button. Each is
   * bounded by its page, link or project, and counted per client in the table (rate limits).
   */
  public: {
    entry: 'functions/http/public.ts',
    memoryMb: 512,
    timeoutSeconds: 10,
    description: 'Keyless invoice creation for donation pages, POS links and the widget (bounded, rate-limited)',
    access: {
      ...NO_ACCESS,
      items: {
        project: ['get'],
        // The same writes as the invoice create route: invoice, address claim, address counter.
        invoice: ['get', 'query', 'put'],
        idempotency: ['get', 'put'],
        address: ['put'],
        counter: ['update'],
        chain: ['get'],
        donation: ['get', 'put', 'update'],
        pos: ['get'],
        rate: ['update'],
      },
      settings: ['links', 'addresses', 'rates', 'chains'],
    },
  },
  /** Liveness needs nothing: no table, no queue, no secret, no setting. */
  health: { entry: 'functions/http/health.ts', memoryMb: 128, timeoutSeconds: 3, description: 'Liveness', access: NO_ACCESS },
} as const satisfies Record<string, FunctionSpec>;
export type HttpGroup = keyof typeof httpGroups;

/**
 * Public routes are rate-limited per client IP. `memory`: counted in the function instance, for
 * cheap reads (a table write per status poll would cost more than the poll; API Gateway's stage
 * throttle is the global ceiling). `table`: counted in the table across instances, for anything
 * that makes an invoice or claims a deposit address for a stranger. The local runtime and tests
 * may change the numbers (RATE_LIMIT_<ID>_PER_MINUTE).
 */
export const rateLimits = {
  // An open payment page polls 20 times a minute: room for a few dozen customers behind one carrier NAT address.
  browse: { perMinute: 600, store: 'memory' },
  create: { perMinute: 12, store: 'table' },
} as const satisfies Record<string, { perMinute: number; store: 'memory' | 'table' }>;
export type RateLimitId = keyof typeof rateLimits;

/**
 * `page`: answers HTML (errors too) with the pages' security headers; otherwise the JSON envelope.
 * `limit`: the rate limit the route counts against.
 */
export type RouteSpec = { method: HttpMethod; path: string; group: HttpGroup; auth: AuthMode; page?: boolean; limit?: RateLimitId };

export const routes = {
  'invoice.create': { method: 'POST', path: '/v2/invoice/create', group: 'invoices', auth: 'project' },
  'invoice.info': { method: 'POST', path: '/v2/invoice/merchant/info', group: 'invoices', auth: 'project' },
  'invoice.list': { method: 'POST', path: '/v2/invoice/merchant/list', group: 'invoices', auth: 'project' },
  'invoice.cancel': { method: 'POST', path: '/v2/invoice/merchant/canceled', group: 'invoices', auth: 'project' },
  'invoice.statistics': { method: 'POST', path: '/v2/invoice/merchant/statistics', group: 'invoices', auth: 'project' },
  /** A customer's permanent deposit address (reference §1.8); idempotent by project, currency and `identify`. */
  'invoice.static_create': { method: 'POST', path: '/v2/invoice/static/create', group: 'invoices', auth: 'project' },
  /** Native extension: CryptoCloud's «Confirm invoice without payment», test mode only. */
  'invoice.test_confirm': { method: 'POST', path: '/v2/invoice/merchant/test-confirm', group: 'invoices', auth: 'project' },
  /** Native API. The payer's choice: no key, the invoice id is the capability (payment page). */
  'api.invoice.select': { method: 'POST', path: '/api/invoices/{invoiceId}/select', group: 'invoices', auth: 'none', limit: 'create' },
  'api.invoice.confirm': { method: 'POST', path: '/api/invoices/{invoiceId}/confirm', group: 'invoices', auth: 'project' },
  'api.invoice.attach_tx': { method: 'POST', path: '/api/invoices/{invoiceId}/attach-tx', group: 'invoices', auth: 'project' },
  'api.invoice.postbacks': { method: 'GET', path: '/api/invoices/{invoiceId}/postbacks', group: 'invoices', auth: 'project' },
  'api.invoice.postbacks_resend': { method: 'POST', path: '/api/invoices/{invoiceId}/postbacks/resend', group: 'invoices', auth: 'project' },
  /** Native API: donation pages of the key's project (`GET .../{slug}` adds the totals). */
  'api.donation.create': { method: 'POST', path: '/api/donations', group: 'invoices', auth: 'project' },
  'api.donation.list': { method: 'GET', path: '/api/donations', group: 'invoices', auth: 'project' },
  'api.donation.show': { method: 'GET', path: '/api/donations/{slug}', group: 'invoices', auth: 'project' },
  'api.donation.update': { method: 'PATCH', path: '/api/donations/{slug}', group: 'invoices', auth: 'project' },
  /** Native API: the key's project's static wallets (`?identify=` one customer's), one with its receipts, block and unblock. */
  'api.static_wallet.list': { method: 'GET', path: '/api/static-wallets', group: 'invoices', auth: 'project' },
  'api.static_wallet.show': { method: 'GET', path: '/api/static-wallets/{walletId}', group: 'invoices', auth: 'project' },
  'api.static_wallet.block': { method: 'POST', path: '/api/static-wallets/{walletId}/block', group: 'invoices', auth: 'project' },
  'api.static_wallet.unblock': { method: 'POST', path: '/api/static-wallets/{walletId}/unblock', group: 'invoices', auth: 'project' },
  'wallet.balance': { method: 'POST', path: '/v2/merchant/wallet/balance/all', group: 'wallet', auth: 'project' },
  /** CryptoCloud's payout (reference §1.9): the withdrawal key only, any address, off until API payouts are on, within the daily USD limit. */
  'invoice.out_create': { method: 'POST', path: '/v2/invoice/api/out/create', group: 'invoices', auth: 'withdrawal' },
  /** Native API: withdrawals of the key's project, to saved withdrawal wallets only; cancel before signing. */
  'api.withdrawal.create': { method: 'POST', path: '/api/withdrawals', group: 'invoices', auth: 'project' },
  'api.withdrawal.list': { method: 'GET', path: '/api/withdrawals', group: 'invoices', auth: 'project' },
  'api.withdrawal.show': { method: 'GET', path: '/api/withdrawals/{withdrawalId}', group: 'invoices', auth: 'project' },
  'api.withdrawal.cancel': { method: 'POST', path: '/api/withdrawals/{withdrawalId}/cancel', group: 'invoices', auth: 'project' },
  /** `tollgate withdraw create|list|show|cancel`: the native withdrawal routes on behalf of a project. */
  'admin.withdrawal.create': { method: 'POST', path: '/admin/projects/{shopId}/withdrawals', group: 'admin', auth: 'admin' },
  'admin.withdrawal.list': { method: 'GET', path: '/admin/projects/{shopId}/withdrawals', group: 'admin', auth: 'admin' },
  'admin.withdrawal.show': { method: 'GET', path: '/admin/projects/{shopId}/withdrawals/{withdrawalId}', group: 'admin', auth: 'admin' },
  'admin.withdrawal.cancel': { method: 'POST', path: '/admin/projects/{shopId}/withdrawals/{withdrawalId}/cancel', group: 'admin', auth: 'admin' },
  'admin.project.create': { method: 'POST', path: '/admin/projects', group: 'admin', auth: 'admin' },
  'admin.project.list': { method: 'GET', path: '/admin/projects', group: 'admin', auth: 'admin' },
  'admin.project.show': { method: 'GET', path: '/admin/projects/{shopId}', group: 'admin', auth: 'admin' },
  'admin.project.update': { method: 'PATCH', path: '/admin/projects/{shopId}', group: 'admin', auth: 'admin' },
  'admin.project.rotate_keys': { method: 'POST', path: '/admin/projects/{shopId}/rotate-keys', group: 'admin', auth: 'admin' },
  /** A payment link: CryptoCloud's create on behalf of the project (`tollgate link create`). */
  'admin.invoice.create': { method: 'POST', path: '/admin/projects/{shopId}/invoices', group: 'admin', auth: 'admin' },
  'admin.invoice.confirm_test': { method: 'POST', path: '/admin/invoices/{invoiceId}/confirm-test', group: 'admin', auth: 'admin' },
  'admin.invoice.confirm': { method: 'POST', path: '/admin/invoices/{invoiceId}/confirm', group: 'admin', auth: 'admin' },
  'admin.invoice.attach_tx': { method: 'POST', path: '/admin/invoices/{invoiceId}/attach-tx', group: 'admin', auth: 'admin' },
  'admin.invoice.postbacks': { method: 'GET', path: '/admin/invoices/{invoiceId}/postbacks', group: 'admin', auth: 'admin' },
  'admin.invoice.postbacks_resend': { method: 'POST', path: '/admin/invoices/{invoiceId}/postbacks/resend', group: 'admin', auth: 'admin' },
  /** `tollgate donation create|list|show|update`: the native donation routes on behalf of a project. */
  'admin.donation.create': { method: 'POST', path: '/admin/projects/{shopId}/donations', group: 'admin', auth: 'admin' },
  'admin.donation.list': { method: 'GET', path: '/admin/projects/{shopId}/donations', group: 'admin', auth: 'admin' },
  'admin.donation.show': { method: 'GET', path: '/admin/projects/{shopId}/donations/{slug}', group: 'admin', auth: 'admin' },
  'admin.donation.update': { method: 'PATCH', path: '/admin/projects/{shopId}/donations/{slug}', group: 'admin', auth: 'admin' },
  /** `tollgate wallet static create|list|show|block|unblock`: the native static wallet routes on behalf of a project. */
  'admin.static_wallet.create': { method: 'POST', path: '/admin/projects/{shopId}/static-wallets', group: 'admin', auth: 'admin' },
  'admin.static_wallet.list': { method: 'GET', path: '/admin/projects/{shopId}/static-wallets', group: 'admin', auth: 'admin' },
  'admin.static_wallet.show': { method: 'GET', path: '/admin/projects/{shopId}/static-wallets/{walletId}', group: 'admin', auth: 'admin' },
  'admin.static_wallet.block': { method: 'POST', path: '/admin/projects/{shopId}/static-wallets/{walletId}/block', group: 'admin', auth: 'admin' },
  'admin.static_wallet.unblock': { method: 'POST', path: '/admin/projects/{shopId}/static-wallets/{walletId}/unblock', group: 'admin', auth: 'admin' },
  /** A queue's dead letters (`{queue}`: postbacks or observations), listed in place or moved back to the queue. */
  'admin.dlq.list': { method: 'GET', path: '/admin/queues/{queue}/dlq', group: 'admin', auth: 'admin' },
  'admin.dlq.redrive': { method: 'POST', path: '/admin/queues/{queue}/dlq/redrive', group: 'admin', auth: 'admin' },
  'admin.chain.rescan': { method: 'POST', path: '/admin/chains/{chain}/rescan', group: 'admin', auth: 'admin' },
  'admin.chain.status': { method: 'GET', path: '/admin/chains', group: 'admin', auth: 'admin' },
  /** What each deposit address received, still holds unswept, and had swept (byOwnerTime DEPOSITS#<chain>, no item access needed). */
  'admin.chain.deposits': { method: 'GET', path: '/admin/chains/{chain}/deposits', group: 'admin', auth: 'admin' },
  health: { method: 'GET', path: '/health', group: 'health', auth: 'none' },
  // Customer pages (HTML), their assets and the status poll: the short id or slug is the capability.
  'page.pay': { method: 'GET', path: '/pay/{invoiceId}', group: 'pages', auth: 'none', page: true, limit: 'browse' },
  /** The currency choice as a plain form post, for a browser without script (the page's script uses the select route). */
  'page.pay_choose': { method: 'POST', path: '/pay/{invoiceId}', group: 'public', auth: 'none', page: true, limit: 'create' },
  'page.pay_qr': { method: 'GET', path: '/pay/{invoiceId}/qr.svg', group: 'pages', auth: 'none', page: true, limit: 'browse' },
  'public.invoice.status': { method: 'GET', path: '/api/public/invoices/{invoiceId}', group: 'pages', auth: 'none', limit: 'browse' },
  /** Customer help: the topic index and one topic; `?invoice=` shows that invoice's merchant, contact and a way back. */
  'page.help_index': { method: 'GET', path: '/help', group: 'pages', auth: 'none', page: true, limit: 'browse' },
  'page.help': { method: 'GET', path: '/help/{topic}', group: 'pages', auth: 'none', page: true, limit: 'browse' },
  'page.donate': { method: 'GET', path: '/donate/{slug}', group: 'pages', auth: 'none', page: true, limit: 'browse' },
  /** A donor's gift: an invoice of the page's project, within the page's bounds (JSON, or a form post without script). */
  'public.donation.invoice': { method: 'POST', path: '/api/public/donations/{slug}/invoices', group: 'public', auth: 'none', limit: 'create' },
  /** Styles, scripts and currency icons (`icon_*` URLs): deployed with the pages function. */
  'page.asset': { method: 'GET', path: '/assets/{file+}', group: 'pages', auth: 'none', page: true, limit: 'browse' },
  /** POS terminal links (`tollgate pos`): the token is shown once, only its hash is stored. */
  'admin.pos.create': { method: 'POST', path: '/admin/projects/{shopId}/pos', group: 'admin', auth: 'admin' },
  'admin.pos.list': { method: 'GET', path: '/admin/projects/{shopId}/pos', group: 'admin', auth: 'admin' },
  'admin.pos.revoke': { method: 'DELETE', path: '/admin/projects/{shopId}/pos/{posId}', group: 'admin', auth: 'admin' },
  /** The staff terminal: the secret token in the path is the capability (one project, one currency, a maximum). */
  'page.pos': { method: 'GET', path: '/pos/{token}', group: 'pages', auth: 'none', page: true, limit: 'browse' },
  'public.pos.invoice_create': { method: 'POST', path: '/api/public/pos/{token}/invoices', group: 'public', auth: 'none', limit: 'create' },
  /** The merchant-site button: a script any page may load; its invoices only from the project's widget origins. */
  'page.widget_script': { method: 'GET', path: '/widget.js', group: 'pages', auth: 'none', page: true, limit: 'browse' },
  'public.widget.invoice_create': { method: 'POST', path: '/api/public/widget/invoices', group: 'public', auth: 'none', limit: 'create' },
  /** A static wallet's customer page, its QR code and its transfers poll: the wallet's uuid is the capability. */
  'page.wallet': { method: 'GET', path: '/wallet/{walletId}', group: 'pages', auth: 'none', page: true, limit: 'browse' },
  'page.wallet_qr': { method: 'GET', path: '/wallet/{walletId}/qr.svg', group: 'pages', auth: 'none', page: true, limit: 'browse' },
  'public.wallet.status': { method: 'GET', path: '/api/public/wallets/{walletId}', group: 'pages', auth: 'none', limit: 'browse' },
  /** A withdrawal's status webhooks (native only): its events and attempt log, and resend (same event ids); the admin twins for the CLI. */
  'api.withdrawal.webhooks': { method: 'GET', path: '/api/withdrawals/{withdrawalId}/webhooks', group: 'invoices', auth: 'project' },
  'api.withdrawal.webhooks_resend': { method: 'POST', path: '/api/withdrawals/{withdrawalId}/webhooks/resend', group: 'invoices', auth: 'project' },
  'admin.withdrawal.webhooks': { method: 'GET', path: '/admin/withdrawals/{withdrawalId}/webhooks', group: 'admin', auth: 'admin' },
  'admin.withdrawal.webhooks_resend': { method: 'POST', path: '/admin/withdrawals/{withdrawalId}/webhooks/resend', group: 'admin', auth: 'admin' },
  /** Native API: the key's project's withdrawal wallets; every change carries `totp_code` (a fresh code of the project's second factor). */
  'api.withdrawal_wallet.list': { method: 'GET', path: '/api/withdrawal-wallets', group: 'invoices', auth: 'project' },
  'api.withdrawal_wallet.add': { method: 'POST', path: '/api/withdrawal-wallets', group: 'invoices', auth: 'project' },
  'api.withdrawal_wallet.change': { method: 'PATCH', path: '/api/withdrawal-wallets/{walletId}', group: 'invoices', auth: 'project' },
  'api.withdrawal_wallet.remove': { method: 'DELETE', path: '/api/withdrawal-wallets/{walletId}', group: 'invoices', auth: 'project' },
  /** The project's audit trail, newest first: second factor, withdrawal wallets, withdrawals. */
  'api.audit.list': { method: 'GET', path: '/api/audit', group: 'invoices', auth: 'project' },
  /** `tollgate withdrawal-wallet add|list|change|remove` and `tollgate audit`: the native routes on behalf of a project. */
  'admin.withdrawal_wallet.list': { method: 'GET', path: '/admin/projects/{shopId}/withdrawal-wallets', group: 'admin', auth: 'admin' },
  'admin.withdrawal_wallet.add': { method: 'POST', path: '/admin/projects/{shopId}/withdrawal-wallets', group: 'admin', auth: 'admin' },
  'admin.withdrawal_wallet.change': { method: 'PATCH', path: '/admin/projects/{shopId}/withdrawal-wallets/{walletId}', group: 'admin', auth: 'admin' },
  'admin.withdrawal_wallet.remove': { method: 'DELETE', path: '/admin/projects/{shopId}/withdrawal-wallets/{walletId}', group: 'admin', auth: 'admin' },
  'admin.audit.list': { method: 'GET', path: '/admin/projects/{shopId}/audit', group: 'admin', auth: 'admin' },
  /** Native API: the key's project's automatic withdrawal rules (one per currency); every change carries `totp_code`. */
  'api.withdrawal_rule.list': { method: 'GET', path: '/api/withdrawal-rules', group: 'invoices', auth: 'project' },
  'api.withdrawal_rule.create': { method: 'POST', path: '/api/withdrawal-rules', group: 'invoices', auth: 'project' },
  'api.withdrawal_rule.update': { method: 'PATCH', path: '/api/withdrawal-rules/{ruleId}', group: 'invoices', auth: 'project' },
  'api.withdrawal_rule.delete': { method: 'DELETE', path: '/api/withdrawal-rules/{ruleId}', group: 'invoices', auth: 'project' },
  /** `tollgate rule create|list|update|delete`: the native rule routes on behalf of a project. */
  'admin.withdrawal_rule.list': { method: 'GET', path: '/admin/projects/{shopId}/withdrawal-rules', group: 'admin', auth: 'admin' },
  'admin.withdrawal_rule.create': { method: 'POST', path: '/admin/projects/{shopId}/withdrawal-rules', group: 'admin', auth: 'admin' },
  'admin.withdrawal_rule.update': { method: 'PATCH', path: '/admin/projects/{shopId}/withdrawal-rules/{ruleId}', group: 'admin', auth: 'admin' },
  'admin.withdrawal_rule.delete': { method: 'DELETE', path: '/admin/projects/{shopId}/withdrawal-rules/{ruleId}', group: 'admin', auth: 'admin' },
  /** `tollgate project totp enable|status`: enrolment is started and confirmed by the operator (the secret is shown once). */
  'admin.second_factor.start': { method: 'POST', path: '/admin/projects/{shopId}/second-factor', group: 'admin', auth: 'admin' },
  'admin.second_factor.confirm': { method: 'POST', path: '/admin/projects/{shopId}/second-factor/confirm', group: 'admin', auth: 'admin' },
  'admin.second_factor.status': { method: 'GET', path: '/admin/projects/{shopId}/second-factor', group: 'admin', auth: 'admin' },
  /** `tollgate reconcile`: the reconciliation run now (journal vs balances, chains vs books), answered as its report. */
  'admin.reconcile': { method: 'GET', path: '/admin/reconcile', group: 'admin', auth: 'admin' },
  /** `tollgate wallet hot`: per served chain, the hot wallet's address, fee reserve (native balance) against its minimum, and tokens. */
  'admin.hot_wallets': { method: 'GET', path: '/admin/hot-wallets', group: 'admin', auth: 'admin' },
  /** Native API: mass payouts of the key's project (up to 1,000 items, Idempotency-Key); approve with a second-factor code. */
  'api.payout_batch.create': { method: 'POST', path: '/api/payouts/batches', group: 'invoices', auth: 'project' },
  'api.payout_batch.list': { method: 'GET', path: '/api/payouts/batches', group: 'invoices', auth: 'project' },
  'api.payout_batch.show': { method: 'GET', path: '/api/payouts/batches/{batchId}', group: 'invoices', auth: 'project' },
  'api.payout_batch.approve': { method: 'POST', path: '/api/payouts/batches/{batchId}/approve', group: 'invoices', auth: 'project' },
  /** `tollgate payout batch create|list|show|approve`: the native mass payout routes on behalf of a project. */
  'admin.payout_batch.create': { method: 'POST', path: '/admin/projects/{shopId}/payouts/batches', group: 'admin', auth: 'admin' },
  'admin.payout_batch.list': { method: 'GET', path: '/admin/projects/{shopId}/payouts/batches', group: 'admin', auth: 'admin' },
  'admin.payout_batch.show': { method: 'GET', path: '/admin/projects/{shopId}/payouts/batches/{batchId}', group: 'admin', auth: 'admin' },
  'admin.payout_batch.approve': { method: 'POST', path: '/admin/projects/{shopId}/payouts/batches/{batchId}/approve', group: 'admin', auth: 'admin' },
  /** `tollgate invoice list|show`: a project's invoices (newest first, `?status=`, offset cursor) and one invoice, as CryptoCloud's info shows them. */
  'admin.invoice.list': { method: 'GET', path: '/admin/projects/{shopId}/invoices', group: 'admin', auth: 'admin' },
  'admin.invoice.show': { method: 'GET', path: '/admin/invoices/{invoiceId}', group: 'admin', auth: 'admin' },
  /** `tollgate project go-live SHOP`: the go-live checklist, each item pass/fail/warn with its fix (probes the notification URL, RPC and hot wallets; writes nothing). */
  'admin.project.go_live': { method: 'GET', path: '/admin/projects/{shopId}/go-live', group: 'admin', auth: 'admin' },
  /** The API's OpenAPI 3.1 document (the committed lib/openapi output, with this deployment's base URL) and its readable page. */
  'docs.openapi': { method: 'GET', path: '/openapi.json', group: 'pages', auth: 'none', limit: 'browse' },
  'page.api_docs': { method: 'GET', path: '/docs/api', group: 'pages', auth: 'none', page: true, limit: 'browse' },
} as const satisfies Record<string, RouteSpec>;
export type RouteId = keyof typeof routes;

export const routeKey = (r: RouteSpec) => `${r.method} ${r.path}`;

/**
 * Routes that take a larger body than BODY_BYTES_MAX (shared/api/cryptocloud/wire.ts): a mass
 * payout of 1,000 items is about 150 KB. Still bounded; a bigger body is answered 413 unparsed.
 */
export const routeBodyBytesMax: Partial<Record<RouteId, number>> = {
  'api.payout_batch.create': 512 * 1024,
  'admin.payout_batch.create': 512 * 1024,
};

export type ScheduleSpec = FunctionSpec & {
  /** EventBridge's finest rate is one minute. */
  rateMinutes: number;
  /** The local runtime runs it more often so a demo does not wait a minute. */
  localEverySeconds: number;
  /**
   * One schedule per watched chain of this family, each passing `{"chain": "<id>"}` as its event.
   * Each family has its own watcher function, so its bundle carries only that family's adapter.
   */
  perChain?: ChainFamily;
};

/** What a chain watcher of any family may touch. */
const WATCHER_ACCESS: Access = {
  ...NO_ACCESS,
  // Its only write is the chain's checkpoint; everything else goes to crediting as observations.
  // Its mode: the native-coin mark (ADDR#<chain>#NATIVE-COIN) and the states of the invoices behind
  // deposit addresses whose invoice has not expired (busy while one waits for its payment).
  items: { chain: ['get', 'put'], address: ['get'], invoice: ['get'] },
  // Watched addresses and transfers by block (byOwnerTime); pending transfers due (byDueTime).
  indexes: ['byOwnerTime', 'byDueTime'],
  sendTo: ['observations'],
  secrets: ['rpcUrls'],
  settings: ['chains'],
};

export const schedules = {
  'invoice-expiry': {
    entry: 'functions/schedules/invoice-expiry.ts',
    memoryMb: 256,
    timeoutSeconds: 60,
    description: 'Cancels unpaid invoices past their expiry (sparse index, bounded pages)',
    rateMinutes: 1,
    localEverySeconds: 5,
    access: {
      ...NO_ACCESS,
      // Reads chain checkpoints: an invoice is not canceled before its chain has been scanned past the expiry.
      // Moves an invoice held open back in the expiry queue (an update of its queue key only).
      items: { invoice: ['get', 'put', 'update'], chain: ['get'] },
      indexes: ['byDueTime'],
    },
  },
  'chain-watcher': {
    entry: 'functions/schedules/chain-watcher.ts',
    // I/O-bound (RPC and DynamoDB round trips; ~100 bytes of heap per watched address): 256 MB
    // halves the busy minute's GB-s against 512. Busy (an invoice waits for its payment) it scans
    // for ~48 s of each minute; idle it catches up in one short pass and returns (bench/watcher-modes.ts).
    memoryMb: 256,
    timeoutSeconds: 60,
    description: 'Scans an EVM chain for transfers to deposit addresses, tracks reorgs, reports confirmations',
    rateMinutes: 1,
    localEverySeconds: 1,
    perChain: 'evm',
    access: WATCHER_ACCESS,
  },
  'tron-watcher': {
    entry: 'functions/schedules/tron-watcher.ts',
    // As the EVM watcher: busy or idle, I/O-bound.
    memoryMb: 256,
    timeoutSeconds: 60,
    description: 'Scans Tron through TronGrid for TRX and TRC-20 transfers to deposit addresses, tracks forks before solidification, reports confirmations',
    rateMinutes: 1,
    // A Tron block every 3 s.
    localEverySeconds: 3,
    perChain: 'tron',
    access: WATCHER_ACCESS,
  },
  /** Starts one sweep execution per batch of unswept deposits worth their fee (the sweep workflow does the moving). */
  'sweep-planner': {
    entry: 'functions/schedules/sweep-planner.ts',
    memoryMb: 256,
    timeoutSeconds: 60,
    description: 'Plans sweeps of credited deposit addresses into the hot wallet and starts their executions',
    rateMinutes: 15,
    localEverySeconds: 30,
    access: {
      ...NO_ACCESS,
      // Deposits with something left to sweep (byDueTime, sparse); the sweep record it creates, named by its id.
      // The claim is one transaction: the deposit's conditional update (one sweep in flight) and the sweep's put.
      items: { deposit: ['get', 'query', 'update'], sweep: ['get', 'put'] },
      indexes: ['byDueTime'],
      // Which chains and tokens are served, and their prices (a threshold is a fee share of the deposit's worth).
      settings: ['chains', 'rates'],
      startWorkflows: ['sweep'],
    },
  },
  /**
   * Recomputes balances from the journal and compares the chain (unswept deposits plus the hot
   * wallets) with the ledger; logs and alarms any drift. Reads only: it never signs, so it is not
   * given the mnemonic, only the hot wallets' public addresses.
   */
  reconciliation: {
    entry: 'functions/schedules/reconciliation.ts',
    memoryMb: 512,
    timeoutSeconds: 300,
    description: 'Reconciles the ledger with itself and with what the chains hold; reports drift',
    rateMinutes: 60,
    localEverySeconds: 300,
    access: {
      ...NO_ACCESS,
      // Journal entries and balance items (a Query per project partition); the projects themselves.
      // The unswept queue (byDueTime) is KEYS_ONLY: each deposit item is then read by key (get).
      items: { ledger: ['query'], project: ['get', 'query'], deposit: ['get', 'query'] },
      // Deposits still unswept (their chain balances count as ours).
      indexes: ['byDueTime'],
      // Reads balances on chain.
      secrets: ['rpcUrls'],
      settings: ['chains', 'hotWallets'],
    },
  },
  /**
   * Automatic withdrawal rules (issue 14 §2): reads the enabled rules (byOwnerTime WRULES), claims
   * each firing due (a conditional put on the rule's version) and requests its withdrawal to the
   * rule's saved wallet, which starts the withdrawal workflow. It never signs or sends: the
   * workflow's worker does, so it is given neither the mnemonic nor the RPC endpoints.
   */
  'withdrawal-rules': {
    entry: 'functions/schedules/withdrawal-rules.ts',
    memoryMb: 256,
    timeoutSeconds: 60,
    description: 'Evaluates automatic withdrawal rules (amount thresholds, schedules) and starts the withdrawals they fire',
    rateMinutes: 1,
    localEverySeconds: 10,
    access: {
      ...NO_ACCESS,
      items: {
        // The rules: listed (index), read by key, and moved on (re-arm, claim, finish: conditional puts).
        withdrawalRule: ['get', 'put'],
        // The project's settings (zone, fee side) and its balance item (PROJECT#/BALANCE#), read only.
        project: ['get'],
        // The saved wallet a firing pays (must be live and out of its cooling-off).
        withdrawalWallet: ['get'],
        // The withdrawal it requests, with the idempotency claim of the firing (a retry finds the first).
        withdrawal: ['get', 'put'],
        idempotency: ['get', 'put'],
        // The firing's audit event (and the withdrawal's `requested` one).
        audit: ['put'],
      },
      indexes: ['byOwnerTime'],
      // The withdrawal's `requested` webhook.
      sendTo: ['postbacks'],
      // Served currencies and their USD rates (the threshold's worth, the network fee).
      settings: ['chains', 'rates'],
      startWorkflows: ['withdrawal'],
    },
  },
  /**
   * Each served chain's resource prices (EVM gas price, Tron energy and bandwidth), stored for the
   * functions that price invoices: the network fee is the estimated sweep cost at them. One small
   * function every few minutes is cheaper than an RPC call per invoice, and gives the keyless
   * functions (POS, pages) the same figure without the RPC endpoints.
   */
  'network-fees': {
    entry: 'functions/schedules/network-fees.ts',
    memoryMb: 128,
    timeoutSeconds: 30,
    description: 'Reads each served chain\'s gas, energy and bandwidth prices for invoices\' network fees',
    rateMinutes: 5,
    localEverySeconds: 10,
    access: {
      ...NO_ACCESS,
      // Its only write: the chain's FEES item (CHAIN#<chain> / FEES).
      items: { chain: ['put'] },
      secrets: ['rpcUrls'],
      settings: ['chains'],
    },
  },
} as const satisfies Record<string, ScheduleSpec>;
export type ScheduleId = keyof typeof schedules;


export type QueueSpec = {
  /** Longer than the consumer's timeout, so a message is not redelivered mid-processing. */
  visibilityTimeoutSeconds: number;
  /** Deliveries before the message is parked in the DLQ. */
  maxReceiveCount: number;
  retentionDays: number;
  /** The consumer Lambda; `name` is its id in the stack and the alarms. */
  consumer: (FunctionSpec & { name: string; batchSize: number }) | null;
};

export const queues = {
  /**
   * Crediting → merchant. Each failed attempt hides the message for the next backoff step
   * (POSTBACK_RETRY), so maxReceiveCount is the number of attempts: 16 over about 3 days, then
   * the DLQ. Ten messages are sent concurrently, each cut at 10 s.
   */
  postbacks: {
    visibilityTimeoutSeconds: 60,
    maxReceiveCount: POSTBACK_RETRY.attempts,
    retentionDays: 14,
    consumer: {
      name: 'postback-sender',
      entry: 'functions/queues/postbacks.ts',
      memoryMb: 256,
      timeoutSeconds: 30,
      description: 'Sends signed postbacks to merchants, with backoff and an attempt log',
      batchSize: 10,
      access: {
        ...NO_ACCESS,
        // Writes only its attempt log and delivery marks (in the invoice's partition); reads the
        // project and chain heads. It can write no balance (PROJECT#) and no journal entry (LEDGER#).
        // A withdrawal's webhooks: it reads the withdrawal and keeps their log and delivery marks in
        // the withdrawal's partition, as for invoices (IAM names partitions, not items: the code
        // puts only attempts and marks there; the withdrawal item is the workflow's to write).
        items: { invoice: ['get', 'query', 'put'], project: ['get'], chain: ['get'], withdrawal: ['get', 'query', 'put'] },
        // Decrypts the project's secret key to sign.
        secrets: ['projectKey'],
        settings: ['links'],
      },
    },
  },
  /** Watcher → crediting. Ten deliveries before the DLQ: a transfer is never dropped silently. */
  observations: {
    visibilityTimeoutSeconds: 60,
    maxReceiveCount: 10,
    retentionDays: 14,
    consumer: {
      name: 'crediting',
      entry: 'functions/queues/crediting.ts',
      memoryMb: 512,
      timeoutSeconds: 30,
      description: 'Credits confirmed transfers: payment, status and ledger in one transaction',
      batchSize: 10,
      access: {
        // The only writer of payments, journal entries (LEDGER#) and balances (PROJECT#/BALANCE#).
        // Stray transfers (wrong tokens) are kept in the invoice's partition with a counter (put, update).
        // At a static wallet's address: reads the wallet; writes each transfer's receipt link, its
        // strays (put, update) and the running totals (update, in the crediting transaction); its
        // latest receipts (query) set a new receipt's depth tier.
        // Each credit or reversal also moves its deposit address's `received` (and puts it in the sweep queue) in the same transaction (update).
        items: { invoice: ['get', 'put', 'update'], address: ['get'], transfer: ['get', 'put'], ledger: ['put'], project: ['get', 'update'], chain: ['get'], staticWallet: ['get'], walletReceipts: ['get', 'put', 'update', 'query'], deposit: ['update'] },
        indexes: ['byOwnerTime'],
        // Postbacks; rechecks of the transfers of a large reorg, fanned out one message each.
        sendTo: ['postbacks', 'observations'],
        redrive: [],
        // Verifies each transfer on chain before crediting; values a payment after its rate lock.
        secrets: ['rpcUrls'],
        settings: ['links', 'chains', 'rates'],
        startWorkflows: [],
      },
    },
  },
} as const satisfies Record<QueueId, QueueSpec>;

export const queueIds = Object.keys(queues) as QueueId[];

/** How long a parked message stays in any DLQ (SQS's maximum): time to notice, inspect and redrive. */
export const DLQ_RETENTION_DAYS = 14;

/** Environment variable that carries a queue's URL to the functions (the one place it is spelled). */
export const queueUrlEnv = <Q extends QueueId>(id: Q) => `QUEUE_URL_${id.toUpperCase() as Uppercase<Q>}` as const;
/** Environment variable that carries a queue's dead-letter queue URL (functions that redrive it). */
export const dlqUrlEnv = <Q extends QueueId>(id: Q) => `${queueUrlEnv(id)}_DLQ` as const;
export type QueueEnvName = ReturnType<typeof queueUrlEnv<QueueId>> | ReturnType<typeof dlqUrlEnv<QueueId>>;

/** The queue variables of the given URLs: how the local runtime and the tests set them. */
export function queueEnvironment(urls: Partial<Record<QueueId, { url: string; dlqUrl?: string }>>): Partial<Record<QueueEnvName, string>> {
  const env: Partial<Record<QueueEnvName, string>> = {};
  for (const id of queueIds) {
    const u = urls[id];
    if (!u) continue;
    env[queueUrlEnv(id)] = u.url;
    if (u.dlqUrl) env[dlqUrlEnv(id)] = u.dlqUrl;
  }
  return env;
}

export type WorkflowSpec = {
  description: string;
  /**
   * The one Lambda behind every Task of the workflow: `{step, ...ids}` in, a JSON object out (the
   * task worker contract). `name` is its id in the stack and the alarms.
   */
  worker: FunctionSpec & { name: string };
  /** The ASL, from the worker's ARN: the stack and the local host build the same definition. */
  definition: (options: DefinitionOptions) => Asl;
};

/**
 * Money going out, one Step Functions execution per withdrawal or sweep, named by its id (a name
 * is used once: nothing runs twice). Only these two workers may read the mnemonic.
 */
/** What the batch definition takes from the batch rules (lib/workflows imports nothing outside itself). */
export const PAYOUT_BATCH_LIMITS = { legConcurrency: BATCH_LEG_CONCURRENCY, legsMax: Math.ceil(BATCH_ITEMS_MAX / EACH_LEG_ITEMS_MAX) };

export const workflows = {
  withdrawal: {
    description: 'A withdrawal: hold, sign, broadcast, confirm, settle; release on failure',
    definition: withdrawalDefinition,
    worker: {
      name: 'withdrawal-worker',
      entry: 'functions/tasks/withdrawal.ts',
      memoryMb: 512,
      // One step: a few table writes and one or two RPC calls with their retries.
      timeoutSeconds: 60,
      description: 'Runs each step of a withdrawal (hold, sign, broadcast, confirm, settle, release)',
      access: {
        ...NO_ACCESS,
        items: {
          // The withdrawal itself: read, then moved to its next status (a conditional put on its version).
          withdrawal: ['get', 'put'],
          // The project's settings (fee side) and its balance item (PROJECT#/BALANCE#: hold, settle, release).
          project: ['get', 'update'],
          // Hold, settle, release and fee entries, in the balance change's transaction; entries are read back on retries.
          ledger: ['put', 'query'],
          // The hot wallet's next nonce: taken once per transfer (never two withdrawals on one nonce).
          nonce: ['get', 'put', 'update'],
        },
        // Status changes go to the merchant as signed native postbacks.
        sendTo: ['postbacks'],
        // Reads and sends on chain; signs with the hot wallet's key (derived from the mnemonic).
        secrets: ['rpcUrls', 'mnemonic'],
        // Served chains and tokens; USD values of the daily limit; the links in postbacks.
        settings: ['chains', 'rates', 'links'],
      },
    },
  },
  sweep: {
    description: 'A sweep: a deposit address into the hot wallet, with a gas top-up when it needs one',
    definition: sweepDefinition,
    worker: {
      name: 'sweep-worker',
      entry: 'functions/tasks/sweep.ts',
      memoryMb: 512,
      timeoutSeconds: 60,
      description: 'Runs each step of a sweep (start, top up, transfer, confirm, settle)',
      access: {
        ...NO_ACCESS,
        items: {
          // What the deposit address received and what was swept (the sparse unswept index entry removed when swept).
          deposit: ['get', 'put', 'update'],
          // The sweep record: its claim on the deposits and its signed transfers.
          sweep: ['get', 'put'],
          // Sweep moves and gas entries (the deployment's own ledger, no project balance).
          ledger: ['put'],
          // The hot wallet's nonce, for gas top-ups.
          nonce: ['get', 'put', 'update'],
          // The deposit address's owner and derivation index (to sign from it).
          address: ['get'],
        },
        indexes: ['byDueTime'],
        // Reads and sends on chain; signs as the deposit address and the hot wallet.
        secrets: ['rpcUrls', 'mnemonic'],
        // Served chains and tokens; the fee threshold in USD.
        settings: ['chains', 'rates'],
      },
    },
  },
  payout_batch: {
    description: 'A mass payout: hold every item, pay the legs (bounded concurrency), report each item',
    definition: (o: DefinitionOptions) => payoutBatchDefinition(o, PAYOUT_BATCH_LIMITS),
    worker: {
      name: 'payout-batch-worker',
      entry: 'functions/tasks/payout-batch.ts',
      memoryMb: 512,
      // A leg step signs or reads up to DISPERSE_RECIPIENTS_MAX items' records.
      timeoutSeconds: 120,
      description: 'Runs each step of a mass payout (hold, legs: send, confirm, settle, release; close)',
      access: {
        ...NO_ACCESS,
        items: {
          // The batch, its legs and its items (withdrawals): read, then moved on (conditional puts on their versions).
          payoutBatch: ['get', 'put', 'query'],
          withdrawal: ['get', 'put'],
          project: ['get', 'update'],
          ledger: ['put', 'query'],
          nonce: ['get', 'put', 'update'],
        },
        sendTo: ['postbacks'],
        secrets: ['rpcUrls', 'mnemonic'],
        settings: ['chains', 'rates', 'links'],
      },
    },
  },
} as const satisfies Record<WorkflowId, WorkflowSpec>;

export const workflowIds = Object.keys(workflows) as WorkflowId[];

/** Environment variable that carries a state machine's ARN to the functions that start it (the one place it is spelled). */
export const stateMachineArnEnv = <W extends WorkflowId>(id: W) => `STATE_MACHINE_ARN_${id.toUpperCase() as Uppercase<W>}` as const;
export type StateMachineEnvName = ReturnType<typeof stateMachineArnEnv<WorkflowId>>;

/** A Lambda the manifest declares, with its id (the group, schedule, consumer or worker name). */
export type NamedFunction = { id: string; kind: 'http' | 'schedule' | 'consumer' | 'worker'; spec: FunctionSpec; consumes: { queue: QueueId; batchSize: number } | null };

/** Every Lambda the manifest declares: route groups, schedules, queue consumers and workflow workers. */
export const namedFunctions = (): NamedFunction[] => [
  ...Object.entries(httpGroups).map(([id, spec]): NamedFunction => ({ id, kind: 'http', spec, consumes: null })),
  ...Object.entries(schedules).map(([id, spec]): NamedFunction => ({ id, kind: 'schedule', spec, consumes: null })),
  ...(Object.entries(queues) as [QueueId, QueueSpec][]).flatMap(([queue, q]): NamedFunction[] => (q.consumer ? [{ id: q.consumer.name, kind: 'consumer', spec: q.consumer, consumes: { queue, batchSize: q.consumer.batchSize } }] : [])),
  ...Object.values(workflows).map((w): NamedFunction => ({ id: w.worker.name, kind: 'worker', spec: w.worker, consumes: null })),
];

export const functionSpecs = (): FunctionSpec[] => namedFunctions().map((f) => f.spec);

export const manifest = { httpGroups, routes, schedules, queues, workflows } as const;

/** A Task waits this much longer than its worker's own timeout, so the Lambda's timeout error (with its cause) is the one seen. */
export const TASK_TIMEOUT_MARGIN_SECONDS = 10;

/** The definition of `id` around the given worker ARN: what the stack deploys and the local host runs. */
export function workflowDefinition(id: WorkflowId, workerArn: string, options: { loopWaitSeconds?: number } = {}): Asl {
  const spec: WorkflowSpec = workflows[id];
  return spec.definition({ workerArn, taskTimeoutSeconds: spec.worker.timeoutSeconds + TASK_TIMEOUT_MARGIN_SECONDS, ...options });
}
