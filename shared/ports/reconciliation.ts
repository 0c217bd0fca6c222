/**
 * What reconciliation reads besides the ledger: what each chain holds (read-only: no key, never
 * the mnemonic), where the hot wallets are, and which deposit addresses still hold funds.
 */
import type { ChainId } from '../domain/currencies';

/** Balances on one chain at its head: the native coin (code of the chain's coin) or a served token. */
export interface ChainBalanceReader {
  readonly chain: ChainId;
  balanceOf(address: string, code: string): Promise<bigint>;
}

/** A deposit address with something left to sweep, as the deposit item records it. */
export type UnsweptDeposit = { chain: ChainId; address: string; code: string; received: bigint; swept: bigint };

/** Deposit addresses whose funds are not yet swept (the sparse sweep queue), per chain. */
export interface UnsweptDeposits {
  unswept(chain: ChainId): AsyncIterable<UnsweptDeposit>;
}

export type ReconciliationReaders = {
  balances(chain: ChainId): ChainBalanceReader;
  deposits: UnsweptDeposits;
  /** The hot wallet's public address on a chain (HOT_WALLETS_JSON; locally derived from the devnet mnemonic); null when not configured. */
  hotWallet(chain: ChainId): string | null;
  /** The least native coin the hot wallet should hold for fees, in base units. */
  minReserve(chain: ChainId): bigint;
};
