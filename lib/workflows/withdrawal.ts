/**
 * One withdrawal, one execution named by its id (funds-out issue §5): hold → sign → broadcast →
 * confirm (poll) → settle; on any error once the retries are spent, release. Every step is a call
 * of the withdrawal worker (functions/tasks/withdrawal.ts) with `{step, withdrawalId}`; the worker
 * decides, the definition only routes (the task worker contract, context-13).
 *
 * ```
 * Hold ─held─▶ Sign ─▶ Broadcast ─▶ Confirm ─landed─▶ Settle ─▶ Withdrawn
 *   │rejected                         ▲   │pending
 *   ▼                                 └─ WaitForConfirmations
 * Rejected            (any Task error) ─▶ Release ─released─▶ Released
 *                                                  └─else──▶ Stuck (Fail: alarmed)
 * ```
 */
import { type Asl, type DefinitionOptions, equals, loopWait, task } from './asl';

/**
 * Six hours. A Standard execution holds at most 25,000 history events; a confirmation round
 * (Task 5, Choice 2, Wait 2) is ~9, so at 15 s per round the history would last ~11 h. A
 * withdrawal still unconfirmed after six hours times out (ExecutionsTimedOut alarm) with its hold
 * kept: an operator decides, not a loop.
 */
export const WITHDRAWAL_TIMEOUT_SECONDS = 6 * 3600;

const ID = { 'withdrawalId.$': '$.withdrawalId' };

export function withdrawalDefinition(o: DefinitionOptions): Asl {
  return {
    Comment: 'Tollgate withdrawal: hold, sign, broadcast, confirm, settle; release on failure (lib/workflows/withdrawal.ts)',
    StartAt: 'Hold',
    TimeoutSeconds: WITHDRAWAL_TIMEOUT_SECONDS,
    States: {
      Hold: task(o, 'hold', ID, 'Moves the amount from available to held (refused when the balance or the checks say no)', 'HeldOrRejected', 'Release'),
      HeldOrRejected: {
        Type: 'Choice',
        Comment: 'rejected: nothing was held and nothing will be sent; the withdrawal records why',
        Choices: [equals('outcome', 'held', 'Sign'), equals('outcome', 'rejected', 'Rejected')],
        Default: 'UnexpectedAnswer',
      },
      Rejected: { Type: 'Succeed', Comment: 'Refused before any hold: the withdrawal carries the reason' },
      Sign: task(o, 'sign', ID, 'Builds and signs the transfer, and persists the signed bytes before anything is sent', 'Broadcast', 'Release'),
      Broadcast: task(o, 'broadcast', ID, 'Sends the persisted signed bytes (sending them again is harmless)', 'Confirm', 'Release'),
      Confirm: task(o, 'confirm', ID, 'Reads the receipt; bumps the fee or rebroadcasts a stuck transaction', 'LandedOrPending', 'Release'),
      LandedOrPending: {
        Type: 'Choice',
        Comment: 'landed: deep enough on chain to settle; pending: poll again',
        Choices: [equals('state', 'landed', 'Settle'), equals('state', 'pending', 'WaitForConfirmations')],
        Default: 'UnexpectedAnswer',
      },
      WaitForConfirmations: loopWait(o, 'Blocks take time; the execution timeout bounds the loop', 'Confirm'),
      Settle: task(o, 'settle', ID, 'Moves the held amount out of the ledger (sent) and books the network fee', 'Withdrawn', 'Release'),
      Withdrawn: { Type: 'Succeed', Comment: 'Sent, confirmed and settled' },
      UnexpectedAnswer: {
        Type: 'Pass',
        Comment: 'A step answered outside the contract: a bug. Release decides what is safe, as for any error',
        Parameters: { 'withdrawalId.$': '$.withdrawalId', error: { Error: 'Workflow.UnexpectedAnswer', Cause: 'a step answered outside the worker contract (lib/workflows/withdrawal.ts)' } },
        Next: 'Release',
      },
      // No Catch: a release that keeps failing fails the execution with its error (ExecutionsFailed alarm), the hold kept.
      Release: task(o, 'release', { ...ID, 'error.$': '$.error' }, 'Returns the hold to available unless a transaction may still land', 'ReleasedOrStuck', null),
      ReleasedOrStuck: {
        Type: 'Choice',
        Comment: 'released: the money is available again; anything else keeps the hold',
        Choices: [equals('released', true, 'Released')],
        Default: 'Stuck',
      },
      Released: { Type: 'Succeed', Comment: 'Failed and released: nothing was sent, the withdrawal records why' },
      Stuck: {
        Type: 'Fail',
        Comment: 'A transaction may still land, so the hold stays: a person looks (ExecutionsFailed alarm)',
        Error: 'Withdrawal.Stuck',
        Cause: 'A transaction of this withdrawal may still land, so its hold was kept; see the withdrawal record and the worker logs',
      },
    },
  };
}
