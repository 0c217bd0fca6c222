/**
 * The stages of `npm run bench`. Each one starts its own engines, table and queues and stops
 * them; bench/run.ts runs every stage in a process of its own (bench/isolate.ts), so module
 * state an earlier stage left behind (a cached runtime, a watcher's address set, timers) cannot
 * reach a later one.
 */
import { formDecodeBench } from './form-decode';
import { invoiceCreateBench } from './invoice';
import { pagesBench } from './pages';
import { confirmToPaid, scanFigures } from './watcher';

/** Payments timed from the confirming block to `paid` and to the postback. */
const LATENCY_PAYMENTS = 20;

export type Stage = {
  /** `BENCH_ONLY` accepts this group name as well as the stage id. */
  group: 'invoice' | 'watcher' | 'form-decode' | 'pages' | 'bundles' | 'tron' | 'static-wallets' | 'funds-out' | 'disperse' | 'watcher-modes' | 'cost-model';
  /** The key of the printed JSON the figures are merged under. */
  key: 'invoice_create' | 'watcher' | 'form_decode' | 'pages' | 'bundles' | 'tron' | 'static_wallets' | 'funds_out' | 'disperse' | 'watcher_modes' | 'cost_model';
  run: () => Promise<Record<string, unknown>>;
};

export const STAGES = {
  invoice_create: { group: 'invoice', key: 'invoice_create', run: invoiceCreateBench },
  watcher_scan: { group: 'watcher', key: 'watcher', run: scanFigures },
  watcher_latency: { group: 'watcher', key: 'watcher', run: () => confirmToPaid(LATENCY_PAYMENTS) },
  // The worst-case 64 KB form bodies (item 10 of the money-path issue): target p50 under 20 ms.
  form_decode: { group: 'form-decode', key: 'form_decode', run: async () => formDecodeBench() },
  // The payment page's weight (gzipped) and its render and status poll against one GetItem.
  pages: { group: 'pages', key: 'pages', run: pagesBench },
  // Each function's bundle as the stack builds it: bytes, gzipped bytes, cold import p50 (issue 11 "Bundles").
  // Imported when run: it loads aws-cdk-lib (the stack's bundling settings), which no other stage needs.
  bundles: { group: 'bundles', key: 'bundles', run: async () => (await import('./bundles')).bundlesBench() },
  // Tron (issue 11): TronGrid calls per range at 1/100/10,000 watched addresses, blocks/s, solidified block to paid.
  // Imported when run: the TronGrid simulator and reader, which no other stage needs.
  tron_scan: { group: 'tron', key: 'tron', run: async () => (await import('./tron')).tronScanFigures() },
  tron_latency: { group: 'tron', key: 'tron', run: async () => (await import('./tron')).tronSolidifiedToPaid(LATENCY_PAYMENTS) },
  // Static wallets (issue 12): watcher RPC calls per range, pass time, load and reload cost, heap at 1,000 and 100,000 addresses.
  // Imported when run, as the Tron stages.
  static_wallets: { group: 'static-wallets', key: 'static_wallets', run: async () => (await import('./static-wallets')).staticWalletFigures() },
  // Funds out (issue 13): a withdrawal from the request to its broadcast, p50/p99, on the local runtime's workflow.
  withdrawals: { group: 'funds-out', key: 'funds_out', run: async () => (await import('./funds-out')).withdrawalFigures() },
  // Mass payouts (issue 14): gas per recipient through the disperse contract for 1, 10, 100, 500 items, against one transfer each.
  disperse: { group: 'disperse', key: 'disperse', run: async () => (await import('./disperse')).disperseFigures() },
  // Running cost follows load (issue 15): per EVM chain at its block time, GB-s per chain-hour, USD per chain-month and RPC calls per chain-day, idle and busy.
  watcher_modes: { group: 'watcher-modes', key: 'watcher_modes', run: async () => (await import('./watcher-modes')).watcherModesBench() },
  // Running cost (issue 15 §1): Lambda, DynamoDB, SQS, Step Functions and RPC counts per invoice, sweep and withdrawal,
  // priced into a monthly cost at 1k/10k/100k invoices (JSON, and the README table as `markdown`).
  cost_model: { group: 'cost-model', key: 'cost_model', run: async () => {
      // The watchers' idle and busy figures are measured first (bench/watcher-modes.ts), then priced with the rest.
      const watchers = await (await import('./watcher-modes')).measureWatcherModes();
      return (await import('./cost-model')).costModelFigures(watchers);
    },
  },
} satisfies Record<string, Stage>;

export type StageId = keyof typeof STAGES;
