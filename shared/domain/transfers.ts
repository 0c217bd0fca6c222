/**
 * What a chain watcher reports: transfers into watched addresses, and blocks that left the
 * canonical chain. These are the messages on the observations queue; the crediting consumer is
 * the only one that turns them into payments (DESIGN §2).
 */
import { rulesOf } from './chain-families';
import { CHAINS, type ChainId } from './currencies';
import type { Instant } from './time';

export type Transfer = {
  chain: ChainId;
  txHash: string;
  /**
   * The log's place among its transaction's receipt logs (not in the block: a reorg that moves
   * the transaction keeps it); null for the transaction's own (native) value.
   */
  logIndex: number | null;
  blockNumber: number;
  blockHash: string;
  /** The block's timestamp: decides whether a payment was on time. */
  blockTime: Instant;
  /** The token contract; null for the native coin. */
  contract: string | null;
  from: string;
  to: string;
  amount: bigint;
};

/** What a transaction did on chain, as crediting and attach-tx read it. */
export type TxFacts = {
  txHash: string;
  blockNumber: number;
  blockHash: string;
  blockTime: Instant;
  succeeded: boolean;
  from: string;
  /** The transaction's own recipient and value (native coin). */
  to: string | null;
  value: bigint;
  /** ERC-20 Transfer logs it emitted; `logIndex` is the log's place in the receipt. */
  tokenTransfers: { logIndex: number; contract: string; from: string; to: string; amount: bigint }[];
};

/** The value a successful transaction moved: its own (native) value, then each token Transfer log. Zero amounts included. */
export function transfersOf(tx: TxFacts, chain: ChainId): Transfer[] {
  if (!tx.succeeded) return [];
  const base = { chain, txHash: tx.txHash, blockNumber: tx.blockNumber, blockHash: tx.blockHash, blockTime: tx.blockTime };
  const native: Transfer[] = tx.to ? [{ ...base, logIndex: null, contract: null, from: tx.from, to: tx.to, amount: tx.value }] : [];
  return [...native, ...tx.tokenTransfers.map((t) => ({ ...base, logIndex: t.logIndex, contract: t.contract, from: t.from, to: t.to, amount: t.amount }))];
}

/** The idempotency key of an on-chain transfer (DESIGN §4): `chain#txHash#logIndex`. */
export const transferKey = (t: Pick<Transfer, 'chain' | 'txHash' | 'logIndex'>): string =>
  `${t.chain}#${t.txHash.toLowerCase()}#${t.logIndex === null ? 'native' : t.logIndex}`;

/** Whether a text is a transfer key of a registry chain, with a hash in that chain's family's form. */
export function isTransferKey(key: string): boolean {
  const [chain, txHash, position, ...rest] = key.split('#');
  return rest.length === 0 && Object.hasOwn(CHAINS, chain) && rulesOf(chain as ChainId).txHashPattern.test(txHash ?? '') && /^(\d+|native)$/.test(position ?? '');
}

/** The parts of a transfer key; the key's chain, hash and position, as `transferKey` wrote them. */
export function parseTransferKey(key: string): { chain: string; txHash: string; logIndex: number | null } {
  const [chain, txHash, position] = key.split('#');
  if (!chain || !txHash || !position || !(position === 'native' || /^\d+$/.test(position))) throw new Error(`invalid transfer key ${JSON.stringify(key)}`);
  return { chain, txHash, logIndex: position === 'native' ? null : Number(position) };
}

export type Observation =
  /** A transfer in a block the watcher scanned (or one a merchant attached). Not yet final. */
  | { kind: 'transfer.seen'; transfer: Transfer; source: 'watcher' | 'attach_tx' }
  /** A pending transfer reached its depth and its block is still canonical. */
  | { kind: 'transfer.confirmed'; chain: ChainId; key: string; blockNumber: number; blockHash: string; confirmations: number }
  /** Ask the chain again about one recorded transfer (crediting fans a large reorg out into these). */
  | { kind: 'transfer.recheck'; chain: ChainId; key: string }
  /** These blocks are no longer canonical: whatever was seen in them is withdrawn. */
  | { kind: 'blocks.orphaned'; chain: ChainId; blocks: { number: number; hash: string }[] };

/** JSON-safe form for the queue (bigint as decimal text). */
export function encodeObservation(o: Observation): string {
  return JSON.stringify(o, (_k, v) => (typeof v === 'bigint' ? v.toString() : v));
}

/** A stable message id per observation, so a re-sent observation de-duplicates in logs. */
export function observationId(o: Observation): string {
  switch (o.kind) {
    case 'transfer.seen':
      return `seen:${transferKey(o.transfer)}:${o.transfer.blockHash}`;
    case 'transfer.recheck':
      return `recheck:${o.key}`;
    case 'transfer.confirmed':
      return `confirmed:${o.key}:${o.blockHash}`;
    case 'blocks.orphaned':
      return `orphaned:${o.chain}:${o.blocks.map((b) => b.hash).join(',')}`;
  }
}

/** An observation as a queue message: its stable id and a JSON-safe body. */
export const observationMessage = (o: Observation) => ({ id: observationId(o), body: JSON.parse(encodeObservation(o)) as unknown });
