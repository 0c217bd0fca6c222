/** Deposits (what each deposit address received and what was swept) and the sweeps that move them (funds-out issue §3). */
import type { ChainId } from '../domain/currencies';
import type { Deposit, Sweep } from '../domain/sweep';

export type ClaimOutcome = 'claimed' | 'taken';
export type FinishOutcome = 'finished' | 'already_finished';

export interface SweepStore {
  /** Deposits in the chain's sweep queue (sparse: something left unswept), a bounded page from `after`. */
  dueDeposits(chain: ChainId, page: { limit: number; after: string | null }): Promise<{ items: Deposit[]; next: string | null }>;
  /** Every deposit of a chain (the admin view), a bounded page from `after`. */
  listDeposits(chain: ChainId, page: { limit: number; after: string | null }): Promise<{ items: Deposit[]; next: string | null }>;
  deposit(chain: ChainId, address: string, code: string): Promise<Deposit | null>;
  /**
   * Claims `deposit` for `sweep` (round = deposit.rounds + 1) and writes the sweep, in one
   * transaction: `taken` when another sweep holds it, or another planner took this round.
   */
  claim(deposit: Deposit, sweep: Sweep): Promise<ClaimOutcome>;
  get(sweepId: string): Promise<Sweep | null>;
  /** Conditional on the version the caller read. */
  save(sweep: Sweep, expectedVersion: number): Promise<boolean>;
  /** Adds `swept`, lets the claim go and leaves the queue when nothing is left unswept; once per sweep. */
  finish(sweep: Sweep, swept: bigint): Promise<FinishOutcome>;
}
