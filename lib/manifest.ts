/**
 * THE wiring manifest: every route, schedule and queue, declared once as data. lib/infra builds
 * the AWS resources from it and lib/local mounts the same handlers from it, so the two cannot
 * drift. No aws-cdk-lib import here.
 */
import { POSTBACK_RETRY } from '../shared/domain/postbacks';

export type HttpMethod = 'GET' | 'POST' | 'PATCH' | 'DELETE';
/** project: `Authorization: Token <API key>`; admin: `Authorization: Bearer <admin token>`. */
export type AuthMode = 'project' | 'admin' | 'none';

export type FunctionSpec = { entry: string; memoryMb: number; timeoutSeconds: number; description: string };

export const httpGroups = {
  invoices: { entry: 'functions/http/invoices.ts', memoryMb: 512, timeoutSeconds: 10, description: 'CryptoCloud v2 invoice endpoints' },
  wallet: { entry: 'functions/http/wallet.ts', memoryMb: 256, timeoutSeconds: 10, description: 'CryptoCloud v2 balance endpoint' },
  admin: { entry: 'functions/http/admin.ts', memoryMb: 256, timeoutSeconds: 10, description: 'Project and key management for the tollgate CLI' },
  health: { entry: 'functions/http/health.ts', memoryMb: 128, timeoutSeconds: 3, description: 'Liveness' },
} as const satisfies Record<string, FunctionSpec>;
export type HttpGroup = keyof typeof httpGroups;

export type RouteSpec = { method: HttpMethod; path: string; group: HttpGroup; auth: AuthMode };

export const routes = {
  'invoice.create': { method: 'POST', path: '/v2/invoice/create', group: 'invoices', auth: 'project' },
  'invoice.info': { method: 'POST', path: '/v2/invoice/merchant/info', group: 'invoices', auth: 'project' },
  'invoice.list': { method: 'POST', path: '/v2/invoice/merchant/list', group: 'invoices', auth: 'project' },
  'invoice.cancel': { method: 'POST', path: '/v2/invoice/merchant/canceled', group: 'invoices', auth: 'project' },
  'invoice.statistics': { method: 'POST', path: '/v2/invoice/merchant/statistics', group: 'invoices', auth: 'project' },
  /** Native extension: CryptoCloud's «Confirm invoice without payment», test mode only. */
  'invoice.test_confirm': { method: 'POST', path: '/v2/invoice/merchant/test-confirm', group: 'invoices', auth: 'project' },
  /** Native API. The payer's choice: no key, the invoice id is the capability (payment page). */
  'api.invoice.select': { method: 'POST', path: '/api/invoices/{invoiceId}/select', group: 'invoices', auth: 'none' },
  'api.invoice.confirm': { method: 'POST', path: '/api/invoices/{invoiceId}/confirm', group: 'invoices', auth: 'project' },
  'api.invoice.attach_tx': { method: 'POST', path: '/api/invoices/{invoiceId}/attach-tx', group: 'invoices', auth: 'project' },
  'api.invoice.postbacks': { method: 'GET', path: '/api/invoices/{invoiceId}/postbacks', group: 'invoices', auth: 'project' },
  'api.invoice.postbacks_resend': { method: 'POST', path: '/api/invoices/{invoiceId}/postbacks/resend', group: 'invoices', auth: 'project' },
  'wallet.balance': { method: 'POST', path: '/v2/merchant/wallet/balance/all', group: 'wallet', auth: 'project' },
  'admin.project.create': { method: 'POST', path: '/admin/projects', group: 'admin', auth: 'admin' },
  'admin.project.list': { method: 'GET', path: '/admin/projects', group: 'admin', auth: 'admin' },
  'admin.project.show': { method: 'GET', path: '/admin/projects/{shopId}', group: 'admin', auth: 'admin' },
  'admin.project.update': { method: 'PATCH', path: '/admin/projects/{shopId}', group: 'admin', auth: 'admin' },
  'admin.project.rotate_keys': { method: 'POST', path: '/admin/projects/{shopId}/rotate-keys', group: 'admin', auth: 'admin' },
  'admin.invoice.confirm_test': { method: 'POST', path: '/admin/invoices/{invoiceId}/confirm-test', group: 'admin', auth: 'admin' },
  'admin.invoice.confirm': { method: 'POST', path: '/admin/invoices/{invoiceId}/confirm', group: 'admin', auth: 'admin' },
  'admin.invoice.attach_tx': { method: 'POST', path: '/admin/invoices/{invoiceId}/attach-tx', group: 'admin', auth: 'admin' },
  'admin.invoice.postbacks': { method: 'GET', path: '/admin/invoices/{invoiceId}/postbacks', group: 'admin', auth: 'admin' },
  'admin.invoice.postbacks_resend': { method: 'POST', path: '/admin/invoices/{invoiceId}/postbacks/resend', group: 'admin', auth: 'admin' },
  /** A queue's dead letters (`{queue}`: postbacks or observations), listed in place or moved back to the queue. */
  'admin.dlq.list': { method: 'GET', path: '/admin/queues/{queue}/dlq', group: 'admin', auth: 'admin' },
  'admin.dlq.redrive': { method: 'POST', path: '/admin/queues/{queue}/dlq/redrive', group: 'admin', auth: 'admin' },
  'admin.chain.rescan': { method: 'POST', path: '/admin/chains/{chain}/rescan', group: 'admin', auth: 'admin' },
  'admin.chain.status': { method: 'GET', path: '/admin/chains', group: 'admin', auth: 'admin' },
  health: { method: 'GET', path: '/health', group: 'health', auth: 'none' },
} as const satisfies Record<string, RouteSpec>;
export type RouteId = keyof typeof routes;

export const routeKey = (r: RouteSpec) => `${r.method} ${r.path}`;

export type ScheduleSpec = FunctionSpec & {
  /** EventBridge's finest rate is one minute. */
  rateMinutes: number;
  /** The local runtime runs it more often so a demo does not wait a minute. */
  localEverySeconds: number;
  /** One schedule per watched chain, each passing `{"chain": "<id>"}` as its event. */
  perChain?: boolean;
};

export const schedules = {
  'invoice-expiry': {
    entry: 'functions/schedules/invoice-expiry.ts',
    memoryMb: 256,
    timeoutSeconds: 60,
    description: 'Cancels unpaid invoices past their expiry (sparse index, bounded pages)',
    rateMinutes: 1,
    localEverySeconds: 5,
  },
  'chain-watcher': {
    entry: 'functions/schedules/chain-watcher.ts',
    memoryMb: 512,
    // Scans for ~50 s of each minute, then hands over to the next invocation.
    timeoutSeconds: 60,
    description: 'Scans a chain for transfers to deposit addresses, tracks reorgs, reports confirmations',
    rateMinutes: 1,
    localEverySeconds: 1,
    perChain: true,
  },
} as const satisfies Record<string, ScheduleSpec>;
export type ScheduleId = keyof typeof schedules;

export type QueueSpec = {
  /** Longer than the consumer's timeout, so a message is not redelivered mid-processing. */
  visibilityTimeoutSeconds: number;
  /** Deliveries before the message is parked in the DLQ. */
  maxReceiveCount: number;
  retentionDays: number;
  /** The consumer Lambda, once it exists (the postback sender arrives in the postbacks issue). */
  consumer: (FunctionSpec & { batchSize: number }) | null;
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
    consumer: { entry: 'functions/queues/postbacks.ts', memoryMb: 256, timeoutSeconds: 30, description: 'Sends signed postbacks to merchants, with backoff and an attempt log', batchSize: 10 },
  },
  /** Watcher → crediting. Ten deliveries before the DLQ: a transfer is never dropped silently. */
  observations: {
    visibilityTimeoutSeconds: 60,
    maxReceiveCount: 10,
    retentionDays: 14,
    consumer: { entry: 'functions/queues/crediting.ts', memoryMb: 512, timeoutSeconds: 30, description: 'Credits confirmed transfers: payment, status and ledger in one transaction', batchSize: 10 },
  },
} as const satisfies Record<string, QueueSpec>;
export type QueueId = keyof typeof queues;

/** Environment variable that carries a queue's URL to the functions. */
export const queueUrlEnv = (id: QueueId) => `QUEUE_URL_${id.toUpperCase()}`;

/** Every Lambda the manifest declares: route groups, schedules and queue consumers. */
export const functionSpecs = (): FunctionSpec[] => [
  ...Object.values(httpGroups),
  ...Object.values(schedules),
  ...(Object.values(queues) as QueueSpec[]).flatMap((q) => (q.consumer ? [q.consumer] : [])),
];

export const manifest = { httpGroups, routes, schedules, queues } as const;
