/**
 * What the scheduled work queues (the expirer, the confirmation pass) share: when an item counts
 * as stuck, and the metric the stack alarms on. Stuck items never block the queue (both page past
 * them); the alarm makes sure someone looks at why they do not move.
 */
import { HOUR_MS, type Instant } from '../domain/time';
import type { Logger } from '../ports';

/** An item still due this long after it first became due is stuck: normal work moves in minutes. */
export const WORK_STUCK_AFTER_MS = HOUR_MS;

export type WorkQueue = 'invoice-expiry' | 'confirmations';
export const WORK_QUEUES: readonly WorkQueue[] = ['invoice-expiry', 'confirmations'];

/** CloudWatch Embedded Metric Format, like ScanLagBlocks: stuck items seen by one run or pass. */
export const STUCK_WORK_METRIC = { namespace: 'Tollgate', name: 'StuckWorkItems', dimension: 'Queue' } as const;

/** How many examples a stuck-work log line names; the count says how many there are. */
const STUCK_EXAMPLES_MAX = 5;

export function reportStuckWork(log: Logger, at: Instant, queue: WorkQueue, stuck: readonly string[], fields: Record<string, unknown> = {}): void {
  log.info('work.stuck_items', {
    _aws: {
      Timestamp: at,
      CloudWatchMetrics: [{ Namespace: STUCK_WORK_METRIC.namespace, Dimensions: [[STUCK_WORK_METRIC.dimension]], Metrics: [{ Name: STUCK_WORK_METRIC.name, Unit: 'Count' }] }],
    },
    [STUCK_WORK_METRIC.dimension]: queue,
    [STUCK_WORK_METRIC.name]: stuck.length,
    ...fields,
  });
  if (stuck.length > 0) {
    log.warn('work.stuck', { queue, count: stuck.length, boundMs: WORK_STUCK_AFTER_MS, examples: stuck.slice(0, STUCK_EXAMPLES_MAX), ...fields });
  }
}

/**
 * A queue message that cannot be handled yet for a reason that will pass on its own (a price feed
 * outage): thrown, so the message stays, and the queue consumer hides it for longer each time
 * (`firstDelaySeconds` doubling up to `maxDelaySeconds`), which stretches the queue's receive
 * count over hours instead of minutes before it reaches the DLQ.
 */
export class RetryLater extends Error {
  constructor(
    message: string,
    readonly firstDelaySeconds: number,
    readonly maxDelaySeconds: number,
  ) {
    super(message);
    this.name = 'RetryLater';
  }

  delayAfter(receives: number): number {
    return Math.min(this.maxDelaySeconds, this.firstDelaySeconds * 2 ** Math.max(0, receives - 1));
  }
}
