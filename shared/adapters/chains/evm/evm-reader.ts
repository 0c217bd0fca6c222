/**
 * ChainAdapter over JSON-RPC. The calls per scanned range, whatever the number of open invoices
 * (matching against deposit addresses happens here, in memory; DESIGN §6): with a native-coin
 * address watched, one `eth_getLogs` plus one block read per block (in batches of
 * FULL_BLOCKS_PER_BATCH, one HTTP request each); without, 4 (see `scan`).
 */
import * as z from 'zod';
import type { ChainId } from '../../../domain/currencies';
import type { Transfer } from '../../../domain/transfers';
import type { BlockRef, ChainAdapter, ScannedBlock, ScanOptions, TxFacts } from '../../../ports';
import { type JsonRpcClient, RPC_BATCH_CALLS_MAX, type RpcCall, RpcError } from './json-rpc';

/** keccak256("Transfer(address,address,uint256)") */
export const TRANSFER_TOPIC = '0xddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef';

const hex = z.string().regex(/^0x[0-9a-fA-F]*$/);
const hash32 = z.string().regex(/^0x[0-9a-fA-F]{64}$/);
const address = z.string().regex(/^0x[0-9a-fA-F]{40}$/);
const quantity = hex.transform((v) => BigInt(v));

const headerShape = z.object({ number: hex, hash: hash32, parentHash: hash32, timestamp: hex });
const txShape = z.object({ hash: hash32, from: address, to: address.nullable(), value: hex, blockNumber: hex.nullable().optional(), blockHash: hash32.nullable().optional() });
const fullBlockShape = headerShape.extend({ transactions: z.array(txShape) });
const logShape = z.object({
  address,
  topics: z.array(hex),
  data: hex,
  blockNumber: hex,
  blockHash: hash32,
  transactionHash: hash32,
  logIndex: hex,
  removed: z.boolean().optional(),
});
const receiptShape = z.object({ status: hex.optional(), blockNumber: hex, blockHash: hash32, from: address, to: address.nullable(), logs: z.array(logShape) });

const toHex = (n: number) => `0x${n.toString(16)}`;
const topicAddress = (topic: string) => `0x${topic.slice(26)}`.toLowerCase();
/** Full blocks per batch: a busy L1 block with its transactions is 100-200 KB, and providers cap batch answers. */
const FULL_BLOCKS_PER_BATCH = 10;

const scannedBlock = (b: z.infer<typeof headerShape>): ScannedBlock => ({ number: Number(b.number), hash: b.hash.toLowerCase(), parentHash: b.parentHash.toLowerCase(), time: Number(b.timestamp) * 1000 });
/** Providers refuse large log ranges with these words; the range is halved and retried. */
const RANGE_TOO_LARGE = /range|too many|limit|exceed|10000|response size/i;

/** An ERC-20 Transfer (three topics; ERC-721 has four) with a 32-byte amount. */
function decodeTransferLog(log: z.infer<typeof logShape>) {
  if (log.topics.length !== 3 || log.topics[0].toLowerCase() !== TRANSFER_TOPIC || log.data.length !== 66) return null;
  return { contract: log.address.toLowerCase(), from: topicAddress(log.topics[1]), to: topicAddress(log.topics[2]), amount: BigInt(log.data) };
}

export class EvmChainReader implements ChainAdapter {
  private verified = false;

  constructor(
    private readonly chain: ChainId,
    private readonly expectedChainId: number,
    private readonly rpc: JsonRpcClient,
  ) {}

  get calls() {
    return this.rpc.calls;
  }

  get requests() {
    return this.rpc.requests;
  }

  /** A misconfigured URL (another network) must fail loudly, not credit foreign transfers. */
  private async verifyChain(): Promise<void> {
    if (this.verified) return;
    const id = Number(await this.rpc.call('eth_chainId', [], quantity));
    if (id !== this.expectedChainId) throw new Error(`the RPC endpoint for ${this.chain} serves chain id ${id}, expected ${this.expectedChainId}; check its RPC URL`);
    this.verified = true;
  }

  private async header(tag: string): Promise<z.infer<typeof headerShape> | null> {
    await this.verifyChain();
    return this.rpc.call('eth_getBlockByNumber', [tag, false], headerShape.nullable());
  }

  async head(): Promise<BlockRef> {
    const h = await this.header('latest');
    if (!h) throw new Error(`${this.chain}: the node has no latest block`);
    return { number: Number(h.number), hash: h.hash.toLowerCase() };
  }

  async taggedBlock(tag: 'safe' | 'finalized'): Promise<number> {
    const h = await this.header(tag);
    if (!h) throw new Error(`${this.chain}: the node does not know the ${tag} block`);
    return Number(h.number);
  }

  async blockHash(number: number): Promise<string | null> {
    return (await this.header(toHex(number)))?.hash.toLowerCase() ?? null;
  }

  /**
   * The Transfer logs of [from, to], each `eth_getLogs` in one batch (one HTTP request, so one
   * node of a provider's pool) with `alongside`: reads of the scanned range's end block. A node
   * that lags answers the logs of blocks it does not have yet with an empty or short list, no
   * error, and no hash check can see a log that is missing; the end block read beside them shows
   * whether that node had the range (null: it lags) and on which fork. The last answers of
   * `alongside` are returned.
   */
  private async logs<T>(from: number, to: number, contracts: string[] | 'all', alongside: RpcCall<T>[]): Promise<{ logs: z.infer<typeof logShape>[]; alongside: T[] }> {
    const filter = { fromBlock: toHex(from), toBlock: toHex(to), topics: [TRANSFER_TOPIC], ...(contracts === 'all' ? {} : { address: contracts }) };
    try {
      const [logs, ...rest] = (await this.rpc.batch([{ method: 'eth_getLogs', params: [filter], shape: z.array(logShape) }, ...alongside] as RpcCall<unknown>[], { inOrder: true })) as [
        z.infer<typeof logShape>[],
        ...T[],
      ];
      return { logs, alongside: rest };
    } catch (e) {
      if (!(e instanceof RpcError) || !RANGE_TOO_LARGE.test(e.message) || from === to) throw e;
      const mid = Math.floor((from + to) / 2);
      const low = await this.logs(from, mid, contracts, alongside);
      const high = await this.logs(mid + 1, to, contracts, alongside);
      return { logs: [...low.logs, ...high.logs], alongside: high.alongside };
    }
  }

  /**
   * Full mode (native coin watched): every block with its transactions, read in batches, the
   * Transfer logs in the last one. Logs mode (`native: false`, no native-coin address watched): the
   * range end's header, then one batch with the logs and the end's header again, then one with the
   * headers of the range's first block and the blocks holding matches (and the matches'
   * receipts): 4 calls per range with no match, whatever its length, where full mode costs one
   * call per block.
   */
  async scan(range: { from: number; to: number }, isWatched: (address: string) => boolean, contracts: string[] | 'all', options: ScanOptions = { native: true }) {
    await this.verifyChain();
    return options.native ? this.scanBlocks(range, isWatched, contracts) : this.scanLogs(range, isWatched, contracts, options.head);
  }

  private async scanBlocks(range: { from: number; to: number }, isWatched: (address: string) => boolean, contracts: string[] | 'all') {
    const numbers = Array.from({ length: range.to - range.from + 1 }, (_, i) => range.from + i);
    const fullBlocks: z.infer<typeof fullBlockShape>[] = [];
    let logs: z.infer<typeof logShape>[] = [];
    for (let i = 0; i < numbers.length; i += FULL_BLOCKS_PER_BATCH) {
      const batch = numbers.slice(i, i + FULL_BLOCKS_PER_BATCH);
      const calls = batch.map((n) => ({ method: 'eth_getBlockByNumber', params: [toHex(n), true], shape: fullBlockShape.nullable() }));
      // The last batch carries the logs: the node that answers them also shows the range's end block.
      const last = i + FULL_BLOCKS_PER_BATCH >= numbers.length;
      let read: (z.infer<typeof fullBlockShape> | null)[];
      if (last) {
        const withLogs = await this.logs(range.from, range.to, contracts, calls);
        logs = withLogs.logs;
        read = withLogs.alongside;
      } else {
        read = await this.rpc.batch(calls);
      }
      for (const [j, block] of read.entries()) {
        if (!block) throw new Error(`${this.chain}: block ${batch[j]} is not available yet`);
        fullBlocks.push(block);
      }
    }
    const blocks: ScannedBlock[] = fullBlocks.map(scannedBlock);
    const transfers = await this.tokenTransfers(this.matchedLogs(logs, isWatched), new Map(blocks.map((b) => [b.number, b])));

    const nativeMatches = fullBlocks.flatMap((b, i) => b.transactions.filter((tx) => tx.to && BigInt(tx.value) !== 0n && isWatched(tx.to.toLowerCase())).map((tx) => ({ tx, block: blocks[i] })));
    // A reverted transaction moves no value: ask its receipt (only for matches, so rare).
    const receipts = await this.batched(nativeMatches.map((m) => ({ method: 'eth_getTransactionReceipt', params: [m.tx.hash], shape: receiptShape.nullable() })));
    for (const [i, { tx, block }] of nativeMatches.entries()) {
      const receipt = receipts[i];
      if (receipt?.status !== '0x1' || receipt.blockHash.toLowerCase() !== block.hash) continue;
      transfers.push({
        chain: this.chain,
        txHash: tx.hash.toLowerCase(),
        logIndex: null,
        blockNumber: block.number,
        blockHash: block.hash,
        blockTime: block.time,
        contract: null,
        from: tx.from.toLowerCase(),
        to: (tx.to as string).toLowerCase(),
        amount: BigInt(tx.value),
      });
    }
    return { blocks, transfers };
  }

  /**
   * Reorg safety without every block: the end's hash is read BEFORE the logs (or was: the head), so a reorg after
   * it shows at the next pass's check of the checkpoint block (the end); the end read AFTER the
   * logs, by the node that answered them (same batch), must have the same hash (a lagging node has
   * no such block: its empty answer is not taken for "no transfers"); the headers read after must
   * carry the logs' block hashes, and a first block whose parent the watcher checks against its
   * checkpoint. The blocks returned are those three kinds only.
   */
  private async scanLogs(range: { from: number; to: number }, isWatched: (address: string) => boolean, contracts: string[] | 'all', head?: BlockRef) {
    // The head the watcher read before this scan is such a read when it is the range's end (a busy pass's usual case).
    const before = head?.number === range.to ? head : await this.header(toHex(range.to));
    if (!before) throw new Error(`${this.chain}: block ${range.to} is not available yet`);
    // The end block read after the logs, by the node that answered them (see `logs`).
    const read = await this.logs(range.from, range.to, contracts, [{ method: 'eth_getBlockByNumber', params: [toHex(range.to), false], shape: headerShape.nullable() }]);
    const end = read.alongside[0];
    if (!end) throw new Error(`${this.chain}: block ${range.to} is not available yet on the node that answered its logs`);
    const matched = this.matchedLogs(read.logs, isWatched);
    const numbers = [...new Set([range.from, ...matched.map((m) => Number(m.log.blockNumber))])].filter((n) => n !== range.to).sort((a, b) => a - b);
    const headers = await this.batched(numbers.map((n) => ({ method: 'eth_getBlockByNumber', params: [toHex(n), false], shape: headerShape.nullable() })));
    const blocks = [
      ...headers.map((h, i) => {
        if (!h) throw new Error(`${this.chain}: block ${numbers[i]} is not available yet`);
        return scannedBlock(h);
      }),
      scannedBlock(end),
    ];
    if (blocks.at(-1)?.hash !== before.hash.toLowerCase()) throw new Error(`${this.chain}: chain moved during scan at block ${range.to}`);
    const transfers = await this.tokenTransfers(matched, new Map(blocks.map((b) => [b.number, b])));
    return { blocks, transfers };
  }

  private matchedLogs(logs: z.infer<typeof logShape>[], isWatched: (address: string) => boolean) {
    return logs.flatMap((log) => {
      const decoded = log.removed ? null : decodeTransferLog(log);
      return decoded && decoded.amount > 0n && isWatched(decoded.to) ? [{ log, decoded }] : [];
    });
  }

  /** Token transfers in the range, each checked against the block read for it (by hash). */
  private async tokenTransfers(matched: ReturnType<EvmChainReader['matchedLogs']>, byNumber: Map<number, ScannedBlock>): Promise<Transfer[]> {
    // A transfer is named by its log's place in its own transaction, not in the block, so the
    // same transfer keeps its key when a reorg re-includes the transaction elsewhere. One receipt
    // per matching transaction (matches are rare; spam with many logs in one transaction costs one).
    const positions = await this.logPositions([...new Set(matched.map((m) => m.log.transactionHash.toLowerCase()))]);
    const transfers: Transfer[] = [];
    for (const { log, decoded } of matched) {
      const block = byNumber.get(Number(log.blockNumber));
      const txHash = log.transactionHash.toLowerCase();
      const position = positions.get(txHash);
      // The logs came from another fork than the blocks: stop; the next pass rescans.
      if (!block || block.hash !== log.blockHash.toLowerCase() || position?.blockHash !== block.hash) throw new Error(`${this.chain}: chain moved during scan at block ${Number(log.blockNumber)}`);
      const logIndex = position.byBlockIndex.get(Number(log.logIndex));
      if (logIndex === undefined) throw new Error(`${this.chain}: log ${Number(log.logIndex)} is not in the receipt of ${txHash}`);
      transfers.push({ chain: this.chain, txHash, logIndex, blockNumber: block.number, blockHash: block.hash, blockTime: block.time, ...decoded });
    }
    return transfers;
  }

  /** Calls in batches of at most RPC_BATCH_CALLS_MAX (one HTTP request each). */
  private async batched<T>(calls: RpcCall<T>[]): Promise<T[]> {
    const out: T[] = [];
    for (let i = 0; i < calls.length; i += RPC_BATCH_CALLS_MAX) out.push(...(await this.rpc.batch(calls.slice(i, i + RPC_BATCH_CALLS_MAX))));
    return out;
  }

  /** For each transaction: its block, and each of its logs' place in the receipt by the log's place in the block. */
  private async logPositions(txHashes: string[]): Promise<Map<string, { blockHash: string; byBlockIndex: Map<number, number> }>> {
    const out = new Map<string, { blockHash: string; byBlockIndex: Map<number, number> }>();
    const receipts = await this.batched(txHashes.map((h) => ({ method: 'eth_getTransactionReceipt', params: [h], shape: receiptShape.nullable() })));
    for (const [i, receipt] of receipts.entries()) {
      if (receipt) out.set(txHashes[i], { blockHash: receipt.blockHash.toLowerCase(), byBlockIndex: new Map(receipt.logs.map((l, k) => [Number(l.logIndex), k])) });
    }
    return out;
  }

  async transaction(txHash: string): Promise<TxFacts | null> {
    await this.verifyChain();
    const [tx, receipt] = await Promise.all([
      this.rpc.call('eth_getTransactionByHash', [txHash], txShape.nullable()),
      this.rpc.call('eth_getTransactionReceipt', [txHash], receiptShape.nullable()),
    ]);
    if (!tx || !receipt) return null;
    const header = await this.header(receipt.blockNumber);
    if (!header) return null;
    // Crediting trusts this answer: a receipt from one fork and a block from another is no answer.
    if (header.hash.toLowerCase() !== receipt.blockHash.toLowerCase()) throw new Error(`${this.chain}: the chain moved while reading ${txHash}; retrying`);
    return {
      txHash: tx.hash.toLowerCase(),
      blockNumber: Number(receipt.blockNumber),
      blockHash: receipt.blockHash.toLowerCase(),
      blockTime: Number(header.timestamp) * 1000,
      succeeded: receipt.status === '0x1',
      from: tx.from.toLowerCase(),
      to: tx.to?.toLowerCase() ?? null,
      value: BigInt(tx.value),
      // `logIndex` is the log's place in this transaction's receipt (see scan).
      tokenTransfers: receipt.logs.flatMap((log, position) => {
        const decoded = decodeTransferLog(log);
        return decoded ? [{ logIndex: position, ...decoded }] : [];
      }),
    };
  }
}
