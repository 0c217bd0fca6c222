/** The admin view of a watched chain: what it serves, its confirmation rules, and how far the scan is behind. */
import { type ChainDeployment, describeFinality } from '../../domain/chains';
import { isoTime } from '../../domain/time';

/** Where the watcher stands on a chain; null before its first pass. */
type ScanPosition = { cursor: number; head: { number: number }; headAt: number } | null;

export const presentChainStatus = (d: ChainDeployment, cp: ScanPosition) => ({
  chain: d.chain,
  family: d.family,
  name: d.name,
  /** The network id the endpoints must serve (EIP-155 on EVM; on Tron the genesis block id's last 4 bytes). */
  chain_id: d.evmChainId,
  /** Kept for EVM clients of this view; a Tron chain has no EIP-155 id. */
  evm_chain_id: d.family === 'evm' ? d.evmChainId : null,
  devnet: d.devnet,
  codes: d.currencies.map((c) => c.currency.code),
  confirmations: { normal: describeFinality(d.confirmations.normal), ...(d.confirmations.large ? { above_usd: d.confirmations.large.aboveUsd, large: describeFinality(d.confirmations.large.rule) } : {}) },
  scanned_to: cp?.cursor ?? null,
  head: cp?.head.number ?? null,
  lag_blocks: cp ? cp.head.number - cp.cursor : null,
  head_seen_at: cp ? isoTime(cp.headAt) : null,
});
