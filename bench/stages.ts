/**
 * The stages of `npm run bench`. Each one starts its own engines, table and queues and stops
 * them; bench/run.ts runs every stage in a process of its own (bench/isolate.ts), so module
 * state an earlier stage left behind (a cached runtime, a watcher's address set, timers) cannot
 * reach a later one.
 */
import { invoiceCreateBench } from './invoice';
import { confirmToPaid, scanFigures } from './watcher';

/** Payments timed from the confirming block to `paid` and to the postback. */
const LATENCY_PAYMENTS = 20;

export type Stage = {
  /** `BENCH_ONLY` accepts this group name as well as the stage id. */
  group: 'invoice' | 'watcher';
  /** The key of the printed JSON the figures are merged under. */
  key: 'invoice_create' | 'watcher';
  run: () => Promise<Record<string, unknown>>;
};

export const STAGES = {
  invoice_create: { group: 'invoice', key: 'invoice_create', run: invoiceCreateBench },
  watcher_scan: { group: 'watcher', key: 'watcher', run: scanFigures },
  watcher_latency: { group: 'watcher', key: 'watcher', run: () => confirmToPaid(LATENCY_PAYMENTS) },
} satisfies Record<string, Stage>;

export type StageId = keyof typeof STAGES;
