/**
 * The chain port over TronGrid. A scanned range costs one getblockbylimitnext per 25 blocks plus
 * one gettransactioninfobyblocknum per block that holds a smart-contract call or deployment (only
 * those can hold TRC-20 logs), whatever the number of watched addresses: matching happens here, in memory.
 * Addresses come out in base58 (`T…`); transaction and block ids as 64 lower-case hex, no 0x.
 */
import * as z from 'zod';
import type { ChainId, FinalityTag } from '../../../domain/currencies';
import type { Transfer } from '../../../domain/transfers';
import type { BlockRef, ChainAdapter, ScannedBlock, TxFacts } from '../../../ports';
import { tronAddressFromEvm, tronAddressFromHex } from './address';
import type { TronGridClient } from './trongrid-client';

/** keccak256("Transfer(address,address,uint256)"), as java-tron writes topics: no 0x. */
export const TRC20_TRANSFER_TOPIC = 'ddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef';
/**
 * Blocks per getblockbylimitnext call. The node serves up to 100, but a mainnet block with its
 * transactions is a few hundred kilobytes: 100 at once is ~25 MB, which a slow answer turns into
 * a timeout the watcher would meet again on every pass at the same range. 25 keeps an answer
 * near 6 MB; the per-block info reads dominate the call count anyway.
 */
export const BLOCKS_PER_REQUEST_MAX = 25;
/** The contract types whose execution runs TVM code, so may emit TRC-20 Transfer logs. */
const TVM_CONTRACT_TYPES = new Set(['TriggerSmartContract', 'CreateSmartContract']);
/** Transaction-info reads in flight at once while scanning (TronGrid keys have a QPS budget). */
const INFO_READ_CONCURRENCY = 4;

const lower = (s: string) => s.toLowerCase();
const hash64 = z
  .string()
  .regex(/^[0-9a-fA-F]{64}$/)
  .transform(lower);
const hexAddress = z.string().regex(/^41[0-9a-fA-F]{40}$/);
const hexData = z.string().regex(/^[0-9a-fA-F]*$/);
/** java-tron leaves out fields that hold their default (0, empty), so numbers may be absent. */
const count = z.number().int().nonnegative().default(0);

const headerShape = z.object({
  blockID: hash64,
  block_header: z.object({ raw_data: z.object({ number: count, parentHash: hash64, timestamp: count }) }),
});

/**
 * A TRX transfer's value in sun: a JSON number, or decimal text when it had more than 15 digits
 * (the client quotes those before parsing, so none is rounded: `quoteLongIntegers`).
 */
const transferValueShape = z.object({
  amount: z.union([z.number().int().nonnegative(), z.string().regex(/^\d{1,78}$/)]).default(0),
  owner_address: hexAddress,
  to_address: hexAddress,
});
const ownerShape = z.object({ owner_address: hexAddress });

/** Any contract type passes; a TRX transfer must carry what is read from it, else the answer is malformed (and retried). */
const contractShape = z
  .object({ type: z.string(), parameter: z.object({ value: z.record(z.string(), z.unknown()) }) })
  .superRefine((contract, ctx) => {
    if (contract.type !== 'TransferContract') return;
    const value = transferValueShape.safeParse(contract.parameter.value);
    if (!value.success) ctx.addIssue({ code: 'custom', path: ['parameter', 'value'], message: `bad TransferContract value: ${value.error.issues[0]?.message}` });
  });

const transactionShape = z.object({
  txID: hash64,
  /** Absent or `{}` when the result is DEFAULT (not executed): that is not SUCCESS. */
  ret: z.array(z.object({ contractRet: z.string().optional() })).optional(),
  raw_data: z.object({ contract: z.array(contractShape) }),
});
const blockShape = headerShape.extend({
  block_header: z.object({ raw_data: z.object({ number: count, parentHash: hash64, timestamp: count, txTrieRoot: hash64 }) }),
  transactions: z.array(transactionShape).default([]),
});
/** java-tron's txTrieRoot of a block without transactions (Sha256Hash.ZERO_HASH). */
const EMPTY_TX_TRIE_ROOT = '0'.repeat(64);

const logShape = z.object({
  /** 20 bytes, without Tron's 41 prefix. */
  address: z.string().regex(/^[0-9a-fA-F]{40}$/),
  topics: z.array(hexData).default([]),
  data: hexData.default(''),
});
const infoShape = z.object({
  id: hash64,
  blockNumber: count,
  /** `FAILED` on failure, absent on success. */
  result: z.string().optional(),
  /** Absent for plain TRX transfers; SUCCESS, REVERT, OUT_OF_ENERGY… for contract calls. */
  receipt: z.object({ result: z.string().optional() }).default({}),
  log: z.array(logShape).default([]),
});

/** `{}` is java-tron's "nothing there" (unknown block or transaction, or not yet in a block). */
const nothing = z.strictObject({}).transform(() => null);
const maybe = <T extends z.ZodType>(shape: T) => z.union([shape, nothing]);

type Block = z.infer<typeof blockShape>;
type Transaction = z.infer<typeof transactionShape>;
type TxInfo = z.infer<typeof infoShape>;

const blockNumberOf = (b: z.infer<typeof headerShape>) => b.block_header.raw_data.number;
const contractOf = (tx: Transaction) => tx.raw_data.contract[0];

/** A block id starts with its number (8 bytes): a block whose id and number disagree is no answer. */
function checkBlockId(b: z.infer<typeof headerShape>, chain: ChainId): void {
  if (Number.parseInt(b.blockID.slice(0, 16), 16) !== blockNumberOf(b)) throw new Error(`${chain}: block ${blockNumberOf(b)} has the id ${b.blockID}, which names another number`);
}

/**
 * A block answered without its transactions (a node that serves the header only) would be passed
 * for good, its payments lost: the header's txTrieRoot says whether it has any.
 */
function checkTransactionsListed(b: Block, chain: ChainId): void {
  const hasSome = b.block_header.raw_data.txTrieRoot !== EMPTY_TX_TRIE_ROOT;
  if (hasSome !== b.transactions.length > 0) throw new Error(`${chain}: block ${blockNumberOf(b)} came ${hasSome ? 'without its transactions' : 'with transactions its header does not have'}; retrying`);
}

/** The rule of the contract doc: the block's result, the info's result and the receipt's all say success. */
function succeeded(tx: Transaction, info: TxInfo | null): boolean {
  if (tx.ret?.[0]?.contractRet !== 'SUCCESS') return false;
  if (!info) return true;
  return info.result !== 'FAILED' && (info.receipt.result === undefined || info.receipt.result === 'SUCCESS');
}

/** A TRC-20 Transfer (three topics; TRC-721 has four) with a 32-byte amount. */
function decodeTransferLog(log: z.infer<typeof logShape>) {
  if (log.topics.length !== 3 || log.topics[0].toLowerCase() !== TRC20_TRANSFER_TOPIC || log.data.length !== 64) return null;
  if (log.topics[1].length !== 64 || log.topics[2].length !== 64) return null;
  return {
    contract: tronAddressFromEvm(log.address),
    from: tronAddressFromEvm(log.topics[1].slice(24)),
    to: tronAddressFromEvm(log.topics[2].slice(24)),
    amount: BigInt(`0x${log.data}`),
  };
}

/** Sun as a bigint; a number past 2^53 would already be rounded, so it is refused (the client quotes long integers, so none arrives). */
function exactSun(amount: number | string, chain: ChainId, txId: string): bigint {
  if (typeof amount === 'number' && !Number.isSafeInteger(amount)) throw new Error(`${chain}: the TRX amount of ${txId} is beyond exact JSON numbers; it cannot be credited from TronGrid's answer`);
  return BigInt(amount);
}

export class TronChainReader implements ChainAdapter {
  private verified: boolean;

  /**
   * `expectedChainId` (optional): Tron's chain id is the last 4 bytes of the genesis block id
   * (mainnet 0x2b6653dc); when given, the node's genesis block is checked once, so a Nile URL
   * configured for mainnet fails loudly instead of crediting foreign transfers.
   */
  constructor(
    private readonly chain: ChainId,
    private readonly client: TronGridClient,
    private readonly expectedChainId?: number,
  ) {
    this.verified = expectedChainId === undefined;
  }

  get calls() {
    return this.client.calls;
  }

  private async verifyChain(): Promise<void> {
    if (this.verified) return;
    const genesis = await this.client.post('/wallet/getblockbynum', { num: 0 }, maybe(z.object({ blockID: hash64 })));
    const id = genesis ? Number.parseInt(genesis.blockID.slice(-8), 16) : null;
    if (id !== this.expectedChainId) throw new Error(`the TronGrid endpoint for ${this.chain} serves chain id ${id}, expected ${this.expectedChainId}; check its URL`);
    this.verified = true;
  }

  async head(): Promise<BlockRef> {
    await this.verifyChain();
    const b = await this.client.post('/wallet/getnowblock', {}, headerShape);
    checkBlockId(b, this.chain);
    return { number: blockNumberOf(b), hash: b.blockID };
  }

  /** Tron's finality is `solidified`; `safe` and `finalized` are EVM tags and are refused. */
  async taggedBlock(tag: FinalityTag): Promise<number> {
    if (tag !== 'solidified') throw new Error(`${this.chain} has no '${tag}' block: its finality tag is 'solidified'`);
    await this.verifyChain();
    const b = await this.client.post('/walletsolidity/getnowblock', {}, headerShape);
    checkBlockId(b, this.chain);
    return blockNumberOf(b);
  }

  async blockHash(number: number): Promise<string | null> {
    await this.verifyChain();
    const b = await this.client.post('/wallet/getblockbynum', { num: number }, maybe(headerShape));
    if (!b) return null;
    checkBlockId(b, this.chain);
    if (blockNumberOf(b) !== number) throw new Error(`${this.chain}: asked for block ${number}, got ${blockNumberOf(b)}`);
    return b.blockID;
  }

  /** Blocks [from, to], in order and linked by parent hash, or an error. */
  private async blocks(from: number, to: number): Promise<Block[]> {
    const out: Block[] = [];
    for (let start = from; start <= to; start += BLOCKS_PER_REQUEST_MAX) {
      const end = Math.min(start + BLOCKS_PER_REQUEST_MAX, to + 1); // exclusive, as the API takes it
      const answer = await this.client.post('/wallet/getblockbylimitnext', { startNum: start, endNum: end }, z.object({ block: z.array(blockShape).default([]) }));
      const byNumber = new Map(answer.block.map((b) => [blockNumberOf(b), b]));
      for (let n = start; n < end; n += 1) {
        const block = byNumber.get(n);
        if (!block) throw new Error(`${this.chain}: block ${n} is not available yet`);
        checkBlockId(block, this.chain);
        checkTransactionsListed(block, this.chain);
        const previous = out.at(-1);
        // Two reads that straddle a fork give blocks that do not link: stop; the watcher retries.
        if (previous && block.block_header.raw_data.parentHash !== previous.blockID) throw new Error(`${this.chain}: chain moved during scan at block ${n}`);
        out.push(block);
      }
    }
    return out;
  }

  /** The info of each transaction of `block`, by txID; the info list must name exactly the block's transactions. */
  private async infosOf(block: Block): Promise<Map<string, TxInfo>> {
    const number = blockNumberOf(block);
    const infos = await this.client.post('/wallet/gettransactioninfobyblocknum', { num: number }, z.array(infoShape));
    const expected = block.transactions.map((tx) => tx.txID);
    const same = infos.length === expected.length && infos.every((info, i) => info.id === expected[i] && info.blockNumber === number);
    if (!same) throw new Error(`${this.chain}: chain moved during scan at block ${number} (its transaction infos are of another block)`);
    return new Map(infos.map((info) => [info.id, info]));
  }

  async scan(range: { from: number; to: number }, isWatched: (address: string) => boolean, contracts: string[] | 'all'): Promise<{ blocks: ScannedBlock[]; transfers: Transfer[] }> {
    await this.verifyChain();
    const fullBlocks = await this.blocks(range.from, range.to);
    const blocks: ScannedBlock[] = fullBlocks.map((b) => ({ number: blockNumberOf(b), hash: b.blockID, parentHash: b.block_header.raw_data.parentHash, time: b.block_header.raw_data.timestamp }));
    const accepted = contracts === 'all' ? null : new Set(contracts);

    // Only code run by the TVM (a call, or a new contract's constructor) emits logs; blocks of plain transfers need no second read.
    const withCalls = fullBlocks.filter((b) => b.transactions.some((tx) => TVM_CONTRACT_TYPES.has(contractOf(tx)?.type ?? '')));
    const infosByBlock = new Map<string, Map<string, TxInfo>>();
    for (let i = 0; i < withCalls.length; i += INFO_READ_CONCURRENCY) {
      const batch = withCalls.slice(i, i + INFO_READ_CONCURRENCY);
      const read = await Promise.all(batch.map((b) => this.infosOf(b)));
      for (const [j, infos] of read.entries()) infosByBlock.set(batch[j].blockID, infos);
    }

    const transfers: Transfer[] = [];
    for (const [i, block] of fullBlocks.entries()) {
      const at = { chain: this.chain, blockNumber: blocks[i].number, blockHash: blocks[i].hash, blockTime: blocks[i].time };
      const infos = infosByBlock.get(block.blockID);
      for (const tx of block.transactions) {
        const contract = contractOf(tx);
        const info = infos?.get(tx.txID) ?? null;
        if (!contract || !succeeded(tx, info)) continue;
        if (contract.type === 'TransferContract') {
          const value = transferValueShape.parse(contract.parameter.value);
          const to = tronAddressFromHex(value.to_address);
          if (BigInt(value.amount) === 0n || !isWatched(to)) continue;
          transfers.push({ ...at, txHash: tx.txID, logIndex: null, contract: null, from: tronAddressFromHex(value.owner_address), to, amount: exactSun(value.amount, this.chain, tx.txID) });
        }
        // Logs are read for every successful transaction with an info: a TRC-20 can be moved by a
        // call to another contract (a router), and the log names the token that moved.
        for (const [logIndex, log] of (info?.log ?? []).entries()) {
          const decoded = decodeTransferLog(log);
          if (!decoded || decoded.amount === 0n || (accepted && !accepted.has(decoded.contract)) || !isWatched(decoded.to)) continue;
          transfers.push({ ...at, txHash: tx.txID, logIndex, ...decoded });
        }
      }
    }
    return { blocks, transfers };
  }

  async transaction(txHash: string): Promise<TxFacts | null> {
    await this.verifyChain();
    const txId = txHash.toLowerCase().replace(/^0x/, '');
    const [tx, info] = await Promise.all([
      this.client.post('/wallet/gettransactionbyid', { value: txId }, maybe(transactionShape)),
      this.client.post('/wallet/gettransactioninfobyid', { value: txId }, maybe(infoShape)),
    ]);
    // Unknown, or broadcast but not yet in a block (the info appears with the block).
    if (!tx || !info || info.blockNumber === 0) return null;
    if (tx.txID !== txId || info.id !== txId) throw new Error(`${this.chain}: asked for ${txId}, got ${tx.txID} and its info ${info.id}`);
    const block = await this.client.post('/wallet/getblockbynum', { num: info.blockNumber }, maybe(blockShape));
    // Crediting trusts this answer: an info from one fork and a block from another is no answer.
    const inBlock = block?.transactions.find((t) => t.txID === txId);
    if (!block || !inBlock) throw new Error(`${this.chain}: the chain moved while reading ${txId}; retrying`);
    checkBlockId(block, this.chain);
    const contract = contractOf(tx);
    if (!contract) throw new Error(`${this.chain}: transaction ${txId} has no contract`);
    const transfer = contract.type === 'TransferContract' ? transferValueShape.parse(contract.parameter.value) : null;
    return {
      txHash: txId,
      blockNumber: blockNumberOf(block),
      blockHash: block.blockID,
      blockTime: block.block_header.raw_data.timestamp,
      // The result recorded in the block named here: a node on another fork may have run it otherwise.
      succeeded: succeeded(inBlock, info),
      from: tronAddressFromHex(ownerShape.parse(contract.parameter.value).owner_address),
      to: transfer ? tronAddressFromHex(transfer.to_address) : null,
      value: transfer ? exactSun(transfer.amount, this.chain, txId) : 0n,
      // `logIndex` is the log's place in this transaction's info (as in scan).
      tokenTransfers: info.log.flatMap((log, logIndex) => {
        const decoded = decodeTransferLog(log);
        return decoded ? [{ logIndex, ...decoded }] : [];
      }),
    };
  }
}
