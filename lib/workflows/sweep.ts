/**
 * One sweep, one execution named by its id (funds-out issue §3): start → top up gas (poll) →
 * transfer → confirm (poll) → settle. Every step is a call of the sweep worker
 * (functions/tasks/sweep.ts) with `{step, sweepId}`. An error once the retries are spent ends in
 * the Failed state (ExecutionsFailed alarm); the sweep record keeps its claim, so nothing is sent twice.
 *
 * ```
 * Start ─go─▶ TopUp ─ready─▶ Transfer ─▶ Confirm ─landed─▶ Settle ─▶ Swept
 *   │skip      ▲  │pending                ▲  │pending
 *   ▼          └ WaitForGas               └ WaitForConfirmations
 * Skipped                     (any Task error) ─▶ Failed
 * ```
 */
import { type Asl, type DefinitionOptions, equals, loopWait, task } from './asl';

/** Six hours, for the same history bound as a withdrawal (two polling loops, each ~9 events a round). */
export const SWEEP_TIMEOUT_SECONDS = 6 * 3600;

const ID = { 'sweepId.$': '$.sweepId' };

export function sweepDefinition(o: DefinitionOptions): Asl {
  return {
    Comment: 'Tollgate sweep: a deposit address into the hot wallet (lib/workflows/sweep.ts)',
    StartAt: 'Start',
    TimeoutSeconds: SWEEP_TIMEOUT_SECONDS,
    States: {
      Start: task(o, 'start', ID, 'Claims the deposit and decides whether the sweep is worth its fee now', 'GoOrSkip', 'Failed'),
      GoOrSkip: {
        Type: 'Choice',
        Comment: 'skip: the fee would take too large a share now; the deposit waits for a later sweep',
        Choices: [equals('outcome', 'go', 'TopUp'), equals('outcome', 'skip', 'Skipped')],
        Default: 'UnexpectedAnswer',
      },
      Skipped: { Type: 'Succeed', Comment: 'Nothing sent; the deposit stays unswept' },
      TopUp: task(o, 'top_up', ID, 'Sends the native coin for the fee from the hot wallet when the address has too little', 'GasReady', 'Failed'),
      GasReady: {
        Type: 'Choice',
        Comment: 'ready: the address can pay its fee; pending: the top-up is not in yet',
        Choices: [equals('state', 'ready', 'Transfer'), equals('state', 'pending', 'WaitForGas')],
        Default: 'UnexpectedAnswer',
      },
      WaitForGas: loopWait(o, 'The top-up needs a block; the execution timeout bounds the loop', 'TopUp'),
      Transfer: task(o, 'transfer', ID, 'Signs, persists and sends the transfer into the hot wallet', 'Confirm', 'Failed'),
      Confirm: task(o, 'confirm', ID, 'Reads the receipt of the transfer', 'LandedOrPending', 'Failed'),
      LandedOrPending: {
        Type: 'Choice',
        Comment: 'landed: deep enough to settle; pending: poll again',
        Choices: [equals('state', 'landed', 'Settle'), equals('state', 'pending', 'WaitForConfirmations')],
        Default: 'UnexpectedAnswer',
      },
      WaitForConfirmations: loopWait(o, 'Blocks take time; the execution timeout bounds the loop', 'Confirm'),
      Settle: task(o, 'settle', ID, 'Marks the deposit swept and books the move and its gas in the ledger', 'Swept', 'Failed'),
      Swept: { Type: 'Succeed', Comment: 'Moved into the hot wallet and booked' },
      UnexpectedAnswer: {
        Type: 'Fail',
        Comment: 'A step answered outside the worker contract: a bug (ExecutionsFailed alarm)',
        Error: 'Workflow.UnexpectedAnswer',
        Cause: 'a step answered outside the worker contract (lib/workflows/sweep.ts)',
      },
      Failed: {
        Type: 'Fail',
        Comment: 'A step kept failing: the sweep record keeps its claim, so a later run sends nothing twice (ExecutionsFailed alarm)',
        ErrorPath: '$.error.Error',
        CausePath: '$.error.Cause',
      },
    },
  };
}
