/**
 * One mass payout, one execution named by its id (funds-out part 2, issue 14 §1). Hold takes every
 * item's amount up front and plans the legs; a Map pays the legs, BATCH_LEG_CONCURRENCY at a time;
 * Close reports. Every step is a call of the batch worker (functions/tasks/payout-batch.ts) with
 * `{step, batchId[, legId]}`; the worker decides, the definition only routes.
 *
 * ```
 * Hold ─holding─▶ Hold        (a large batch is held over several calls, each within a time budget)
 *   │held
 *   ▼
 * PayLegs: Map over $.legs, MaxConcurrency legConcurrency (BATCH_LEG_CONCURRENCY); each iteration:
 *   Send ─sent─▶ Confirm ─landed─▶ Settle ─▶ LegPaid
 *    ▲ │waiting   ▲  │pending
 *    WaitToSend   WaitForLeg
 *   (any Task error, retries spent) ─▶ Release ─released─▶ LegReleased
 *                                         └─else, or its own error─▶ LegStuck (logged)
 *   ▼                      (an iteration always ends in Succeed: one leg never fails the Map)
 * Close ─complete─▶ Completed
 *   └─else──▶ Stuck (Fail: items still in flight kept their holds; ExecutionsFailed alarm)
 * ```
 */
import { type Asl, type AslWait, type DefinitionOptions, equals, LOOP_WAIT_SECONDS, task } from './asl';

/**
 * The batch rules the definition depends on (shared/domain/payout-batch.ts: BATCH_LEG_CONCURRENCY,
 * BATCH_ITEMS_MAX / EACH_LEG_ITEMS_MAX): lib/workflows imports nothing outside itself, so the
 * manifest hands them over.
 */
export type PayoutBatchLimits = { legConcurrency: number; legsMax: number };

/**
 * Pause of a leg's polling loops. A leg loop round is ~9 history events (Task 5, Choice 2, Wait 2);
 * at most `legConcurrency` (4) legs poll at once, so at twice the withdrawal's pace the whole
 * execution adds at most 4 × 9 events per 30 s = 1.2 events a second.
 */
export const legWaitSeconds = (o: DefinitionOptions) => 2 * (o.loopWaitSeconds ?? LOOP_WAIT_SECONDS);

/** Step Functions' limit on one Standard execution's history; an inline Map's iterations count in it. */
export const HISTORY_EVENTS_MAX = 25_000;

/**
 * What a leg's non-polling states can add, retries included: Map iteration (2), Send, Settle and
 * Release Tasks (5 each, 3 more per retry, 4 retries each) and their Choices: a generous 100.
 */
const LEG_FIXED_EVENTS_MAX = 100;

/**
 * Four hours. Bounded by the history: 1.2 events/s × 14,400 s = 17,280 events of polling, plus
 * LEG_FIXED_EVENTS_MAX for each of the at most `legsMax` (1,000 items / 25 a leg = 40) legs
 * (4,000), plus the Hold and Close calls: ~21,500 < 25,000. Four hours pays 40 legs four at a time
 * with ~20 minutes a leg; a batch still unpaid then times out (ExecutionsTimedOut alarm) with the
 * holds of what is in flight kept: an operator decides, not a loop.
 */
export const PAYOUT_BATCH_TIMEOUT_SECONDS = 4 * 3600;

/** The worst-case history of one execution at the deployed pace (checked by test/workflows). */
export function historyEventsBound(o: DefinitionOptions, limits: PayoutBatchLimits): number {
  const pollingPerSecond = (limits.legConcurrency * 9) / legWaitSeconds(o);
  // Hold: a call per time budget (20 of them is generous) and its Choice; Close and its end.
  const holdAndClose = 20 * 7 + 20;
  return Math.ceil(pollingPerSecond * PAYOUT_BATCH_TIMEOUT_SECONDS) + limits.legsMax * LEG_FIXED_EVENTS_MAX + holdAndClose;
}

const BATCH = { 'batchId.$': '$.batchId' };
const LEG = { 'batchId.$': '$.batchId', 'legId.$': '$.legId' };

function legWait(o: DefinitionOptions, comment: string, next: string): AslWait {
  return { Type: 'Wait', Comment: comment, Seconds: legWaitSeconds(o), Next: next };
}

export function payoutBatchDefinition(o: DefinitionOptions, limits: PayoutBatchLimits): Asl {
  if (!Number.isInteger(limits.legConcurrency) || limits.legConcurrency < 1) throw new Error(`legConcurrency must be a whole number, at least 1 (got ${limits.legConcurrency})`);
  return {
    Comment: 'Tollgate mass payout: hold every item, pay the legs with bounded concurrency, report (lib/workflows/payout-batch.ts)',
    StartAt: 'Hold',
    TimeoutSeconds: PAYOUT_BATCH_TIMEOUT_SECONDS,
    States: {
      // No Catch: a hold that keeps failing fails the execution (ExecutionsFailed alarm); what was held stays held, nothing was sent.
      Hold: task(o, 'hold', BATCH, 'Holds every requested item (a balance short for one fails that item), plans the legs, marks the batch running', 'HeldOrHolding', null),
      HeldOrHolding: {
        Type: 'Choice',
        Comment: 'holding: the time budget of one call ran out with items left to hold; held: every leg is planned',
        Choices: [equals('state', 'held', 'PayLegs'), equals('state', 'holding', 'Hold')],
        Default: 'UnexpectedHoldAnswer',
      },
      UnexpectedHoldAnswer: {
        Type: 'Fail',
        Comment: 'A step answered outside the worker contract: a bug (ExecutionsFailed alarm); nothing was sent',
        Error: 'Workflow.UnexpectedAnswer',
        Cause: 'the hold step answered outside the worker contract (lib/workflows/payout-batch.ts)',
      },
      PayLegs: {
        Type: 'Map',
        Comment: 'One iteration per leg, a few at a time: the hot wallets and RPC endpoints are shared, and the history stays bounded',
        ItemsPath: '$.legs',
        MaxConcurrency: limits.legConcurrency,
        // The legs' answers are not needed: Close reads the items. The input ({batchId, legs}) goes on.
        ResultPath: null,
        Iterator: {
          StartAt: 'Send',
          States: {
            Send: task(o, 'send', LEG, "Signs and sends the leg's transaction(s), each persisted before it is sent", 'SentOrWaiting', 'Release'),
            SentOrWaiting: {
              Type: 'Choice',
              Comment: 'waiting: something must land first (a disperse leg\'s token approval); sent: poll the confirmations',
              Choices: [equals('state', 'sent', 'Confirm'), equals('state', 'waiting', 'WaitToSend')],
              Default: 'UnexpectedLegAnswer',
            },
            WaitToSend: legWait(o, 'Blocks take time; the execution timeout bounds the loop', 'Send'),
            Confirm: task(o, 'confirm', LEG, 'Reads the receipts; moves on what is still behind (sends again, bumps fees, releases what the chain refused)', 'LandedOrPending', 'Release'),
            LandedOrPending: {
              Type: 'Choice',
              Comment: "landed: every item of the leg is paid or failed; pending: poll again",
              Choices: [equals('state', 'landed', 'Settle'), equals('state', 'pending', 'WaitForLeg')],
              Default: 'UnexpectedLegAnswer',
            },
            WaitForLeg: legWait(o, 'Blocks take time; the execution timeout bounds the loop', 'Confirm'),
            Settle: task(o, 'settle', LEG, 'Books each paid item (sent, fee, gas) and each refused one (released)', 'LegPaid', 'Release'),
            LegPaid: { Type: 'Succeed', Comment: 'Every item of the leg is confirmed and settled, or failed and released' },
            UnexpectedLegAnswer: {
              Type: 'Pass',
              Comment: 'A step answered outside the contract: a bug. Release decides what is safe, as for any error',
              Parameters: { 'batchId.$': '$.batchId', 'legId.$': '$.legId', error: { Error: 'Workflow.UnexpectedAnswer', Cause: 'a step answered outside the worker contract (lib/workflows/payout-batch.ts)' } },
              Next: 'Release',
            },
            Release: {
              ...task(o, 'release', { ...LEG, 'error.$': '$.error' }, 'Returns the holds of the items that can no longer be paid; settles any that landed after all', 'ReleasedOrStuck', null),
              // Even a release that keeps failing ends the iteration: the others go on, and Close finds its items in flight.
              Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.releaseError', Next: 'LegStuck' }],
            },
            ReleasedOrStuck: {
              Type: 'Choice',
              Comment: "released: every item of the leg is final; anything else keeps the holds of what may still land",
              Choices: [equals('released', true, 'LegReleased')],
              Default: 'LegStuck',
            },
            LegReleased: { Type: 'Succeed', Comment: 'The leg ended early; its items are failed (holds released) or paid' },
            LegStuck: {
              Type: 'Succeed',
              Comment: 'Items of the leg may still land, so their holds stay (payout.leg_stuck logged); Close fails the execution for a person to look',
            },
          },
        },
        // The iterations always succeed; a runtime error of the Map itself still reaches Close, which reports what is left.
        Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.mapError', Next: 'Close' }],
        Next: 'Close',
      },
      Close: task(o, 'close', BATCH, 'Marks the batch completed when every item is final, and logs the count per status', 'CompleteOrStuck', null),
      CompleteOrStuck: {
        Type: 'Choice',
        Comment: 'complete: every item is confirmed or failed; anything else is money in flight',
        Choices: [equals('complete', true, 'Completed')],
        Default: 'Stuck',
      },
      Completed: { Type: 'Succeed', Comment: 'Every item paid or failed; the batch is completed' },
      Stuck: {
        Type: 'Fail',
        Comment: 'Items may still land, so their holds stay and the batch stays running: a person looks (ExecutionsFailed alarm)',
        Error: 'PayoutBatch.Stuck',
        Cause: 'Items of this batch are still in flight after every leg ended; see payout.batch_stuck and payout.leg_stuck in the worker logs',
      },
    },
  };
}
