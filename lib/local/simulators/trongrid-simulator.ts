/**
 * TronGrid simulator: a local HTTP server answering exactly the TronGrid (java-tron full-node HTTP
 * API) subset Tollgate's Tron adapter reads (the adapter contract of issue 11), over a
 * simulated chain with TRX and two TRC-20 test tokens. A named simulator, the one test double the
 * project allows: no local Tron node exists. Real parts inside: txIDs are sha256 of the protobuf
 * raw_data, transactions are secp256k1-signed, broadcasts are verified like java-tron does.
 *
 * Endpoints (all POST with a JSON body; GET with query parameters also works), and the page each
 * shape follows (developers.tron.network reference slugs; the java-tron manual pages under
 * https://tronprotocol.github.io/documentation-en/api/http/ describe the same servlets):
 * - POST /wallet/getnowblock {}                      -> Block
 *   https://developers.tron.network/reference/wallet-getnowblock
 * - POST /walletsolidity/getnowblock {}              -> the solidified Block (head - solidifyDepth)
 *   https://developers.tron.network/reference/walletsolidity-getnowblock
 * - POST /wallet/getblockbynum {num}                 -> Block, or {} beyond the head
 *   https://developers.tron.network/reference/wallet-getblockbynum
 * - POST /wallet/getblockbylimitnext {startNum, endNum} -> {block: [...]} for startNum <= n < endNum,
 *   {} unless 0 < endNum - startNum <= 100 and some block exists (java-tron GetBlockByLimitNextServlet)
 *   https://developers.tron.network/reference/wallet-getblockbylimitnext
 * - POST /wallet/gettransactioninfobyblocknum {num}  -> [TxInfo, ...] in block order; [] for an
 *   empty or future block; {} for num <= 0 (java-tron GetTransactionInfoByBlockNumServlet)
 *   https://developers.tron.network/reference/gettransactioninfobyblocknum
 *   https://tronprotocol.github.io/documentation-en/api/http/block-and-tx-query/gettransactioninfobyblocknum/
 * - POST /wallet/gettransactionbyid {value}          -> Transaction, or {} when unknown or still pending
 *   https://developers.tron.network/reference/wallet-gettransactionbyid
 * - POST /wallet/gettransactioninfobyid {value}      -> TxInfo, or {} when unknown or still pending
 *   https://developers.tron.network/reference/gettransactioninfobyid
 * - POST /wallet/broadcasttransaction <signed tx>    -> {result: true, txid} or {code, txid, message(hex)}
 *   https://developers.tron.network/reference/broadcasttransaction
 *   https://tronprotocol.github.io/documentation-en/api/http/tx-build-and-broadcast/broadcasttransaction/
 *   Like java-tron it re-serialises raw_data to protobuf, takes sha256 of it as the txID and checks
 *   signature[0] against it; the sent txID and raw_data_hex are not trusted.
 * - POST /wallet/getblock {id_or_num?, detail?}      -> Block (head when no id_or_num; no transactions
 *   unless detail): tronweb reads it for the reference block when it builds a transaction.
 *   https://developers.tron.network/reference/getblock
 * - POST /wallet/getaccount {address, visible?}      -> {address, balance} or {} for an account that
 *   does not exist (never received TRX) https://developers.tron.network/reference/account-getaccount
 * - POST /wallet/triggerconstantcontract {owner_address, contract_address, function_selector,
 *   parameter, visible?} -> {result: {result: true}, energy_used, constant_result: [word]}; only the
 *   tokens' `balanceOf(address)` is simulated https://developers.tron.network/reference/triggerconstantcontract
 * - POST /wallet/getchainparameters {}               -> {chainParameter: [{key, value}]}: the prices the
 *   simulator burns at https://developers.tron.network/reference/wallet-getchainparameters
 * Errors: a 401 `{"Error":"ApiKey not exists"}` when a key is required and missing (TronGrid's
 * body); injected faults answer 429 `{"Error":"request rate exceeded the allowed_rps(…)…"}`
 * (TronGrid's rate-limit body) or 503 with nginx's HTML page; a malformed body answers 200
 * `{"Error": "…"}` as java-tron does.
 *
 * Control API (not TronGrid; never faulted, never needs the key), also methods on the returned object:
 * GET /_simulator/info, GET /_simulator/balance?address=&token=, POST /_simulator/transfer
 * {to, amount, token?, from?, fail?, mine?}, /_simulator/mine {blocks}, /_simulator/fork
 * {depth, reinclude}, /_simulator/faults {rate, statuses?, seed?}, /_simulator/fund {address, amount, token?},
 * /_simulator/deploy-token {label, supply} (another TRC-20, as any account may deploy).
 *
 * Simplifications (each a choice, not an accident): by default TRX transfers use free bandwidth
 * (receipt net_usage, no fee) and TRC-20 calls pay bandwidth and energy in TRX at fixed prices;
 * with `resources: MAINNET_RESOURCES` the simulator burns like mainnet in burn mode instead (600
 * free bytes a day per account, then bandwidth burned; 1.1 TRX to create a recipient account; see
 * trongrid/execution.ts ResourceModel), which is what a sender's fee quotes are tested against.
 * Staking, multi-signature permissions and other contract types do not exist;
 * `fund` changes balances out of band (no transaction, not undone by forks).
 * Helpers: trongrid/encoding.ts (addresses, protobuf bytes), trongrid/execution.ts (what a
 * transaction does in a block: balances, fees, TxInfo).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { computeAddress, keccak256, recoverAddress, Signature, SigningKey, toUtf8Bytes } from 'ethers';
import {
  type BlockHeaderRaw,
  encodeBlockHeaderRaw,
  encodeRawData,
  evmToTronHex,
  hexOfText,
  parseTronAddress,
  type RawData,
  sha256Hex,
  type TronHex,
  tronHexToBase58,
} from './trongrid/encoding';
import {
  BANDWIDTH_PRICE_SUN,
  type ContractRet,
  type Effect,
  ENERGY_PRICE_SUN,
  executeTransaction,
  type ForcedFailure,
  type PendingTx,
  type ResourceModel,
  TRANSFER_SELECTOR,
  type TxInfoBody,
} from './trongrid/execution';
import { seededRandom } from './seeded-random';

export type { ContractRet, ForcedFailure };

/** anvil's mnemonic (lib/local/engines/devnet.ts) at Tron's path m/44'/195'/0'/0/0; checked against tronweb in the test. */
export const TRON_PAYER_PRIVATE_KEY = '0x15f0bbb1774be40b7a8d7965d637f324bda2f711fc5726a3dcc19585c6950954';
export const TRON_PAYER_ADDRESS = 'TWer2Ygk5TEheHp3TPuYeqxmB6SsGZmaL6';
/** Tron's solidification: a block is final once 19 of the 27 witnesses built on it. */
export const DEFAULT_SOLIDIFY_DEPTH = 19;
/** Tron produces one block per 3 s slot; block timestamps step by this. */
export const BLOCK_SLOT_MS = 3_000;
/** java-tron's BLOCK_LIMIT_NUM for getblockbylimitnext. */
export const BLOCKS_PER_LIMIT_NEXT_MAX = 100;
/** java-tron's default trx.expiration.timeInMilliseconds (tronweb uses the same). */
export const TX_EXPIRATION_MS = 60_000;
/** The fee limit of the simulator's own TRC-20 transfers: 100 TRX, what wallets commonly set. */
export const SIMULATED_FEE_LIMIT_SUN = 100_000_000;

const SUN_PER_TRX = 1_000_000n;
const PAYER_TRX_SUN = 1_000_000_000n * SUN_PER_TRX;
const PAYER_TOKEN_UNITS = 1_000_000_000n;
const WITNESS_COUNT = 27;
const BLOCK_VERSION = 30;
const BODY_BYTES_MAX = 1_000_000;
/** One control call mines at most this many blocks (a bound on the work of one request). */
const MINE_BLOCKS_PER_CALL_MAX = 10_000;
const ZERO_HASH = '0'.repeat(64);

export type TokenCode = 'USDT' | 'USDD';
const TOKEN_DECIMALS: Record<TokenCode, number> = { USDT: 6, USDD: 18 };
/** Local contract addresses (NOT mainnet's): 20 bytes of keccak256 of a fixed label. */
const tokenContract = (code: TokenCode): TronHex => evmToTronHex(`0x${keccak256(toUtf8Bytes(`tollgate-trongrid-simulator:${code}`)).slice(-40)}`);
export const SIMULATED_TOKENS: Record<TokenCode, { hex: TronHex; address: string; decimals: number }> = {
  USDT: { hex: tokenContract('USDT'), address: tronHexToBase58(tokenContract('USDT')), decimals: TOKEN_DECIMALS.USDT },
  USDD: { hex: tokenContract('USDD'), address: tronHexToBase58(tokenContract('USDD')), decimals: TOKEN_DECIMALS.USDD },
};


export type TronGridSimulatorOptions = {
  port?: number;
  host?: string;
  /** Mine every N ms (npm start: 3000); null mines only on request (tests). */
  blockIntervalMs: number | null;
  solidifyDepth?: number;
  /** When set, every TronGrid request must carry `TRON-PRO-API-KEY: <this>`. */
  requireApiKey?: string;
  /** Timestamp (ms) of block 0; later blocks step by BLOCK_SLOT_MS. Default: now, on a slot boundary. */
  genesisTime?: number;
  /** One line at start (URL, payer, tokens); default console.log. */
  log?: (line: string) => void;
  /** Mainnet's burn-mode resource model (MAINNET_RESOURCES); absent: TRX transfers are free. */
  resources?: { freeBandwidthPerDay: number; createAccountFeeSun: bigint };
};

/** Mainnet's figures (chain parameters getFreeNetLimit, getCreateAccountFee + getCreateNewAccountFeeInSystemContract). */
export const MAINNET_RESOURCES = { freeBandwidthPerDay: 600, createAccountFeeSun: 1_100_000n } as const;
/** Free bandwidth recovers linearly over a day of 3-second slots (java-tron's window). */
const BANDWIDTH_WINDOW_SLOTS = 86_400_000 / 3_000;

export type TransferRequest = {
  to: string;
  /** Base units (sun for TRX); a decimal string over HTTP. */
  amount: bigint | string;
  /** 'USDT' | 'USDD' | a token contract (base58); absent: TRX. */
  token?: string;
  /** Private key hex of the sender; default the payer. */
  from?: string;
  fail?: ForcedFailure;
  mine?: boolean;
};

export type FaultSettings = { rate: number; statuses?: number[]; seed?: number };
export type ForkRequest = { depth: number; reinclude: boolean };
export type ForkResult = { head: number; orphaned: string[]; reincluded: string[]; dropped: string[] };

export type SimulatorInfo = {
  payer: { address: string; hex: TronHex; privateKey: string };
  tokens: Record<TokenCode, { address: string; hex: TronHex; decimals: number }>;
  head: { number: number; blockID: string };
  solidified: { number: number; blockID: string };
  blockIntervalMs: number | null;
  solidifyDepth: number;
};

export type TronGridSimulator = {
  url: string;
  info(): SimulatorInfo;
  transfer(request: TransferRequest): { txid: string };
  mine(blocks?: number): { head: number };
  fork(request: ForkRequest): ForkResult;
  setFaults(settings: FaultSettings): void;
  fund(address: string, amount: bigint | string, token?: string): void;
  /**
   * Deploys another TRC-20 (same `transfer` and `Transfer` event as the test tokens) and gives the
   * payer `supply` of it: anyone can do this on Tron, so it stands for a hostile payer's look-alike
   * token. Returns its base58 address, usable as `token` in `transfer`.
   */
  deployToken(label: string, supply: bigint | string): string;
  /** Balance on the canonical chain (pending transactions not applied). */
  balanceOf(address: string, token?: string): bigint;
  /** TronGrid requests received, per path (control API excluded). */
  requests: Record<string, number>;
  close(): Promise<void>;
};

type MinedTx = { tx: PendingTx; contractRet: ContractRet; info: TxInfoBody };
type SimBlock = { number: number; blockID: string; header: BlockHeaderRaw; witnessSignature: string; witnessIndex: number; txs: MinedTx[]; effects: Effect[] };
type Broadcast = { result: true; txid: string } | { code: string; txid: string; message: string };

class SimulatorInputError extends Error {}

const pad64 = (hex: string) => hex.padStart(64, '0');
const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Witness keys are fixed, so block signatures are reproducible across runs. */
const WITNESS_KEYS = Array.from({ length: WITNESS_COUNT }, (_, i) => new SigningKey(keccak256(toUtf8Bytes(`tollgate-trongrid-simulator:witness:${i}`))));
const WITNESS_ADDRESSES = WITNESS_KEYS.map((k) => evmToTronHex(computeAddress(k)));

/** r|s|v, v = 27 + recovery id: the 65-byte form java-tron and tronweb use. */
function signDigest(key: SigningKey, digestHex: string): string {
  const sig = key.sign(`0x${digestHex}`);
  return `${sig.r.slice(2)}${sig.s.slice(2)}${sig.v.toString(16)}`;
}

/** Binary sha256 tree over the txIDs; all zeros for an empty block, as java-tron prints it. */
function txTrieRoot(txids: string[]): string {
  if (txids.length === 0) return ZERO_HASH;
  let level = txids;
  while (level.length > 1) {
    const next: string[] = [];
    for (let i = 0; i < level.length; i += 2) next.push(i + 1 < level.length ? sha256Hex(`0x${level[i]}${level[i + 1]}`) : level[i]);
    level = next;
  }
  return level[0];
}

export async function startTronGridSimulator(options: TronGridSimulatorOptions): Promise<TronGridSimulator> {
  const solidifyDepth = options.solidifyDepth ?? DEFAULT_SOLIDIFY_DEPTH;
  if (!Number.isInteger(solidifyDepth) || solidifyDepth < 0) throw new Error(`solidifyDepth must be a non-negative integer, got ${solidifyDepth}`);
  const log = options.log ?? ((line: string) => console.log(line));
  const genesisTime = options.genesisTime ?? Math.floor(Date.now() / BLOCK_SLOT_MS) * BLOCK_SLOT_MS;

  // ---- state: the canonical chain, balances at its head, the pool --------------------------
  const trx = new Map<TronHex, bigint>();
  const tokens = new Map<TronHex, Map<TronHex, bigint>>(Object.values(SIMULATED_TOKENS).map((t) => [t.hex, new Map()]));
  const chain: SimBlock[] = [];
  let pending: PendingTx[] = [];
  /** txID -> [block number, position] for mined transactions of the canonical chain. */
  const minedAt = new Map<string, [number, number]>();
  /** Pending and mined txIDs: a second broadcast of one is DUP_TRANSACTION_ERROR. */
  const known = new Set<string>();
  const requests: Record<string, number> = {};
  let faults = { rate: 0, statuses: [429, 503], random: seededRandom(1) };
  /** Makes the simulator's own transactions unique even when identical in content. */
  let transferSequence = 0;

  const balance = (contract: TronHex | null, account: TronHex): bigint =>
    (contract === null ? trx.get(account) : tokens.get(contract)?.get(account)) ?? 0n;
  const apply = (e: Effect, sign: 1n | -1n) => {
    const next = balance(e.contract, e.account) + sign * e.delta;
    if (e.contract === null) trx.set(e.account, next);
    else tokens.get(e.contract)?.set(e.account, next);
  };

  const payerHex = evmToTronHex(computeAddress(new SigningKey(TRON_PAYER_PRIVATE_KEY)));
  trx.set(payerHex, PAYER_TRX_SUN);
  for (const code of Object.keys(SIMULATED_TOKENS) as TokenCode[]) {
    tokens.get(SIMULATED_TOKENS[code].hex)?.set(payerHex, PAYER_TOKEN_UNITS * 10n ** BigInt(TOKEN_DECIMALS[code]));
  }

  const head = () => chain[chain.length - 1];

  /** Free bandwidth used per account and the slot it was last used in (not undone by forks: a simplification). */
  const freeBandwidth = new Map<TronHex, { used: number; slot: number }>();
  const resourceModel = (timestamp: number): ResourceModel | undefined => {
    const resources = options.resources;
    if (!resources) return undefined;
    const slot = Math.floor(timestamp / BLOCK_SLOT_MS);
    return {
      createAccountFeeSun: resources.createAccountFeeSun,
      accountExists: (account) => trx.has(account),
      useFreeBandwidth: (owner, bytes) => {
        const last = freeBandwidth.get(owner) ?? { used: 0, slot };
        const elapsed = slot - last.slot;
        const used = elapsed >= BANDWIDTH_WINDOW_SLOTS ? 0 : Math.floor((last.used * (BANDWIDTH_WINDOW_SLOTS - elapsed)) / BANDWIDTH_WINDOW_SLOTS);
        if (used + bytes > resources.freeBandwidthPerDay) return false;
        freeBandwidth.set(owner, { used: used + bytes, slot });
        return true;
      },
    };
  };
  const solidifiedNumber = () => Math.max(0, head().header.number - solidifyDepth);

  /** A TRC-20 contract from a code or an address; null for TRX (absent), throws when unknown. */
  const tokenContractOf = (token: string | undefined): TronHex | null => {
    if (token === undefined || token === 'TRX') return null;
    if (token in SIMULATED_TOKENS) return SIMULATED_TOKENS[token as TokenCode].hex;
    const hex = parseTronAddress(token);
    if (!hex || !tokens.has(hex)) throw new SimulatorInputError(`unknown token ${token}: use USDT, USDD or ${Object.values(SIMULATED_TOKENS).map((t) => t.address).join(', ')}`);
    return hex;
  };

  /** Appends one block holding `txs` (those still valid). `skippedSlots` > 0 models a fork's new producer. */
  function appendBlock(txs: PendingTx[], skippedSlots = 0): { included: string[]; dropped: string[] } {
    const parent = head();
    const number = parent.header.number + 1;
    const timestamp = parent.header.timestamp + BLOCK_SLOT_MS * (1 + skippedSlots);
    const witnessIndex = (parent.witnessIndex + 1 + skippedSlots) % WITNESS_COUNT;
    const mined: MinedTx[] = [];
    const effects: Effect[] = [];
    const dropped: string[] = [];
    for (const tx of txs) {
      const result = tx.raw.expiration > parent.header.timestamp ? executeTransaction(tx, balance, resourceModel(timestamp)) : null;
      if (!result) {
        dropped.push(tx.txID);
        known.delete(tx.txID);
        continue;
      }
      for (const e of result.effects) apply(e, 1n);
      effects.push(...result.effects);
      mined.push({ tx, contractRet: result.contractRet, info: result.info });
    }
    const header: BlockHeaderRaw = {
      number,
      txTrieRoot: txTrieRoot(mined.map((m) => m.tx.txID)),
      witness_address: WITNESS_ADDRESSES[witnessIndex],
      parentHash: parent.blockID,
      version: BLOCK_VERSION,
      timestamp,
    };
    const block = pushBlock(header, witnessIndex, mined, effects);
    for (const [i, m] of mined.entries()) minedAt.set(m.tx.txID, [block.number, i]);
    return { included: mined.map((m) => m.tx.txID), dropped };
  }

  /** blockID = 8-byte number ++ the last 24 bytes of sha256(header raw), as java-tron's BlockId. */
  function pushBlock(header: BlockHeaderRaw, witnessIndex: number, txs: MinedTx[], effects: Effect[]): SimBlock {
    const digest = sha256Hex(encodeBlockHeaderRaw(header));
    const blockID = header.number.toString(16).padStart(16, '0') + digest.slice(16);
    const block = { number: header.number, blockID, header, witnessSignature: signDigest(WITNESS_KEYS[witnessIndex], digest), witnessIndex, txs, effects };
    chain.push(block);
    return block;
  }

  pushBlock(
    { number: 0, txTrieRoot: ZERO_HASH, witness_address: WITNESS_ADDRESSES[0], parentHash: sha256Hex(toUtf8Bytes('tollgate-trongrid-simulator:genesis')), version: BLOCK_VERSION, timestamp: genesisTime },
    0,
    [],
    [],
  );

  function mine(blocks = 1): { head: number } {
    if (!Number.isInteger(blocks) || blocks < 1 || blocks > MINE_BLOCKS_PER_CALL_MAX) {
      throw new SimulatorInputError(`blocks must be an integer in 1..${MINE_BLOCKS_PER_CALL_MAX}, got ${blocks}`);
    }
    for (let i = 0; i < blocks; i++) {
      const txs = pending;
      pending = [];
      appendBlock(txs);
    }
    return { head: head().number };
  }

  function fork({ depth, reinclude }: ForkRequest): ForkResult {
    const headNumber = head().number;
    const firstReplaced = headNumber - depth + 1;
    if (!Number.isInteger(depth) || depth < 1) throw new SimulatorInputError(`depth must be a positive integer, got ${depth}`);
    if (firstReplaced < 1) throw new SimulatorInputError(`depth ${depth} would replace the genesis block (head is ${headNumber})`);
    if (firstReplaced <= solidifiedNumber()) {
      throw new SimulatorInputError(`depth ${depth} would replace block ${firstReplaced}, at or below the solidified block ${solidifiedNumber()}`);
    }
    const orphanedBlocks = chain.splice(firstReplaced);
    for (const block of [...orphanedBlocks].reverse()) for (const e of [...block.effects].reverse()) apply(e, -1n);
    const orphanTxs = orphanedBlocks.flatMap((b) => b.txs.map((m) => m.tx));
    for (const tx of orphanTxs) minedAt.delete(tx.txID);
    if (!reinclude) for (const tx of orphanTxs) known.delete(tx.txID);
    // The orphans land one block later than the fork point when there is room: another block and position.
    const reincludeAt = Math.min(1, depth - 1);
    const reincluded: string[] = [];
    const dropped = reinclude ? [] : orphanTxs.map((t) => t.txID);
    for (let i = 0; i < depth; i++) {
      const outcome = appendBlock(reinclude && i === reincludeAt ? orphanTxs : [], i === 0 ? 1 : 0);
      reincluded.push(...outcome.included);
      dropped.push(...outcome.dropped);
    }
    return { head: head().number, orphaned: orphanedBlocks.map((b) => b.blockID), reincluded, dropped };
  }

  // ---- building and accepting transactions ------------------------------------------------
  function refBlock(): Pick<RawData, 'ref_block_bytes' | 'ref_block_hash' | 'expiration'> & { timestamp: number } {
    const h = head();
    return {
      ref_block_bytes: (h.number & 0xffff).toString(16).padStart(4, '0'),
      ref_block_hash: h.blockID.slice(16, 32),
      expiration: h.header.timestamp + TX_EXPIRATION_MS,
      timestamp: h.header.timestamp,
    };
  }

  function transfer(request: TransferRequest): { txid: string } {
    const to = parseTronAddress(request.to);
    if (!to) throw new SimulatorInputError(`to: not a Tron address: ${String(request.to)}`);
    let amount: bigint;
    try {
      amount = BigInt(request.amount);
    } catch {
      throw new SimulatorInputError(`amount: not an integer of base units: ${String(request.amount)}`);
    }
    if (amount <= 0n) throw new SimulatorInputError('amount must be positive');
    let key: SigningKey;
    try {
      key = new SigningKey(`0x${(request.from ?? TRON_PAYER_PRIVATE_KEY).replace(/^0x/, '')}`);
    } catch {
      throw new SimulatorInputError('from: not a private key (32 bytes hex)');
    }
    const owner = evmToTronHex(computeAddress(key));
    const token = tokenContractOf(request.token);
    const ref = refBlock();
    // A distinct timestamp per transfer: two equal payments are two transactions.
    const timestamp = ref.timestamp + (transferSequence++ % BLOCK_SLOT_MS);
    let raw: RawData;
    if (token === null) {
      if (amount > BigInt(Number.MAX_SAFE_INTEGER)) throw new SimulatorInputError('amount: TRX amounts travel as JSON numbers; keep them below 2^53 sun');
      if (request.fail) throw new SimulatorInputError('fail applies to TRC-20 transfers only: a TRX transfer either validates or is refused');
      if (balance(null, owner) < amount) throw new SimulatorInputError(`${tronHexToBase58(owner)} holds ${balance(null, owner)} sun, less than ${amount}`);
      raw = {
        contract: [{ type: 'TransferContract', parameter: { value: { amount: Number(amount), owner_address: owner, to_address: to }, type_url: 'type.googleapis.com/protocol.TransferContract' } }],
        ...ref,
        timestamp,
      };
    } else {
      const data = TRANSFER_SELECTOR + pad64(to.slice(2)) + pad64(amount.toString(16));
      raw = {
        contract: [{ type: 'TriggerSmartContract', parameter: { value: { data, owner_address: owner, contract_address: token }, type_url: 'type.googleapis.com/protocol.TriggerSmartContract' } }],
        ...ref,
        fee_limit: SIMULATED_FEE_LIMIT_SUN,
        timestamp,
      };
    }
    const rawDataHex = Buffer.from(encodeRawData(raw)).toString('hex');
    const txID = sha256Hex(`0x${rawDataHex}`);
    pending.push({ txID, raw, rawDataHex, signature: [signDigest(key, txID)], forced: request.fail });
    known.add(txID);
    if (request.mine) mine(1);
    return { txid: txID };
  }

  /** java-tron's Wallet.broadcastTransaction, for the two contract types simulated. */
  function broadcast(body: unknown): Broadcast {
    const refuse = (code: string, txid: string, message: string): Broadcast => ({ code, txid, message: hexOfText(message) });
    const raw = isPlainObject(body) && isPlainObject(body.raw_data) ? (body.raw_data as RawData) : null;
    const contract = raw && Array.isArray(raw.contract) && raw.contract.length === 1 ? raw.contract[0] : null;
    if (!raw || !contract || (contract.type !== 'TransferContract' && contract.type !== 'TriggerSmartContract') || !isPlainObject(contract.parameter?.value)) {
      return refuse('CONTRACT_VALIDATE_ERROR', '', 'contract validate error : the simulator carries one TransferContract or TriggerSmartContract per transaction');
    }
    let rawDataHex: string;
    try {
      rawDataHex = Buffer.from(encodeRawData(raw)).toString('hex');
    } catch (e) {
      return refuse('OTHER_ERROR', '', `other error : ${(e as Error).message}`);
    }
    const txid = sha256Hex(`0x${rawDataHex}`);
    const value = contract.parameter.value as { owner_address?: string };
    const owner = parseTronAddress(value.owner_address);
    const signature = isPlainObject(body) && Array.isArray(body.signature) ? body.signature : [];
    if (typeof signature[0] !== 'string' || !owner) return refuse('SIGERROR', txid, 'validate signature error miss sig or contract');
    const sigHex = signature[0].replace(/^0x/, '').toLowerCase();
    if (!/^[0-9a-f]{130}$/.test(sigHex)) return refuse('SIGERROR', txid, `validate signature error Signature size is ${sigHex.length / 2}`);
    let signer: TronHex;
    try {
      signer = evmToTronHex(recoverAddress(`0x${txid}`, Signature.from(`0x${sigHex}`)));
    } catch (e) {
      return refuse('SIGERROR', txid, `validate signature error ${(e as Error).message}`);
    }
    if (signer !== owner) return refuse('SIGERROR', txid, `validate signature error ${tronHexToBase58(signer)} is not contained in permission`);
    if (known.has(txid)) return refuse('DUP_TRANSACTION_ERROR', txid, 'dup transaction');
    if (!(raw.expiration > head().header.timestamp)) return refuse('TRANSACTION_EXPIRATION_ERROR', txid, 'transaction expired');
    const referenced = chain.find((b) => (b.number & 0xffff).toString(16).padStart(4, '0') === raw.ref_block_bytes && b.blockID.slice(16, 32) === raw.ref_block_hash);
    if (!referenced) return refuse('TAPOS_ERROR', txid, 'Tapos check error');
    if (contract.type === 'TransferContract') {
      const v = contract.parameter.value;
      if (!parseTronAddress(v.to_address) || !(Number.isSafeInteger(v.amount) && v.amount > 0)) return refuse('CONTRACT_VALIDATE_ERROR', txid, 'contract validate error : Invalid toAddress or amount');
      const creation = options.resources && !trx.has(parseTronAddress(v.to_address) ?? '') ? options.resources.createAccountFeeSun : 0n;
      if (balance(null, owner) < BigInt(v.amount) + creation) return refuse('CONTRACT_VALIDATE_ERROR', txid, 'contract validate error : Validate TransferContract error, balance is not sufficient.');
    } else if (!tokens.has(parseTronAddress(contract.parameter.value.contract_address) ?? '')) {
      return refuse('CONTRACT_VALIDATE_ERROR', txid, 'contract validate error : No contract or not a smart contract');
    }
    pending.push({ txID: txid, raw, rawDataHex, signature: [sigHex] });
    known.add(txid);
    return { result: true, txid };
  }

  function fund(address: string, amount: bigint | string, token?: string): void {
    const account = parseTronAddress(address);
    if (!account) throw new SimulatorInputError(`address: not a Tron address: ${address}`);
    const units = BigInt(amount);
    if (units <= 0n) throw new SimulatorInputError('amount must be positive');
    apply({ contract: tokenContractOf(token), account, delta: units }, 1n);
  }

  function deployToken(label: string, supply: bigint | string): string {
    const hex = evmToTronHex(`0x${keccak256(toUtf8Bytes(`tollgate-trongrid-simulator:deployed:${label}`)).slice(-40)}`);
    if (!tokens.has(hex)) tokens.set(hex, new Map());
    apply({ contract: hex, account: payerHex, delta: BigInt(supply) }, 1n);
    return tronHexToBase58(hex);
  }

  function balanceOf(address: string, token?: string): bigint {
    const account = parseTronAddress(address);
    if (!account) throw new SimulatorInputError(`address: not a Tron address: ${address}`);
    return balance(tokenContractOf(token), account);
  }

  function setFaults(settings: FaultSettings): void {
    const { rate, statuses = [429, 503], seed = 1 } = settings;
    if (!(rate >= 0 && rate <= 1)) throw new SimulatorInputError(`rate must be within 0..1, got ${rate}`);
    if (statuses.length === 0 || statuses.some((s) => s !== 429 && !(s >= 500 && s <= 599))) throw new SimulatorInputError('statuses: 429 and 5xx only');
    faults = { rate, statuses, random: seededRandom(seed) };
  }

  function info(): SimulatorInfo {
    const solid = chain[solidifiedNumber()];
    return {
      payer: { address: tronHexToBase58(payerHex), hex: payerHex, privateKey: TRON_PAYER_PRIVATE_KEY },
      tokens: SIMULATED_TOKENS,
      head: { number: head().number, blockID: head().blockID },
      solidified: { number: solid.number, blockID: solid.blockID },
      blockIntervalMs: options.blockIntervalMs,
      solidifyDepth,
    };
  }

  // ---- JSON shapes ------------------------------------------------------------------------
  const txJson = (m: MinedTx) => ({ ret: [{ contractRet: m.contractRet }], signature: m.tx.signature, txID: m.tx.txID, raw_data: m.tx.raw, raw_data_hex: m.tx.rawDataHex });
  const blockJson = (b: SimBlock, detail = true) => {
    // proto3 JSON leaves out zero values: the genesis header has no `number`.
    const { number, ...rest } = b.header;
    const raw_data = number === 0 ? rest : b.header;
    return {
      blockID: b.blockID,
      block_header: { raw_data, witness_signature: b.witnessSignature },
      ...(detail && b.txs.length > 0 ? { transactions: b.txs.map(txJson) } : {}),
    };
  };
  const infoJson = (b: SimBlock, m: MinedTx) => {
    const { id, ...rest } = m.info;
    return { id, ...('fee' in rest ? { fee: rest.fee } : {}), blockNumber: b.number, blockTimeStamp: b.header.timestamp, ...rest };
  };
  const minedTx = (txid: unknown): [SimBlock, MinedTx] | null => {
    const at = typeof txid === 'string' ? minedAt.get(txid.toLowerCase()) : undefined;
    return at ? [chain[at[0]], chain[at[0]].txs[at[1]]] : null;
  };
  const int = (v: unknown): number => {
    const n = v === undefined ? 0 : Number(v);
    if (!Number.isSafeInteger(n)) throw new Error(`class java.lang.NumberFormatException : For input string: "${String(v)}"`);
    return n;
  };

  const routes: Record<string, (body: Record<string, unknown>) => unknown> = {
    '/wallet/getnowblock': () => blockJson(head()),
    '/walletsolidity/getnowblock': () => blockJson(chain[solidifiedNumber()]),
    '/wallet/getblockbynum': (body) => {
      const block = chain[int(body.num)];
      return block ? blockJson(block) : {};
    },
    '/wallet/getblockbylimitnext': (body) => {
      const start = int(body.startNum);
      const end = int(body.endNum);
      if (!(end > 0 && end > start && end - start <= BLOCKS_PER_LIMIT_NEXT_MAX)) return {};
      const blocks = chain.slice(Math.max(0, start), end);
      return blocks.length > 0 ? { block: blocks.map((b) => blockJson(b)) } : {};
    },
    '/wallet/gettransactioninfobyblocknum': (body) => {
      const num = int(body.num);
      if (num <= 0) return {};
      const block = chain[num];
      return block ? block.txs.map((m) => infoJson(block, m)) : [];
    },
    '/wallet/gettransactionbyid': (body) => {
      const found = minedTx(body.value);
      return found ? txJson(found[1]) : {};
    },
    '/wallet/gettransactioninfobyid': (body) => {
      const found = minedTx(body.value);
      return found ? infoJson(found[0], found[1]) : {};
    },
    '/wallet/getblock': (body) => {
      const idOrNum = body.id_or_num;
      const detail = body.detail === true || body.detail === 'true';
      if (idOrNum === undefined || idOrNum === '') return blockJson(head(), detail);
      const s = String(idOrNum);
      const block = /^[0-9a-f]{64}$/i.test(s) ? chain.find((b) => b.blockID === s.toLowerCase()) : chain[int(s)];
      return block ? blockJson(block, detail) : {};
    },
    '/wallet/broadcasttransaction': (body) => broadcast(body),
    '/wallet/getaccount': (body) => {
      const account = parseTronAddress(body.address);
      if (!account) throw new Error('Invalid address provided');
      if (!trx.has(account)) return {};
      return { address: body.visible === true ? tronHexToBase58(account) : account, balance: Number(balance(null, account)) };
    },
    '/wallet/triggerconstantcontract': (body) => {
      const contract = parseTronAddress(body.contract_address);
      if (!contract || !tokens.has(contract)) return { result: { code: 'CONTRACT_VALIDATE_ERROR', message: hexOfText('No contract or not a smart contract') } };
      const parameter = String(body.parameter ?? '');
      if (body.function_selector !== 'balanceOf(address)' || !/^[0-9a-fA-F]{64}$/.test(parameter)) throw new Error('the simulator answers balanceOf(address) only');
      const holder = evmToTronHex(`0x${parameter.slice(24)}`);
      return { result: { result: true }, energy_used: 0, constant_result: [pad64(balance(contract, holder).toString(16))] };
    },
    '/wallet/getchainparameters': () => ({
      chainParameter: [
        { key: 'getTransactionFee', value: BANDWIDTH_PRICE_SUN },
        { key: 'getEnergyFee', value: ENERGY_PRICE_SUN },
        ...(options.resources
          ? [
              { key: 'getFreeNetLimit', value: options.resources.freeBandwidthPerDay },
              { key: 'getCreateAccountFee', value: 100_000 },
              { key: 'getCreateNewAccountFeeInSystemContract', value: Number(options.resources.createAccountFeeSun) - 100_000 },
            ]
          : [{ key: 'getCreateAccountFee' }, { key: 'getCreateNewAccountFeeInSystemContract' }]),
      ],
    }),
  };

  // ---- control API ------------------------------------------------------------------------
  const control: Record<string, (body: Record<string, unknown>, query: URLSearchParams) => unknown> = {
    '/_simulator/info': () => info(),
    '/_simulator/balance': (_body, query) => ({ balance: balanceOf(query.get('address') ?? '', query.get('token') ?? undefined).toString() }),
    '/_simulator/transfer': (body) =>
      transfer({
        to: String(body.to),
        amount: String(body.amount),
        token: body.token === undefined ? undefined : String(body.token),
        from: body.from === undefined ? undefined : String(body.from),
        fail: body.fail === 'REVERT' || body.fail === 'OUT_OF_ENERGY' ? body.fail : body.fail === undefined ? undefined : invalid(`fail: REVERT or OUT_OF_ENERGY, got ${String(body.fail)}`),
        mine: body.mine === true,
      }),
    '/_simulator/mine': (body) => mine(body.blocks === undefined ? 1 : Number(body.blocks)),
    '/_simulator/fork': (body) => fork({ depth: Number(body.depth), reinclude: body.reinclude === true }),
    '/_simulator/faults': (body) => {
      setFaults({ rate: Number(body.rate), statuses: Array.isArray(body.statuses) ? body.statuses.map(Number) : undefined, seed: body.seed === undefined ? undefined : Number(body.seed) });
      return { rate: faults.rate, statuses: faults.statuses };
    },
    '/_simulator/deploy-token': (body) => ({ address: deployToken(String(body.label), String(body.supply)) }),
    '/_simulator/fund': (body) => {
      const token = body.token === undefined ? undefined : String(body.token);
      fund(String(body.address), String(body.amount), token);
      return { balance: balanceOf(String(body.address), token).toString() };
    },
  };
  function invalid(message: string): never {
    throw new SimulatorInputError(message);
  }

  // ---- HTTP -------------------------------------------------------------------------------
  const send = (res: ServerResponse, status: number, body: unknown, contentType = 'application/json') => {
    res.writeHead(status, { 'content-type': contentType });
    res.end(typeof body === 'string' ? body : JSON.stringify(body));
  };

  async function readBody(req: IncomingMessage): Promise<string> {
    let size = 0;
    const chunks: Buffer[] = [];
    for await (const chunk of req) {
      size += (chunk as Buffer).length;
      if (size > BODY_BYTES_MAX) throw new Error(`class java.lang.Exception : body size is too big, the limit is ${BODY_BYTES_MAX}`);
      chunks.push(chunk as Buffer);
    }
    return Buffer.concat(chunks).toString('utf8');
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://simulator');
    const path = url.pathname.replace(/\/+$/, '');
    const isControl = path.startsWith('/_simulator/');
    let body: Record<string, unknown> = Object.fromEntries(url.searchParams);
    if (!isControl) {
      requests[path] = (requests[path] ?? 0) + 1;
      if (options.requireApiKey !== undefined && req.headers['tron-pro-api-key'] !== options.requireApiKey) return send(res, 401, { Error: 'ApiKey not exists' });
      if (faults.rate > 0 && faults.random() < faults.rate) {
        const status = faults.statuses[Math.floor(faults.random() * faults.statuses.length)];
        if (status === 429) return send(res, 429, { Error: 'request rate exceeded the allowed_rps(15), and the query server is suspended for 1s' });
        return send(res, status, `<html>\r\n<head><title>${status} Service Temporarily Unavailable</title></head>\r\n<body>\r\n<center><h1>${status} Service Temporarily Unavailable</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n`, 'text/html');
      }
    }
    const handler: ((body: Record<string, unknown>, query: URLSearchParams) => unknown) | undefined = isControl ? control[path] : routes[path];
    if (!handler) return send(res, 404, isControl ? { error: `no control operation ${path}` } : `<h2>HTTP ERROR 404 Not Found</h2>`, isControl ? 'application/json' : 'text/html');
    try {
      if (req.method === 'POST') {
        const text = await readBody(req);
        if (text.trim() !== '') {
          const parsed: unknown = JSON.parse(text);
          if (!isPlainObject(parsed)) throw new SyntaxError('expected a JSON object');
          body = parsed;
        }
      }
    } catch (e) {
      const message = e instanceof SyntaxError ? `class org.tron.core.services.http.JsonFormat$ParseException : ${e.message}` : (e as Error).message;
      return isControl ? send(res, 400, { error: message }) : send(res, 200, { Error: message });
    }
    try {
      send(res, 200, handler(body, url.searchParams));
    } catch (e) {
      if (isControl) return send(res, e instanceof SimulatorInputError ? 400 : 500, { error: (e as Error).message });
      // java-tron answers a bad request with 200 and {"Error": "..."}.
      send(res, 200, { Error: (e as Error).message });
    }
  }

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      if (!res.headersSent) send(res, 500, { error: String(e) });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const url = `http://${options.host ?? '127.0.0.1'}:${port}`;

  const timer = options.blockIntervalMs === null ? null : setInterval(() => mine(1), options.blockIntervalMs);
  log(
    `TronGrid simulator ${url}: payer ${TRON_PAYER_ADDRESS}, USDT ${SIMULATED_TOKENS.USDT.address}, USDD ${SIMULATED_TOKENS.USDD.address}, ` +
      `${options.blockIntervalMs === null ? 'manual mining' : `a block every ${options.blockIntervalMs} ms`}, solidified ${solidifyDepth} blocks behind`,
  );

  return {
    url,
    info,
    transfer,
    mine,
    fork,
    setFaults,
    fund,
    deployToken,
    balanceOf,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        if (timer) clearInterval(timer);
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
